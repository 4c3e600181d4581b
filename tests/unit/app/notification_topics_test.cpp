// The words of the notifications that are not about an applicant's own case: e-supervision
// warnings and rectification notices (to a department's business leads), complaints (to
// the bureau and the complainant) and ratings follow-ups. Each names what it is about in
// Chinese: the case number, the department, the rule's label, never an English code.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/notification_text.h"

namespace shenpi::app {
namespace {

OutboxEvent event(std::string topic, std::string payload, std::string number = "") {
  OutboxEvent e;
  e.event_id = std::string(32, 'b');
  e.topic = std::move(topic);
  e.payload_json = std::move(payload);
  e.case_number = std::move(number);
  return e;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// No English word of the system's own (topics, rule and state codes) reaches a reader.
void expect_no_codes(const Notification& n, const std::string& topic) {
  for (const char* code : {"supervision", "warning", "acceptance_late", "case_late", "complaint",
                           "rating", "follow_up", "notice", "answered", "appeal", "open"}) {
    EXPECT_FALSE(has(n.subject, code)) << topic << ": " << n.subject;
    EXPECT_FALSE(has(n.body, code)) << topic << ": " << n.body;
  }
}

constexpr const char* kWarning =
    R"({"number":"4451002026092800001","rule":"acceptance_late","rule_label":"受理超期",)"
    R"("days_late":3,"state_label":"电子监察警示","department_name":"潮州市市场监督管理局",)"
    R"("reason":"电子监察警示：受理超期，超期 3 个工作日"})";

TEST(NotificationTopics, WarningNamesCaseDepartmentRuleAndDays) {
  const Notification n = notification_text(event("supervision.warning", kWarning));
  EXPECT_EQ(n.subject, "电子监察警示：受理超期（办件编号 4451002026092800001）");
  EXPECT_TRUE(
      has(n.body, "贵单位（潮州市市场监督管理局）办理的办件（办件编号：4451002026092800001）"))
      << n.body;
  EXPECT_TRUE(has(n.body, "警示类型：受理超期，超期 3 个工作日")) << n.body;
  EXPECT_TRUE(has(n.body, "说明情况")) << n.body;
  EXPECT_FALSE(has(n.body, "您申请的")) << "the reader is the department, not the applicant";
  expect_no_codes(n, "supervision.warning");
}

TEST(NotificationTopics, WarningRuleLabelComesFromTheCodeNeverShowsTheCode) {
  struct Case {
    const char* payload;
    const char* subject;
  };
  const Case cases[] = {
      {R"({"number":"N-1","rule":"task_late","days_late":1})",
       "电子监察警示：办理环节超期（办件编号 N-1）"},
      {R"({"number":"N-1","rule":"no_reasons"})", "电子监察警示：决定未说明理由（办件编号 N-1）"},
      {R"({"number":"N-1","rule":"made_up_rule"})", "电子监察警示（办件编号 N-1）"},
      {R"({"number":"N-1","rule_label":"流程违规"})", "电子监察警示：流程违规（办件编号 N-1）"},
      {"not json", "电子监察警示（办件编号 N-9）"},
  };
  for (const Case& c : cases) {
    const Notification n = notification_text(event("supervision.warning", c.payload, "N-9"));
    EXPECT_EQ(n.subject, c.subject) << c.payload;
    EXPECT_FALSE(has(n.body, "made_up_rule")) << n.body;
    EXPECT_FALSE(has(n.body, "，超期 0 个工作日")) << n.body;
  }
}

TEST(NotificationTopics, EachTopicHasItsOwnWords) {
  struct Case {
    const char* topic;
    const char* payload;
    const char* case_number;
    const char* subject;   // exactly
    const char* body_has;  // a phrase the body must contain
  };
  const Case cases[] = {
      {"supervision.notice",
       R"({"notice_id":7,"item_name":"整改通知：受理超期问题整改","state_label":"待答复（答复期限 2026-10-20）",)"
       R"("department_name":"潮州市市场监督管理局","reason":"请核查超期原因。\n请于 2026-10-20 前答复。"})",
       "4451002026092800001", "整改通知：受理超期问题整改（办件编号 4451002026092800001）",
       "整改要求：请核查超期原因。\n请于 2026-10-20 前答复。"},
      {"supervision.notice_reply",
       R"({"notice_id":7,"item_name":"整改通知已答复：受理超期问题整改","state_label":"已答复",)"
       R"("department_name":"潮州市市场监督管理局","reason":"整改答复：已补办受理。"})",
       "", "整改通知已答复：受理超期问题整改",
       "潮州市市场监督管理局已答复整改通知“受理超期问题整改”。"},
      {"complaint.submitted",
       R"({"number":"TS2026101600001","item_name":"投诉（部门）","state":"submitted","state_label":"投诉待分办"})",
       "", "收到新投诉（投诉编号 TS2026101600001）", "请及时登记并分办调查"},
      {"complaint.assigned", R"({"number":"TS2026101600001","item_name":"投诉（办件）"})", "",
       "投诉已分办（投诉编号 TS2026101600001）", "已分办给您调查处理"},
      {"complaint.answered", R"({"number":"TS2026101600001","item_name":"投诉（办件）"})", "",
       "您的投诉已答复（投诉编号 TS2026101600001）", "确认满意或提出异议"},
      {"complaint.confirmed", R"({"number":"TS2026101600001"})", "",
       "投诉人已确认答复（投诉编号 TS2026101600001）", "该投诉办结"},
      {"complaint.disputed", R"({"number":"TS2026101600001"})", "",
       "投诉人对答复有异议（投诉编号 TS2026101600001）", "请及时复核处理"},
      {"rating.follow_up_opened",
       R"({"number":"4451002026110200001","item_name":"食品经营许可","state":"open",)"
       R"("state_label":"收到差评（不满意），请于 2026-11-09 前回访整改","department_name":"潮州市市场监督管理局"})",
       "", "收到差评，请回访整改：食品经营许可（办件编号 4451002026110200001）",
       "处理情况：收到差评（不满意），请于 2026-11-09 前回访整改"},
      {"rating.appeal",
       R"({"number":"4451002026110200001","item_name":"食品经营许可","state_label":"差评申诉待裁定",)"
       R"("department_name":"潮州市市场监督管理局"})",
       "", "差评申诉待裁定：食品经营许可（办件编号 4451002026110200001）",
       "潮州市市场监督管理局办理的“食品经营许可”"},
      {"rating.decide_appeal",
       R"({"number":"4451002026110200001","item_name":"食品经营许可","state_label":"差评申诉成立"})",
       "", "差评申诉已裁定：食品经营许可（办件编号 4451002026110200001）",
       "处理情况：差评申诉成立"},
  };
  for (const Case& c : cases) {
    const Notification n = notification_text(event(c.topic, c.payload, c.case_number));
    EXPECT_EQ(n.subject, c.subject) << c.topic;
    EXPECT_TRUE(has(n.body, c.body_has)) << c.topic << ": " << n.body;
    EXPECT_TRUE(has(n.body, "本消息由系统自动发送")) << c.topic;
    expect_no_codes(n, c.topic);
  }
}

TEST(NotificationTopics, ComplaintNumbersAreNotCaseNumbers) {
  const Notification n =
      notification_text(event("complaint.answered", R"({"number":"TS2026101600001"})"));
  EXPECT_FALSE(has(n.subject, "办件编号")) << n.subject;
  EXPECT_FALSE(has(n.body, "办件编号")) << n.body;
}

TEST(NotificationTopics, FreeTextIsMasked) {
  const Notification n = notification_text(
      event("supervision.notice_reply",
            R"({"item_name":"整改通知已答复：x","reason":"整改答复：已电话 13812345678 回访"})"));
  EXPECT_FALSE(has(n.body, "13812345678")) << n.body;
  EXPECT_TRUE(has(n.body, "138****5678")) << n.body;
}

}  // namespace
}  // namespace shenpi::app
