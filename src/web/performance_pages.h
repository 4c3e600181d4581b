#pragma once
// The performance pages (绩效评估, issue 5), server-rendered, zh-CN:
//   GET /supervision/performance?from=&to=&dept=&sort=&order=
//     the figures of the period (default: this month up to today), one row per department
//     (sortable by the column headers: sort = name, received, accepted, decided, on_time,
//     late, rate, average, p90, suspensions, extensions, warnings, complaints; order = asc
//     or desc), then a table of each department's items;
//   GET /supervision/performance/report.pdf?month=YYYY-MM
//     the monthly report for the leading group (city-wide readers only).
// Who sees what is decided by app::PerformanceService.
#include <functional>
#include <memory>
#include <string>

#include "app/performance_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "web/pages.h"

namespace shenpi::web {

struct PerformancePagesDeps {
  std::shared_ptr<const http::api::SessionAuth> auth;
  std::shared_ptr<app::PerformanceService> performance;
  //! Renders the monthly report (docs::render_performance_report, adapted by the
  //! composition root): report, period label ("2026年11月"), generated on (YYYY-MM-DD).
  std::function<Result<std::string>(const core::PerformanceReport&, const std::string&,
                                    const std::string&)>
      render_report;
  WebOptions options;
};

void register_performance_pages(http::Router& router, PerformancePagesDeps deps);

}  // namespace shenpi::web
