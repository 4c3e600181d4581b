// The rules of a complaint, as a complainant and the supervision bureau would meet them.
#include "core/complaints/complaint.h"

#include <gtest/gtest.h>

namespace shenpi::core {
namespace {

ComplaintInput valid_input() {
  ComplaintInput in;
  in.subject = "case";
  in.case_number = "4451002026112800001";
  in.content = "窗口工作人员要求提供清单以外的材料。";
  in.contact_name = "张三";
  in.contact_phone = "138 0013 8000";
  return in;
}

TEST(ComplaintInputTest, TableOfInputs) {
  struct Case {
    const char* what;
    void (*change)(ComplaintInput&);
    const char* field;  // "" when valid
  };
  const Case cases[] = {
      {"valid case complaint", [](ComplaintInput&) {}, ""},
      {"unknown subject", [](ComplaintInput& i) { i.subject = "weather"; }, "subject"},
      {"case without number", [](ComplaintInput& i) { i.case_number = "  "; }, "case_number"},
      {"department without code",
       [](ComplaintInput& i) {
         i.subject = "department";
         i.department_code = "";
       },
       "department_code"},
      {"department with code",
       [](ComplaintInput& i) {
         i.subject = "department";
         i.department_code = "SCJGJ";
       },
       ""},
      {"staff without name", [](ComplaintInput& i) { i.subject = "staff"; }, "staff_name"},
      {"staff with name",
       [](ComplaintInput& i) {
         i.subject = "staff";
         i.staff_name = "工号 0231";
       },
       ""},
      {"empty content", [](ComplaintInput& i) { i.content = " \n"; }, "content"},
      {"content too long",
       [](ComplaintInput& i) {
         i.content.clear();
         for (int k = 0; k < 2001; ++k) i.content += "字";
       },
       "content"},
      {"content of 2000 characters",
       [](ComplaintInput& i) {
         i.content.clear();
         for (int k = 0; k < 2000; ++k) i.content += "字";
       },
       ""},
      {"no contact name", [](ComplaintInput& i) { i.contact_name = ""; }, "contact_name"},
      {"no phone", [](ComplaintInput& i) { i.contact_phone = ""; }, "contact_phone"},
      {"short phone", [](ComplaintInput& i) { i.contact_phone = "1380013800"; }, "contact_phone"},
      {"letters in phone", [](ComplaintInput& i) { i.contact_phone = "1380013800a"; },
       "contact_phone"},
      {"landline", [](ComplaintInput& i) { i.contact_phone = "0768-2345678"; }, ""},
  };
  for (const Case& c : cases) {
    ComplaintInput in = valid_input();
    c.change(in);
    Result<Complaint> r = new_complaint(in);
    if (std::string_view(c.field).empty()) {
      EXPECT_TRUE(r.ok()) << c.what << ": " << (r.ok() ? "" : r.error().message);
    } else {
      ASSERT_FALSE(r.ok()) << c.what;
      EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << c.what;
      EXPECT_EQ(r.error().field, c.field) << c.what;
    }
  }
}

TEST(ComplaintInputTest, PhonesAreNormalised) {
  const std::pair<const char*, const char*> cases[] = {
      {"138 0013 8000", "13800138000"}, {"138-0013-8000", "13800138000"},
      {"0768-2345678", "0768-2345678"}, {"07682345678", "0768-2345678"},
      {"020-12345678", "020-12345678"}, {"0755 12345678", "0755-12345678"},
  };
  for (const auto& [in, want] : cases) {
    const auto got = normalise_phone(in);
    ASSERT_TRUE(got.has_value()) << in;
    EXPECT_EQ(*got, want) << in;
  }
  for (const char* bad : {"", "12800138000", "2345678", "+8613800138000", "0768-23456"}) {
    EXPECT_FALSE(normalise_phone(bad).has_value()) << bad;
  }
}

Complaint filed() {
  Complaint c = *new_complaint(valid_input());
  c.number = "TS2026112800001";
  c.filed_on = "2026-11-27";
  c.due_on = "2026-12-18";
  return c;
}

const ComplaintActor kBureau{"sup-1", "王监察", true, false};
const ComplaintActor kOtherSupervisor{"sup-2", "李监察", true, false};
const ComplaintActor kComplainant{"", "投诉人", false, true};
const ComplaintActor kStranger{"x", "路人", false, false};

ComplaintActionInput assign_to(std::string id) {
  ComplaintActionInput in;
  in.action = ComplaintAction::assign;
  in.assignee_id = std::move(id);
  in.assignee_name = "王监察";
  return in;
}

ComplaintActionInput answer() {
  ComplaintActionInput in;
  in.action = ComplaintAction::answer;
  in.outcome = ComplaintOutcome::partly_upheld;
  in.findings = "调阅窗口录像，属实。";
  in.answer = "已责令整改，并对相关人员批评教育。";
  return in;
}

ComplaintActionInput feedback(ComplaintAction a, std::string note) {
  ComplaintActionInput in;
  in.action = a;
  in.note = std::move(note);
  return in;
}

TEST(ComplaintMachineTest, AJourneyFromFilingToConfirmation) {
  Complaint c = filed();
  auto t = apply_complaint_action(c, assign_to("sup-1"), kBureau, "2026-11-30", "2026-12-21");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->after.state, ComplaintState::investigating);
  EXPECT_EQ(t->after.due_on, "2026-12-18") << "the first deadline runs from filing";
  EXPECT_EQ(t->event.action, "assign");
  EXPECT_EQ(t->event.from_state, "submitted");
  EXPECT_EQ(t->event.to_state, "investigating");
  c = t->after;

  // Only the assignee answers.
  auto wrong = apply_complaint_action(c, answer(), kOtherSupervisor, "2026-12-01", "");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "not_assignee");
  t = apply_complaint_action(c, answer(), kBureau, "2026-12-01", "");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->after.state, ComplaintState::answered);
  EXPECT_EQ(t->after.answered_on, "2026-12-01");
  c = t->after;

  t = apply_complaint_action(c, feedback(ComplaintAction::confirm, "满意"), kComplainant,
                             "2026-12-02", "");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->after.state, ComplaintState::confirmed);
  EXPECT_EQ(t->after.closed_on, "2026-12-02");
  EXPECT_TRUE(allowed_complaint_actions(t->after, kBureau).empty());
}

TEST(ComplaintMachineTest, ADisputeStartsANewInvestigationWithANewDeadline) {
  Complaint c = filed();
  c = apply_complaint_action(c, assign_to("sup-1"), kBureau, "2026-11-30", "x")->after;
  c = apply_complaint_action(c, answer(), kBureau, "2026-12-01", "")->after;
  auto no_reason = apply_complaint_action(c, feedback(ComplaintAction::dispute, " "), kComplainant,
                                          "2026-12-02", "");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().field, "note");
  c = apply_complaint_action(c, feedback(ComplaintAction::dispute, "问题未解决"), kComplainant,
                             "2026-12-02", "")
          ->after;
  EXPECT_EQ(c.state, ComplaintState::disputed);
  EXPECT_EQ(c.disputes, 1);
  auto t = apply_complaint_action(c, assign_to("sup-2"), kBureau, "2026-12-03", "2026-12-24");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->after.due_on, "2026-12-24");
  EXPECT_EQ(t->after.assignee_id, "sup-2");
}

TEST(ComplaintMachineTest, TableOfRefusals) {
  Complaint submitted = filed();
  Complaint answered = submitted;
  answered.state = ComplaintState::answered;
  answered.assignee_id = "sup-1";
  Complaint investigating = submitted;
  investigating.state = ComplaintState::investigating;
  investigating.assignee_id = "sup-1";
  ComplaintActionInput no_outcome = answer();
  no_outcome.outcome = ComplaintOutcome::none;
  ComplaintActionInput no_answer = answer();
  no_answer.answer = "";
  struct Case {
    const char* what;
    const Complaint* c;
    ComplaintActionInput in;
    ComplaintActor actor;
    ErrorKind kind;
    const char* code_or_field;
  };
  const Case cases[] = {
      {"complainant assigns", &submitted, assign_to("sup-1"), kComplainant, ErrorKind::forbidden,
       "complaint_action_denied"},
      {"stranger assigns", &submitted, assign_to("sup-1"), kStranger, ErrorKind::forbidden,
       "complaint_action_denied"},
      {"assign without assignee", &submitted, assign_to(""), kBureau, ErrorKind::invalid_input,
       "assignee_id"},
      {"assign answered", &answered, assign_to("sup-1"), kBureau, ErrorKind::conflict,
       "complaint_state"},
      {"answer before assignment", &submitted, answer(), kBureau, ErrorKind::conflict,
       "complaint_state"},
      {"answer without outcome", &investigating, no_outcome, kBureau, ErrorKind::invalid_input,
       "outcome"},
      {"answer without text", &investigating, no_answer, kBureau, ErrorKind::invalid_input,
       "answer"},
      {"bureau confirms for the complainant", &answered, feedback(ComplaintAction::confirm, ""),
       kBureau, ErrorKind::forbidden, "complaint_action_denied"},
      {"confirm before the answer", &investigating, feedback(ComplaintAction::confirm, ""),
       kComplainant, ErrorKind::conflict, "complaint_state"},
  };
  for (const Case& c : cases) {
    auto r = apply_complaint_action(*c.c, c.in, c.actor, "2026-12-01", "2026-12-22");
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.error().kind, c.kind) << c.what;
    const std::string& got = c.kind == ErrorKind::invalid_input ? r.error().field : r.error().code;
    EXPECT_EQ(got, c.code_or_field) << c.what;
  }
}

TEST(ComplaintRulesTest, OverdueOnlyWhileTheBureauOwesAnAnswer) {
  Complaint c = filed();  // due 2026-12-18
  EXPECT_FALSE(complaint_overdue(c, "2026-12-18"));
  EXPECT_TRUE(complaint_overdue(c, "2026-12-19"));
  c.state = ComplaintState::answered;
  EXPECT_FALSE(complaint_overdue(c, "2026-12-19"));
  c.state = ComplaintState::disputed;
  EXPECT_TRUE(complaint_overdue(c, "2026-12-19"));
}

TEST(ComplaintRulesTest, ComplaintsAboutAPersonAreForTheBureauOnly) {
  Complaint c = filed();
  EXPECT_FALSE(complaint_bureau_only(c));
  c.subject = ComplaintSubject::staff;
  EXPECT_TRUE(complaint_bureau_only(c));
}

TEST(ComplaintRulesTest, NamesRoundTrip) {
  for (auto s : {ComplaintState::submitted, ComplaintState::investigating, ComplaintState::answered,
                 ComplaintState::confirmed, ComplaintState::disputed}) {
    EXPECT_EQ(parse_complaint_state(to_string(s)), s);
  }
  EXPECT_EQ(label(ComplaintOutcome::partly_upheld), "部分属实");
  EXPECT_EQ(label(ComplaintSubject::staff), "工作人员");
  EXPECT_FALSE(parse_complaint_action("delete").has_value());
}

}  // namespace
}  // namespace shenpi::core
