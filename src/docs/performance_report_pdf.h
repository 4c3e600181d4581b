#pragma once
// The monthly performance report (绩效月报) for the leading group (领导小组): A4, Simplified
// Chinese, the city's figures in a paragraph, then one table row per department and per
// item (headers repeated on every page), an explanation of the figures, and page numbers.
#include <string>
#include <string_view>

#include "core/performance/performance.h"
#include "core/result.h"

namespace shenpi::docs {

//! Renders `report` titled for `period_label` (e.g. "2026年11月"), with `generated_on`
//! (YYYY-MM-DD) in the footer. Pure: the same input gives the same bytes. Blocks while
//! rendering (serialised with the other renderers). Fails only with ErrorKind::internal
//! when cairo cannot produce the document.
Result<std::string> render_performance_report(const core::PerformanceReport& report,
                                              std::string_view period_label,
                                              std::string_view generated_on);

//! "2026年11月1日" for "2026-11-01" (the date as written in Chinese documents).
std::string chinese_date(const core::Date& d);

//! One decimal place ("5.3"), as the tables show average days.
std::string one_decimal(double value);

}  // namespace shenpi::docs
