#include "core/identity/civil_date.h"

namespace shenpi::core::identity_detail {

bool is_real_day(const YearMonthDay& d) {
  if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  const int last = (d.month == 2 && leap) ? 29 : kDays[d.month - 1];
  return d.day <= last;
}

int parse_digits(std::string_view s) {
  if (s.empty() || s.size() > 9) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool parse_iso_date(std::string_view s, YearMonthDay& out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  YearMonthDay d{parse_digits(s.substr(0, 4)), parse_digits(s.substr(5, 2)),
                 parse_digits(s.substr(8, 2))};
  if (!is_real_day(d)) return false;
  out = d;
  return true;
}

std::string_view trim_ascii(std::string_view s) {
  constexpr std::string_view kBlanks = " \t\r\n";
  const auto first = s.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kBlanks);
  return s.substr(first, last - first + 1);
}

}  // namespace shenpi::core::identity_detail
