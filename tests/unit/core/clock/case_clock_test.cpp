// The case clock of DESIGN.md "The clock, precisely", run through the 2025 National Day
// holiday and the turn of 2026/2027 on the State Council schedules: limits, suspensions
// (the working days left at S counted again from R), extensions, yellow and red.
#include "core/clock/case_clock.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "unit/core/calendar/state_council_schedules.h"

namespace shenpi::core {
namespace {

using testing::d;

Suspension suspended(const char* from, const char* until = nullptr) {
  return Suspension{d(from), until ? std::optional<Date>(d(until)) : std::nullopt};
}

struct Case {
  const char* what;
  ClockInput in;
  const char* today;
  const char* due;
  const char* legal_due;
  int left;
  int late;
  int used;
  Signal signal;
  bool suspended = false;
  bool provisional = false;
};

ClockInput clock(const char* start, int limit, int legal = -1, int extension = 0,
                 std::vector<Suspension> suspensions = {}) {
  return ClockInput{d(start), limit, legal < 0 ? limit : legal, extension, std::move(suspensions)};
}

TEST(CaseClock, TableOfCases) {
  const WorkingCalendar cal = testing::notices_calendar();
  // Accepted Friday 2025-09-19 with 20 working days: the count runs over the make-up
  // Sunday 09-28, skips 10-01..10-08, takes the make-up Saturday 10-11: due Thursday 10-23.
  const Case cases[] = {
      {"accepted today", clock("2025-09-19", 20), "2025-09-19", "2025-10-23", "2025-10-23", 20, 0,
       0, Signal::green},
      {"in the holiday", clock("2025-09-19", 20), "2025-10-05", "2025-10-23", "2025-10-23", 12, 0,
       8, Signal::green},
      {"after the make-up Saturday", clock("2025-09-19", 20), "2025-10-11", "2025-10-23",
       "2025-10-23", 9, 0, 11, Signal::green},
      {"three left: under 20 % of 20", clock("2025-09-19", 20), "2025-10-20", "2025-10-23",
       "2025-10-23", 3, 0, 17, Signal::yellow},
      {"two left", clock("2025-09-19", 20), "2025-10-21", "2025-10-23", "2025-10-23", 2, 0, 18,
       Signal::yellow},
      {"due today", clock("2025-09-19", 20), "2025-10-23", "2025-10-23", "2025-10-23", 0, 0, 20,
       Signal::yellow},
      {"one day late", clock("2025-09-19", 20), "2025-10-24", "2025-10-23", "2025-10-23", -1, 1, 21,
       Signal::red},
      {"late over a weekend", clock("2025-09-19", 20), "2025-10-26", "2025-10-23", "2025-10-23", -1,
       1, 21, Signal::red},
      {"two days late", clock("2025-09-19", 20), "2025-10-27", "2025-10-23", "2025-10-23", -2, 2,
       22, Signal::red},

      // Promised 10 days, legal 20: red on the promised one, the legal wall still ahead.
      {"promised limit passed", clock("2025-09-19", 10, 20), "2025-10-13", "2025-10-10",
       "2025-10-23", -2, 2, 12, Signal::red},
      // An extension of 10 working days moves both limits.
      {"extended by 10", clock("2025-09-19", 20, 20, 10), "2025-10-24", "2025-11-06", "2025-11-06",
       9, 0, 21, Signal::green},

      // Suspended Wednesday 09-24 (3 days used, 17 left), resumed Wednesday 10-15: the 17 are
      // counted again from 10-15, due Friday 11-07.
      {"suspended, still open", clock("2025-09-19", 20, 20, 0, {suspended("2025-09-24")}),
       "2025-10-10", "2025-11-03", "2025-11-03", 17, 0, 3, Signal::green, true},
      {"resumed today", clock("2025-09-19", 20, 20, 0, {suspended("2025-09-24", "2025-10-15")}),
       "2025-10-15", "2025-11-07", "2025-11-07", 17, 0, 3, Signal::green},
      {"resumed, on the old due day",
       clock("2025-09-19", 20, 20, 0, {suspended("2025-09-24", "2025-10-15")}), "2025-10-23",
       "2025-11-07", "2025-11-07", 11, 0, 9, Signal::green},
      {"resumed, then late",
       clock("2025-09-19", 20, 20, 0, {suspended("2025-09-24", "2025-10-15")}), "2025-11-10",
       "2025-11-07", "2025-11-07", -1, 1, 21, Signal::red},
      {"resumption recorded ahead of today",
       clock("2025-09-19", 20, 20, 0, {suspended("2025-09-24", "2025-10-15")}), "2025-10-10",
       "2025-11-03", "2025-11-03", 17, 0, 3, Signal::green, true},
      {"suspension not yet begun", clock("2025-09-19", 20, 20, 0, {suspended("2025-10-22")}),
       "2025-10-21", "2025-10-23", "2025-10-23", 2, 0, 18, Signal::yellow},
      // Suspended on the due day itself: 0 left at S, so due the day it resumes.
      {"suspended on the due day", clock("2025-09-19", 20, 20, 0, {suspended("2025-10-23")}),
       "2025-10-27", "2025-10-27", "2025-10-27", 0, 0, 20, Signal::yellow, true},
      {"resumed after suspension on the due day",
       clock("2025-09-19", 20, 20, 0, {suspended("2025-10-23", "2025-10-28")}), "2025-10-29",
       "2025-10-28", "2025-10-28", -1, 1, 21, Signal::red},
      // Suspended when already late: stays red, but the suspended days add nothing.
      {"suspended after the deadline", clock("2025-09-19", 20, 20, 0, {suspended("2025-10-27")}),
       "2025-10-30", "2025-10-23", "2025-10-23", -2, 2, 22, Signal::red, true},
      // Two suspensions: 11-04→11-06 and 11-10→11-12 on a 10-day limit from Monday 11-03.
      {"two suspensions",
       clock("2025-11-03", 10, 10, 0,
             {suspended("2025-11-04", "2025-11-06"), suspended("2025-11-10", "2025-11-12")}),
       "2025-11-21", "2025-11-21", "2025-11-21", 0, 0, 10, Signal::yellow},
      // Yellow by the fixed number of days on a short limit.
      {"short limit, green", clock("2025-11-03", 5), "2025-11-03", "2025-11-10", "2025-11-10", 5, 0,
       0, Signal::green},
      {"short limit, two left", clock("2025-11-06", 5), "2025-11-11", "2025-11-13", "2025-11-13", 2,
       0, 3, Signal::yellow},
      // Into a year without schedule: weekends only, marked provisional.
      {"into 2027", clock("2026-12-15", 20), "2026-12-15", "2027-01-12", "2027-01-12", 20, 0, 0,
       Signal::green, false, true},
      {"inside known years", clock("2025-12-01", 20), "2025-12-01", "2025-12-29", "2025-12-29", 20,
       0, 0, Signal::green},
  };
  for (const Case& c : cases) {
    const ClockState s = evaluate_clock(cal, c.in, d(c.today));
    EXPECT_EQ(s.due.iso(), c.due) << c.what;
    EXPECT_EQ(s.legal_due.iso(), c.legal_due) << c.what;
    EXPECT_EQ(s.working_days_left, c.left) << c.what;
    EXPECT_EQ(s.days_late, c.late) << c.what;
    EXPECT_EQ(s.used_days, c.used) << c.what;
    EXPECT_EQ(to_string(s.signal), to_string(c.signal)) << c.what;
    EXPECT_EQ(s.suspended, c.suspended) << c.what;
    EXPECT_EQ(s.provisional, c.provisional) << c.what;
  }
}

TEST(CaseClock, NeverTurnsRedWhileSuspended) {
  const WorkingCalendar cal = testing::notices_calendar();
  const ClockInput in = clock("2025-09-19", 20, 20, 0, {suspended("2025-10-20")});
  for (Date today = d("2025-10-20"); today <= d("2026-06-30"); today = today.plus_days(1)) {
    const ClockState s = evaluate_clock(cal, in, today);
    ASSERT_NE(s.signal, Signal::red) << today.iso();
    ASSERT_TRUE(s.suspended);
    ASSERT_EQ(s.working_days_left, 3) << today.iso();  // what was left on 10-20
    ASSERT_EQ(s.used_days, 17) << today.iso();
  }
}

TEST(CaseClock, PolicyAndLabels) {
  const WorkingCalendar cal = testing::notices_calendar();
  const ClockInput in = clock("2025-11-03", 20);  // due 2025-12-01; on 11-21, 6 days left
  EXPECT_EQ(evaluate_clock(cal, in, d("2025-11-21"), ClockPolicy{6, 0.0}).signal, Signal::yellow);
  EXPECT_EQ(evaluate_clock(cal, in, d("2025-11-21"), ClockPolicy{5, 0.0}).signal, Signal::green);
  EXPECT_EQ(evaluate_clock(cal, in, d("2025-11-21"), ClockPolicy{0, 0.35}).signal, Signal::yellow);
  EXPECT_EQ(evaluate_clock(cal, in, d("2025-11-21"), ClockPolicy{0, 0.3}).signal, Signal::green);
  EXPECT_EQ(label(Signal::green), "绿灯");
  EXPECT_EQ(label(Signal::yellow), "黄灯");
  EXPECT_EQ(label(Signal::red), "红灯");
  EXPECT_EQ(to_string(Signal::red), "red");
}

TEST(CaseClock, ImportingTheNextYearRecomputesTheDeadline) {
  WorkingCalendar cal = testing::notices_calendar();
  const ClockInput in = clock("2026-12-15", 20);
  const ClockState before = evaluate_clock(cal, in, d("2026-12-20"));
  EXPECT_TRUE(before.provisional);
  EXPECT_EQ(before.due.iso(), "2027-01-12");
  YearSchedule y2027;
  y2027.year = 2027;
  y2027.days_off = {d("2027-01-01")};
  cal.set_year(y2027);
  const ClockState after = evaluate_clock(cal, in, d("2026-12-20"));
  EXPECT_FALSE(after.provisional);
  EXPECT_EQ(after.due.iso(), "2027-01-13");
}

}  // namespace
}  // namespace shenpi::core
