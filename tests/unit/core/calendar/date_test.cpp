#include "core/calendar/date.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace shenpi::core {
namespace {

TEST(CalendarDate, ParsesOnlyRealIsoDates) {
  struct Case {
    const char* text;
    std::optional<Date> want;
  };
  const Case cases[] = {
      {"2024-02-29", Date{2024, 2, 29}},  // leap year
      {"2000-02-29", Date{2000, 2, 29}},  // divisible by 400: leap
      {"1900-02-29", std::nullopt},       // divisible by 100 only: not leap
      {"2025-02-29", std::nullopt},
      {"2025-04-31", std::nullopt},
      {"2025-12-31", Date{2025, 12, 31}},
      {"2025-13-01", std::nullopt},
      {"2025-00-10", std::nullopt},
      {"2025-01-00", std::nullopt},
      {"0000-01-01", std::nullopt},
      {"9999-12-31", Date{9999, 12, 31}},
      {"2025-1-01", std::nullopt},
      {"2025/01/01", std::nullopt},
      {" 2025-01-01", std::nullopt},
      {"2025-01-01 ", std::nullopt},
      {"20250101", std::nullopt},
      {"２０２５-01-01", std::nullopt},  // full-width digits
      {"", std::nullopt},
      {"+025-01-01", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Date::parse(c.text), c.want) << c.text;
  }
}

TEST(CalendarDate, IsoRoundTrips) {
  for (const char* s : {"2024-01-01", "2026-12-31", "0999-03-04", "1970-01-01"}) {
    ASSERT_TRUE(Date::parse(s)) << s;
    EXPECT_EQ(Date::parse(s)->iso(), s);
  }
}

TEST(CalendarDate, WeekdaysOfKnownDays) {
  struct Case {
    const char* date;
    int weekday;  // 1 = Monday
  };
  const Case cases[] = {
      {"1970-01-01", 4}, {"2000-01-01", 6}, {"2024-01-01", 1}, {"2024-02-04", 7},
      {"2024-02-29", 4}, {"2025-01-01", 3}, {"2025-10-11", 6}, {"2026-01-01", 4},
      {"2026-02-14", 6}, {"2027-01-01", 5}, {"1969-12-31", 3},
  };
  for (const Case& c : cases) EXPECT_EQ(Date::parse(c.date)->weekday(), c.weekday) << c.date;
}

TEST(CalendarDate, DayArithmetic) {
  const Date d = *Date::parse("2024-02-28");
  EXPECT_EQ(d.plus_days(1).iso(), "2024-02-29");
  EXPECT_EQ(d.plus_days(2).iso(), "2024-03-01");
  EXPECT_EQ(d.plus_days(-59).iso(), "2023-12-31");
  EXPECT_EQ(d.plus_days(366).iso(), "2025-02-28");
  EXPECT_EQ(Date::parse("1970-01-01")->days_since_epoch(), 0);
  EXPECT_EQ(Date::parse("1969-12-31")->days_since_epoch(), -1);
  EXPECT_EQ(Date::parse("2024-01-01")->days_since_epoch(), 19723);
  EXPECT_EQ(calendar_days_between(*Date::parse("2024-01-01"), *Date::parse("2025-01-01")), 366);
  EXPECT_EQ(calendar_days_between(*Date::parse("2025-01-01"), *Date::parse("2024-01-01")), -366);
  // Every day of four centuries survives the trip through days_since_epoch.
  for (std::int64_t n = Date::parse("1900-01-01")->days_since_epoch();
       n <= Date::parse("2300-12-31")->days_since_epoch(); ++n) {
    const Date x = Date::from_days_since_epoch(n);
    ASSERT_EQ(x.days_since_epoch(), n);
    ASSERT_TRUE(is_real_date(x.year, x.month, x.day)) << x.iso();
  }
}

TEST(CalendarDate, OrdersChronologically) {
  EXPECT_LT(*Date::parse("2024-12-31"), *Date::parse("2025-01-01"));
  EXPECT_LT(*Date::parse("2025-01-31"), *Date::parse("2025-02-01"));
  EXPECT_EQ(*Date::parse("2025-05-05"), (Date{2025, 5, 5}));
}

}  // namespace
}  // namespace shenpi::core
