#include "core/supervision/rectification.h"

namespace shenpi::core {

std::string_view to_string(NoticeState s) { return s == NoticeState::open ? "open" : "answered"; }

std::optional<NoticeState> parse_notice_state(std::string_view s) {
  if (s == "open") return NoticeState::open;
  if (s == "answered") return NoticeState::answered;
  return std::nullopt;
}

std::string_view to_string(NoticeStatus s) {
  switch (s) {
    case NoticeStatus::awaiting:
      return "awaiting";
    case NoticeStatus::overdue:
      return "overdue";
    case NoticeStatus::answered:
      return "answered";
    case NoticeStatus::answered_late:
      return "answered_late";
  }
  return "awaiting";
}

std::string_view label(NoticeStatus s) {
  switch (s) {
    case NoticeStatus::awaiting:
      return "待答复";
    case NoticeStatus::overdue:
      return "逾期未答复";
    case NoticeStatus::answered:
      return "已答复";
    case NoticeStatus::answered_late:
      return "逾期答复";
  }
  return "待答复";
}

std::optional<NoticeStatus> parse_notice_status(std::string_view s) {
  for (NoticeStatus v : {NoticeStatus::awaiting, NoticeStatus::overdue, NoticeStatus::answered,
                         NoticeStatus::answered_late}) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

bool is_red(NoticeStatus s) {
  return s == NoticeStatus::overdue || s == NoticeStatus::answered_late;
}

NoticeStatus notice_status(NoticeState state, std::string_view reply_due_on,
                           std::string_view replied_on, std::string_view today) {
  // ISO dates compare as text. The deadline day itself is still in time.
  if (state == NoticeState::answered) {
    return replied_on > reply_due_on ? NoticeStatus::answered_late : NoticeStatus::answered;
  }
  return today > reply_due_on ? NoticeStatus::overdue : NoticeStatus::awaiting;
}

int utf8_length(std::string_view text) {
  int n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;  // count every byte that starts a code point
  }
  return n;
}

namespace {

// Blank text (spaces, tabs, line breaks, the ideographic space) counts as missing.
bool blank(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n') {
      ++i;
    } else if (text.substr(i, 3) == "\xE3\x80\x80") {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

Result<void> check_text(std::string_view text, int max, const char* field, const char* what) {
  if (blank(text)) {
    return make_error(ErrorKind::invalid_input, std::string(field) + "_required",
                      std::string("请填写") + what, field);
  }
  if (utf8_length(text) > max) {
    return make_error(ErrorKind::invalid_input, std::string(field) + "_too_long",
                      std::string(what) + "不能超过 " + std::to_string(max) + " 个字", field);
  }
  return ok_result();
}

}  // namespace

Result<void> validate_notice(std::string_view subject, std::string_view body, int reply_days) {
  SHENPI_TRY(check_text(subject, kNoticeSubjectMax, "subject", "通知标题"));
  SHENPI_TRY(check_text(body, kNoticeBodyMax, "body", "整改要求"));
  if (reply_days < 1 || reply_days > kNoticeReplyDaysMax) {
    return make_error(ErrorKind::invalid_input, "bad_reply_days",
                      "答复期限应为 1–" + std::to_string(kNoticeReplyDaysMax) + " 个工作日",
                      "reply_days");
  }
  return ok_result();
}

Result<void> validate_reply(std::string_view reply) {
  return check_text(reply, kNoticeReplyMax, "reply", "整改答复");
}

Date reply_due_on(const WorkingCalendar& calendar, Date issued_on, int reply_days) {
  return calendar.add_working_days_provisional(issued_on, reply_days).date;
}

std::string_view to_string(DueSignal s) {
  return s == DueSignal::red ? "red" : s == DueSignal::yellow ? "yellow" : "green";
}

std::string_view label(DueSignal s) {
  return s == DueSignal::red ? "红灯" : s == DueSignal::yellow ? "黄灯" : "绿灯";
}

Date yellow_until(const WorkingCalendar& calendar, Date today, int yellow_days) {
  return calendar.add_working_days_provisional(today, yellow_days < 0 ? 0 : yellow_days).date;
}

DueSignal due_signal(std::string_view due_on, std::string_view today,
                     std::string_view yellow_until) {
  if (due_on < today) return DueSignal::red;
  if (due_on <= yellow_until) return DueSignal::yellow;
  return DueSignal::green;
}

int working_days_late(const WorkingCalendar& calendar, Date due_on, Date today) {
  return calendar.working_days_between_provisional(due_on, today).days;
}

}  // namespace shenpi::core
