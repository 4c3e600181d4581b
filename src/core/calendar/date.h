#pragma once
// A civil date in the proleptic Gregorian calendar, with the day arithmetic the working-day
// calendar and the case clock need. Pure: no time zone, no wall clock; "today" is always
// passed in by the caller.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shenpi::core {

struct Date {
  int year = 1970, month = 1, day = 1;
  auto operator<=>(const Date&) const = default;

  //! Parses "YYYY-MM-DD" exactly (four-digit year 0001–9999, two-digit month and day, no
  //! blanks); nullopt when malformed or not a real day (e.g. "2025-02-29").
  static std::optional<Date> parse(std::string_view iso);
  //! The day `days` after 1970-01-01 (negative: before it).
  static Date from_days_since_epoch(std::int64_t days);
  //! "YYYY-MM-DD" (the year zero-padded to four digits).
  std::string iso() const;
  //! 1 = Monday … 7 = Sunday (ISO 8601).
  int weekday() const;
  //! The date `n` calendar days later; n may be negative.
  Date plus_days(int n) const;
  //! Days since 1970-01-01 (which is 0); negative before it.
  std::int64_t days_since_epoch() const;
};

//! `to` − `from` in calendar days (negative when `to` is earlier).
int calendar_days_between(Date from, Date to);

//! True for a real day of the proleptic Gregorian calendar with 1 ≤ year ≤ 9999.
bool is_real_date(int year, int month, int day);

}  // namespace shenpi::core
