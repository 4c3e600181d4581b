#pragma once
// Performance figures (绩效评估, issue 5, Art. 13): per department and per item, over any
// period, for the supervision bureau, the service centre, the leading group's monthly
// report and each department's business lead (its own department). The figures are
// aggregated by core::aggregate_performance (see core/performance/performance.h for what
// each one counts) over the records PerformanceRepository reads.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/principal.h"
#include "core/clock/case_clock.h"
#include "core/performance/performance.h"
#include "core/result.h"

namespace shenpi::app {

//! The port to storage; implemented in src/store/performance_store.cpp and held to this
//! contract on both dialects by tests/contract/performance_store_test.cpp.
class PerformanceRepository {
 public:
  virtual ~PerformanceRepository() = default;
  //! The records of the period [from, to] (YYYY-MM-DD, both included): every submitted case
  //! with an event in the period (submitted on or before `to`, last changed on or after
  //! `from`), the warnings first seen, the complaints answered with an outcome, the ratings
  //! given and the extensions granted in the period, and every case these name. Reads in
  //! bounded batches; fails with unavailable "too_many_cases" beyond `max_cases` cases.
  virtual Result<core::PerformanceInput> read_period(std::string_view from, std::string_view to,
                                                     int max_cases) = 0;
};

//! GET /api/v1/performance?from=&to=&dept=&item=
struct PerformanceQuery {
  std::string from;        //!< YYYY-MM-DD
  std::string to;          //!< YYYY-MM-DD, not before from, at most 366 days after it
  std::string department;  //!< "" for every department the caller may see
  std::string item;        //!< "" for every item
};

struct PerformanceView {
  core::PerformanceReport report;  //!< departments and items filtered to the scope
  //! True when the caller sees the whole city (report.city is then meaningful; for a
  //! department's business lead it is zeroed).
  bool city_wide = false;
};

struct PerformanceDeps {
  std::shared_ptr<PerformanceRepository> repo;
  std::shared_ptr<CalendarService> calendar;
  std::shared_ptr<AuditLog> audit;
  core::ClockPolicy clock_policy;
  int max_cases = 200000;
};

class PerformanceService {
 public:
  explicit PerformanceService(PerformanceDeps deps);

  //! The figures `who` may see. City-wide: the system, Permission::supervise (supervision
  //! bureau, leading group), and centre_admin with case_read. A business_lead sees their
  //! own departments only (forbidden "department_out_of_scope", field "dept", for another
  //! one). Anyone else: forbidden (audited). invalid_input "bad_date" (field "from" or
  //! "to") for a malformed date, "bad_period" (field "to") when `to` is before `from` or
  //! the period is longer than 366 days.
  Result<PerformanceView> figures(const Principal& who, const PerformanceQuery& query,
                                  const RequestContext& ctx);

  //! The monthly report of `month` (YYYY-MM; invalid_input "bad_month", field "month"):
  //! the figures of that calendar month, for city-wide readers only.
  Result<PerformanceView> monthly(const Principal& who, std::string_view month,
                                  const RequestContext& ctx);

 private:
  Result<void> record_denial(const Principal& who, const Error& why, const RequestContext& ctx);
  PerformanceDeps d_;
};

//! The first and last day of `month` (YYYY-MM), or nullopt when malformed.
std::optional<std::pair<std::string, std::string>> month_bounds(std::string_view month);

}  // namespace shenpi::app
