// The rules of a case, walked through as a clerk, two reviewers and an approver would,
// on dates around the 2026 National Day holiday (10/1–10/7 off, 10/10 a working Saturday).
#include "core/cases/case_machine.h"

#include <gtest/gtest.h>

#include "core/cases/case_clock_view.h"

namespace shenpi::core {
namespace {

Date d(std::string_view iso) { return *Date::parse(iso); }

WorkingCalendar calendar_2026() {
  YearSchedule y;
  y.year = 2026;
  for (const char* off : {"2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16",
                          "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21",
                          "2026-02-22", "2026-02-23", "2026-04-04", "2026-04-05", "2026-04-06",
                          "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
                          "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25", "2026-09-26",
                          "2026-09-27", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
                          "2026-10-05", "2026-10-06", "2026-10-07"}) {
    y.days_off.push_back(d(off));
  }
  for (const char* on : {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
                         "2026-10-10"}) {
    y.make_up_days.push_back(d(on));
  }
  WorkingCalendar cal;
  cal.set_year(y);
  return cal;
}

CasePart part(int seq, std::string item, std::string dept, int promised, int legal) {
  CasePart p;
  p.seq = seq;
  p.item_code = std::move(item);
  p.item_name = "事项" + p.item_code;
  p.department_code = std::move(dept);
  p.promised_limit_days = promised;
  p.legal_limit_days = legal;
  return p;
}

Case single_draft() {
  Case c;
  c.number = "4451002026092800001";
  c.lead_department_code = "D1";
  c.applicant_account_id = "A";
  c.parts = {part(0, "I1", "D1", 15, 20)};
  return c;
}

const CaseActor kApplicant{"A", "张三", "applicant"};
const CaseActor kClerk{"C", "窗口", "clerk"};
const CaseActor kReviewer1{"R1", "审查甲", "reviewer"};
const CaseActor kReviewer2{"R2", "审查乙", "reviewer"};
const CaseActor kApprover{"P", "负责人", "approver"};

class CaseMachine : public ::testing::Test {
 protected:
  WorkingCalendar cal = calendar_2026();

  Case act(const Case& c, const CaseActor& who, CaseActionInput in, std::string_view today) {
    auto t = apply_case_action(c, who, in, cal, today, 1);
    EXPECT_TRUE(t.ok()) << to_string(in.action) << ": "
                        << (t.ok() ? "" : t.error().code + " " + t.error().message);
    return t.ok() ? t->after : c;
  }
  Error refused(const Case& c, const CaseActor& who, CaseActionInput in, std::string_view today) {
    auto t = apply_case_action(c, who, in, cal, today, 1);
    EXPECT_FALSE(t.ok()) << to_string(in.action) << " was allowed";
    return t.ok() ? Error{} : t.error();
  }
  static CaseActionInput a(CaseAction action, int part = 0) {
    CaseActionInput in;
    in.action = action;
    in.part_seq = part;
    return in;
  }
  static CaseActionInput opinion(std::string text, int part = 0) {
    CaseActionInput in = a(CaseAction::review_opinion, part);
    in.opinion = std::move(text);
    return in;
  }
};

TEST_F(CaseMachine, SingleItemJourneyFromSubmissionToDelivery) {
  Case c = act(single_draft(), kApplicant, a(CaseAction::submit), "2026-09-28");
  EXPECT_EQ(c.state, CaseState::submitted);
  EXPECT_EQ(c.received_on, "2026-09-28");
  ASSERT_EQ(c.tasks.size(), 1u);
  EXPECT_EQ(c.tasks[0].stage, TaskStage::acceptance);

  c = act(c, kClerk, a(CaseAction::accept), "2026-09-29");
  EXPECT_EQ(c.state, CaseState::accepted);
  EXPECT_EQ(c.accepted_on, "2026-09-29");
  EXPECT_FALSE(c.deemed_accepted);
  EXPECT_EQ(c.parts[0].state, PartState::review);

  c = act(c, kReviewer1, opinion("材料齐全，符合条件"), "2026-09-30");
  EXPECT_EQ(c.state, CaseState::in_review);
  EXPECT_EQ(c.parts[0].state, PartState::recheck);

  // Law Art. 34: the same person cannot give the second opinion.
  EXPECT_EQ(refused(c, kReviewer1, opinion("同意"), "2026-10-08").code, "second_reviewer_required");
  c = act(c, kReviewer2, opinion("复核同意"), "2026-10-08");
  EXPECT_EQ(c.parts[0].state, PartState::decision);

  c = act(c, kApprover, a(CaseAction::approve), "2026-10-09");
  EXPECT_EQ(c.state, CaseState::approved);
  EXPECT_EQ(c.decided_on, "2026-10-09");
  EXPECT_EQ(c.tasks.back().stage, TaskStage::delivery);

  c = act(c, kClerk, a(CaseAction::deliver), "2026-10-10");
  EXPECT_EQ(c.state, CaseState::delivered);
  for (const Task& t : c.tasks) EXPECT_NE(t.state, TaskState::open);
}

TEST_F(CaseMachine, EachTransitionWritesOneEventAndTheRightNotice) {
  struct Row {
    CaseAction action;
    const char* notice;  // "" when none
    const char* topic;
  };
  auto t = apply_case_action(single_draft(), kApplicant, a(CaseAction::submit), cal, "2026-09-28", 7);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->events.size(), 1u);
  EXPECT_EQ(t->events[0].action, "submit");
  EXPECT_EQ(t->events[0].from_state, "draft");
  EXPECT_EQ(t->events[0].to_state, "submitted");
  EXPECT_EQ(t->events[0].at_unix_ms, 7);
  ASSERT_EQ(t->notices.size(), 1u);
  EXPECT_EQ(t->notices[0].kind, "receipt");
  EXPECT_EQ(t->topic, "case.submitted");

  auto acc = apply_case_action(t->after, kClerk, a(CaseAction::accept), cal, "2026-09-29", 8);
  ASSERT_TRUE(acc.ok());
  EXPECT_EQ(acc->notices.at(0).kind, "acceptance_notice");
  EXPECT_EQ(acc->topic, "case.accepted");
}

TEST_F(CaseMachine, OneCorrectionNoticeOnlyThenRefuseAcceptance) {
  Case c = act(single_draft(), kApplicant, a(CaseAction::submit), "2026-09-28");
  CaseActionInput corr = a(CaseAction::request_correction);
  EXPECT_EQ(refused(c, kClerk, corr, "2026-09-29").field, "materials");
  corr.materials = {"营业执照复印件", "", "场所使用证明"};
  c = act(c, kClerk, corr, "2026-09-29");
  EXPECT_EQ(c.state, CaseState::correction_requested);
  EXPECT_EQ(c.correction_materials.size(), 2u);  // blank lines dropped

  c = act(c, kApplicant, a(CaseAction::submit_correction), "2026-10-09");
  EXPECT_EQ(c.state, CaseState::submitted);
  EXPECT_EQ(c.received_on, "2026-10-09");  // the acceptance clock counts from the correction

  // 一次告知: a second notice for the same application is refused by the system.
  EXPECT_EQ(refused(c, kClerk, corr, "2026-10-10").code, "correction_already_requested");
  EXPECT_EQ(refused(c, kClerk, a(CaseAction::refuse_acceptance), "2026-10-10").field, "reason");
  CaseActionInput no = a(CaseAction::refuse_acceptance);
  no.reason = "补正后材料仍不符合法定形式";
  c = act(c, kClerk, no, "2026-10-10");
  EXPECT_EQ(c.state, CaseState::not_accepted);
  EXPECT_EQ(c.parts[0].state, PartState::closed);
}

TEST_F(CaseMachine, AcceptanceAfterFiveWorkingDaysCountsFromTheDayReceived) {
  // Received Monday 9/28; five working days later is 10/9 (10/1–10/7 off, 9/29, 9/30,
  // 10/8, 10/9 … counting: 9/29, 9/30, 10/8, 10/9, 10/10 (make-up Saturday)).
  Case c = act(single_draft(), kApplicant, a(CaseAction::submit), "2026-09-28");
  Case on_time = act(c, kClerk, a(CaseAction::accept), "2026-10-10");
  EXPECT_FALSE(on_time.deemed_accepted);
  EXPECT_EQ(on_time.accepted_on, "2026-10-10");
  Case late = act(c, kClerk, a(CaseAction::accept), "2026-10-12");
  EXPECT_TRUE(late.deemed_accepted);
  EXPECT_EQ(late.accepted_on, "2026-09-28");

  // Before anyone acts, the clock already says so.
  const CaseClocks waiting = evaluate_case_clocks(c, cal, d("2026-10-12"));
  EXPECT_TRUE(waiting.overall.deemed_accepted);
  EXPECT_EQ(waiting.overall.kind, ClockKind::decision);
  const CaseClocks fresh = evaluate_case_clocks(c, cal, d("2026-09-30"));
  EXPECT_EQ(fresh.overall.kind, ClockKind::acceptance);
  EXPECT_EQ(fresh.overall.state.due.iso(), "2026-10-10");
}

TEST_F(CaseMachine, SuspensionStopsTheClockAndExtensionIsGrantedOnce) {
  Case c = act(single_draft(), kApplicant, a(CaseAction::submit), "2026-09-28");
  c = act(c, kClerk, a(CaseAction::accept), "2026-09-28");
  const Date before_due = evaluate_case_clocks(c, cal, d("2026-09-28")).overall.state.due;

  CaseActionInput s = a(CaseAction::suspend);
  s.reason = "需要现场检验";
  EXPECT_EQ(refused(c, kReviewer1, s, "2026-09-29").field, "procedure");
  s.procedure = "检验";
  EXPECT_EQ(refused(c, kReviewer1, s, "2026-09-29").field, "days");
  s.days = 5;
  c = act(c, kReviewer1, s, "2026-09-29");
  EXPECT_EQ(c.state, CaseState::suspended);
  EXPECT_EQ(refused(c, kApprover, a(CaseAction::approve), "2026-09-30").code,
            "not_ready_for_decision");
  c = act(c, kReviewer1, a(CaseAction::resume), "2026-10-12");
  EXPECT_EQ(c.parts[0].state, PartState::review);
  EXPECT_EQ(c.state, CaseState::accepted);
  const Date after_due = evaluate_case_clocks(c, cal, d("2026-10-12")).overall.state.due;
  EXPECT_GT(after_due, before_due);

  CaseActionInput e = a(CaseAction::extend);
  e.reason = "案情复杂";
  e.days = 11;
  EXPECT_EQ(refused(c, kApprover, e, "2026-10-12").field, "days");
  e.days = 10;
  c = act(c, kApprover, e, "2026-10-12");
  EXPECT_EQ(c.parts[0].extension_days, 10);
  EXPECT_EQ(refused(c, kApprover, e, "2026-10-13").code, "already_extended");
}

TEST_F(CaseMachine, RefusalNeedsReasonsAndWithdrawalOnlyBeforeDecision) {
  Case c = act(single_draft(), kApplicant, a(CaseAction::submit), "2026-09-28");
  c = act(c, kClerk, a(CaseAction::accept), "2026-09-28");
  c = act(c, kReviewer1, opinion("不符合条件"), "2026-09-29");
  c = act(c, kReviewer2, opinion("同意不予许可"), "2026-09-29");
  EXPECT_EQ(refused(c, kApprover, a(CaseAction::refuse), "2026-09-30").field, "reason");
  Case before_decision = c;
  CaseActionInput r = a(CaseAction::refuse);
  r.reason = "经营场所不符合食品安全要求";
  c = act(c, kApprover, r, "2026-09-30");
  EXPECT_EQ(c.state, CaseState::refused);
  EXPECT_EQ(c.parts[0].reasons.at(0), "经营场所不符合食品安全要求");
  EXPECT_EQ(refused(c, kApplicant, a(CaseAction::withdraw), "2026-09-30").code, "cannot_withdraw");

  Case w = act(before_decision, kApplicant, a(CaseAction::withdraw), "2026-09-30");
  EXPECT_EQ(w.state, CaseState::withdrawn);
}

TEST_F(CaseMachine, ReturnToReviewStartsANewRound) {
  Case c = act(single_draft(), kApplicant, a(CaseAction::submit), "2026-09-28");
  c = act(c, kClerk, a(CaseAction::accept), "2026-09-28");
  c = act(c, kReviewer1, opinion("同意"), "2026-09-29");
  c = act(c, kReviewer2, opinion("同意"), "2026-09-29");
  CaseActionInput back = a(CaseAction::return_to_review);
  EXPECT_EQ(refused(c, kApprover, back, "2026-09-30").field, "reason");
  back.reason = "请核实场所面积";
  c = act(c, kApprover, back, "2026-09-30");
  EXPECT_EQ(c.parts[0].state, PartState::review);
  // In the new round reviewer 2 reviews first, so reviewer 1 may recheck.
  c = act(c, kReviewer2, opinion("已核实"), "2026-10-08");
  c = act(c, kReviewer1, opinion("同意"), "2026-10-08");
  EXPECT_EQ(c.parts[0].state, PartState::decision);
}

TEST_F(CaseMachine, ClaimedTaskBelongsToItsClaimant) {
  Case c = act(single_draft(), kApplicant, a(CaseAction::submit), "2026-09-28");
  c = act(c, kClerk, a(CaseAction::accept), "2026-09-28");
  c = act(c, kReviewer1, a(CaseAction::claim), "2026-09-28");
  EXPECT_EQ(c.state, CaseState::in_review);
  EXPECT_EQ(refused(c, kReviewer2, a(CaseAction::claim), "2026-09-28").code, "task_claimed");
  EXPECT_EQ(refused(c, kReviewer2, opinion("x"), "2026-09-28").code, "task_claimed");
  c = act(c, kReviewer1, opinion("同意"), "2026-09-28");
  EXPECT_EQ(c.parts[0].state, PartState::recheck);
}

TEST_F(CaseMachine, BundleDecidesPerDepartmentAndOneRefusalRefusesTheCase) {
  Case c = single_draft();
  c.bundle_code = "B1";
  c.parts = {part(0, "I1", "D1", 15, 20), part(1, "I2", "D2", 10, 20)};
  c = act(c, kApplicant, a(CaseAction::submit, -1), "2026-09-28");
  c = act(c, kClerk, a(CaseAction::accept, -1), "2026-09-28");
  EXPECT_EQ(c.tasks.size(), 3u);  // acceptance done + one review task per department
  for (int p = 0; p < 2; ++p) {
    c = act(c, kReviewer1, opinion("同意", p), "2026-09-29");
    c = act(c, kReviewer2, opinion("同意", p), "2026-09-29");
  }
  c = act(c, kApprover, a(CaseAction::approve, 0), "2026-09-30");
  EXPECT_EQ(c.state, CaseState::in_review);  // the other department has not decided
  CaseActionInput r = a(CaseAction::refuse, 1);
  r.reason = "不符合规划要求";
  c = act(c, kApprover, r, "2026-09-30");
  EXPECT_EQ(c.state, CaseState::refused);
  EXPECT_EQ(c.parts[0].state, PartState::approved);

  // Joint extension: +15 at most, once.
  Case j = single_draft();
  j.bundle_code = "B1";
  j.parts = {part(0, "I1", "D1", 15, 20), part(1, "I2", "D2", 10, 20)};
  j = act(j, kApplicant, a(CaseAction::submit, -1), "2026-09-28");
  j = act(j, kClerk, a(CaseAction::accept, -1), "2026-09-28");
  CaseActionInput e = a(CaseAction::extend, -1);
  e.reason = "联合办理情况复杂";
  j = act(j, kApprover, e, "2026-09-29");
  EXPECT_EQ(j.joint_extension_days, 15);
  const CaseClocks cl = evaluate_case_clocks(j, cal, d("2026-09-29"));
  // 45 + 15 working days after 9/28.
  EXPECT_EQ(cl.overall.state.due, cal.add_working_days(d("2026-09-28"), 60).value());
}

TEST_F(CaseMachine, LateParallelOpinionIsRedForItsDepartmentOnly) {
  Case c = single_draft();
  c.bundle_code = "B1";
  c.parts = {part(0, "I1", "D1", 20, 20), part(1, "I2", "D2", 3, 20)};
  c = act(c, kApplicant, a(CaseAction::submit, -1), "2026-09-28");
  c = act(c, kClerk, a(CaseAction::accept, -1), "2026-09-28");
  const CaseClocks cl = evaluate_case_clocks(c, cal, d("2026-10-12"));
  EXPECT_EQ(cl.overall.state.signal, Signal::green);  // joint 45 days
  EXPECT_EQ(cl.parts[1].state.signal, Signal::red);   // 3 days: 9/29, 9/30, 10/8
  EXPECT_EQ(cl.parts[0].state.signal, Signal::green);
}

TEST(CaseRoles, EachActionNamesItsRoleAndDepartment) {
  Case c = single_draft();
  c.parts.push_back(part(1, "I2", "D2", 10, 20));
  EXPECT_EQ(required_role(CaseAction::accept), "clerk");
  EXPECT_EQ(required_role(CaseAction::approve), "approver");
  EXPECT_EQ(required_role(CaseAction::withdraw), "applicant");
  EXPECT_EQ(acting_department(c, CaseAction::accept, 1), "D1");
  EXPECT_EQ(acting_department(c, CaseAction::approve, 1), "D2");
  EXPECT_EQ(acting_department(c, CaseAction::withdraw, 0), "");
}

}  // namespace
}  // namespace shenpi::core
