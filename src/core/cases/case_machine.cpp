#include "core/cases/case_machine.h"

#include <algorithm>
#include <utility>

namespace shenpi::core {
namespace {

Error state_conflict(std::string code, std::string message) {
  return make_error(ErrorKind::conflict, std::move(code), std::move(message));
}

Error missing(std::string field, std::string message) {
  return make_error(ErrorKind::invalid_input, field + "_required", std::move(message), field);
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool part_open(const CasePart& p) {
  return p.state == PartState::review || p.state == PartState::recheck ||
         p.state == PartState::decision || p.state == PartState::suspended;
}

bool part_decided(const CasePart& p) {
  return p.state == PartState::approved || p.state == PartState::refused;
}

// Builds the transition as it goes: the case after, its events and notices.
class Change {
 public:
  Change(const Case& before, const CaseActor& actor, std::string_view today, std::int64_t now)
      : actor_(actor), today_(today), now_(now) {
    t_.after = before;
  }

  Case& c() { return t_.after; }

  Task& add_task(TaskStage stage, int part_seq, std::string department) {
    Task t;
    t.id = c().next_task_id++;
    t.part_seq = part_seq;
    t.stage = stage;
    t.department_code = std::move(department);
    t.created_on = today_;
    c().tasks.push_back(std::move(t));
    return c().tasks.back();
  }

  //! Closes the open tasks of the part (-1: case-level tasks) with `state`.
  void close_tasks(int part_seq, TaskState state) {
    for (Task& t : c().tasks) {
      if (t.state == TaskState::open && t.part_seq == part_seq) {
        t.state = state;
        t.done_on = today_;
        if (state == TaskState::done && t.assignee_id.empty()) {
          t.assignee_id = actor_.id;
          t.assignee_name = actor_.name;
        }
      }
    }
  }

  void close_all_tasks() {
    for (Task& t : c().tasks) {
      if (t.state == TaskState::open) {
        t.state = TaskState::cancelled;
        t.done_on = today_;
      }
    }
  }

  void event(CaseAction action, CaseState from, int part_seq, std::string reason,
             std::string detail = {}) {
    CaseEvent e;
    e.at_unix_ms = now_;
    e.on = today_;
    e.actor_id = actor_.id;
    e.actor_name = actor_.name;
    e.actor_role = actor_.role;
    e.action = std::string(to_string(action));
    e.from_state = std::string(to_string(from));
    e.to_state = std::string(to_string(c().state));
    e.part_seq = part_seq;
    e.department_code = part_seq >= 0 ? c().parts[static_cast<std::size_t>(part_seq)].department_code
                                      : (actor_.role == "applicant" ? std::string()
                                                                     : c().lead_department_code);
    e.reason = std::move(reason);
    e.detail = std::move(detail);
    t_.events.push_back(std::move(e));
  }

  void notice(std::string kind, int part_seq = -1) {
    t_.notices.push_back(NoticeOrder{std::move(kind), part_seq});
  }

  CaseTransition done(std::string topic) {
    t_.topic = std::move(topic);
    return std::move(t_);
  }

  const std::string& today() const { return today_; }
  const CaseActor& actor() const { return actor_; }

 private:
  CaseTransition t_;
  CaseActor actor_;
  std::string today_;
  std::int64_t now_;
};

Result<CasePart*> part_of(Case& c, int seq) {
  if (seq < 0 || static_cast<std::size_t>(seq) >= c.parts.size()) {
    return make_error(ErrorKind::invalid_input, "item_unknown", "请指明办理的事项", "item");
  }
  return &c.parts[static_cast<std::size_t>(seq)];
}

//! After a part is decided: when every part is, the case is decided and the lead
//! department's delivery task opens.
void after_part_decided(Change& ch) {
  Case& c = ch.c();
  c.state = derived_state(c);
  if (c.state == CaseState::approved || c.state == CaseState::refused) {
    c.decided_on = ch.today();
    ch.add_task(TaskStage::delivery, -1, c.lead_department_code);
  }
}

bool any_part_decided(const Case& c) {
  return std::any_of(c.parts.begin(), c.parts.end(), part_decided);
}

}  // namespace

std::string_view required_role(CaseAction action) {
  switch (action) {
    case CaseAction::submit:
    case CaseAction::submit_correction:
    case CaseAction::withdraw:
      return "applicant";
    case CaseAction::accept:
    case CaseAction::request_correction:
    case CaseAction::refuse_acceptance:
    case CaseAction::deliver:
      return "clerk";
    case CaseAction::review_opinion:
    case CaseAction::suspend:
    case CaseAction::resume:
      return "reviewer";
    case CaseAction::return_to_review:
    case CaseAction::approve:
    case CaseAction::refuse:
    case CaseAction::extend:
      return "approver";
    case CaseAction::claim:
      return "staff";
  }
  return "staff";
}

std::string acting_department(const Case& c, CaseAction action, int part_seq) {
  if (required_role(action) == "applicant") return {};
  if (required_role(action) == "clerk" || part_seq < 0 ||
      static_cast<std::size_t>(part_seq) >= c.parts.size()) {
    return c.lead_department_code;
  }
  return c.parts[static_cast<std::size_t>(part_seq)].department_code;
}

CaseState derived_state(const Case& c) {
  bool all_decided = !c.parts.empty();
  bool any_refused = false;
  bool all_open_suspended = true;
  bool any_open = false;
  bool any_progress = false;
  for (const CasePart& p : c.parts) {
    if (!part_decided(p)) all_decided = false;
    if (p.state == PartState::refused) any_refused = true;
    if (part_open(p)) {
      any_open = true;
      if (p.state != PartState::suspended) all_open_suspended = false;
    }
    if (p.state != PartState::review || !p.opinions.empty()) any_progress = true;
  }
  if (all_decided) return any_refused ? CaseState::refused : CaseState::approved;
  if (any_open && all_open_suspended) return CaseState::suspended;
  const bool claimed = std::any_of(c.tasks.begin(), c.tasks.end(), [](const Task& t) {
    return t.state == TaskState::open && t.part_seq >= 0 && !t.assignee_id.empty();
  });
  return any_progress || claimed ? CaseState::in_review : CaseState::accepted;
}

Result<CaseTransition> submit_case(const Case& draft, const CaseActor& actor,
                                   const WorkingCalendar& calendar, std::string_view today,
                                   std::int64_t now_unix_ms) {
  CaseActionInput in;
  in.action = CaseAction::submit;
  return apply_case_action(draft, actor, in, calendar, today, now_unix_ms);
}

Result<CaseTransition> apply_case_action(const Case& before, const CaseActor& actor,
                                         const CaseActionInput& in,
                                         const WorkingCalendar& calendar, std::string_view today,
                                         std::int64_t now_unix_ms) {
  Change ch(before, actor, today, now_unix_ms);
  Case& c = ch.c();
  const CaseState from = before.state;
  const std::string today_s(today);

  switch (in.action) {
    case CaseAction::submit: {
      if (from != CaseState::draft) {
        return state_conflict("already_submitted", "该申请已提交，不能重复提交");
      }
      c.state = CaseState::submitted;
      if (c.submitted_on.empty()) c.submitted_on = today_s;
      c.received_on = today_s;
      ch.add_task(TaskStage::acceptance, -1, c.lead_department_code);
      ch.event(in.action, from, -1, {});
      ch.notice("receipt");
      return ch.done("case.submitted");
    }

    case CaseAction::accept: {
      if (from != CaseState::submitted) {
        return state_conflict("not_awaiting_acceptance", "该办件当前不在待受理状态");
      }
      // Law Art. 32: without a decision (or a correction notice) within 5 working days the
      // application counts as accepted on the day it was received; the clock runs from then.
      const auto received = Date::parse(c.received_on);
      bool deemed = false;
      if (received) {
        const auto limit = calendar.add_working_days_provisional(*received, kAcceptanceLimitDays);
        const auto t = Date::parse(today);
        deemed = t && *t > limit.date;
      }
      c.deemed_accepted = deemed;
      c.accepted_on = deemed ? c.received_on : today_s;
      ch.close_tasks(-1, TaskState::done);
      for (CasePart& p : c.parts) {
        p.state = PartState::review;
        ch.add_task(TaskStage::review, p.seq, p.department_code);
      }
      c.state = CaseState::accepted;
      ch.event(in.action, from, -1, in.reason, deemed ? "deemed_accepted_on=" + c.received_on : "");
      ch.notice("acceptance_notice");
      return ch.done("case.accepted");
    }

    case CaseAction::request_correction: {
      if (from == CaseState::correction_requested || !c.correction_requested_on.empty()) {
        // 一次告知: everything missing is told once, in one notice (law Art. 32).
        return state_conflict("correction_already_requested",
                              "补正材料只能一次性告知（行政许可法第三十二条）；补正后材料仍不符合要求的，"
                              "应当作出不予受理决定");
      }
      if (from != CaseState::submitted) {
        return state_conflict("not_awaiting_acceptance", "该办件当前不在待受理状态");
      }
      std::vector<std::string> materials;
      for (const std::string& m : in.materials) {
        if (!blank(m)) materials.push_back(m);
      }
      if (materials.empty()) {
        return missing("materials", "请逐项列明需要补正的全部材料");
      }
      c.correction_materials = std::move(materials);
      c.correction_reason = in.reason;
      c.correction_requested_on = today_s;
      c.state = CaseState::correction_requested;
      ch.close_tasks(-1, TaskState::done);
      ch.event(in.action, from, -1, in.reason,
               "materials=" + std::to_string(c.correction_materials.size()));
      ch.notice("correction_notice");
      return ch.done("case.correction_requested");
    }

    case CaseAction::submit_correction: {
      if (from != CaseState::correction_requested) {
        return state_conflict("no_correction_requested", "该办件没有待补正的通知");
      }
      c.correction_submitted_on = today_s;
      c.received_on = today_s;  // the acceptance clock counts from the complete materials
      c.state = CaseState::submitted;
      ch.add_task(TaskStage::acceptance, -1, c.lead_department_code);
      ch.event(in.action, from, -1, in.reason);
      return ch.done("case.correction_submitted");
    }

    case CaseAction::refuse_acceptance: {
      if (from != CaseState::submitted && from != CaseState::correction_requested) {
        return state_conflict("not_awaiting_acceptance", "该办件当前不在待受理状态");
      }
      if (blank(in.reason)) return missing("reason", "不予受理必须说明理由");
      c.not_accepted_reason = in.reason;
      c.where_to_apply = in.where_to_apply;
      c.state = CaseState::not_accepted;
      c.decided_on = today_s;
      for (CasePart& p : c.parts) p.state = PartState::closed;
      ch.close_all_tasks();
      ch.event(in.action, from, -1, in.reason);
      ch.notice("non_acceptance_decision");
      return ch.done("case.not_accepted");
    }

    case CaseAction::claim: {
      Task* task = nullptr;
      for (Task& t : c.tasks) {
        if (t.state != TaskState::open) continue;
        if (in.task_id != 0 ? t.id == in.task_id : t.part_seq == in.part_seq) {
          task = &t;
          break;
        }
      }
      if (task == nullptr) return state_conflict("no_open_task", "没有可以签收的待办任务");
      if (!task->assignee_id.empty() && task->assignee_id != actor.id) {
        return state_conflict("task_claimed", "该任务已由" + task->assignee_name + "签收");
      }
      task->assignee_id = actor.id;
      task->assignee_name = actor.name;
      const int part = task->part_seq;
      if (c.state == CaseState::accepted) c.state = derived_state(c);
      ch.event(in.action, from, part, {}, "task=" + std::to_string(task->id));
      return ch.done("case.task_claimed");
    }

    case CaseAction::review_opinion: {
      SHENPI_ASSIGN(CasePart * p, part_of(c, in.part_seq));
      if (p->state != PartState::review && p->state != PartState::recheck) {
        return state_conflict("not_in_review", "该事项当前不在审查阶段");
      }
      if (blank(in.opinion)) return missing("opinion", "请填写审查意见");
      const bool recheck = p->state == PartState::recheck;
      if (recheck) {
        // Law Art. 34: substantive review by two or more staff. The latest review opinion
        // of this round must come from someone else.
        for (auto it = p->opinions.rbegin(); it != p->opinions.rend(); ++it) {
          if (it->stage == to_string(TaskStage::review)) {
            if (it->actor_id == actor.id) {
              return state_conflict("second_reviewer_required",
                                    "复核须由另一名工作人员进行（行政许可法第三十四条：两名以上工作人员审查）");
            }
            break;
          }
        }
      }
      for (const Task& t : c.tasks) {
        if (t.state == TaskState::open && t.part_seq == p->seq && !t.assignee_id.empty() &&
            t.assignee_id != actor.id) {
          return state_conflict("task_claimed", "该任务已由" + t.assignee_name + "签收");
        }
      }
      Opinion o;
      o.stage = std::string(to_string(recheck ? TaskStage::recheck : TaskStage::review));
      o.actor_id = actor.id;
      o.actor_name = actor.name;
      o.text = in.opinion;
      o.agree = in.agree;
      o.on = today_s;
      p->opinions.push_back(std::move(o));
      const int seq = p->seq;
      const std::string dept = p->department_code;
      p->state = recheck ? PartState::decision : PartState::recheck;
      ch.close_tasks(seq, TaskState::done);
      ch.add_task(recheck ? TaskStage::decision : TaskStage::recheck, seq, dept);
      c.state = derived_state(c);
      ch.event(in.action, from, seq, in.opinion, in.agree ? "agree" : "disagree");
      return ch.done("case.review_opinion");
    }

    case CaseAction::return_to_review: {
      SHENPI_ASSIGN(CasePart * p, part_of(c, in.part_seq));
      if (p->state != PartState::decision && p->state != PartState::recheck) {
        return state_conflict("cannot_return", "该事项当前不能退回审查");
      }
      if (blank(in.reason)) return missing("reason", "退回必须说明理由");
      const int seq = p->seq;
      const std::string dept = p->department_code;
      p->state = PartState::review;
      ch.close_tasks(seq, TaskState::cancelled);
      ch.add_task(TaskStage::review, seq, dept);
      c.state = derived_state(c);
      ch.event(in.action, from, seq, in.reason);
      return ch.done("case.returned");
    }

    case CaseAction::approve:
    case CaseAction::refuse: {
      SHENPI_ASSIGN(CasePart * p, part_of(c, in.part_seq));
      if (p->state != PartState::decision) {
        return state_conflict("not_ready_for_decision",
                              p->state == PartState::suspended
                                  ? "特别程序进行中，恢复计时后方可作出决定"
                                  : "审查和复核完成后方可作出决定");
      }
      const bool approve = in.action == CaseAction::approve;
      if (!approve && blank(in.reason)) {
        // Law Art. 38: a refusal states its reasons.
        return missing("reason", "不予许可必须说明理由（行政许可法第三十八条）");
      }
      p->state = approve ? PartState::approved : PartState::refused;
      p->decided_on = today_s;
      if (!approve) p->reasons = {in.reason};
      const int seq = p->seq;
      ch.close_tasks(seq, TaskState::done);
      after_part_decided(ch);
      ch.event(in.action, from, seq, in.reason.empty() ? in.opinion : in.reason);
      ch.notice(approve ? "approval_decision" : "refusal_decision", seq);
      return ch.done(approve ? "case.approved" : "case.refused");
    }

    case CaseAction::suspend: {
      SHENPI_ASSIGN(CasePart * p, part_of(c, in.part_seq));
      if (p->state != PartState::review && p->state != PartState::recheck &&
          p->state != PartState::decision) {
        return state_conflict("cannot_suspend", "该事项当前不能启动特别程序");
      }
      if (blank(in.procedure)) return missing("procedure", "请说明特别程序的种类（如检验、检测、鉴定、专家评审、听证）");
      if (blank(in.reason)) return missing("reason", "请说明启动特别程序的理由");
      if (in.days <= 0 || in.days > 365) {
        // Law Art. 45: the applicant is told in writing how long it takes.
        return make_error(ErrorKind::invalid_input, "days_invalid",
                          "请填写特别程序所需时间（1至365个工作日），并书面告知申请人", "days");
      }
      CaseSuspension s;
      s.from = today_s;
      s.procedure = in.procedure;
      s.reason = in.reason;
      s.days = in.days;
      s.resume_to = std::string(to_string(p->state));
      p->suspensions.push_back(std::move(s));
      p->state = PartState::suspended;
      const int seq = p->seq;
      c.state = derived_state(c);
      ch.event(in.action, from, seq, in.reason,
               "procedure=" + in.procedure + ";days=" + std::to_string(in.days));
      ch.notice("suspension_notice", seq);
      return ch.done("case.suspended");
    }

    case CaseAction::resume: {
      SHENPI_ASSIGN(CasePart * p, part_of(c, in.part_seq));
      if (p->state != PartState::suspended || p->suspensions.empty()) {
        return state_conflict("not_suspended", "该事项没有进行中的特别程序");
      }
      CaseSuspension& s = p->suspensions.back();
      s.until = today_s;
      p->state = parse_part_state(s.resume_to).value_or(PartState::review);
      const int seq = p->seq;
      c.state = derived_state(c);
      ch.event(in.action, from, seq, in.reason);
      return ch.done("case.resumed");
    }

    case CaseAction::extend: {
      if (from != CaseState::accepted && from != CaseState::in_review &&
          from != CaseState::suspended) {
        return state_conflict("cannot_extend", "只有受理后、作出决定前的办件可以延期");
      }
      if (blank(in.reason)) return missing("reason", "延期必须说明理由，并告知申请人（行政许可法第四十二条）");
      const bool joint = c.is_bundle() && in.part_seq < 0;
      const int max_days = joint ? kJointExtensionDays : kExtensionDays;
      const int days = in.days == 0 ? max_days : in.days;
      if (days < 1 || days > max_days) {
        return make_error(ErrorKind::invalid_input, "days_invalid",
                          "延长期限为1至" + std::to_string(max_days) + "个工作日", "days");
      }
      if (joint) {
        if (c.joint_extension_days > 0) {
          return state_conflict("already_extended", "联合办理期限只能延长一次");
        }
        c.joint_extension_days = days;
        c.joint_extension_reason = in.reason;
      } else {
        SHENPI_ASSIGN(CasePart * p, part_of(c, in.part_seq));
        if (!part_open(*p)) return state_conflict("cannot_extend", "该事项已作出决定，不能延期");
        if (p->extension_days > 0) {
          return state_conflict("already_extended", "办理期限只能延长一次（行政许可法第四十二条）");
        }
        p->extension_days = days;
        p->extension_reason = in.reason;
      }
      ch.event(in.action, from, joint ? -1 : in.part_seq, in.reason,
               "days=" + std::to_string(days));
      ch.notice("extension_notice", joint ? -1 : in.part_seq);
      return ch.done("case.extended");
    }

    case CaseAction::withdraw: {
      if (from == CaseState::draft || is_decided_or_closed(from) || any_part_decided(c)) {
        return state_conflict("cannot_withdraw", "已作出决定或尚未提交的申请不能撤回");
      }
      c.state = CaseState::withdrawn;
      c.withdrawn_on = today_s;
      for (CasePart& p : c.parts) p.state = PartState::closed;
      ch.close_all_tasks();
      ch.event(in.action, from, -1, in.reason);
      return ch.done("case.withdrawn");
    }

    case CaseAction::deliver: {
      if (from != CaseState::approved && from != CaseState::refused) {
        return state_conflict("not_decided", "作出决定后方可办结送达");
      }
      c.state = CaseState::delivered;
      c.delivered_on = today_s;
      ch.close_tasks(-1, TaskState::done);
      ch.event(in.action, from, -1, in.reason);
      return ch.done("case.delivered");
    }
  }
  return make_error(ErrorKind::invalid_input, "action_unknown", "未知的操作", "action");
}

}  // namespace shenpi::core
