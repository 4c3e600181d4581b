#include "core/supervision/warning_rules.h"

#include <algorithm>
#include <set>

#include "core/cases/case_clock_view.h"
#include "core/cases/case_machine.h"

namespace shenpi::core {
namespace {

struct RuleName {
  WarningRule rule;
  std::string_view name;
  std::string_view label;
};

constexpr RuleName kRules[] = {
    {WarningRule::acceptance_late, "acceptance_late", "受理超期"},
    {WarningRule::correction_notice_late, "correction_notice_late", "补正告知超期"},
    {WarningRule::case_late, "case_late", "办件超期"},
    {WarningRule::task_late, "task_late", "办理环节超期"},
    {WarningRule::opinion_late, "opinion_late", "并联审批意见超期"},
    {WarningRule::delivery_late, "delivery_late", "送达超期"},
    {WarningRule::no_reasons, "no_reasons", "决定未说明理由"},
    {WarningRule::flow_violation, "flow_violation", "违反办理流程"},
};

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; });
}

//! Working days in (due, on]: how late something done (or still undone) on `on` is.
WorkingCalendar::Counted late_by(const WorkingCalendar& cal, Date due, Date on) {
  if (on <= due) return {};
  return cal.working_days_between_provisional(due, on);
}

class Collector {
 public:
  Collector(const WorkingCalendar& cal) : cal_(cal) {}

  //! A time rule: `limit` working days from `start`, met (or still awaited) on `on`.
  void deadline(WarningRule rule, int part_seq, std::int64_t task_id, const std::string& dept,
                Date start, int limit, Date on) {
    const WorkingCalendar::Dated due = cal_.add_working_days_provisional(start, limit);
    const WorkingCalendar::Counted late = late_by(cal_, due.date, on);
    if (late.days <= 0) return;
    WarningFinding f;
    f.rule = rule;
    f.part_seq = part_seq;
    f.task_id = task_id;
    f.department_code = dept;
    f.days_late = late.days;
    f.legal_days_late = late.days;  // these limits are statutory: target and wall coincide
    f.due_on = due.date.iso();
    f.provisional = due.provisional || late.provisional;
    out_.push_back(std::move(f));
  }

  //! A time rule read off an evaluated clock.
  void clock(WarningRule rule, int part_seq, std::int64_t task_id, const std::string& dept,
             const ClockState& st) {
    if (st.days_late <= 0) return;
    WarningFinding f;
    f.rule = rule;
    f.part_seq = part_seq;
    f.task_id = task_id;
    f.department_code = dept;
    f.days_late = st.days_late;
    // The legal wall lies (due, legal_due] further on; suspensions shift both alike.
    const int grace = st.legal_due > st.due
                          ? cal_.working_days_between_provisional(st.due, st.legal_due).days
                          : 0;
    f.legal_days_late = std::max(0, st.days_late - grace);
    f.due_on = st.due.iso();
    f.provisional = st.provisional;
    out_.push_back(std::move(f));
  }

  void plain(WarningRule rule, int part_seq, const std::string& dept) {
    WarningFinding f;
    f.rule = rule;
    f.part_seq = part_seq;
    f.department_code = dept;
    // One finding per (rule, part): a second reason for the same one adds nothing.
    for (const WarningFinding& o : out_) {
      if (o.rule == rule && o.part_seq == part_seq && o.task_id == 0) return;
    }
    out_.push_back(std::move(f));
  }

  std::vector<WarningFinding> take() {
    std::stable_sort(
        out_.begin(), out_.end(),
        [](const WarningFinding& a, const WarningFinding& b) { return a.rule < b.rule; });
    return std::move(out_);
  }

 private:
  const WorkingCalendar& cal_;
  std::vector<WarningFinding> out_;
};

std::optional<Date> date_of(const std::string& iso) { return Date::parse(iso); }

bool is_decision_state(CaseState s) {
  return s == CaseState::accepted || s == CaseState::in_review || s == CaseState::suspended;
}

bool is_decided_state(CaseState s) {
  return s == CaseState::approved || s == CaseState::refused || s == CaseState::delivered;
}

const CasePart* part_at(const Case& c, int seq) {
  if (seq < 0 || static_cast<std::size_t>(seq) >= c.parts.size()) return nullptr;
  return &c.parts[static_cast<std::size_t>(seq)];
}

}  // namespace

std::string_view to_string(WarningRule r) {
  for (const RuleName& n : kRules) {
    if (n.rule == r) return n.name;
  }
  return "case_late";
}

std::string_view label(WarningRule r) {
  for (const RuleName& n : kRules) {
    if (n.rule == r) return n.label;
  }
  return "警示";
}

std::optional<WarningRule> parse_warning_rule(std::string_view s) {
  for (const RuleName& n : kRules) {
    if (n.name == s) return n.rule;
  }
  return std::nullopt;
}

const std::vector<WarningRule>& all_warning_rules() {
  static const std::vector<WarningRule> all = [] {
    std::vector<WarningRule> v;
    for (const RuleName& n : kRules) v.push_back(n.rule);
    return v;
  }();
  return all;
}

std::string_view to_string(WarningState s) {
  switch (s) {
    case WarningState::open:
      return "open";
    case WarningState::acknowledged:
      return "acknowledged";
    case WarningState::closed:
      return "closed";
  }
  return "open";
}

std::string_view label(WarningState s) {
  switch (s) {
    case WarningState::open:
      return "待处理";
    case WarningState::acknowledged:
      return "已确认";
    case WarningState::closed:
      return "已关闭";
  }
  return "待处理";
}

std::optional<WarningState> parse_warning_state(std::string_view s) {
  for (WarningState w : {WarningState::open, WarningState::acknowledged, WarningState::closed}) {
    if (to_string(w) == s) return w;
  }
  return std::nullopt;
}

std::vector<WarningFinding> supervise_case(const Case& c, const std::vector<CaseEvent>& events,
                                           const WorkingCalendar& cal, Date today,
                                           const ClockPolicy& policy) {
  Collector out(cal);
  if (c.state == CaseState::draft) return out.take();
  const std::string& lead = c.lead_department_code;

  // The last acceptance decision on the timeline, if any (after a correction the clock
  // restarts from the corrected submission: received_on).
  std::optional<Date> acceptance_decided;
  for (const CaseEvent& e : events) {
    if (e.action == to_string(CaseAction::accept) ||
        e.action == to_string(CaseAction::refuse_acceptance)) {
      acceptance_decided = date_of(e.on);
    }
  }

  // acceptance_late (law Art. 32: 5 working days).
  if (const auto received = date_of(c.received_on)) {
    if (acceptance_decided) {
      out.deadline(WarningRule::acceptance_late, -1, 0, lead, *received, kAcceptanceLimitDays,
                   *acceptance_decided);
    } else if (c.state == CaseState::submitted) {
      out.deadline(WarningRule::acceptance_late, -1, 0, lead, *received, kAcceptanceLimitDays,
                   today);
    }
  }

  // correction_notice_late: the one notice, within 5 working days of the first submission.
  if (const auto requested = date_of(c.correction_requested_on)) {
    if (const auto submitted = date_of(c.submitted_on)) {
      out.deadline(WarningRule::correction_notice_late, -1, 0, lead, *submitted,
                   kAcceptanceLimitDays, *requested);
    }
  }

  const CaseClocks clocks = evaluate_case_clocks(c, cal, today, policy);

  // case_late: the decision clock while it runs (also after deemed acceptance) …
  if (clocks.overall.kind == ClockKind::decision &&
      (is_decision_state(c.state) || c.state == CaseState::submitted)) {
    out.clock(WarningRule::case_late, -1, 0, lead, clocks.overall.state);
  } else if (is_decided_state(c.state) && !c.accepted_on.empty()) {
    // … and as it stood on the decision day once decided.
    if (const auto decided = date_of(c.decided_on)) {
      Case as_then = c;
      as_then.state = CaseState::in_review;
      const CaseClocks then = evaluate_case_clocks(as_then, cal, *decided, policy);
      if (then.overall.kind == ClockKind::decision) {
        out.clock(WarningRule::case_late, -1, 0, lead, then.overall.state);
      }
    }
  }

  // opinion_late: each department's own part of a bundle, running or decided.
  if (c.is_bundle()) {
    for (std::size_t i = 0; i < c.parts.size() && i < clocks.parts.size(); ++i) {
      const CasePart& p = c.parts[i];
      if (p.state == PartState::closed || clocks.parts[i].kind != ClockKind::decision) continue;
      out.clock(WarningRule::opinion_late, p.seq, 0, p.department_code, clocks.parts[i].state);
    }
  }

  // task_late: an open review / recheck / decision task of a single-item case.
  if (!c.is_bundle()) {
    for (const TaskClock& tc : clocks.tasks) {
      const auto t = std::find_if(c.tasks.begin(), c.tasks.end(),
                                  [&](const Task& x) { return x.id == tc.task_id; });
      if (t == c.tasks.end()) continue;
      if (t->stage != TaskStage::review && t->stage != TaskStage::recheck &&
          t->stage != TaskStage::decision) {
        continue;
      }
      out.clock(WarningRule::task_late, t->part_seq, t->id, t->department_code, tc.state);
    }
  }

  // delivery_late (law Art. 44: 10 working days from the decision).
  if (const auto decided = date_of(c.decided_on)) {
    if (c.state == CaseState::approved || c.state == CaseState::refused) {
      out.deadline(WarningRule::delivery_late, -1, 0, lead, *decided, kDeliveryLimitDays, today);
    } else if (const auto delivered = date_of(c.delivered_on)) {
      out.deadline(WarningRule::delivery_late, -1, 0, lead, *decided, kDeliveryLimitDays,
                   *delivered);
    }
  }

  // no_reasons (law Art. 38; Art. 32 for a refusal to accept).
  if (c.state == CaseState::not_accepted && blank(c.not_accepted_reason)) {
    out.plain(WarningRule::no_reasons, -1, lead);
  }
  for (const CasePart& p : c.parts) {
    if (p.state != PartState::refused) continue;
    const bool any = std::any_of(p.reasons.begin(), p.reasons.end(),
                                 [](const std::string& r) { return !blank(r); });
    if (!any) out.plain(WarningRule::no_reasons, p.seq, p.department_code);
  }

  // flow_violation: decided without two reviewers (law Art. 34) …
  for (const CasePart& p : c.parts) {
    if (p.state != PartState::approved && p.state != PartState::refused) continue;
    std::set<std::string> reviewers;
    for (const Opinion& o : p.opinions) {
      if (o.stage == to_string(TaskStage::review) || o.stage == to_string(TaskStage::recheck)) {
        reviewers.insert(o.actor_id);
      }
    }
    if (reviewers.size() < 2) out.plain(WarningRule::flow_violation, p.seq, p.department_code);
  }
  // … or returned to an earlier stage without a reason.
  for (const CaseEvent& e : events) {
    if (e.action != to_string(CaseAction::return_to_review) || !blank(e.reason)) continue;
    const CasePart* p = part_at(c, e.part_seq);
    out.plain(WarningRule::flow_violation, e.part_seq, p != nullptr ? p->department_code : lead);
  }
  return out.take();
}

}  // namespace shenpi::core
