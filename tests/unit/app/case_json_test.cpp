// The stored form of a case (app::case_to_json / case_from_json) and the names of the case
// enums (core/cases/case.h): every member survives a round trip, documents written by an
// older or newer model still read, damaged documents are reported with the member at fault.
#include "app/case_json.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "core/cases/case.h"

namespace shenpi::app {
namespace {

using core::Case;
using core::CaseState;

// A bundle case in which every member differs from its default.
Case full_case() {
  Case c;
  c.number = "4451002026112800017";
  c.version = 7;
  c.state = CaseState::suspended;
  c.bundle_code = "B-CANYIN";
  c.bundle_name = "开办餐饮店";
  c.region_code = "445100";
  c.lead_department_code = "445100-SCJGJ";
  c.lead_department_name = "潮州市市场监督管理局";
  c.joint_limit_days = 44;
  c.joint_extension_days = 15;
  c.joint_extension_reason = "联合踏勘";
  c.applicant_account_id = "acc-1";
  c.applicant_kind = "organisation";
  c.applicant_name = "潮州市某某餐饮有限公司";
  c.applicant_id_masked = "9144****12X";
  c.channel = core::Channel::window;
  c.filed_by_id = "clerk-1";
  c.filed_by_name = "李窗口";
  c.data_json = R"({"name":"张三","amount":"1200.00", "rows":[{"a":1}]})";
  c.created_on = "2026-11-27";
  c.submitted_on = "2026-11-28";
  c.received_on = "2026-11-30";
  c.accepted_on = "2026-12-01";
  c.deemed_accepted = true;
  c.correction_requested_on = "2026-11-29";
  c.correction_materials = {"营业执照复印件", "法定代表人身份证明"};
  c.correction_reason = "材料不全";
  c.correction_submitted_on = "2026-11-30";
  c.not_accepted_reason = "不属于本机关职权范围";
  c.where_to_apply = "潮州市卫生健康局";
  c.decided_on = "2026-12-20";
  c.delivered_on = "2026-12-22";
  c.withdrawn_on = "2026-12-02";

  core::CasePart p;
  p.seq = 1;
  p.item_code = "SC-001";
  p.item_version_id = 42;
  p.item_name = "食品经营许可";
  p.department_code = "445100-SCJGJ";
  p.department_name = "潮州市市场监督管理局";
  p.result_name = "食品经营许可证";
  p.legal_limit_days = 19;
  p.promised_limit_days = 9;
  p.state = core::PartState::recheck;
  p.extension_days = 10;
  p.extension_reason = "情况复杂";
  p.suspensions = {{"2026-12-03", "2026-12-08", "检测", "需现场检测", 5, "review"},
                   {"2026-12-10", "", "专家评审", "组织专家评审", 3, "decision"}};
  p.opinions = {{"review", "rev-1", "王审查", "材料齐全，建议准予", true, "2026-12-02"},
                {"recheck", "rev-2", "陈复核", "不同意", false, "2026-12-09"}};
  p.decided_on = "2026-12-19";
  p.reasons = {"场所不符合要求", "未提供检测报告"};
  core::CasePart p2;
  p2.seq = 2;
  p2.item_code = "WS-002";
  p2.state = core::PartState::closed;
  c.parts = {p, p2};

  core::Task t;
  t.id = 3;
  t.part_seq = 1;
  t.stage = core::TaskStage::delivery;
  t.department_code = "445100-SCJGJ";
  t.state = core::TaskState::cancelled;
  t.assignee_id = "rev-1";
  t.assignee_name = "王审查";
  t.created_on = "2026-12-01";
  t.done_on = "2026-12-02";
  c.tasks = {t};
  c.next_task_id = 4;
  return c;
}

void expect_same(const Case& a, const Case& b) {
  EXPECT_EQ(a.number, b.number);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.bundle_code, b.bundle_code);
  EXPECT_EQ(a.bundle_name, b.bundle_name);
  EXPECT_EQ(a.region_code, b.region_code);
  EXPECT_EQ(a.lead_department_code, b.lead_department_code);
  EXPECT_EQ(a.lead_department_name, b.lead_department_name);
  EXPECT_EQ(a.joint_limit_days, b.joint_limit_days);
  EXPECT_EQ(a.joint_extension_days, b.joint_extension_days);
  EXPECT_EQ(a.joint_extension_reason, b.joint_extension_reason);
  EXPECT_EQ(a.applicant_account_id, b.applicant_account_id);
  EXPECT_EQ(a.applicant_kind, b.applicant_kind);
  EXPECT_EQ(a.applicant_name, b.applicant_name);
  EXPECT_EQ(a.applicant_id_masked, b.applicant_id_masked);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.filed_by_id, b.filed_by_id);
  EXPECT_EQ(a.filed_by_name, b.filed_by_name);
  EXPECT_EQ(a.data_json, b.data_json);
  EXPECT_EQ(a.created_on, b.created_on);
  EXPECT_EQ(a.submitted_on, b.submitted_on);
  EXPECT_EQ(a.received_on, b.received_on);
  EXPECT_EQ(a.accepted_on, b.accepted_on);
  EXPECT_EQ(a.deemed_accepted, b.deemed_accepted);
  EXPECT_EQ(a.correction_requested_on, b.correction_requested_on);
  EXPECT_EQ(a.correction_materials, b.correction_materials);
  EXPECT_EQ(a.correction_reason, b.correction_reason);
  EXPECT_EQ(a.correction_submitted_on, b.correction_submitted_on);
  EXPECT_EQ(a.not_accepted_reason, b.not_accepted_reason);
  EXPECT_EQ(a.where_to_apply, b.where_to_apply);
  EXPECT_EQ(a.decided_on, b.decided_on);
  EXPECT_EQ(a.delivered_on, b.delivered_on);
  EXPECT_EQ(a.withdrawn_on, b.withdrawn_on);
  EXPECT_EQ(a.next_task_id, b.next_task_id);
  ASSERT_EQ(a.parts.size(), b.parts.size());
  for (std::size_t i = 0; i < a.parts.size(); ++i) {
    SCOPED_TRACE("part " + std::to_string(i));
    const core::CasePart& x = a.parts[i];
    const core::CasePart& y = b.parts[i];
    EXPECT_EQ(x.seq, y.seq);
    EXPECT_EQ(x.item_code, y.item_code);
    EXPECT_EQ(x.item_version_id, y.item_version_id);
    EXPECT_EQ(x.item_name, y.item_name);
    EXPECT_EQ(x.department_code, y.department_code);
    EXPECT_EQ(x.department_name, y.department_name);
    EXPECT_EQ(x.result_name, y.result_name);
    EXPECT_EQ(x.legal_limit_days, y.legal_limit_days);
    EXPECT_EQ(x.promised_limit_days, y.promised_limit_days);
    EXPECT_EQ(x.state, y.state);
    EXPECT_EQ(x.extension_days, y.extension_days);
    EXPECT_EQ(x.extension_reason, y.extension_reason);
    EXPECT_EQ(x.decided_on, y.decided_on);
    EXPECT_EQ(x.reasons, y.reasons);
    ASSERT_EQ(x.suspensions.size(), y.suspensions.size());
    for (std::size_t j = 0; j < x.suspensions.size(); ++j) {
      EXPECT_EQ(x.suspensions[j].from, y.suspensions[j].from);
      EXPECT_EQ(x.suspensions[j].until, y.suspensions[j].until);
      EXPECT_EQ(x.suspensions[j].procedure, y.suspensions[j].procedure);
      EXPECT_EQ(x.suspensions[j].reason, y.suspensions[j].reason);
      EXPECT_EQ(x.suspensions[j].days, y.suspensions[j].days);
      EXPECT_EQ(x.suspensions[j].resume_to, y.suspensions[j].resume_to);
    }
    ASSERT_EQ(x.opinions.size(), y.opinions.size());
    for (std::size_t j = 0; j < x.opinions.size(); ++j) {
      EXPECT_EQ(x.opinions[j].stage, y.opinions[j].stage);
      EXPECT_EQ(x.opinions[j].actor_id, y.opinions[j].actor_id);
      EXPECT_EQ(x.opinions[j].actor_name, y.opinions[j].actor_name);
      EXPECT_EQ(x.opinions[j].text, y.opinions[j].text);
      EXPECT_EQ(x.opinions[j].agree, y.opinions[j].agree);
      EXPECT_EQ(x.opinions[j].on, y.opinions[j].on);
    }
  }
  ASSERT_EQ(a.tasks.size(), b.tasks.size());
  for (std::size_t i = 0; i < a.tasks.size(); ++i) {
    const core::Task& x = a.tasks[i];
    const core::Task& y = b.tasks[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.part_seq, y.part_seq);
    EXPECT_EQ(x.stage, y.stage);
    EXPECT_EQ(x.department_code, y.department_code);
    EXPECT_EQ(x.state, y.state);
    EXPECT_EQ(x.assignee_id, y.assignee_id);
    EXPECT_EQ(x.assignee_name, y.assignee_name);
    EXPECT_EQ(x.created_on, y.created_on);
    EXPECT_EQ(x.done_on, y.done_on);
  }
}

TEST(CaseJson, EveryMemberSurvivesARoundTrip) {
  const Case c = full_case();
  const std::string text = case_to_json(c);
  auto back = case_from_json(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  expect_same(c, *back);
  // Writing what was read gives the same text: nothing is lost or invented.
  EXPECT_EQ(case_to_json(*back), text);
}

TEST(CaseJson, DefaultCaseRoundTrips) {
  const Case c;
  auto back = case_from_json(case_to_json(c));
  ASSERT_TRUE(back.ok()) << back.error().message;
  expect_same(c, *back);
}

TEST(CaseJson, EnumsAreWrittenByName) {
  const std::string text = case_to_json(full_case());
  for (const char* needle :
       {R"("state":"suspended")", R"("channel":"window")", R"("state":"recheck")",
        R"("stage":"delivery")", R"("state":"cancelled")", R"("resume_to":"review")"}) {
    EXPECT_NE(text.find(needle), std::string::npos) << needle << " in " << text;
  }
}

TEST(CaseJson, MissingMembersKeepTheirDefaults) {
  // A document from before most members existed.
  auto c = case_from_json(
      R"({"number":"4451002026112800001","state":"submitted","parts":[{"item_code":"SC-001"}],
          "tasks":[{"id":1}]})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->number, "4451002026112800001");
  EXPECT_EQ(c->state, CaseState::submitted);
  EXPECT_EQ(c->version, 0);
  EXPECT_EQ(c->joint_limit_days, 45);
  EXPECT_EQ(c->channel, core::Channel::online);
  EXPECT_EQ(c->next_task_id, 1);
  ASSERT_EQ(c->parts.size(), 1u);
  EXPECT_EQ(c->parts[0].legal_limit_days, 20);
  EXPECT_EQ(c->parts[0].state, core::PartState::pending);
  EXPECT_TRUE(c->parts[0].opinions.empty());
  ASSERT_EQ(c->tasks.size(), 1u);
  EXPECT_EQ(c->tasks[0].part_seq, -1);
  EXPECT_EQ(c->tasks[0].state, core::TaskState::open);
  // null counts as absent.
  auto n = case_from_json(R"({"state":null,"bundle_code":null,"parts":null})");
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(n->state, CaseState::draft);
  EXPECT_TRUE(n->bundle_code.empty());
}

TEST(CaseJson, UnknownMembersAreIgnored) {
  // A document from a newer model, with members this binary does not know.
  auto c = case_from_json(
      R"({"number":"X1","priority":"high","parts":[{"seq":0,"new_clock":{"a":[1,2]}}],
          "future":[1,2,3],"version":3})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->number, "X1");
  EXPECT_EQ(c->version, 3);
  ASSERT_EQ(c->parts.size(), 1u);
}

struct BadDoc {
  const char* text;
  const char* field;  // the JSON path reported
};

TEST(CaseJson, DamagedDocumentsNameTheMemberAtFault) {
  const std::vector<BadDoc> cases = {
      {"not json", "$"},
      {"[1,2]", "$"},
      {R"({"version":"7"})", "version"},
      {R"({"version":1.5})", "version"},
      {R"({"state":"lost"})", "state"},
      {R"({"channel":1})", "channel"},
      {R"({"deemed_accepted":"yes"})", "deemed_accepted"},
      {R"({"correction_materials":["a",2]})", "correction_materials[1]"},
      {R"({"parts":{}})", "parts"},
      {R"({"parts":[{},{"state":"maybe"}]})", "parts[1].state"},
      {R"({"parts":[{"suspensions":[{"days":"5"}]}]})", "parts[0].suspensions[0].days"},
      {R"({"parts":[{"opinions":[1]}]})", "parts[0].opinions[0]"},
      {R"({"tasks":[{"stage":"lunch"}]})", "tasks[0].stage"},
      {R"({"tasks":[{"part_seq":99999999999}]})", "tasks[0].part_seq"},
  };
  for (const BadDoc& d : cases) {
    SCOPED_TRACE(d.text);
    auto c = case_from_json(d.text);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(c.error().code, "case_json_invalid");
    EXPECT_EQ(c.error().field, d.field);
  }
}

// ---- names of the case enums ---------------------------------------------------------------

struct StateName {
  CaseState state;
  const char* name;
  const char* label;
  bool decided_or_closed;
};

TEST(CaseNames, States) {
  const std::vector<StateName> table = {
      {CaseState::draft, "draft", "草稿", false},
      {CaseState::submitted, "submitted", "已提交", false},
      {CaseState::correction_requested, "correction_requested", "待补正", false},
      {CaseState::accepted, "accepted", "已受理", false},
      {CaseState::not_accepted, "not_accepted", "不予受理", true},
      {CaseState::in_review, "in_review", "审查中", false},
      {CaseState::suspended, "suspended", "特别程序", false},
      {CaseState::approved, "approved", "准予许可", true},
      {CaseState::refused, "refused", "不予许可", true},
      {CaseState::withdrawn, "withdrawn", "已撤回", true},
      {CaseState::delivered, "delivered", "已办结", true},
  };
  for (const StateName& s : table) {
    EXPECT_EQ(core::to_string(s.state), s.name);
    EXPECT_EQ(core::label(s.state), s.label);
    EXPECT_EQ(core::parse_case_state(s.name), s.state);
    EXPECT_EQ(core::is_decided_or_closed(s.state), s.decided_or_closed) << s.name;
  }
  EXPECT_FALSE(core::parse_case_state("Draft"));
  EXPECT_FALSE(core::parse_case_state(""));
}

TEST(CaseNames, Actions) {
  const std::vector<std::tuple<core::CaseAction, const char*, const char*>> table = {
      {core::CaseAction::submit, "submit", "提交"},
      {core::CaseAction::accept, "accept", "受理"},
      {core::CaseAction::request_correction, "request_correction", "补正告知"},
      {core::CaseAction::refuse_acceptance, "refuse_acceptance", "不予受理"},
      {core::CaseAction::submit_correction, "submit_correction", "提交补正材料"},
      {core::CaseAction::claim, "claim", "签收"},
      {core::CaseAction::review_opinion, "review_opinion", "审查意见"},
      {core::CaseAction::return_to_review, "return_to_review", "退回"},
      {core::CaseAction::approve, "approve", "准予"},
      {core::CaseAction::refuse, "refuse", "不予"},
      {core::CaseAction::suspend, "suspend", "暂停计时(特别程序)"},
      {core::CaseAction::resume, "resume", "恢复计时"},
      {core::CaseAction::extend, "extend", "延期"},
      {core::CaseAction::withdraw, "withdraw", "撤回"},
      {core::CaseAction::deliver, "deliver", "办结送达"},
  };
  for (const auto& [action, name, label] : table) {
    EXPECT_EQ(core::to_string(action), name);
    EXPECT_EQ(core::label(action), label);
    EXPECT_EQ(core::parse_case_action(name), action);
  }
  EXPECT_FALSE(core::parse_case_action("delete"));
}

TEST(CaseNames, PartsTasksAndChannels) {
  const std::vector<std::tuple<core::PartState, const char*, const char*>> parts = {
      {core::PartState::pending, "pending", "待受理"},
      {core::PartState::review, "review", "审查"},
      {core::PartState::recheck, "recheck", "复核"},
      {core::PartState::decision, "decision", "审批"},
      {core::PartState::suspended, "suspended", "特别程序"},
      {core::PartState::approved, "approved", "准予"},
      {core::PartState::refused, "refused", "不予"},
      {core::PartState::closed, "closed", "已终止"},
  };
  for (const auto& [state, name, label] : parts) {
    EXPECT_EQ(core::to_string(state), name);
    EXPECT_EQ(core::label(state), label);
    EXPECT_EQ(core::parse_part_state(name), state);
  }
  const std::vector<std::tuple<core::TaskStage, const char*, const char*>> stages = {
      {core::TaskStage::acceptance, "acceptance", "受理"},
      {core::TaskStage::review, "review", "审查"},
      {core::TaskStage::recheck, "recheck", "复核"},
      {core::TaskStage::decision, "decision", "审批"},
      {core::TaskStage::delivery, "delivery", "送达"},
  };
  for (const auto& [stage, name, label] : stages) {
    EXPECT_EQ(core::to_string(stage), name);
    EXPECT_EQ(core::label(stage), label);
    EXPECT_EQ(core::parse_task_stage(name), stage);
  }
  for (core::TaskState s :
       {core::TaskState::open, core::TaskState::done, core::TaskState::cancelled}) {
    EXPECT_EQ(core::parse_task_state(core::to_string(s)), s);
  }
  EXPECT_EQ(core::to_string(core::Channel::online), "online");
  EXPECT_EQ(core::to_string(core::Channel::window), "window");
  EXPECT_EQ(core::parse_channel("window"), core::Channel::window);
  EXPECT_FALSE(core::parse_channel("mail"));
}

TEST(CaseModel, PartForItem) {
  const Case c = full_case();
  ASSERT_NE(c.part_for_item("WS-002"), nullptr);
  EXPECT_EQ(c.part_for_item("WS-002")->seq, 2);
  EXPECT_EQ(c.part_for_item("SC-001"), &c.parts[0]);
  EXPECT_EQ(c.part_for_item("NONE"), nullptr);
  EXPECT_EQ(Case{}.part_for_item(""), nullptr);
}

}  // namespace
}  // namespace shenpi::app
