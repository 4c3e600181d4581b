// The warnings of e-supervision (电子监察), judged on days around the 2026 National Day
// holiday (9/25–9/27 and 10/1–10/7 off, 9/20 and 10/10 working): cases are walked through
// the real case rules (apply_case_action) and supervise_case is asked, day by day, what
// it finds. Each row of a table is what a supervisor would check on the list.
#include "core/supervision/warning_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "core/cases/case_machine.h"

namespace shenpi::core {
namespace {

Date d(std::string_view iso) { return *Date::parse(iso); }

WorkingCalendar calendar_2026() {
  YearSchedule y;
  y.year = 2026;
  for (const char* off :
       {"2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17",
        "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
        "2026-04-04", "2026-04-05", "2026-04-06", "2026-05-01", "2026-05-02", "2026-05-03",
        "2026-05-04", "2026-05-05", "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25",
        "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
        "2026-10-05", "2026-10-06", "2026-10-07"}) {
    y.days_off.push_back(d(off));
  }
  for (const char* on :
       {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}) {
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

const CaseActor kApplicant{"A", "张三", "applicant"};
const CaseActor kClerk{"C", "窗口", "clerk"};
const CaseActor kReviewer1{"R1", "审查甲", "reviewer"};
const CaseActor kReviewer2{"R2", "审查乙", "reviewer"};
const CaseActor kApprover{"P", "负责人", "approver"};

// A finding as a supervisor reads it: rule, part, department, days late.
struct Row {
  std::string rule;
  int part_seq;
  std::string dept;
  int days_late;
  bool operator==(const Row&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  return os << "{" << r.rule << ", part " << r.part_seq << ", " << r.dept << ", " << r.days_late
            << "}";
}

class SupervisionRules : public ::testing::Test {
 protected:
  WorkingCalendar cal = calendar_2026();
  Case c;
  std::vector<CaseEvent> events;

  void start_single(int promised = 15, int legal = 20) {
    c = Case{};
    c.number = "4451002026092800001";
    c.lead_department_code = "D1";
    c.applicant_account_id = "A";
    c.parts = {part(0, "I1", "D1", promised, legal)};
    events.clear();
  }
  void start_bundle() {
    c = Case{};
    c.number = "4451002026092800002";
    c.bundle_code = "B1";
    c.bundle_name = "开办餐饮店";
    c.lead_department_code = "D1";
    c.applicant_account_id = "A";
    c.parts = {part(0, "I1", "D1", 20, 20), part(1, "I2", "D2", 5, 10)};
    events.clear();
  }
  void act(const CaseActor& who, CaseAction action, std::string_view today, int part_seq = 0,
           std::string text = "") {
    CaseActionInput in;
    in.action = action;
    in.part_seq = part_seq;
    in.opinion = text;
    in.reason = text;
    if (action == CaseAction::request_correction) in.materials = {"营业执照"};
    auto t = apply_case_action(c, who, in, cal, today, 1);
    ASSERT_TRUE(t.ok()) << to_string(action) << ": " << (t.ok() ? "" : t.error().message);
    c = t->after;
    events.insert(events.end(), t->events.begin(), t->events.end());
  }
  void review_twice(std::string_view day1, std::string_view day2, int part_seq = 0) {
    act(kReviewer1, CaseAction::review_opinion, day1, part_seq, "材料齐全");
    act(kReviewer2, CaseAction::review_opinion, day2, part_seq, "复核同意");
  }
  std::vector<Row> on(std::string_view today) {
    std::vector<Row> out;
    for (const WarningFinding& f : supervise_case(c, events, cal, d(today))) {
      out.push_back({std::string(to_string(f.rule)), f.part_seq, f.department_code, f.days_late});
    }
    return out;
  }
};

TEST(SupervisionRuleNames, RoundTripEveryRuleAndState) {
  for (WarningRule r : all_warning_rules()) {
    EXPECT_EQ(parse_warning_rule(to_string(r)), r);
    EXPECT_FALSE(label(r).empty());
  }
  EXPECT_EQ(all_warning_rules().size(), 8u);
  EXPECT_EQ(to_string(WarningRule::opinion_late), "opinion_late");
  EXPECT_EQ(label(WarningRule::acceptance_late), "受理超期");
  EXPECT_FALSE(parse_warning_rule("late"));
  for (WarningState s : {WarningState::open, WarningState::acknowledged, WarningState::closed}) {
    EXPECT_EQ(parse_warning_state(to_string(s)), s);
  }
  EXPECT_FALSE(parse_warning_state("red"));
}

// Submitted Monday 9/28: the 5 working days are 9/29, 9/30, 10/8, 10/9 and the make-up
// Saturday 10/10, so nothing is late through the whole holiday.
TEST_F(SupervisionRules, AcceptanceThroughNationalDay) {
  start_single();
  act(kApplicant, CaseAction::submit, "2026-09-28");
  struct Day {
    const char* today;
    std::vector<Row> expected;
  };
  const std::vector<Day> table = {
      {"2026-09-30", {}},
      {"2026-10-07", {}},  // the last holiday
      {"2026-10-10", {}},  // the make-up Saturday: the last day of the limit
      {"2026-10-11", {}},  // Sunday: no working day has passed the limit yet
      // Monday: one working day late; the case counts as accepted on 9/28 (law Art. 32)
      // and its decision clock (15 days) is not late.
      {"2026-10-12", {{"acceptance_late", -1, "D1", 1}}},
      {"2026-10-16", {{"acceptance_late", -1, "D1", 5}}},
  };
  for (const auto& row : table) EXPECT_EQ(on(row.today), row.expected) << row.today;
}

TEST_F(SupervisionRules, LateAcceptanceStaysLateOnceDecided) {
  start_single();
  act(kApplicant, CaseAction::submit, "2026-09-28");
  act(kClerk, CaseAction::accept, "2026-10-13");  // deemed accepted on 9/28
  EXPECT_TRUE(c.deemed_accepted);
  EXPECT_EQ(on("2026-10-20"), (std::vector<Row>{{"acceptance_late", -1, "D1", 2}}));
}

TEST_F(SupervisionRules, OnTimeJourneyHasNoWarnings) {
  start_single();
  act(kApplicant, CaseAction::submit, "2026-09-28");
  act(kClerk, CaseAction::accept, "2026-09-29");
  review_twice("2026-09-30", "2026-10-08");
  act(kApprover, CaseAction::approve, "2026-10-09");
  act(kClerk, CaseAction::deliver, "2026-10-12");
  EXPECT_EQ(on("2026-12-31"), std::vector<Row>{});
}

// Accepted 9/29 on a promised limit of 3 days: due 10/9 (9/30, 10/8, 10/9). The review task
// holds the case: both the case and the task are late, for the same department.
TEST_F(SupervisionRules, CaseAndTaskLateAfterTheHoliday) {
  start_single(3, 5);
  act(kApplicant, CaseAction::submit, "2026-09-28");
  act(kClerk, CaseAction::accept, "2026-09-29");
  EXPECT_EQ(on("2026-10-09"), std::vector<Row>{});
  // 10/10 is a working Saturday: one day late; the legal limit (5) ends 10/12.
  EXPECT_EQ(on("2026-10-10"),
            (std::vector<Row>{{"case_late", -1, "D1", 1}, {"task_late", 0, "D1", 1}}));
  const auto f = supervise_case(c, events, cal, d("2026-10-14"));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].days_late, 4);  // 10/10, 10/12, 10/13, 10/14
  EXPECT_EQ(f[0].due_on, "2026-10-09");
  EXPECT_EQ(f[0].legal_days_late, 2);  // past the legal wall of 10/12: 10/13, 10/14
}

// A bundle: D2's part runs on its own 5-day limit while the joint clock (45) is on time.
TEST_F(SupervisionRules, LateParallelOpinionIsRedForItsOwnDepartment) {
  start_bundle();
  act(kApplicant, CaseAction::submit, "2026-09-28");
  act(kClerk, CaseAction::accept, "2026-09-29");
  // D2: 9/30, 10/8, 10/9, 10/10, 10/12 → due 10/12.
  EXPECT_EQ(on("2026-10-12"), std::vector<Row>{});
  EXPECT_EQ(on("2026-10-14"), (std::vector<Row>{{"opinion_late", 1, "D2", 2}}));
  // D2 decides on 10/15, three days late: that stays on record, and stops growing.
  review_twice("2026-10-13", "2026-10-14", 1);
  act(kApprover, CaseAction::approve, "2026-10-15", 1);
  EXPECT_EQ(on("2026-10-30"), (std::vector<Row>{{"opinion_late", 1, "D2", 3}}));
}

TEST_F(SupervisionRules, CorrectionNoticeAfterFiveWorkingDays) {
  start_single();
  act(kApplicant, CaseAction::submit, "2026-09-28");
  act(kClerk, CaseAction::request_correction, "2026-10-13", 0, "缺营业执照");
  // Due 10/10; issued 10/12 … 10/13: two working days late. Waiting for the applicant,
  // no other clock runs.
  EXPECT_EQ(on("2026-10-20"), (std::vector<Row>{{"correction_notice_late", -1, "D1", 2}}));
}

TEST_F(SupervisionRules, DeliveryLateAndDeliveredLate) {
  start_single();
  act(kApplicant, CaseAction::submit, "2026-09-14");
  act(kClerk, CaseAction::accept, "2026-09-14");
  review_twice("2026-09-15", "2026-09-16");
  act(kApprover, CaseAction::approve, "2026-09-17");
  // 10 working days after 9/17: 9/18, 9/20 (make-up Sunday), 9/21–9/24, 9/28–9/30, 10/8.
  EXPECT_EQ(on("2026-10-08"), std::vector<Row>{});
  EXPECT_EQ(on("2026-10-09"), (std::vector<Row>{{"delivery_late", -1, "D1", 1}}));
  act(kClerk, CaseAction::deliver, "2026-10-10");
  EXPECT_EQ(on("2026-11-30"), (std::vector<Row>{{"delivery_late", -1, "D1", 2}}));
}

TEST_F(SupervisionRules, DecisionWithoutReasonsOrWithoutTwoReviewers) {
  start_single();
  act(kApplicant, CaseAction::submit, "2026-09-14");
  act(kClerk, CaseAction::accept, "2026-09-14");
  review_twice("2026-09-15", "2026-09-16");
  act(kApprover, CaseAction::refuse, "2026-09-17", 0, "不符合条件");
  EXPECT_EQ(on("2026-09-18"), std::vector<Row>{});
  // What the rules of the machine prevent, a record entered otherwise (on paper during an
  // outage, or altered) may still show: the job finds it.
  c.parts[0].reasons = {" "};
  c.parts[0].opinions.resize(1);
  EXPECT_EQ(on("2026-09-18"),
            (std::vector<Row>{{"no_reasons", 0, "D1", 0}, {"flow_violation", 0, "D1", 0}}));
  c.state = CaseState::not_accepted;
  c.not_accepted_reason = "";
  const auto f = on("2026-09-18");
  EXPECT_NE(std::find(f.begin(), f.end(), Row{"no_reasons", -1, "D1", 0}), f.end());
}

TEST_F(SupervisionRules, ReturnedWithoutReasonIsAFlowViolation) {
  start_single();
  act(kApplicant, CaseAction::submit, "2026-09-14");
  act(kClerk, CaseAction::accept, "2026-09-14");
  review_twice("2026-09-15", "2026-09-16");
  act(kApprover, CaseAction::return_to_review, "2026-09-17", 0, "补充现场核查");
  EXPECT_EQ(on("2026-09-18"), std::vector<Row>{});
  events.back().reason = "";
  EXPECT_EQ(on("2026-09-18"), (std::vector<Row>{{"flow_violation", 0, "D1", 0}}));
}

TEST_F(SupervisionRules, DraftsAreNeverSupervised) {
  start_single();
  EXPECT_EQ(on("2027-01-01"), std::vector<Row>{});
}

}  // namespace
}  // namespace shenpi::core
