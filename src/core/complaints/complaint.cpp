#include "core/complaints/complaint.h"

#include <algorithm>
#include <array>
#include <utility>

namespace shenpi::core {
namespace {

// Characters (code points) of UTF-8 text: continuation bytes are not counted.
std::size_t chars(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

Error invalid(std::string code, std::string message, std::string field) {
  return make_error(ErrorKind::invalid_input, std::move(code), std::move(message),
                    std::move(field));
}

// A required free text of at most `max` characters.
Result<std::string> required_text(std::string_view in, std::size_t max, std::string_view field,
                                  std::string_view what) {
  std::string t = trim(in);
  if (t.empty()) return invalid("required", "请填写" + std::string(what), std::string(field));
  if (chars(t) > max) {
    return invalid("too_long", std::string(what) + "不能超过 " + std::to_string(max) + " 个字",
                   std::string(field));
  }
  return t;
}

struct Names {
  std::string_view code, label;
};
constexpr std::array<Names, 3> kSubjects{
    {{"case", "办件"}, {"department", "单位"}, {"staff", "工作人员"}}};
constexpr std::array<Names, 5> kStates{{{"submitted", "待分派"},
                                        {"investigating", "调查中"},
                                        {"answered", "已答复"},
                                        {"confirmed", "已办结"},
                                        {"disputed", "有异议"}}};
constexpr std::array<Names, 4> kOutcomes{{{"none", "未答复"},
                                          {"upheld", "属实"},
                                          {"partly_upheld", "部分属实"},
                                          {"not_upheld", "不属实"}}};
constexpr std::array<Names, 4> kActions{
    {{"assign", "分派"}, {"answer", "答复"}, {"confirm", "确认满意"}, {"dispute", "提出异议"}}};

template <typename E, std::size_t N>
std::optional<E> parse(const std::array<Names, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i].code == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

bool owes_answer(ComplaintState s) {
  return s == ComplaintState::submitted || s == ComplaintState::investigating ||
         s == ComplaintState::disputed;
}

}  // namespace

std::optional<std::string> normalise_phone(std::string_view phone) {
  std::string digits;
  std::size_t hyphen_at = std::string::npos;
  for (const char c : phone) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '-') {
      if (hyphen_at == std::string::npos) hyphen_at = digits.size();
    } else if (c != ' ') {
      return std::nullopt;
    }
  }
  if (digits.size() == 11 && digits[0] == '1' && digits[1] >= '3') return digits;
  // Landline: 0, a 2–3 digit area code (with the 0: 3–4 digits), then 7–8 digits.
  if (!digits.empty() && digits[0] == '0') {
    std::size_t area = hyphen_at;
    if (area == std::string::npos) area = digits.size() - (digits.size() >= 12 ? 8 : 7);
    const std::size_t local = digits.size() - area;
    if (area >= 3 && area <= 4 && local >= 7 && local <= 8) {
      return digits.substr(0, area) + "-" + digits.substr(area);
    }
  }
  return std::nullopt;
}

Result<Complaint> new_complaint(const ComplaintInput& in) {
  Complaint c;
  const auto subject = parse_complaint_subject(in.subject);
  if (!subject) return invalid("bad_subject", "请选择投诉对象：办件、单位或工作人员", "subject");
  c.subject = *subject;
  c.case_number = trim(in.case_number);
  c.department_code = trim(in.department_code);
  c.staff_name = trim(in.staff_name);
  switch (c.subject) {
    case ComplaintSubject::case_matter:
      if (c.case_number.empty()) return invalid("required", "请填写办件编号", "case_number");
      break;
    case ComplaintSubject::department:
      if (c.department_code.empty())
        return invalid("required", "请选择被投诉单位", "department_code");
      break;
    case ComplaintSubject::staff:
      if (c.staff_name.empty()) {
        return invalid("required", "请填写被投诉工作人员的姓名或工号", "staff_name");
      }
      if (chars(c.staff_name) > kComplaintNameMax) {
        return invalid("too_long", "工作人员姓名或工号不能超过 50 个字", "staff_name");
      }
      break;
  }
  if (c.case_number.size() > 40)
    return invalid("bad_case_number", "办件编号格式不正确", "case_number");
  SHENPI_ASSIGN(c.content, required_text(in.content, kComplaintContentMax, "content", "投诉内容"));
  SHENPI_ASSIGN(c.contact_name,
                required_text(in.contact_name, kComplaintNameMax, "contact_name", "联系人姓名"));
  if (trim(in.contact_phone).empty()) return invalid("required", "请填写联系电话", "contact_phone");
  const auto phone = normalise_phone(in.contact_phone);
  if (!phone) {
    return invalid("phone_invalid", "联系电话应为 11 位手机号码或带区号的固定电话",
                   "contact_phone");
  }
  c.contact_phone = *phone;
  c.state = ComplaintState::submitted;
  return c;
}

Result<ComplaintTransition> apply_complaint_action(const Complaint& c,
                                                   const ComplaintActionInput& in,
                                                   const ComplaintActor& actor,
                                                   std::string_view today,
                                                   std::string_view due_on) {
  const auto denied = [] {
    return make_error(ErrorKind::forbidden, "complaint_action_denied", "您无权对该投诉执行此操作");
  };
  const auto wrong_state = [&] {
    return make_error(ErrorKind::conflict, "complaint_state",
                      "投诉当前状态为“" + std::string(label(c.state)) + "”，不能" +
                          std::string(label(in.action)));
  };
  ComplaintTransition t;
  t.after = c;
  Complaint& a = t.after;
  ComplaintEvent& e = t.event;
  e.on = std::string(today);
  e.actor_id = actor.id;
  e.actor_name = actor.name;
  e.action = std::string(to_string(in.action));
  e.from_state = std::string(to_string(c.state));

  switch (in.action) {
    case ComplaintAction::assign: {
      if (!actor.bureau) return denied();
      if (c.state != ComplaintState::submitted && c.state != ComplaintState::investigating &&
          c.state != ComplaintState::disputed) {
        return wrong_state();
      }
      if (trim(in.assignee_id).empty()) return invalid("required", "请选择承办人", "assignee_id");
      // The first deadline runs from filing (set then); a dispute starts a new
      // investigation with a new deadline; handing one over to a colleague moves nothing.
      if (c.state == ComplaintState::disputed) a.due_on = std::string(due_on);
      a.assignee_id = trim(in.assignee_id);
      a.assignee_name = trim(in.assignee_name);
      a.state = ComplaintState::investigating;
      e.actor_role = "supervisor";
      e.note = "承办人：" + (a.assignee_name.empty() ? a.assignee_id : a.assignee_name);
      break;
    }
    case ComplaintAction::answer: {
      if (!actor.bureau) return denied();
      if (c.state != ComplaintState::investigating) return wrong_state();
      if (actor.id != c.assignee_id) {
        return make_error(ErrorKind::forbidden, "not_assignee", "只有该投诉的承办人可以答复");
      }
      if (in.outcome == ComplaintOutcome::none) {
        return invalid("required", "请选择调查结论", "outcome");
      }
      SHENPI_ASSIGN(a.findings,
                    required_text(in.findings, kComplaintTextMax, "findings", "调查情况"));
      SHENPI_ASSIGN(a.answer, required_text(in.answer, kComplaintTextMax, "answer", "答复意见"));
      a.outcome = in.outcome;
      a.answered_on = std::string(today);
      a.state = ComplaintState::answered;
      e.actor_role = "supervisor";
      e.note = std::string(label(in.outcome));
      break;
    }
    case ComplaintAction::confirm: {
      if (!actor.complainant) return denied();
      if (c.state != ComplaintState::answered) return wrong_state();
      std::string note = trim(in.note);
      if (chars(note) > kComplaintTextMax) {
        return invalid("too_long", "意见不能超过 2000 个字", "note");
      }
      a.feedback = note;
      a.closed_on = std::string(today);
      a.state = ComplaintState::confirmed;
      e.actor_role = "complainant";
      e.note = std::move(note);
      break;
    }
    case ComplaintAction::dispute: {
      if (!actor.complainant) return denied();
      if (c.state != ComplaintState::answered) return wrong_state();
      SHENPI_ASSIGN(a.feedback, required_text(in.note, kComplaintTextMax, "note", "异议理由"));
      a.state = ComplaintState::disputed;
      a.disputes = c.disputes + 1;
      e.actor_role = "complainant";
      e.note = a.feedback;
      break;
    }
  }
  e.to_state = std::string(to_string(a.state));
  return t;
}

bool complaint_overdue(const Complaint& c, std::string_view today) {
  // ISO dates compare correctly as text.
  return owes_answer(c.state) && !c.due_on.empty() && today > std::string_view(c.due_on);
}

bool complaint_bureau_only(const Complaint& c) { return c.subject == ComplaintSubject::staff; }

std::vector<ComplaintAction> allowed_complaint_actions(const Complaint& c,
                                                       const ComplaintActor& actor) {
  std::vector<ComplaintAction> out;
  if (actor.bureau && owes_answer(c.state)) out.push_back(ComplaintAction::assign);
  if (actor.bureau && c.state == ComplaintState::investigating && actor.id == c.assignee_id) {
    out.push_back(ComplaintAction::answer);
  }
  if (actor.complainant && c.state == ComplaintState::answered) {
    out.push_back(ComplaintAction::confirm);
    out.push_back(ComplaintAction::dispute);
  }
  return out;
}

std::string_view to_string(ComplaintSubject s) {
  return kSubjects[static_cast<std::size_t>(s)].code;
}
std::string_view to_string(ComplaintState s) { return kStates[static_cast<std::size_t>(s)].code; }
std::string_view to_string(ComplaintOutcome s) {
  return kOutcomes[static_cast<std::size_t>(s)].code;
}
std::string_view to_string(ComplaintAction s) { return kActions[static_cast<std::size_t>(s)].code; }
std::string_view label(ComplaintSubject s) { return kSubjects[static_cast<std::size_t>(s)].label; }
std::string_view label(ComplaintState s) { return kStates[static_cast<std::size_t>(s)].label; }
std::string_view label(ComplaintOutcome s) { return kOutcomes[static_cast<std::size_t>(s)].label; }
std::string_view label(ComplaintAction s) { return kActions[static_cast<std::size_t>(s)].label; }
std::optional<ComplaintSubject> parse_complaint_subject(std::string_view s) {
  return parse<ComplaintSubject>(kSubjects, s);
}
std::optional<ComplaintState> parse_complaint_state(std::string_view s) {
  return parse<ComplaintState>(kStates, s);
}
std::optional<ComplaintOutcome> parse_complaint_outcome(std::string_view s) {
  return parse<ComplaintOutcome>(kOutcomes, s);
}
std::optional<ComplaintAction> parse_complaint_action(std::string_view s) {
  return parse<ComplaintAction>(kActions, s);
}

}  // namespace shenpi::core
