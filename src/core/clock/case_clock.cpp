#include "core/clock/case_clock.h"

#include <algorithm>

namespace shenpi::core {
namespace {

// A suspension as it stands on `today`: the days (from, until] are not counted.
struct Stop {
  Date from;
  Date until;
};

std::vector<Stop> stops_until(const std::vector<Suspension>& suspensions, Date today, bool& open) {
  std::vector<Stop> out;
  open = false;
  for (const Suspension& s : suspensions) {
    if (s.from > today) continue;  // not yet begun
    Date until = s.until.value_or(today);
    if (!s.until || until > today) {
      // Still suspended: computed as if resumed today.
      open = true;
      until = today;
    }
    out.push_back(Stop{s.from, std::max(until, s.from)});
  }
  return out;
}

class Counter {
 public:
  explicit Counter(const WorkingCalendar& cal) : cal_(cal) {}

  Date add(Date from, int n) {
    const auto r = cal_.add_working_days_provisional(from, n);
    provisional_ = provisional_ || r.provisional;
    return r.date;
  }
  int between(Date from, Date to) {
    const auto r = cal_.working_days_between_provisional(from, to);
    provisional_ = provisional_ || r.provisional;
    return r.days;
  }
  //! Working days in (from, to] outside every stop.
  int counted_between(Date from, Date to, const std::vector<Stop>& stops) {
    int n = between(from, to);
    for (const Stop& s : stops) {
      const Date a = std::max(from, s.from);
      const Date b = std::min(to, s.until);
      if (a < b) n -= between(a, b);
    }
    return n;
  }
  bool provisional() const { return provisional_; }

 private:
  const WorkingCalendar& cal_;
  bool provisional_ = false;
};

// The day on which `limit` counted working days after `start` are used up.
Date due_date(Counter& c, Date start, int limit, const std::vector<Stop>& stops) {
  int remaining = std::max(0, limit);
  Date cursor = start;
  for (const Stop& s : stops) {
    if (s.until <= cursor) continue;  // wholly before the clock (or an earlier stop) ran
    const Date due = c.add(cursor, remaining);
    if (due < s.from) return due;  // due before the suspension began: it does not help
    const Date from = std::max(cursor, s.from);
    remaining -= c.between(cursor, from);
    cursor = s.until;
  }
  return c.add(cursor, remaining);
}

}  // namespace

std::string_view to_string(Signal s) {
  switch (s) {
    case Signal::green:
      return "green";
    case Signal::yellow:
      return "yellow";
    case Signal::red:
      return "red";
  }
  return "green";
}

std::string_view label(Signal s) {
  switch (s) {
    case Signal::green:
      return "绿灯";
    case Signal::yellow:
      return "黄灯";
    case Signal::red:
      return "红灯";
  }
  return "绿灯";
}

ClockState evaluate_clock(const WorkingCalendar& cal, const ClockInput& in, Date today,
                          const ClockPolicy& policy) {
  ClockState out;
  bool open = false;
  const std::vector<Stop> stops = stops_until(in.suspensions, today, open);
  Counter c(cal);
  const int extension = std::max(0, in.extension_days);
  const int limit = std::max(0, in.limit_days) + extension;
  const int legal = std::max(0, in.legal_limit_days) + extension;
  out.due = due_date(c, in.start, limit, stops);
  out.legal_due = due_date(c, in.start, legal, stops);
  out.suspended = open;
  out.used_days = today > in.start ? c.counted_between(in.start, today, stops) : 0;
  if (today > out.due) {
    out.days_late = c.counted_between(out.due, today, stops);
    out.working_days_left = -out.days_late;
    out.signal = Signal::red;
  } else {
    out.working_days_left = c.between(today, out.due);
    const bool near = out.working_days_left <= policy.yellow_days ||
                      out.working_days_left < policy.yellow_share * limit;
    out.signal = near ? Signal::yellow : Signal::green;
  }
  out.provisional = c.provisional();
  return out;
}

}  // namespace shenpi::core
