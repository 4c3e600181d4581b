#include "core/calendar/working_calendar.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>

namespace shenpi::core {
namespace {

// ISO weekday (1 = Monday … 7 = Sunday) of a day counted from 1970-01-01, a Thursday.
int weekday_of(std::int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7) + 1; }

std::int64_t first_day_of(int year) { return Date{year, 1, 1}.days_since_epoch(); }

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
  YearTable t;
  t.first_day = first_day_of(y);
  t.working.resize(static_cast<std::size_t>(first_day_of(y + 1) - t.first_day));
  for (std::size_t i = 0; i < t.working.size(); ++i) {
    t.working[i] = weekday_of(t.first_day + static_cast<std::int64_t>(i)) <= 5 ? 1 : 0;
  }
  for (const Date& d : s.days_off) t.working[d.days_since_epoch() - t.first_day] = 0;
  for (const Date& d : s.make_up_days) t.working[d.days_since_epoch() - t.first_day] = 1;
  tables_[y] = std::move(t);
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
  const auto it = tables_.find(d.year);
  if (it == tables_.end()) return -1;
  return it->second.working[d.days_since_epoch() - it->second.first_day];
}

template <typename Visit>
void WorkingCalendar::walk_after(Date from, Visit visit) const {
  std::int64_t day = from.days_since_epoch();
  int year = from.year;
  std::int64_t next_year = first_day_of(year + 1);
  auto table = tables_.find(year);
  for (;;) {
    ++day;
    if (day >= next_year) {
      ++year;
      next_year = first_day_of(year + 1);
      table = tables_.find(year);
    }
    const int kind =
        table == tables_.end() ? -1 : table->second.working[day - table->second.first_day];
    if (!visit(day, kind)) return;
  }
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
  if (n == 0) return from;
  int counted = 0;
  std::int64_t last = 0;
  int missing = 0;
  walk_after(from, [&](std::int64_t day, int kind) {
    if (kind < 0) {
      missing = Date::from_days_since_epoch(day).year;
      return false;
    }
    counted += kind;
    last = day;
    return counted < n;
  });
  if (missing != 0) return calendar_year_missing(missing);
  return Date::from_days_since_epoch(last);
}

Result<int> WorkingCalendar::working_days_between(Date from, Date to) const {
  if (to <= from) return 0;
  const std::int64_t end = to.days_since_epoch();
  int count = 0;
  int missing = 0;
  walk_after(from, [&](std::int64_t day, int kind) {
    if (kind < 0) {
      missing = Date::from_days_since_epoch(day).year;
      return false;
    }
    count += kind;
    return day < end;
  });
  if (missing != 0) return calendar_year_missing(missing);
  return count;
}

WorkingCalendar::Dated WorkingCalendar::add_working_days_provisional(Date from, int n) const {
  Dated out{from, false};
  if (n <= 0) return out;
  int counted = 0;
  std::int64_t last = 0;
  walk_after(from, [&](std::int64_t day, int kind) {
    if (kind < 0) {
      out.provisional = true;
      kind = weekday_of(day) <= 5 ? 1 : 0;
    }
    counted += kind;
    last = day;
    return counted < n;
  });
  out.date = Date::from_days_since_epoch(last);
  return out;
}

WorkingCalendar::Counted WorkingCalendar::working_days_between_provisional(Date from,
                                                                           Date to) const {
  Counted out;
  if (to <= from) return out;
  const std::int64_t end = to.days_since_epoch();
  walk_after(from, [&](std::int64_t day, int kind) {
    if (kind < 0) {
      out.provisional = true;
      kind = weekday_of(day) <= 5 ? 1 : 0;
    }
    out.days += kind;
    return day < end;
  });
  return out;
}

}  // namespace shenpi::core
