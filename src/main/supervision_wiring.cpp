#include "main/supervision_wiring.h"

#include "core/clock/case_clock.h"
#include "crypto/secure_bytes.h"
#include "http/api/rectification_api.h"
#include "main/supervise_command.h"
#include "store/rectification_store.h"
#include "web/supervision_pages.h"

namespace shenpi::main {

Result<std::shared_ptr<app::RectificationService>> register_supervision_routes(
    http::Router& router, std::shared_ptr<const http::api::SessionAuth> auth,
    std::shared_ptr<store::Database> db, std::shared_ptr<app::AuditLog> audit,
    std::shared_ptr<app::CalendarService> calendar,
    std::shared_ptr<app::CatalogueService> catalogue) {
  // The pages also explain and close warnings (SupervisionService).
  auto warnings = make_supervision_service(db, calendar, audit);
  app::RectificationDeps d;
  d.repo = store::make_rectification_store(std::move(db));
  d.calendar = std::move(calendar);
  d.audit = std::move(audit);
  d.random_bytes = crypto::random_bytes;
  d.yellow_days = core::ClockPolicy{}.yellow_days;
  auto service = std::make_shared<app::RectificationService>(std::move(d));
  http::api::register_rectification_api(router, auth, service);
  web::register_supervision_pages(
      router, {auth, service, std::move(catalogue), web::WebOptions{}, std::move(warnings)});
  return service;
}

}  // namespace shenpi::main
