#pragma once
// The staff-side identity pages (Art. 19–21, 24), server-rendered, zh-CN, no JavaScript,
// never cached (Cache-Control: no-store):
//
//   GET  /admin/staff              staff of the administrator's scope; form to add one
//   POST /admin/staff              adds a staff member; shows the initial password (when
//                                  generated) and the TOTP enrolment (QR code, secret) once
//   GET  /admin/training           training records (tech_admin); form to record one
//   POST /admin/training           records a training course (the use case of `staff train`)
//   GET  /training                 one's own training status (every staff member)
//   GET  /admin/audit              search the audit trail (security officer: own
//                                  department; centre admin, supervisor: all)
//   GET  /admin/audit/export.csv   the same filter as CSV (UTF-8 BOM)
//   POST /admin/audit/verify       walks the hash chain and checkpoints, shows the result
//
// Every handler authenticates through http::api::SessionAuth (the one place for the
// session cookie and CSRF; forms carry csrf_token) and calls a use case that checks the
// permission. Not signed in: 303 to /login?next=…; staff without valid training: 303 to
// /training (the only page they may see besides signing out).
#include <memory>

#include "app/audit_reader.h"
#include "app/catalogue_service.h"
#include "app/staff_admin.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "web/pages.h"

namespace shenpi::web {

struct StaffPagesDeps {
  std::shared_ptr<const http::api::SessionAuth> auth;
  std::shared_ptr<app::StaffAdmin> staff;
  std::shared_ptr<app::AuditReader> audit;
  std::shared_ptr<app::CatalogueService> catalogue;  //!< department names
  WebOptions options;
};

//! Adds the routes above to `router`; the handlers share ownership of `deps`.
void register_staff_pages(http::Router& router, StaffPagesDeps deps);

}  // namespace shenpi::web
