#pragma once
// The State Council holiday schedules of 2024–2026 as REQUIREMENTS.md states them
// (国办发明电〔2023〕7号; 国办发明电〔2024〕12号; the notice of 2025-11-04), written out
// here independently of data/calendar/*.json so that the tests can check the shipped
// files against the notices.
#include <string>
#include <vector>

#include "core/calendar/working_calendar.h"

namespace shenpi::core::testing {

struct Notice {
  int year;
  std::vector<std::pair<const char*, const char*>> off_ranges;  // inclusive
  std::vector<const char*> make_up;
};

inline const std::vector<Notice>& state_council_notices() {
  static const std::vector<Notice> kNotices = {
      {2024,
       {{"2024-01-01", "2024-01-01"},
        {"2024-02-10", "2024-02-17"},
        {"2024-04-04", "2024-04-06"},
        {"2024-05-01", "2024-05-05"},
        {"2024-06-10", "2024-06-10"},
        {"2024-09-15", "2024-09-17"},
        {"2024-10-01", "2024-10-07"}},
       {"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
        "2024-09-29", "2024-10-12"}},
      {2025,
       {{"2025-01-01", "2025-01-01"},
        {"2025-01-28", "2025-02-04"},
        {"2025-04-04", "2025-04-06"},
        {"2025-05-01", "2025-05-05"},
        {"2025-05-31", "2025-06-02"},
        {"2025-10-01", "2025-10-08"}},
       {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"}},
      {2026,
       {{"2026-01-01", "2026-01-03"},
        {"2026-02-15", "2026-02-23"},
        {"2026-04-04", "2026-04-06"},
        {"2026-05-01", "2026-05-05"},
        {"2026-06-19", "2026-06-21"},
        {"2026-09-25", "2026-09-27"},
        {"2026-10-01", "2026-10-07"}},
       {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}},
  };
  return kNotices;
}

inline Date d(const char* iso) { return *Date::parse(iso); }

inline YearSchedule schedule_of(const Notice& n) {
  YearSchedule s;
  s.year = n.year;
  for (const auto& [from, to] : n.off_ranges) {
    for (Date x = d(from); x <= d(to); x = x.plus_days(1)) s.days_off.push_back(x);
  }
  for (const char* m : n.make_up) s.make_up_days.push_back(d(m));
  return s;
}

//! A calendar holding the given years of the notices (default: all three).
inline WorkingCalendar notices_calendar(std::vector<int> years = {2024, 2025, 2026}) {
  WorkingCalendar cal;
  for (const Notice& n : state_council_notices()) {
    for (int y : years) {
      if (y == n.year) cal.set_year(schedule_of(n));
    }
  }
  return cal;
}

}  // namespace shenpi::core::testing
