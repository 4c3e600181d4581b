#pragma once
// Wiring of applying and handling (issue 4): one UploadService, one CalendarService and one
// CaseService per process, shared by the API, the pages and the calendar administration,
// so that a calendar edit reaches every clock at once.
#include <memory>
#include <string>

#include "app/account_service.h"
#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/case_service.h"
#include "app/catalogue_service.h"
#include "app/document_service.h"
#include "app/upload_service.h"
#include "core/result.h"
#include "store/db.h"

namespace shenpi::main {

struct CaseWiring {
  std::shared_ptr<app::UploadService> uploads;
  std::shared_ptr<app::CalendarService> calendar;
  std::shared_ptr<app::CaseService> cases;
};

//! Builds the services over `db`. Staff may download an applicant's upload when they may
//! view the case it belongs to.
Result<CaseWiring> make_case_wiring(std::shared_ptr<store::Database> db,
                                    std::shared_ptr<app::AuditLog> audit,
                                    std::shared_ptr<app::CatalogueService> catalogue,
                                    std::shared_ptr<app::DocumentService> documents,
                                    std::shared_ptr<app::AccountService> accounts);

}  // namespace shenpi::main
