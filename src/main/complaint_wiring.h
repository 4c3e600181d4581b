#pragma once
// Wiring of complaints and ratings (issue 5): one ComplaintService and one RatingService
// per process, over the cases of `cases` and the shared calendar.
//
// Configuration (environment, read once at start; invalid values stop the start):
//   SHENPI_COMPLAINT_ANSWER_DAYS   working days the bureau has to answer (default 15)
//   SHENPI_RATING_WINDOW_DAYS      days after delivery to rate (default 15)
//   SHENPI_RATING_DEFAULT_LEVEL    level recorded after that (default satisfied)
//   SHENPI_RATING_FOLLOW_UP_DAYS   working days for a 差评 follow-up (default 5)
#include <memory>
#include <string>

#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/case_service.h"
#include "app/complaint_service.h"
#include "app/rating_service.h"
#include "core/result.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "store/db.h"

namespace shenpi::main {

struct ComplaintWiring {
  std::shared_ptr<app::ComplaintService> complaints;
  std::shared_ptr<app::RatingService> ratings;
};

Result<ComplaintWiring> make_complaint_wiring(std::shared_ptr<store::Database> db,
                                              const std::string& data_dir,
                                              std::shared_ptr<app::AuditLog> audit,
                                              std::shared_ptr<app::CalendarService> calendar,
                                              std::shared_ptr<app::CaseService> cases);

//! Builds the services and registers the complaint and rating API and pages on `router`
//! (the one call build_router makes).
Result<ComplaintWiring> register_complaint_routes(
    http::Router& router, std::shared_ptr<const http::api::SessionAuth> auth,
    std::shared_ptr<store::Database> db, const std::string& data_dir,
    std::shared_ptr<app::AuditLog> audit, std::shared_ptr<app::CalendarService> calendar,
    std::shared_ptr<app::CaseService> cases, std::shared_ptr<app::CatalogueService> catalogue);

}  // namespace shenpi::main
