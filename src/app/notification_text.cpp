#include "app/notification_text.h"

#include <boost/json.hpp>

#include <cstddef>

namespace shenpi::app {
namespace {

namespace json = boost::json;

struct TopicWords {
  std::string_view topic;
  std::string_view subject;   //!< what happened, short: "已受理"
  std::string_view sentence;  //!< the same as a sentence in the body
};

// The case topics the case engine emits ("case." + the action's result), in the
// established terms of the approval process.
constexpr TopicWords kTopics[] = {
    {"case.submitted", "申请已提交", "已提交成功，请等待受理。"},
    {"case.accepted", "已受理", "已受理，请留意审批进度。"},
    {"case.correction_requested", "需补正材料",
     "需要补正材料，请按补正告知书一次性补齐后重新提交。"},
    {"case.correction_submitted", "补正材料已提交", "的补正材料已提交，请等待受理。"},
    {"case.not_accepted", "不予受理", "不予受理。"},
    {"case.in_review", "进入审查", "已进入审查环节。"},
    {"case.suspended", "进入特别程序", "已进入特别程序，特别程序所需时间不计入办理时限。"},
    {"case.resumed", "恢复办理", "已恢复办理。"},
    {"case.extended", "办理时限延长", "的办理时限已经批准延长。"},
    {"case.approved", "准予行政许可", "已作出准予行政许可的决定。"},
    {"case.refused", "不予行政许可",
     "已作出不予行政许可的决定。如不服，可依法申请行政复议或者提起行政诉讼。"},
    {"case.withdrawn", "申请已撤回", "已撤回。"},
    {"case.delivered", "已办结", "已办结，审批结果已送达。"},
};

const TopicWords* words_for(std::string_view topic) {
  for (const TopicWords& w : kTopics) {
    if (w.topic == topic) return &w;
  }
  return nullptr;
}

// The string member `key` of `o`, or "" when missing or not a string.
std::string member(const json::object* o, std::string_view key) {
  if (o == nullptr) return {};
  const json::value* v = o->if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->as_string());
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string redact_personal_numbers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_digit(text[j])) ++j;
    std::size_t run = j - i;
    // A citizen ID may end in X: 17 digits and the check character.
    if (run == 17 && j < text.size() && (text[j] == 'X' || text[j] == 'x')) {
      ++j;
      ++run;
    }
    const bool id_like = run == 18;
    const bool mobile_like = run == 11 && text[i] == '1';
    if (id_like || mobile_like) {
      out.append(text.substr(i, 3));
      out.append(run - 7, '*');
      out.append(text.substr(j - 4, 4));
    } else {
      out.append(text.substr(i, run));
    }
    i = j;
  }
  return out;
}

Notification notification_text(const OutboxEvent& event) {
  boost::system::error_code ec;
  const json::value payload = json::parse(event.payload_json, ec);
  const json::object* o = (!ec && payload.is_object()) ? &payload.as_object() : nullptr;

  std::string number = member(o, "number");
  if (number.empty()) number = event.case_number;
  // The case number is the system's own; the free text may come from people.
  const std::string item = redact_personal_numbers(member(o, "item_name"));
  const std::string state = redact_personal_numbers(member(o, "state_label"));
  const std::string department = redact_personal_numbers(member(o, "department_name"));
  const std::string reason = redact_personal_numbers(member(o, "reason"));

  const TopicWords* w = words_for(event.topic);
  const std::string_view what = w != nullptr ? w->subject : "办件状态有更新";
  const std::string_view sentence = w != nullptr ? w->sentence : "的办理状态有更新。";

  Notification n;
  n.subject = std::string(what);
  if (!item.empty()) n.subject += "：" + item;
  if (!number.empty()) n.subject += "（办件编号 " + number + "）";

  std::string& b = n.body;
  b = "您好：\n\n";
  if (!item.empty()) {
    b += "您申请的“" + item + "”";
  } else {
    b += "您的办件";
  }
  if (!number.empty()) b += "（办件编号：" + number + "）";
  b += std::string(sentence) + "\n";
  if (!state.empty()) b += "\n当前状态：" + state;
  if (!department.empty()) b += "\n办理单位：" + department;
  if (!reason.empty()) b += "\n原因说明：" + reason;
  if (!state.empty() || !department.empty() || !reason.empty()) b += "\n";
  b += "\n请登录潮州市网上行政审批系统查看详情。\n本消息由系统自动发送，请勿直接回复。\n";
  return n;
}

}  // namespace shenpi::app
