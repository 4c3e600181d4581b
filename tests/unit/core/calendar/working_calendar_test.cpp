// The working-day calendar over the State Council schedules of 2024–2026: every day off
// and every make-up working day, counting across each holiday, year boundaries, and the
// strict and provisional answers for a year without schedule.
#include "core/calendar/working_calendar.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "unit/core/calendar/state_council_schedules.h"

namespace shenpi::core {
namespace {

using testing::d;
using testing::notices_calendar;
using testing::schedule_of;
using testing::state_council_notices;

TEST(CalendarWorkingDays, EveryDayOfTheNoticesFollowsTheRule) {
  const WorkingCalendar cal = notices_calendar();
  int checked_off = 0, checked_make_up = 0;
  for (const auto& notice : state_council_notices()) {
    const YearSchedule s = schedule_of(notice);
    const std::set<Date> off(s.days_off.begin(), s.days_off.end());
    const std::set<Date> make_up(s.make_up_days.begin(), s.make_up_days.end());
    for (Date x = Date{notice.year, 1, 1}; x.year == notice.year; x = x.plus_days(1)) {
      const bool want = off.count(x) ? false : make_up.count(x) ? true : x.weekday() <= 5;
      const auto got = cal.is_working_day(x);
      ASSERT_TRUE(got.ok()) << x.iso();
      EXPECT_EQ(*got, want) << x.iso();
      checked_off += off.count(x) ? 1 : 0;
      checked_make_up += make_up.count(x) ? 1 : 0;
    }
  }
  EXPECT_EQ(checked_off, 28 + 28 + 33);
  EXPECT_EQ(checked_make_up, 8 + 5 + 6);
}

TEST(CalendarWorkingDays, EveryMakeUpDayIsAWeekendWorkingDay) {
  const WorkingCalendar cal = notices_calendar();
  for (const auto& notice : state_council_notices()) {
    for (const char* m : notice.make_up) {
      EXPECT_GE(d(m).weekday(), 6) << m << " is a Saturday or Sunday";
      EXPECT_TRUE(*cal.is_working_day(d(m))) << m;
    }
  }
}

TEST(CalendarWorkingDays, SpotChecksAsPrintedOnTheNotices) {
  const WorkingCalendar cal = notices_calendar();
  struct Case {
    const char* date;
    bool working;
  };
  const Case cases[] = {
      {"2024-01-01", false}, {"2024-01-02", true},  {"2024-02-04", true},   // Sun, make-up
      {"2024-02-09", true},  {"2024-02-10", false}, {"2024-02-12", false},  // Mon, Spring
      {"2024-02-17", false}, {"2024-02-18", true},  {"2024-02-19", true},  {"2024-04-04", false},
      {"2024-04-07", true},  {"2024-04-28", true},  {"2024-05-03", false}, {"2024-05-11", true},
      {"2024-06-10", false}, {"2024-09-14", true},  {"2024-09-16", false}, {"2024-09-29", true},
      {"2024-10-04", false}, {"2024-10-12", true},  {"2024-10-13", false}, {"2025-01-01", false},
      {"2025-01-26", true},  {"2025-01-28", false}, {"2025-02-04", false}, {"2025-02-05", true},
      {"2025-02-08", true},  {"2025-04-04", false}, {"2025-04-27", true},  {"2025-05-05", false},
      {"2025-06-02", false}, {"2025-06-03", true},  {"2025-09-28", true},  {"2025-10-08", false},
      {"2025-10-09", true},  {"2025-10-11", true},  {"2026-01-02", false}, {"2026-01-04", true},
      {"2026-02-14", true},  {"2026-02-23", false}, {"2026-02-24", true},  {"2026-02-28", true},
      {"2026-04-06", false}, {"2026-05-09", true},  {"2026-06-19", false}, {"2026-09-20", true},
      {"2026-09-25", false}, {"2026-10-07", false}, {"2026-10-10", true},  {"2026-10-11", false},
      {"2026-12-31", true},
  };
  for (const Case& c : cases) {
    const auto r = cal.is_working_day(d(c.date));
    ASSERT_TRUE(r.ok()) << c.date;
    EXPECT_EQ(*r, c.working) << c.date;
  }
}

struct AddCase {
  const char* from;
  int n;
  const char* want;
};

TEST(CalendarWorkingDays, AddAcrossEachHoliday) {
  const WorkingCalendar cal = notices_calendar();
  const AddCase cases[] = {
      {"2024-01-01", 0, "2024-01-01"},  // n == 0: the day itself
      {"2024-01-01", 1, "2024-01-02"},
      {"2024-02-02", 1, "2024-02-04"},  // Friday → the make-up Sunday
      {"2024-02-08", 1, "2024-02-09"},
      {"2024-02-09", 1, "2024-02-18"},  // over the Spring Festival to the make-up Sunday
      {"2024-02-09", 2, "2024-02-19"},
      {"2024-04-03", 1, "2024-04-07"},
      {"2024-04-30", 1, "2024-05-06"},
      {"2024-05-10", 1, "2024-05-11"},
      {"2024-06-07", 1, "2024-06-11"},
      {"2024-09-13", 1, "2024-09-14"},
      {"2024-09-13", 2, "2024-09-18"},
      {"2024-09-27", 1, "2024-09-29"},
      {"2024-09-30", 1, "2024-10-08"},
      {"2024-10-11", 1, "2024-10-12"},
      {"2024-12-31", 1, "2025-01-02"},  // over New Year into the next schedule
      {"2024-12-20", 20, "2025-01-20"},
      {"2025-01-24", 1, "2025-01-26"},
      {"2025-01-26", 1, "2025-01-27"},
      {"2025-01-27", 1, "2025-02-05"},
      {"2025-01-20", 10, "2025-02-08"},
      {"2025-04-03", 1, "2025-04-07"},
      {"2025-04-25", 1, "2025-04-27"},
      {"2025-04-30", 1, "2025-05-06"},
      {"2025-05-30", 1, "2025-06-03"},
      {"2025-09-26", 1, "2025-09-28"},
      {"2025-09-30", 1, "2025-10-09"},
      {"2025-09-19", 20, "2025-10-23"},  // a 20-day limit over the National Day holiday
      {"2025-12-31", 1, "2026-01-04"},   // New Year 2026, then the make-up Sunday
      {"2026-02-13", 1, "2026-02-14"},
      {"2026-02-14", 1, "2026-02-24"},
      {"2026-02-06", 20, "2026-03-12"},
      {"2026-02-27", 1, "2026-02-28"},
      {"2026-04-03", 1, "2026-04-07"},
      {"2026-04-30", 1, "2026-05-06"},
      {"2026-05-08", 1, "2026-05-09"},
      {"2026-06-18", 1, "2026-06-22"},
      {"2026-09-18", 1, "2026-09-20"},
      {"2026-09-24", 1, "2026-09-28"},
      {"2026-09-30", 1, "2026-10-08"},
      {"2026-10-09", 1, "2026-10-10"},
  };
  for (const AddCase& c : cases) {
    const auto r = cal.add_working_days(d(c.from), c.n);
    ASSERT_TRUE(r.ok()) << c.from << " + " << c.n << ": " << r.error().message;
    EXPECT_EQ(r->iso(), c.want) << c.from << " + " << c.n;
    const auto p = cal.add_working_days_provisional(d(c.from), c.n);
    EXPECT_EQ(p.date.iso(), c.want) << c.from << " + " << c.n;
    EXPECT_FALSE(p.provisional) << c.from << " + " << c.n;
  }
}

struct BetweenCase {
  const char* from;
  const char* to;
  int want;
};

TEST(CalendarWorkingDays, BetweenCountsTheHalfOpenInterval) {
  const WorkingCalendar cal = notices_calendar();
  const BetweenCase cases[] = {
      {"2024-02-01", "2024-02-29", 17},
      {"2024-02-09", "2024-02-18", 1},  // only the make-up Sunday
      {"2024-09-30", "2024-10-08", 1},
      {"2025-01-27", "2025-02-05", 1},
      {"2024-01-01", "2024-12-31", 251},  // 2024 has 251 working days
      {"2024-12-31", "2025-12-31", 248},  // 2025: 248
      {"2025-12-31", "2026-12-31", 248},  // 2026: 248
      {"2024-12-31", "2026-12-31", 496},
      {"2025-09-19", "2025-10-23", 20},  // agrees with add
      {"2024-05-06", "2024-05-06", 0},   // empty interval
      {"2024-05-07", "2024-05-06", 0},   // to before from
      {"2024-05-06", "2024-05-07", 1},
  };
  for (const BetweenCase& c : cases) {
    const auto r = cal.working_days_between(d(c.from), d(c.to));
    ASSERT_TRUE(r.ok()) << c.from << " .. " << c.to;
    EXPECT_EQ(*r, c.want) << c.from << " .. " << c.to;
  }
}

TEST(CalendarWorkingDays, AddAndBetweenAgreeEverywhere) {
  const WorkingCalendar cal = notices_calendar();
  for (Date from = d("2024-01-01"); from <= d("2026-11-30"); from = from.plus_days(1)) {
    for (int n : {1, 5, 20}) {
      const auto due = cal.add_working_days(from, n);
      ASSERT_TRUE(due.ok()) << from.iso();
      ASSERT_TRUE(*cal.is_working_day(*due)) << "a deadline is a working day: " << due->iso();
      ASSERT_EQ(*cal.working_days_between(from, *due), n) << from.iso();
    }
  }
}

TEST(CalendarWorkingDays, StrictFormsRefuseAYearWithoutSchedule) {
  const WorkingCalendar cal = notices_calendar({2025});
  const auto at_end = cal.add_working_days(d("2025-12-31"), 1);
  ASSERT_FALSE(at_end.ok());
  EXPECT_EQ(at_end.error().kind, ErrorKind::not_found);
  EXPECT_EQ(at_end.error().code, "calendar_year_missing");
  EXPECT_NE(at_end.error().message.find("2026"), std::string::npos) << at_end.error().message;
  EXPECT_EQ(cal.is_working_day(d("2024-06-03")).error().code, "calendar_year_missing");
  EXPECT_EQ(cal.working_days_between(d("2024-12-30"), d("2025-01-03")).error().code,
            "calendar_year_missing");
  // Nothing outside the schedule examined: no error.
  EXPECT_EQ(cal.add_working_days(d("2024-12-31"), 0)->iso(), "2024-12-31");
  EXPECT_EQ(*cal.working_days_between(d("2024-12-31"), d("2025-01-03")), 2);
  EXPECT_EQ(cal.add_working_days(d("2025-01-01"), -1).error().kind, ErrorKind::invalid_input);
}

TEST(CalendarWorkingDays, ProvisionalFormsCountWeekdaysAndSaySo) {
  const WorkingCalendar cal = notices_calendar({2025, 2026});
  struct Case {
    const char* from;
    int n;
    const char* want;
    bool provisional;
  };
  const Case cases[] = {
      {"2026-12-31", 1, "2027-01-01", true},  // 2027 unknown: Friday counts (a guess)
      {"2026-12-25", 5, "2027-01-01", true},
      {"2026-12-30", 1, "2026-12-31", false},  // stays inside a known year
      {"2023-12-29", 1, "2024-01-01", true},   // 2023 and 2024 unknown here
      {"2024-12-27", 3, "2025-01-02", true},   // a guessed year, then 元旦 2025 off
      {"2025-12-31", 1, "2026-01-04", false},
  };
  for (const Case& c : cases) {
    const auto r = cal.add_working_days_provisional(d(c.from), c.n);
    EXPECT_EQ(r.date.iso(), c.want) << c.from;
    EXPECT_EQ(r.provisional, c.provisional) << c.from;
  }
  const auto count = cal.working_days_between_provisional(d("2026-12-28"), d("2027-01-08"));
  EXPECT_EQ(count.days, 9);  // 12-29..12-31 (3) + 2027-01-01, 01-04..01-08 (6)
  EXPECT_TRUE(count.provisional);
  const auto inside = cal.working_days_between_provisional(d("2026-12-28"), d("2026-12-31"));
  EXPECT_EQ(inside.days, 3);
  EXPECT_FALSE(inside.provisional);
  // Once the year is loaded, the same question is answered exactly.
  WorkingCalendar later = cal;
  YearSchedule y2027;
  y2027.year = 2027;
  y2027.days_off = {d("2027-01-01")};
  later.set_year(y2027);
  const auto exact = later.add_working_days_provisional(d("2026-12-31"), 1);
  EXPECT_EQ(exact.date.iso(), "2027-01-04");
  EXPECT_FALSE(exact.provisional);
}

TEST(CalendarWorkingDays, YearsAndReplacement) {
  WorkingCalendar cal = notices_calendar({2026, 2024});
  EXPECT_EQ(cal.years(), (std::vector<int>{2024, 2026}));
  EXPECT_TRUE(cal.has_year(2024));
  EXPECT_FALSE(cal.has_year(2025));
  EXPECT_EQ(cal.schedule(2025), nullptr);
  // set_year replaces the whole year, and keeps its lists sorted.
  YearSchedule s;
  s.year = 2024;
  s.days_off = {d("2024-03-08"), d("2024-03-01")};
  cal.set_year(s);
  EXPECT_EQ(cal.schedule(2024)->days_off.front().iso(), "2024-03-01");
  EXPECT_TRUE(*cal.is_working_day(d("2024-02-12")));  // the old holiday is gone
  EXPECT_FALSE(*cal.is_working_day(d("2024-03-08")));
}

TEST(CalendarSchedule, ValidationNamesTheListAtFault) {
  struct Case {
    const char* what;
    YearSchedule s;
    const char* field;  // "" when valid
  };
  const Case cases[] = {
      {"the notices' 2025", schedule_of(state_council_notices()[1]), ""},
      {"empty lists", YearSchedule{2027, {}, {}}, ""},
      {"date in another year", YearSchedule{2025, {d("2024-10-01")}, {}}, "days_off"},
      {"make-up in another year", YearSchedule{2025, {}, {d("2026-01-04")}}, "make_up_days"},
      {"listed twice", YearSchedule{2025, {d("2025-10-01"), d("2025-10-01")}, {}}, "days_off"},
      {"in both lists", YearSchedule{2025, {d("2025-10-01")}, {d("2025-10-01")}}, "make_up_days"},
      {"year zero", YearSchedule{0, {}, {}}, "year"},
      {"not a real date", YearSchedule{2025, {Date{2025, 2, 30}}, {}}, "days_off"},
  };
  for (const Case& c : cases) {
    const auto r = validate_schedule(c.s);
    if (std::string(c.field).empty()) {
      EXPECT_TRUE(r.ok()) << c.what;
    } else {
      ASSERT_FALSE(r.ok()) << c.what;
      EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << c.what;
      EXPECT_EQ(r.error().field, c.field) << c.what;
    }
  }
}

}  // namespace
}  // namespace shenpi::core
