#pragma once
// Wiring of performance figures (绩效评估, issue 5): the PerformanceService, its API and
// pages, and the `report` subcommand:
//
//   shenpi report monthly --month YYYY-MM --out FILE [--data DIR] [--db URL]
//     writes the monthly performance report for the leading group as a PDF to FILE and
//     prints "report YYYY-MM: N departments, M items, FILE (B bytes)". Exit code 2 for a
//     malformed month, 1 when the report cannot be produced.
#include <memory>
#include <string>

#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/performance_service.h"
#include "core/result.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "store/db.h"

namespace CLI {
class App;
}

namespace shenpi::main {

//! The PerformanceService over `db`.
std::shared_ptr<app::PerformanceService> make_performance_service(
    std::shared_ptr<store::Database> db, std::shared_ptr<app::CalendarService> calendar,
    std::shared_ptr<app::AuditLog> audit);

//! Builds the service and registers GET /api/v1/performance, /supervision/performance and
//! /supervision/performance/report.pdf on `router` (the one call build_router makes).
Result<void> register_performance_routes(http::Router& router,
                                         std::shared_ptr<const http::api::SessionAuth> auth,
                                         std::shared_ptr<store::Database> db,
                                         std::shared_ptr<app::CalendarService> calendar,
                                         std::shared_ptr<app::AuditLog> audit);

class ReportCommand {
 public:
  //! Registers `report monthly` on `app`.
  explicit ReportCommand(CLI::App& app);
  bool chosen() const;
  //! Writes the report; returns the process exit code.
  int run() const;

 private:
  CLI::App* cmd_ = nullptr;
  CLI::App* monthly_ = nullptr;
  std::string data_dir_ = "var";
  std::string db_url_;
  std::string month_;
  std::string out_;
};

}  // namespace shenpi::main
