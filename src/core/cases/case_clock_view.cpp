#include "core/cases/case_clock_view.h"

#include <algorithm>

#include "core/cases/case_machine.h"

namespace shenpi::core {
namespace {

std::vector<core::Suspension> clock_suspensions(const std::vector<CaseSuspension>& in) {
  std::vector<core::Suspension> out;
  for (const CaseSuspension& s : in) {
    const auto from = Date::parse(s.from);
    if (!from) continue;
    core::Suspension cs;
    cs.from = *from;
    if (!s.until.empty()) cs.until = Date::parse(s.until);
    out.push_back(cs);
  }
  return out;
}

//! The union of every part's suspensions, as non-overlapping intervals in order: a
//! bundle's joint clock stops while any of its departments waits for a special procedure.
std::vector<core::Suspension> merged_suspensions(const Case& c) {
  std::vector<core::Suspension> all;
  for (const CasePart& p : c.parts) {
    auto s = clock_suspensions(p.suspensions);
    all.insert(all.end(), s.begin(), s.end());
  }
  std::sort(all.begin(), all.end(),
            [](const core::Suspension& a, const core::Suspension& b) { return a.from < b.from; });
  std::vector<core::Suspension> out;
  for (const core::Suspension& s : all) {
    if (!out.empty()) {
      core::Suspension& last = out.back();
      if (!last.until || s.from <= *last.until) {
        if (last.until && (!s.until || *s.until > *last.until)) last.until = s.until;
        continue;
      }
    }
    out.push_back(s);
  }
  return out;
}

ClockView simple(ClockKind kind, const std::string& start, int limit, const WorkingCalendar& cal,
                 Date today, const ClockPolicy& policy) {
  ClockView v;
  v.kind = kind;
  const auto s = Date::parse(start);
  if (!s) return v;
  ClockInput in;
  in.start = *s;
  in.limit_days = limit;
  in.legal_limit_days = limit;
  v.state = evaluate_clock(cal, in, today, policy);
  v.running = true;
  return v;
}

ClockView part_clock(const Case& c, const CasePart& p, const WorkingCalendar& cal, Date today,
                     const ClockPolicy& policy) {
  ClockView v;
  v.kind = ClockKind::decision;
  const auto start = Date::parse(c.accepted_on);
  if (!start) return v;
  ClockInput in;
  in.start = *start;
  in.limit_days = p.promised_limit_days;
  in.legal_limit_days = std::max(p.legal_limit_days, p.promised_limit_days);
  in.extension_days = p.extension_days;
  in.suspensions = clock_suspensions(p.suspensions);
  // A decided part's clock stops on its decision day: evaluate it as of that day.
  Date at = today;
  if (!p.decided_on.empty()) {
    if (const auto d = Date::parse(p.decided_on)) at = *d;
  }
  v.state = evaluate_clock(cal, in, at, policy);
  v.running = p.decided_on.empty() && p.state != PartState::closed;
  v.deemed_accepted = c.deemed_accepted;
  return v;
}

ClockView decision_clock(const Case& c, const std::string& start_on, const WorkingCalendar& cal,
                         Date today, const ClockPolicy& policy) {
  ClockView v;
  v.kind = ClockKind::decision;
  const auto start = Date::parse(start_on);
  if (!start || c.parts.empty()) return v;
  ClockInput in;
  in.start = *start;
  if (c.is_bundle()) {
    in.limit_days = c.joint_limit_days;
    in.legal_limit_days = c.joint_limit_days;
    in.extension_days = c.joint_extension_days;
    in.suspensions = merged_suspensions(c);
  } else {
    const CasePart& p = c.parts.front();
    in.limit_days = p.promised_limit_days;
    in.legal_limit_days = std::max(p.legal_limit_days, p.promised_limit_days);
    in.extension_days = p.extension_days;
    in.suspensions = clock_suspensions(p.suspensions);
  }
  v.state = evaluate_clock(cal, in, today, policy);
  v.running = true;
  v.deemed_accepted = c.deemed_accepted;
  return v;
}

}  // namespace

std::string_view to_string(ClockKind k) {
  switch (k) {
    case ClockKind::none:
      return "none";
    case ClockKind::acceptance:
      return "acceptance";
    case ClockKind::decision:
      return "decision";
    case ClockKind::delivery:
      return "delivery";
  }
  return "none";
}

std::string_view label(ClockKind k) {
  switch (k) {
    case ClockKind::none:
      return "不计时";
    case ClockKind::acceptance:
      return "受理时限";
    case ClockKind::decision:
      return "办理时限";
    case ClockKind::delivery:
      return "送达时限";
  }
  return "不计时";
}

CaseClocks evaluate_case_clocks(const Case& c, const WorkingCalendar& cal, Date today,
                                const ClockPolicy& policy) {
  CaseClocks out;
  switch (c.state) {
    case CaseState::submitted: {
      ClockView acc = simple(ClockKind::acceptance, c.received_on, kAcceptanceLimitDays, cal,
                             today, policy);
      if (acc.running && acc.state.days_late > 0) {
        // Law Art. 32: no decision within 5 working days: the application counts as
        // accepted on the day it was received, and the decision clock runs from then.
        out.overall = decision_clock(c, c.received_on, cal, today, policy);
        out.overall.deemed_accepted = true;
      } else {
        out.overall = acc;
      }
      break;
    }
    case CaseState::accepted:
    case CaseState::in_review:
    case CaseState::suspended:
      out.overall = decision_clock(c, c.accepted_on, cal, today, policy);
      break;
    case CaseState::approved:
    case CaseState::refused:
      out.overall =
          simple(ClockKind::delivery, c.decided_on, kDeliveryLimitDays, cal, today, policy);
      break;
    case CaseState::correction_requested:
      out.overall.kind = ClockKind::acceptance;  // waiting for the applicant: not running
      break;
    default:
      break;
  }

  const bool accepted = !c.accepted_on.empty();
  for (const CasePart& p : c.parts) {
    out.parts.push_back(accepted ? part_clock(c, p, cal, today, policy) : ClockView{});
  }
  for (const Task& t : c.tasks) {
    if (t.state != TaskState::open) continue;
    TaskClock tc;
    tc.task_id = t.id;
    if (t.stage == TaskStage::acceptance) {
      tc.state = simple(ClockKind::acceptance, c.received_on, kAcceptanceLimitDays, cal, today,
                        policy)
                     .state;
    } else if (t.stage == TaskStage::delivery) {
      tc.state =
          simple(ClockKind::delivery, c.decided_on, kDeliveryLimitDays, cal, today, policy).state;
    } else if (t.part_seq >= 0 && static_cast<std::size_t>(t.part_seq) < out.parts.size()) {
      // A task inside a part runs on that department's own clock: a late parallel opinion
      // is red for its department even when the joint case clock is on time.
      tc.state = out.parts[static_cast<std::size_t>(t.part_seq)].state;
    }
    out.tasks.push_back(tc);
  }
  return out;
}

}  // namespace shenpi::core
