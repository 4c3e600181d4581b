#include "core/calendar/working_calendar.h"

#include <algorithm>
#include <set>
#include <string>

namespace shenpi::core {
namespace {

bool contains(const std::vector<Date>& sorted, Date d) {
  return std::binary_search(sorted.begin(), sorted.end(), d);
}

Error bad_list(const char* field, std::string message) {
  return make_error(ErrorKind::invalid_input, "bad_schedule", std::move(message), field);
}

}  // namespace

Error calendar_year_missing(int year) {
  const std::string y = std::to_string(year);
  return make_error(ErrorKind::not_found, "calendar_year_missing",
                    y + " 年的节假日安排尚未录入，无法计算工作日 (no holiday schedule for " + y +
                        ": import it first)",
                    "year");
}

Result<void> validate_schedule(const YearSchedule& s) {
  if (s.year < 1 || s.year > 9999) {
    return make_error(ErrorKind::invalid_input, "bad_year", "年份应在 1 到 9999 之间", "year");
  }
  std::set<Date> seen;
  const auto check = [&](const std::vector<Date>& list, const char* field,
                         const char* label) -> Result<void> {
    for (const Date& d : list) {
      if (!is_real_date(d.year, d.month, d.day)) {
        return bad_list(field, std::string(label) + "中有无效日期");
      }
      if (d.year != s.year) {
        return bad_list(field, std::string(label) + "中的 " + d.iso() + " 不在 " +
                                   std::to_string(s.year) + " 年内");
      }
      if (!seen.insert(d).second) {
        return bad_list(field, d.iso() + " 重复出现（同一天不能既放假又调休上班，也不能列两次）");
      }
    }
    return ok_result();
  };
  SHENPI_TRY(check(s.days_off, "days_off", "放假日期"));
  SHENPI_TRY(check(s.make_up_days, "make_up_days", "调休上班日期"));
  return ok_result();
}

void WorkingCalendar::set_year(YearSchedule s) {
  std::sort(s.days_off.begin(), s.days_off.end());
  std::sort(s.make_up_days.begin(), s.make_up_days.end());
  const int y = s.year;
  years_[y] = std::move(s);
}

bool WorkingCalendar::has_year(int year) const { return years_.count(year) != 0; }

std::vector<int> WorkingCalendar::years() const {
  std::vector<int> out;
  out.reserve(years_.size());
  for (const auto& [y, s] : years_) out.push_back(y);
  return out;
}

const YearSchedule* WorkingCalendar::schedule(int year) const {
  const auto it = years_.find(year);
  return it == years_.end() ? nullptr : &it->second;
}

int WorkingCalendar::classify(Date d) const {
  const auto it = years_.find(d.year);
  if (it == years_.end()) return -1;
  if (contains(it->second.days_off, d)) return 0;
  if (contains(it->second.make_up_days, d)) return 1;
  return d.weekday() <= 5 ? 1 : 0;
}

bool WorkingCalendar::provisional_working(Date d, bool& provisional) const {
  const int c = classify(d);
  if (c >= 0) return c == 1;
  provisional = true;
  return d.weekday() <= 5;
}

Result<bool> WorkingCalendar::is_working_day(Date d) const {
  const int c = classify(d);
  if (c < 0) return calendar_year_missing(d.year);
  return c == 1;
}

Result<Date> WorkingCalendar::add_working_days(Date from, int n) const {
  if (n < 0) {
    return make_error(ErrorKind::invalid_input, "bad_days", "工作日天数不能为负数", "days");
  }
  Date d = from;
  for (int counted = 0; counted < n;) {
    d = d.plus_days(1);
    const int c = classify(d);
    if (c < 0) return calendar_year_missing(d.year);
    counted += c;
  }
  return d;
}

Result<int> WorkingCalendar::working_days_between(Date from, Date to) const {
  int count = 0;
  for (Date d = from; d < to;) {
    d = d.plus_days(1);
    const int c = classify(d);
    if (c < 0) return calendar_year_missing(d.year);
    count += c;
  }
  return count;
}

WorkingCalendar::Dated WorkingCalendar::add_working_days_provisional(Date from, int n) const {
  Dated out{from, false};
  for (int counted = 0; counted < n;) {
    out.date = out.date.plus_days(1);
    if (provisional_working(out.date, out.provisional)) ++counted;
  }
  return out;
}

WorkingCalendar::Counted WorkingCalendar::working_days_between_provisional(Date from,
                                                                           Date to) const {
  Counted out;
  for (Date d = from; d < to;) {
    d = d.plus_days(1);
    if (provisional_working(d, out.provisional)) ++out.days;
  }
  return out;
}

}  // namespace shenpi::core
