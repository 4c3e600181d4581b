#pragma once
// Rectification notices (整改通知, Art. 28) and the signals of the supervision dashboard.
// Pure: "today" and the calendar are passed in.
//
// A notice is issued by the service centre or the supervision bureau to a department with
// a reply deadline in working days; the department's business lead answers it once. Its
// status is derived on reading, like the case clocks: an unanswered notice past its
// deadline is overdue (red) without anything being written.
#include <optional>
#include <string>
#include <string_view>

#include "core/calendar/date.h"
#include "core/calendar/working_calendar.h"
#include "core/result.h"

namespace shenpi::core {

//! What is stored: open until the department answers.
enum class NoticeState { open, answered };
std::string_view to_string(NoticeState);
std::optional<NoticeState> parse_notice_state(std::string_view);

//! What is shown, derived from the state, the deadline, the reply day and today.
enum class NoticeStatus {
  awaiting,       //!< 待答复: open, deadline not passed
  overdue,        //!< 逾期未答复 (red): open, today after the deadline
  answered,       //!< 已答复: answered on or before the deadline
  answered_late,  //!< 逾期答复: answered after the deadline
};
std::string_view to_string(NoticeStatus);  //!< "awaiting", "overdue", …
std::string_view label(NoticeStatus);      //!< 待答复, 逾期未答复, 已答复, 逾期答复
std::optional<NoticeStatus> parse_notice_status(std::string_view);
//! green for awaiting and answered, red for overdue and answered_late.
bool is_red(NoticeStatus);

//! The status on `today` of a notice due `reply_due_on`, answered on `replied_on` (dates as
//! YYYY-MM-DD, compared as text; replied_on "" when unanswered).
NoticeStatus notice_status(NoticeState state, std::string_view reply_due_on,
                           std::string_view replied_on, std::string_view today);

//! Limits of what a notice and a reply may hold (characters, i.e. UTF-8 code points).
inline constexpr int kNoticeSubjectMax = 100;
inline constexpr int kNoticeBodyMax = 4000;
inline constexpr int kNoticeReplyMax = 4000;
inline constexpr int kNoticeReplyDaysMax = 60;

//! What issuing checks: subject 1–100 characters (invalid_input "subject_required" /
//! "subject_too_long", field "subject"), body 1–4000 ("body_required" / "body_too_long",
//! field "body"), reply days 1–60 ("bad_reply_days", field "reply_days").
Result<void> validate_notice(std::string_view subject, std::string_view body, int reply_days);
//! What answering checks: 1–4000 characters ("reply_required" / "reply_too_long", field
//! "reply").
Result<void> validate_reply(std::string_view reply);

//! The reply deadline: `reply_days` working days after `issued_on` (the issuing day not
//! counted). Provisional (Monday–Friday) for a year without schedule, so that issuing is
//! never blocked by a missing calendar year.
Date reply_due_on(const WorkingCalendar& calendar, Date issued_on, int reply_days);

//! The dashboard's signal of an open case by its due date alone: red when due before
//! today, yellow when due within `yellow_days` working days (today .. yellow_until, see
//! below), green after. (The case page's clock also turns yellow at a share of the limit;
//! the dashboard counts by due date only, which it can do without reading each case.)
enum class DueSignal { green, yellow, red };
std::string_view to_string(DueSignal);  //!< "green", "yellow", "red"
std::string_view label(DueSignal);      //!< 绿灯, 黄灯, 红灯
//! The last day still yellow: `yellow_days` working days after today (provisional).
Date yellow_until(const WorkingCalendar& calendar, Date today, int yellow_days);
DueSignal due_signal(std::string_view due_on, std::string_view today,
                     std::string_view yellow_until);

//! Working days an overdue case is late on `today` (0 when not overdue; provisional).
int working_days_late(const WorkingCalendar& calendar, Date due_on, Date today);

//! Number of UTF-8 code points in `text` (what the limits above count).
int utf8_length(std::string_view text);

}  // namespace shenpi::core
