#pragma once
// Performance figures (绩效评估, issue 5, Art. 13): per department and per item, over a
// period, what the supervision bureau and the leading group read in the monthly report.
// Pure aggregation over plain records that the store reads; "today" never matters: every
// figure is judged on the day the thing happened.
//
// What counts, for a period [from, to] (both days included):
//  - received: the case was first submitted (Case::submitted_on) in the period;
//  - accepted: the case was accepted (Case::accepted_on, deemed acceptance included);
//  - decided: the decision was taken in the period. For the city: the case's decision day
//    (Case::decided_on). For an item: its part's decision day. For a department: the day
//    its last part in the case was decided;
//  - on time / late: of those decided, late when the decision came after the due day of
//    the clock that ran (days_late > 0 on the decision day): the city judges a case on its
//    overall decision clock (a bundle on the joint limit), a department or an item on the
//    part clocks (a department with two parts in one bundle is late when either is);
//  - working days: acceptance to decision, suspended days excluded (ClockState::used_days
//    on the decision day); the average and the 90th percentile (nearest rank) over the
//    decisions of the period. A department with several parts in one case counts the
//    longest;
//  - suspensions: special procedures (特别程序) begun in the period, one per part;
//  - extensions: extensions (延期) granted in the period;
//  - warnings: e-supervision warnings first recorded in the period;
//  - complaints upheld: complaints answered in the period as 属实 or 部分属实;
//  - ratings: ratings given in the period by level, except a 差评 whose appeal was upheld.
// A bundle counts once for the city and once for each department concerned (for its own
// parts), never twice; each part counts once for its item.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/calendar/date.h"
#include "core/calendar/working_calendar.h"
#include "core/cases/case.h"
#include "core/clock/case_clock.h"
#include "core/complaints/complaint.h"
#include "core/ratings/rating.h"

namespace shenpi::core {

//! A warning as performance needs it.
struct PerformanceWarning {
  std::string case_number;
  std::string department_code;
  std::string department_name;
  int part_seq = -1;  //!< -1: the case as a whole
  std::string first_seen_on;
};

//! A complaint whose investigation has an outcome.
struct PerformanceComplaint {
  std::string number;
  std::string case_number;  //!< "" when the complaint names no case
  std::string department_code;
  std::string department_name;
  ComplaintOutcome outcome = ComplaintOutcome::none;
  std::string answered_on;
};

struct PerformanceRating {
  std::string case_number;
  std::string department_code;
  std::string department_name;
  RatingLevel level = RatingLevel::satisfied;
  std::string rated_on;
  bool counts = true;  //!< false: a 差评 whose appeal was upheld (rating_counts)
};

//! An extension granted: the case event "extend".
struct PerformanceExtension {
  std::string case_number;
  int part_seq = -1;  //!< -1: the joint limit of a bundle
  std::string department_code;
  std::string on;
};

struct PerformanceInput {
  Date from;
  Date to;
  //! Every case something of the period happened to, and every case the warnings,
  //! complaints, ratings and extensions below name. Cases outside the period add nothing.
  std::vector<Case> cases;
  std::vector<PerformanceWarning> warnings;
  std::vector<PerformanceComplaint> complaints;
  std::vector<PerformanceRating> ratings;
  std::vector<PerformanceExtension> extensions;
};

inline constexpr std::size_t kRatingLevels = 5;

struct PerformanceFigures {
  int received = 0;
  int accepted = 0;
  int decided = 0;
  int approved = 0;  //!< of decided: every part (of the scope) approved
  int on_time = 0;
  int late = 0;
  double average_days = 0;  //!< working days, acceptance to decision; 0 when none decided
  int p90_days = 0;         //!< 90th percentile (nearest rank); 0 when none decided
  int suspensions = 0;
  int extensions = 0;
  int warnings = 0;
  int complaints_upheld = 0;
  //! Ratings by level, in the order of rating_levels() (非常满意 … 非常不满意).
  std::array<int, kRatingLevels> ratings{};
  //! Some clock crossed a year without a stored schedule: days are a weekends-only guess.
  bool provisional = false;

  int ratings_total() const;
  //! Share of decisions on time, 0 … 1 (1 when none decided).
  double on_time_rate() const;
  bool operator==(const PerformanceFigures&) const = default;
};

struct DepartmentPerformance {
  std::string department_code;
  std::string department_name;
  PerformanceFigures figures;
};

struct ItemPerformance {
  std::string item_code;
  std::string item_name;
  std::string department_code;
  std::string department_name;
  PerformanceFigures figures;
};

struct PerformanceReport {
  Date from;
  Date to;
  PerformanceFigures city;
  std::vector<DepartmentPerformance> departments;  //!< by department code
  std::vector<ItemPerformance> items;              //!< by department code, then item code
};

//! Aggregates `in` (pure; `calendar` judges the clocks).
PerformanceReport aggregate_performance(const PerformanceInput& in, const WorkingCalendar& calendar,
                                        const ClockPolicy& policy = {});

//! The 90th percentile by nearest rank of `values` (order irrelevant): the smallest value
//! with at least 90 % of the values at or below it; 0 for none.
int percentile90(std::vector<int> values);

}  // namespace shenpi::core
