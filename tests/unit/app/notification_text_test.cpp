// The words of notifications: subject and body per case topic, tolerant payloads, and no
// ID numbers or phone numbers in anything a recipient reads.
#include <gtest/gtest.h>

#include <string>

#include "app/inbox_service.h"
#include "app/notification_text.h"

namespace shenpi::app {
namespace {

OutboxEvent event(std::string topic, std::string payload, std::string number = "") {
  OutboxEvent e;
  e.event_id = std::string(32, 'a');
  e.topic = std::move(topic);
  e.payload_json = std::move(payload);
  e.case_number = std::move(number);
  return e;
}

constexpr const char* kFull =
    R"({"number":"445100-20240501-0001","item_name":"食品经营许可","state":"accepted",)"
    R"("state_label":"已受理","department_name":"潮州市市场监督管理局","reason":""})";

struct TopicCase {
  const char* topic;
  const char* subject_start;  // what the subject opens with
  const char* body_has;       // a phrase the body must contain
};

TEST(NotificationText, EachCaseTopicHasItsOwnWords) {
  const TopicCase cases[] = {
      {"case.submitted", "申请已提交", "已提交成功"},
      {"case.accepted", "已受理", "已受理"},
      {"case.correction_requested", "需补正材料", "一次性补齐"},
      {"case.not_accepted", "不予受理", "不予受理"},
      {"case.suspended", "进入特别程序", "不计入办理时限"},
      {"case.extended", "办理时限延长", "批准延长"},
      {"case.approved", "准予行政许可", "准予行政许可的决定"},
      {"case.refused", "不予行政许可", "行政复议或者提起行政诉讼"},
      {"case.withdrawn", "申请已撤回", "已撤回"},
      {"case.delivered", "已办结", "已办结"},
      {"case.something_new", "办件状态有更新", "办理状态有更新"},
  };
  for (const TopicCase& c : cases) {
    const Notification n = notification_text(event(c.topic, kFull));
    EXPECT_EQ(n.subject.rfind(c.subject_start, 0), 0u) << c.topic << ": " << n.subject;
    EXPECT_NE(n.subject.find("食品经营许可"), std::string::npos) << c.topic;
    EXPECT_NE(n.subject.find("445100-20240501-0001"), std::string::npos) << c.topic;
    EXPECT_NE(n.body.find(c.body_has), std::string::npos) << c.topic << ": " << n.body;
    EXPECT_NE(n.body.find("潮州市市场监督管理局"), std::string::npos) << c.topic;
  }
}

TEST(NotificationText, FullPayloadReadsAsALetter) {
  const Notification n = notification_text(event("case.accepted", kFull));
  EXPECT_EQ(n.subject, "已受理：食品经营许可（办件编号 445100-20240501-0001）");
  EXPECT_EQ(n.body,
            "您好：\n\n"
            "您申请的“食品经营许可”（办件编号：445100-20240501-0001）已受理，请留意审批进度。\n"
            "\n当前状态：已受理\n办理单位：潮州市市场监督管理局\n"
            "\n请登录潮州市网上行政审批系统查看详情。\n本消息由系统自动发送，请勿直接回复。\n");
}

TEST(NotificationText, ToleratesMissingOrOddPayloads) {
  struct Case {
    const char* payload;
    const char* subject;
  };
  const Case cases[] = {
      {"", "不予受理（办件编号 N-1）"},
      {"not json", "不予受理（办件编号 N-1）"},
      {"[1,2]", "不予受理（办件编号 N-1）"},
      {R"({"item_name":42,"number":null})", "不予受理（办件编号 N-1）"},
      {R"({"item_name":"建设工程规划许可"})", "不予受理：建设工程规划许可（办件编号 N-1）"},
      {R"({"number":"N-2"})", "不予受理（办件编号 N-2）"},
  };
  for (const Case& c : cases) {
    const Notification n = notification_text(event("case.not_accepted", c.payload, "N-1"));
    EXPECT_EQ(n.subject, c.subject) << c.payload;
    EXPECT_NE(n.body.find("不予受理"), std::string::npos) << c.payload;
  }
  const Notification bare = notification_text(event("case.accepted", "{}"));
  EXPECT_EQ(bare.subject, "已受理");
  EXPECT_NE(bare.body.find("您的办件已受理"), std::string::npos) << bare.body;
}

TEST(NotificationText, ReasonIsShownWhenGiven) {
  const Notification n = notification_text(
      event("case.refused", R"({"item_name":"食品经营许可","reason":"经营场所不符合卫生要求"})"));
  EXPECT_NE(n.body.find("原因说明：经营场所不符合卫生要求"), std::string::npos) << n.body;
}

TEST(NotificationText, NeverCarriesIdNumbersOrPhones) {
  const Notification n = notification_text(
      event("case.refused",
            R"({"number":"445100-20240501-0001","item_name":"许可 445102199003071234",)"
            R"("reason":"联系 13812345678 或 44510219900307123X","department_name":"X"})"));
  for (const std::string& text : {n.subject, n.body}) {
    EXPECT_EQ(text.find("445102199003071234"), std::string::npos) << text;
    EXPECT_EQ(text.find("13812345678"), std::string::npos) << text;
    EXPECT_EQ(text.find("44510219900307123X"), std::string::npos) << text;
  }
  EXPECT_NE(n.body.find("138****5678"), std::string::npos) << n.body;
  EXPECT_NE(n.body.find("445" + std::string(11, '*') + "123X"), std::string::npos) << n.body;
  // The case number is the system's own and stays whole.
  EXPECT_NE(n.subject.find("445100-20240501-0001"), std::string::npos);
}

TEST(NotificationText, RedactionTable) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"", ""},
      {"无号码", "无号码"},
      {"13812345678", "138****5678"},
      {"电话:13812345678。", "电话:138****5678。"},
      {"23812345678", "23812345678"},    // 11 digits not starting with 1: not a mobile
      {"138123456789", "138123456789"},  // 12 digits: neither
      {"445102199003071234", "445***********1234"},
      {"44510219900307123x", "445***********123x"},
      {"2024 年 5 月", "2024 年 5 月"},
      {"44510020240501000123", "44510020240501000123"},  // 20 digits: a case number
  };
  for (const Case& c : cases) EXPECT_EQ(redact_personal_numbers(c.in), c.out) << c.in;
}

TEST(NormaliseEmail, AcceptsPlainAddressesOnly) {
  struct Case {
    const char* in;
    const char* out;  // nullptr: refused
  };
  const Case cases[] = {
      {"li.lei@example.com", "li.lei@example.com"},
      {"  Li.Lei+cz@Example.GOV.cn ", "li.lei+cz@example.gov.cn"},
      {"a@b.cn", "a@b.cn"},
      {"", nullptr},
      {"li.lei", nullptr},
      {"@example.com", nullptr},
      {"li@localhost", nullptr},
      {"li@@example.com", nullptr},
      {"li@exa mple.com", nullptr},
      {"li@example.com\r\nRCPT TO:<x@y.z>", nullptr},
      {"li>@example.com", nullptr},
      {".li@example.com", nullptr},
      {"li@-example.com", nullptr},
      {"li@example..com", nullptr},
      {"李雷@example.com", nullptr},
  };
  for (const Case& c : cases) {
    Result<std::string> r = normalise_email(c.in);
    if (c.out == nullptr) {
      EXPECT_FALSE(r.ok()) << c.in;
      if (!r.ok()) {
        EXPECT_EQ(r.error().field, "email");
      }
    } else {
      ASSERT_TRUE(r.ok()) << c.in;
      EXPECT_EQ(*r, c.out);
    }
  }
  EXPECT_EQ(mask_email("li.lei@example.com"), "l***@example.com");
}

}  // namespace
}  // namespace shenpi::app
