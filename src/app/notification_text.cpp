#include "app/notification_text.h"

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/supervision/warning_rules.h"

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

// The integer member `key` of `o`, or nullopt.
std::optional<std::int64_t> int_member(const json::object* o, std::string_view key) {
  if (o == nullptr) return std::nullopt;
  const json::value* v = o->if_contains(key);
  if (v == nullptr || !v->is_int64()) return std::nullopt;
  return v->as_int64();
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

constexpr std::string_view kClosing =
    "\n请登录潮州市网上行政审批系统查看详情。\n本消息由系统自动发送，请勿直接回复。\n";

// The members of a non-case topic's payload, free text already masked.
struct Facts {
  std::string number;  //!< a case number (or a complaint number for complaint topics)
  std::string item;
  std::string state;
  std::string department;
  std::string reason;
};

// 电子监察警示, to the department's business leads: the case, the department, the rule in
// Chinese (from the rule's code when given, never the code itself) and how late.
Notification warning_text(const json::object* o, const Facts& f) {
  std::string rule;
  if (const auto r = core::parse_warning_rule(member(o, "rule"))) rule = core::label(*r);
  if (rule.empty()) rule = redact_personal_numbers(member(o, "rule_label"));
  const std::int64_t days = int_member(o, "days_late").value_or(0);
  Notification n;
  n.subject = "电子监察警示";
  if (!rule.empty()) n.subject += "：" + rule;
  if (!f.number.empty()) n.subject += "（办件编号 " + f.number + "）";
  std::string& b = n.body;
  b = "您好：\n\n电子监察发现";
  b += f.department.empty() ? std::string("贵单位") : "贵单位（" + f.department + "）";
  b += "办理的办件";
  if (!f.number.empty()) b += "（办件编号：" + f.number + "）";
  b += "存在应予警示的情形，系统已记录电子监察警示。\n";
  if (!rule.empty()) {
    b += "\n警示类型：" + rule;
    if (days > 0) b += "，超期 " + std::to_string(days) + " 个工作日";
    b += "\n";
  }
  if (!f.department.empty()) b += "责任单位：" + f.department + "\n";
  b += "\n请及时核实情况、督促办理，并在系统中说明情况（电子监察 → 警示处理）。\n";
  b += kClosing;
  return n;
}

// 整改通知 and its answer (payload of RectificationService): item_name carries the title.
Notification notice_text(std::string_view topic, const Facts& f, const std::string& case_number) {
  const bool reply = topic == "supervision.notice_reply";
  Notification n;
  n.subject = !f.item.empty() ? f.item : std::string(reply ? "整改通知已答复" : "整改通知");
  if (!case_number.empty()) n.subject += "（办件编号 " + case_number + "）";
  // The notice's own title, without the prefix the payload gives it.
  std::string_view title = f.item;
  for (std::string_view prefix : {"整改通知已答复：", "整改通知："}) {
    if (starts_with(title, prefix)) title.remove_prefix(prefix.size());
  }
  const std::string quoted = title.empty() ? std::string() : "“" + std::string(title) + "”";
  std::string& b = n.body;
  b = "您好：\n\n";
  if (reply) {
    b += f.department.empty() ? std::string("被通知单位") : f.department;
    b += "已答复整改通知" + quoted + "。\n";
  } else {
    b += f.department.empty() ? std::string("贵单位") : "贵单位（" + f.department + "）";
    b += "收到政务服务中心或监察部门发出的整改通知" + quoted + "，请认真整改并按期答复。\n";
  }
  if (!case_number.empty()) b += "\n涉及办件：" + case_number;
  if (!f.state.empty()) b += "\n当前状态：" + f.state;
  if (!f.reason.empty()) b += std::string("\n") + (reply ? "" : "整改要求：") + f.reason;
  b += "\n";
  b += kClosing;
  return n;
}

// 投诉: the number is the complaint's (TS…), never a case number; nothing names the
// department complained about (the payload carries none on purpose).
Notification complaint_text(std::string_view topic, const Facts& f) {
  struct Words {
    std::string_view topic, subject, sentence;
  };
  static constexpr Words kWords[] = {
      {"complaint.submitted", "收到新投诉", "已提交，请及时登记并分办调查。"},
      {"complaint.assigned", "投诉已分办",
       "已分办给您调查处理，请在答复期限内调查核实并答复投诉人。"},
      {"complaint.answered", "您的投诉已答复",
       "已由监察部门答复。请登录系统查看答复内容，并确认满意或提出异议。"},
      {"complaint.confirmed", "投诉人已确认答复", "的答复已经投诉人确认，该投诉办结。"},
      {"complaint.disputed", "投诉人对答复有异议", "的答复投诉人提出异议，请及时复核处理。"},
  };
  std::string_view subject = "投诉办理状态有更新";
  std::string_view sentence = "的办理状态有更新。";
  for (const Words& w : kWords) {
    if (w.topic == topic) {
      subject = w.subject;
      sentence = w.sentence;
    }
  }
  Notification n;
  n.subject = std::string(subject);
  if (!f.number.empty()) n.subject += "（投诉编号 " + f.number + "）";
  std::string& b = n.body;
  b = "您好：\n\n";
  b += f.item.empty() ? std::string("投诉") : f.item;
  if (!f.number.empty()) b += "（投诉编号：" + f.number + "）";
  b += std::string(sentence) + "\n";
  if (!f.state.empty()) b += "\n当前状态：" + f.state + "\n";
  b += kClosing;
  return n;
}

// 好差评 follow-ups: a 差评 to the department's business leads, an appeal to the centre,
// the centre's decision back to the department.
Notification rating_text(std::string_view topic, const Facts& f) {
  std::string subject;
  std::string sentence;
  std::string ask;
  if (topic == "rating.follow_up_opened") {
    subject = "收到差评，请回访整改";
    sentence = "收到申请人差评。";
    ask =
        "请在期限内回访申请人，如实填写回访情况和整改结果；对评价有异议的，可向政务服务中心申诉。";
  } else if (topic == "rating.appeal") {
    subject = "差评申诉待裁定";
    sentence = "的差评，办理单位已提出申诉。";
    ask = "请政务服务中心及时审核并作出裁定。";
  } else if (topic == "rating.decide_appeal") {
    subject = "差评申诉已裁定";
    sentence = "的差评申诉，政务服务中心已作出裁定。";
  } else if (topic == "rating.callback") {
    subject = "差评回访已完成";
    sentence = "的差评回访整改已完成。";
  } else {
    subject = "评价处理状态有更新";
    sentence = "的评价处理状态有更新。";
  }
  Notification n;
  n.subject = subject;
  if (!f.item.empty()) n.subject += "：" + f.item;
  if (!f.number.empty()) n.subject += "（办件编号 " + f.number + "）";
  std::string& b = n.body;
  b = "您好：\n\n";
  if (topic == "rating.appeal") {
    b += f.department.empty() ? std::string("有关单位") : f.department;
  } else {
    b += "贵单位";
  }
  b += "办理的";
  b += f.item.empty() ? std::string("办件") : "“" + f.item + "”";
  if (!f.number.empty()) b += "（办件编号：" + f.number + "）";
  b += sentence + "\n";
  if (!f.state.empty()) b += "\n处理情况：" + f.state;
  if (!f.department.empty()) b += "\n办理单位：" + f.department;
  b += "\n";
  if (!ask.empty()) b += "\n" + ask + "\n";
  b += kClosing;
  return n;
}

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

  // The topics that are not about an applicant's own case speak to staff (or to a
  // complainant) in their own words.
  const Facts facts{number, item, state, department, reason};
  if (event.topic == "supervision.warning") return warning_text(o, facts);
  if (starts_with(event.topic, "supervision.notice")) {
    return notice_text(event.topic, facts, event.case_number);
  }
  if (starts_with(event.topic, "complaint.")) return complaint_text(event.topic, facts);
  if (starts_with(event.topic, "rating.")) return rating_text(event.topic, facts);

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
