#pragma once
// The rules that move a case: which action is allowed in which state, what it changes,
// which notices it issues (law Art. 32–45). Pure: "today" and the calendar are passed in;
// who may act (roles, departments) is checked by the use case before it calls here, using
// required_role() and acting_department().
#include <cstdint>
#include <string>
#include <vector>

#include "core/calendar/working_calendar.h"
#include "core/cases/case.h"
#include "core/result.h"

namespace shenpi::core {

//! The working days an acceptance decision may take (law Art. 32): without a decision or a
//! correction notice within them, the application counts as accepted on the day received.
inline constexpr int kAcceptanceLimitDays = 5;
//! Delivery of the decision (law Art. 44).
inline constexpr int kDeliveryLimitDays = 10;
//! The one extension (law Art. 42): single department / joint handling.
inline constexpr int kExtensionDays = 10;
inline constexpr int kJointExtensionDays = 15;

//! Who acts.
struct CaseActor {
  std::string id;
  std::string name;
  std::string role;  //!< "applicant", "clerk", "reviewer", "approver", "system"
};

//! What the actor asks for; which members matter depends on the action.
struct CaseActionInput {
  CaseAction action = CaseAction::submit;
  int part_seq = -1;         //!< the part acted on (resolved by the use case); -1: case level
  std::int64_t task_id = 0;  //!< claim: the task; 0 = the part's (or case's) open task
  std::string reason;        //!< refusals, returns, suspension, extension, withdrawal
  std::string opinion;       //!< review_opinion: the opinion text
  bool agree = true;         //!< review_opinion: proposes approval
  std::vector<std::string> materials;  //!< request_correction: the missing materials
  std::string where_to_apply;          //!< refuse_acceptance: the competent body, optional
  std::string procedure;               //!< suspend: 检验, 检测, 鉴定, 专家评审, 听证 …
  int days = 0;                        //!< suspend: how long it takes; extend: days added
};

//! A document the transition issues (kinds named as core::DocumentKind's to_string).
struct NoticeOrder {
  std::string kind;  //!< "receipt", "acceptance_notice", "correction_notice", …
  int part_seq = -1;
};

struct CaseTransition {
  Case after;  //!< the changed case (version not bumped: the store does that)
  std::vector<CaseEvent> events;
  std::vector<NoticeOrder> notices;
  std::string topic;  //!< outbox topic, e.g. "case.accepted"
};

//! The role an action needs: "applicant" (the owner), "clerk", "reviewer" or "approver".
std::string_view required_role(CaseAction action);

//! The department whose staff take `action` on part `part_seq` (-1: case level): the lead
//! department for acceptance, correction and delivery (and a bundle's joint extension),
//! the part's department otherwise; "" for applicant actions.
std::string acting_department(const Case& c, CaseAction action, int part_seq);

//! Applies the action. Errors: conflict (code names the rule, message in Chinese) when the
//! state does not allow it; invalid_input with `field` for a missing reason, opinion,
//! materials or days. `now_unix_ms` stamps events; `today` is the case's date (China).
Result<CaseTransition> apply_case_action(const Case& before, const CaseActor& actor,
                                         const CaseActionInput& input,
                                         const WorkingCalendar& calendar, std::string_view today,
                                         std::int64_t now_unix_ms);

//! A new draft or submitted case is built by the use case; this issues what submission
//! does to a draft (state, dates, the acceptance task, the receipt). Same as
//! apply_case_action with CaseAction::submit.
Result<CaseTransition> submit_case(const Case& draft, const CaseActor& actor,
                                   const WorkingCalendar& calendar, std::string_view today,
                                   std::int64_t now_unix_ms);

//! The state of the case derived from its parts once accepted (accepted, in_review,
//! suspended, approved, refused).
CaseState derived_state(const Case& c);

}  // namespace shenpi::core
