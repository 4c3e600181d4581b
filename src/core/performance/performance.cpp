#include "core/performance/performance.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <string_view>
#include <utility>

#include "core/cases/case_clock_view.h"

namespace shenpi::core {
namespace {

// Figures being summed, with the working days of each decision for the average and the
// percentile.
struct Acc {
  PerformanceFigures f;
  std::vector<int> days;

  void decision(int used_days, bool late, bool approved, bool provisional) {
    ++f.decided;
    ++(late ? f.late : f.on_time);
    if (approved) ++f.approved;
    if (provisional) f.provisional = true;
    days.push_back(used_days);
  }

  PerformanceFigures finish() const {
    PerformanceFigures out = f;
    if (!days.empty()) {
      const long sum = std::accumulate(days.begin(), days.end(), 0L);
      out.average_days = static_cast<double>(sum) / static_cast<double>(days.size());
      out.p90_days = percentile90(days);
    }
    return out;
  }
};

struct ItemKey {
  std::string department_code;
  std::string item_code;
  auto operator<=>(const ItemKey&) const = default;
};

struct ItemAcc {
  std::string item_name;
  std::string department_name;
  Acc acc;
};

struct DeptAcc {
  std::string name;
  Acc acc;
};

bool decided_state(PartState s) { return s == PartState::approved || s == PartState::refused; }

std::size_t level_index(RatingLevel level) {
  const auto& levels = rating_levels();
  const auto it = std::find(levels.begin(), levels.end(), level);
  return static_cast<std::size_t>(it - levels.begin());
}

class Aggregator {
 public:
  Aggregator(const PerformanceInput& in, const WorkingCalendar& cal, const ClockPolicy& policy)
      : in_(in), cal_(cal), policy_(policy), from_(in.from.iso()), to_(in.to.iso()) {
    for (const Case& c : in.cases) by_number_.emplace(c.number, &c);
  }

  PerformanceReport run() {
    for (const auto& [number, c] : by_number_) add_case(*c);
    for (const PerformanceWarning& w : in_.warnings) {
      if (!in_period(w.first_seen_on)) continue;
      for (Acc* a : targets(w.case_number, w.department_code, w.department_name, w.part_seq)) {
        ++a->f.warnings;
      }
    }
    for (const PerformanceComplaint& x : in_.complaints) {
      if (x.outcome != ComplaintOutcome::upheld && x.outcome != ComplaintOutcome::partly_upheld) {
        continue;
      }
      if (!in_period(x.answered_on)) continue;
      for (Acc* a : targets(x.case_number, x.department_code, x.department_name, -1)) {
        ++a->f.complaints_upheld;
      }
    }
    for (const PerformanceRating& r : in_.ratings) {
      if (!r.counts || !in_period(r.rated_on)) continue;
      const std::size_t i = level_index(r.level);
      if (i >= kRatingLevels) continue;
      for (Acc* a : targets(r.case_number, r.department_code, r.department_name, -1)) {
        ++a->f.ratings[i];
      }
    }
    for (const PerformanceExtension& e : in_.extensions) {
      if (!in_period(e.on)) continue;
      for (Acc* a : targets(e.case_number, e.department_code, "", e.part_seq)) ++a->f.extensions;
    }

    PerformanceReport out;
    out.from = in_.from;
    out.to = in_.to;
    out.city = city_.finish();
    // Rows of cases loaded only because a record names them, with nothing in the period,
    // are left out.
    for (const auto& [code, d] : depts_) {
      if (d.acc.f == PerformanceFigures{}) continue;
      out.departments.push_back(DepartmentPerformance{code, d.name, d.acc.finish()});
    }
    for (const auto& [key, it] : items_) {
      if (it.acc.f == PerformanceFigures{}) continue;
      out.items.push_back(ItemPerformance{key.item_code, it.item_name, key.department_code,
                                          it.department_name, it.acc.finish()});
    }
    return out;
  }

 private:
  bool in_period(std::string_view day) const {
    // ISO dates compare as strings; a malformed one is never in the period.
    return day.size() == 10 && day >= from_ && day <= to_ && Date::parse(day).has_value();
  }

  Acc& dept(const std::string& code, std::string_view name) {
    DeptAcc& d = depts_[code];
    if (d.name.empty()) d.name = std::string(name);
    return d.acc;
  }

  Acc& item(const CasePart& p) {
    ItemAcc& it = items_[ItemKey{p.department_code, p.item_code}];
    if (it.item_name.empty()) it.item_name = p.item_name;
    if (it.department_name.empty()) it.department_name = p.department_name;
    return it.acc;
  }

  // The part a record about (case, department, part) concerns: the part named, else the
  // one part of that department (or of the case), else none.
  const CasePart* part_of(const Case* c, const std::string& department, int part_seq) const {
    if (c == nullptr) return nullptr;
    if (part_seq >= 0) {
      return static_cast<std::size_t>(part_seq) < c->parts.size()
                 ? &c->parts[static_cast<std::size_t>(part_seq)]
                 : nullptr;
    }
    const CasePart* found = nullptr;
    for (const CasePart& p : c->parts) {
      if (!department.empty() && p.department_code != department) continue;
      if (found != nullptr) return nullptr;  // two parts: the record is about neither alone
      found = &p;
    }
    return found;
  }

  // The city, the department and the item a record counts for.
  std::vector<Acc*> targets(const std::string& case_number, const std::string& department,
                            std::string_view department_name, int part_seq) {
    std::vector<Acc*> out{&city_};
    const auto it = by_number_.find(case_number);
    const Case* c = it == by_number_.end() ? nullptr : it->second;
    const CasePart* p = part_of(c, department, part_seq);
    std::string code = department;
    std::string name(department_name);
    if (code.empty() && p != nullptr) code = p->department_code;
    if (code.empty() && c != nullptr) code = c->lead_department_code;
    if (p != nullptr && p->department_code == code && !p->department_name.empty()) {
      name = p->department_name;
    } else if (c != nullptr && name.empty() && code == c->lead_department_code) {
      name = c->lead_department_name;
    }
    if (!code.empty()) out.push_back(&dept(code, name));
    if (p != nullptr && p->department_code == code) out.push_back(&item(*p));
    return out;
  }

  void add_case(const Case& c) {
    if (c.state == CaseState::draft) return;
    const bool received = in_period(c.submitted_on);
    const bool accepted = in_period(c.accepted_on);
    const bool has_clock = !c.accepted_on.empty() && Date::parse(c.accepted_on).has_value();

    // The city: the case once.
    if (received) ++city_.f.received;
    if (accepted) ++city_.f.accepted;
    const bool case_decided = c.state == CaseState::approved || c.state == CaseState::refused ||
                              c.state == CaseState::delivered;
    if (case_decided && has_clock && in_period(c.decided_on)) {
      // The overall decision clock as it stood on the decision day: the case as if still
      // in review then (a decided case's own overall clock is the delivery clock).
      Case as_of = c;
      as_of.state = CaseState::in_review;
      const ClockState s =
          evaluate_case_clocks(as_of, cal_, *Date::parse(c.decided_on), policy_).overall.state;
      const bool approved = std::all_of(c.parts.begin(), c.parts.end(), [](const CasePart& p) {
        return p.state == PartState::approved;
      });
      city_.decision(s.used_days, s.days_late > 0, approved, s.provisional);
    }
    for (const CasePart& p : c.parts) {
      for (const CaseSuspension& s : p.suspensions) {
        if (in_period(s.from)) ++city_.f.suspensions;
      }
    }

    // The part clocks, judged on each part's decision day.
    CaseClocks clocks;
    if (has_clock) clocks = evaluate_case_clocks(c, cal_, *Date::parse(c.accepted_on), policy_);

    // Each department once, for its own parts; each part once for its item.
    std::map<std::string, std::vector<std::size_t>> parts_by_dept;
    for (std::size_t i = 0; i < c.parts.size(); ++i) {
      parts_by_dept[c.parts[i].department_code].push_back(i);
    }
    for (const auto& [code, indices] : parts_by_dept) {
      Acc& d = dept(code, c.parts[indices.front()].department_name);
      if (received) ++d.f.received;
      if (accepted) ++d.f.accepted;
      bool all_decided = has_clock;
      bool all_approved = true;
      bool late = false;
      bool provisional = false;
      int days = 0;
      std::string last;
      for (const std::size_t i : indices) {
        const CasePart& p = c.parts[i];
        for (const CaseSuspension& s : p.suspensions) {
          if (in_period(s.from)) ++d.f.suspensions;
        }
        if (!decided_state(p.state) || p.decided_on.empty() || i >= clocks.parts.size()) {
          all_decided = false;
          continue;
        }
        const ClockState& s = clocks.parts[i].state;
        last = std::max(last, p.decided_on);
        late = late || s.days_late > 0;
        provisional = provisional || s.provisional;
        days = std::max(days, s.used_days);
        if (p.state != PartState::approved) all_approved = false;
      }
      if (all_decided && in_period(last)) d.decision(days, late, all_approved, provisional);
    }
    for (std::size_t i = 0; i < c.parts.size(); ++i) {
      const CasePart& p = c.parts[i];
      Acc& a = item(p);
      if (received) ++a.f.received;
      if (accepted) ++a.f.accepted;
      for (const CaseSuspension& s : p.suspensions) {
        if (in_period(s.from)) ++a.f.suspensions;
      }
      if (has_clock && decided_state(p.state) && in_period(p.decided_on) &&
          i < clocks.parts.size()) {
        const ClockState& s = clocks.parts[i].state;
        a.decision(s.used_days, s.days_late > 0, p.state == PartState::approved, s.provisional);
      }
    }
  }

  const PerformanceInput& in_;
  const WorkingCalendar& cal_;
  const ClockPolicy& policy_;
  const std::string from_;
  const std::string to_;
  std::map<std::string, const Case*> by_number_;  // ordered: deterministic results
  Acc city_;
  std::map<std::string, DeptAcc> depts_;
  std::map<ItemKey, ItemAcc> items_;
};

}  // namespace

int PerformanceFigures::ratings_total() const {
  return std::accumulate(ratings.begin(), ratings.end(), 0);
}

double PerformanceFigures::on_time_rate() const {
  return decided == 0 ? 1.0 : static_cast<double>(on_time) / static_cast<double>(decided);
}

int percentile90(std::vector<int> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  // Nearest rank: ceil(0.9 × n), 1-based.
  const std::size_t rank = (values.size() * 9 + 9) / 10;
  return values[rank - 1];
}

PerformanceReport aggregate_performance(const PerformanceInput& in, const WorkingCalendar& calendar,
                                        const ClockPolicy& policy) {
  return Aggregator(in, calendar, policy).run();
}

}  // namespace shenpi::core
