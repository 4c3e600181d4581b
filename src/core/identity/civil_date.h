#pragma once
// Small calendar helpers shared by the identity validators (internal to core/identity).
#include <string_view>

namespace shenpi::core::identity_detail {

struct YearMonthDay {
  int year = 0;
  int month = 0;
  int day = 0;
  auto operator<=>(const YearMonthDay&) const = default;
};

//! True for a real Gregorian calendar day (years 1–9999).
bool is_real_day(const YearMonthDay& d);

//! The value of 1–9 ASCII digits; -1 when `s` is empty, longer, or has a non-digit.
int parse_digits(std::string_view s);

//! Parses "YYYY-MM-DD" into a real day; false when malformed or not a real day.
bool parse_iso_date(std::string_view s, YearMonthDay& out);

//! Trims ASCII blanks (space, tab, CR, LF) from both ends.
std::string_view trim_ascii(std::string_view s);

}  // namespace shenpi::core::identity_detail
