#pragma once
// A complaint (投诉, Art. 13): anyone, signed in or not, complains about a case, a
// department or a staff member. Complaints go to the supervision bureau (监察局), never
// first to the department complained about; the bureau assigns one of its supervisors,
// who investigates, records the outcome and answers within a limit of working days; the
// complainant then confirms or disputes the answer. A dispute goes back to the bureau,
// which assigns again (and the limit runs again from the day of the dispute).
//
// Plain data and pure rules: no I/O, no clock ("today" and the due dates are passed in),
// no randomness (the number and the tracking code come from the caller).
//
//   submitted ──assign──▶ investigating ──answer──▶ answered ──confirm──▶ confirmed
//       ▲                   │  ▲ (assign again)        │
//       │                   └──┘                       └──dispute──▶ disputed ──assign──▶ …
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace shenpi::core {

//! What the complaint is about.
enum class ComplaintSubject {
  case_matter,  //!< "case": a case (办件), by its number
  department,   //!< "department": a department (单位)
  staff,        //!< "staff": a staff member, by name (visible to the bureau only)
};

enum class ComplaintState {
  submitted,      //!< 待分派: received by the bureau, nobody assigned yet
  investigating,  //!< 调查中: a supervisor is assigned
  answered,       //!< 已答复: outcome and answer recorded, waiting for the complainant
  confirmed,      //!< 已办结: the complainant accepted the answer
  disputed,       //!< 有异议: the complainant disputed the answer; back with the bureau
};

//! The finding of the investigation (调查结论).
enum class ComplaintOutcome {
  none,           //!< not answered yet
  upheld,         //!< 属实
  partly_upheld,  //!< 部分属实
  not_upheld,     //!< 不属实
};

enum class ComplaintAction {
  assign,   //!< bureau: hand the complaint to a supervisor (again after a dispute)
  answer,   //!< the assigned supervisor: outcome, findings, answer to the complainant
  confirm,  //!< complainant: accepts the answer
  dispute,  //!< complainant: disputes the answer, with a reason
};

//! One entry of a complaint's history.
struct ComplaintEvent {
  std::int64_t at_unix_ms = 0;
  std::string on;  //!< date
  std::string actor_id;
  std::string actor_name;
  std::string actor_role;  //!< "complainant" or "supervisor"
  std::string action;      //!< "created" or to_string(ComplaintAction)
  std::string from_state;
  std::string to_state;
  std::string note;
};

struct Complaint {
  std::string number;  //!< 投诉编号: "TS" + YYYYMMDD + 5-digit sequence
  std::int64_t version = 0;
  ComplaintState state = ComplaintState::submitted;
  ComplaintSubject subject = ComplaintSubject::case_matter;
  std::string case_number;      //!< subject case; may also be given for the others
  std::string department_code;  //!< subject department (or the department of the staff member)
  std::string department_name;
  std::string staff_name;  //!< subject staff: the person's name or work number as given
  std::string content;     //!< what happened, in the complainant's words

  std::string contact_name;
  std::string contact_phone;  //!< normalised; sealed at rest by the store's caller
  std::string account_id;     //!< the signed-in complainant; empty when anonymous
  std::string tracking_hash;  //!< hex SHA-256 of the tracking code (查询码)

  std::string filed_on;
  std::string due_on;  //!< the answer is due by the end of this day
  std::string assignee_id;
  std::string assignee_name;
  ComplaintOutcome outcome = ComplaintOutcome::none;
  std::string findings;  //!< the investigation's findings (internal to the bureau)
  std::string answer;    //!< the answer the complainant reads (答复意见)
  std::string answered_on;
  std::string feedback;  //!< the complainant's note when confirming or disputing
  std::string closed_on;
  int disputes = 0;
};

//! What a complainant submits.
struct ComplaintInput {
  std::string subject;  //!< "case", "department" or "staff"
  std::string case_number;
  std::string department_code;
  std::string staff_name;
  std::string content;
  std::string contact_name;
  std::string contact_phone;
};

//! An action on a complaint with its inputs.
struct ComplaintActionInput {
  ComplaintAction action = ComplaintAction::assign;
  std::string assignee_id;  //!< assign
  std::string assignee_name;
  ComplaintOutcome outcome = ComplaintOutcome::none;  //!< answer
  std::string findings;                               //!< answer
  std::string answer;                                 //!< answer
  std::string note;  //!< confirm (optional), dispute (required: the reason)
};

//! Who acts, as the rules need to know it.
struct ComplaintActor {
  std::string id;
  std::string name;
  bool bureau = false;       //!< holds the supervision permission
  bool complainant = false;  //!< the complainant (own account, or the tracking code)
};

constexpr std::size_t kComplaintContentMax = 2000;  //!< characters
constexpr std::size_t kComplaintTextMax = 2000;     //!< findings, answer, notes
constexpr std::size_t kComplaintNameMax = 50;

//! The complaint a valid input describes: state submitted, subject fields trimmed, the
//! phone normalised. invalid_input with `field` for the first problem: subject not one of
//! the three; the subject's own field missing (case_number for "case", department_code
//! for "department", staff_name for "staff"); content empty or longer than
//! kComplaintContentMax characters; contact_name empty or too long; contact_phone not a
//! mainland mobile (1[3-9] + 9 digits) or landline (0 + area code + 7–8 digits; blanks
//! and hyphens ignored). Number, dates, account and tracking hash are the caller's.
Result<Complaint> new_complaint(const ComplaintInput& input);

//! The complaint after `input` by `actor` on `today`, and the event it records.
//! forbidden "complaint_action_denied" when the actor may not take the action (assign and
//! answer: the bureau, answer only by the assignee; confirm and dispute: the
//! complainant); conflict "complaint_state" when the state does not allow it;
//! invalid_input with `field` for a missing assignee_id, outcome, findings, answer or
//! dispute reason, or text beyond kComplaintTextMax. `due_on` is the new answer deadline
//! when the action starts a new investigation after a dispute (assign from disputed),
//! else ignored: the first deadline is set when the complaint is filed. Version is left
//! to the caller.
struct ComplaintTransition {
  Complaint after;
  ComplaintEvent event;
};
Result<ComplaintTransition> apply_complaint_action(const Complaint& c,
                                                   const ComplaintActionInput& input,
                                                   const ComplaintActor& actor,
                                                   std::string_view today, std::string_view due_on);

//! True while the bureau owes an answer (submitted, investigating, disputed) and today
//! (YYYY-MM-DD) is after due_on.
bool complaint_overdue(const Complaint& c, std::string_view today);

//! True when only the bureau (and the complainant) may ever see the complaint: those
//! about a person. Others may also be read by the service centre (centre_admin); the
//! department complained about never reads a complaint here.
bool complaint_bureau_only(const Complaint& c);

//! The phone normalised (digits, and one '-' after a landline's area code), or nullopt.
std::optional<std::string> normalise_phone(std::string_view phone);

//! The actions `actor` may take now (for buttons; apply_complaint_action still checks).
std::vector<ComplaintAction> allowed_complaint_actions(const Complaint& c,
                                                       const ComplaintActor& actor);

std::string_view to_string(ComplaintSubject);
std::string_view to_string(ComplaintState);
std::string_view to_string(ComplaintOutcome);
std::string_view to_string(ComplaintAction);
std::optional<ComplaintSubject> parse_complaint_subject(std::string_view);
std::optional<ComplaintState> parse_complaint_state(std::string_view);
std::optional<ComplaintOutcome> parse_complaint_outcome(std::string_view);
std::optional<ComplaintAction> parse_complaint_action(std::string_view);
std::string_view label(ComplaintSubject);  //!< 办件, 单位, 工作人员
std::string_view label(ComplaintState);  //!< 待分派, 调查中, 已答复, 已办结, 有异议
std::string_view label(ComplaintOutcome);  //!< 属实, 部分属实, 不属实
std::string_view label(ComplaintAction);   //!< 分派, 答复, 确认满意, 提出异议

}  // namespace shenpi::core
