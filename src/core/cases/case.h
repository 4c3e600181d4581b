#pragma once
// A case (办件): one application by one applicant, for one item or for a parallel-approval
// bundle (并联审批), from submission to delivery. Plain data; the rules that move it are in
// case_machine.h. Dates are ISO "YYYY-MM-DD" strings in China time, as the clock reads them.
//
// A case has one part (CasePart) per item: a single-item case has one, a bundle one per
// item. Each part is decided by its own department on its own clock; acceptance, correction
// and delivery belong to the case and are done by the lead department (牵头单位).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shenpi::core {

//! Where the case is, as the applicant and the API see it (issue 4, API section).
enum class CaseState {
  draft,                 //!< 草稿: saved, not submitted
  submitted,             //!< 已提交: waiting for the acceptance decision (受理)
  correction_requested,  //!< 待补正: one correction notice issued (一次告知)
  accepted,              //!< 已受理: accepted, no review opinion yet
  not_accepted,          //!< 不予受理
  in_review,             //!< 审查中
  suspended,             //!< 特别程序: every open part is suspended (检验、检测、鉴定…)
  approved,              //!< 准予许可: every part approved
  refused,               //!< 不予许可: every part decided, at least one refused
  withdrawn,             //!< 已撤回
  delivered,             //!< 已办结: the decision has been delivered (送达)
};

//! What someone does to a case (POST /api/v1/cases/{number}/actions).
enum class CaseAction {
  submit,              //!< applicant: a draft becomes an application
  accept,              //!< clerk of the lead department: 受理
  request_correction,  //!< clerk: 补正告知, once only, listing every missing material
  refuse_acceptance,   //!< clerk: 不予受理, with reasons (and where to apply instead)
  submit_correction,   //!< applicant: the corrected materials
  claim,               //!< staff: take an open task of their department (签收)
  review_opinion,      //!< reviewer: 审查意见 (first review, then recheck by another person)
  return_to_review,    //!< approver: send a part back to review with a reason (退回)
  approve,             //!< approver: 准予
  refuse,              //!< approver: 不予, with reasons
  suspend,             //!< reviewer/approver: special procedure (特别程序), clock stops
  resume,              //!< reviewer/approver: special procedure done, clock runs again
  extend,              //!< approver (department head): +10 working days once (+15 joint)
  withdraw,            //!< applicant: 撤回 before a decision
  deliver,             //!< clerk of the lead department: 办结/送达
};

//! The state of one department's part.
enum class PartState {
  pending,    //!< before acceptance
  review,     //!< 审查: waiting for the first review opinion
  recheck,    //!< 复核: waiting for the second reviewer (law Art. 34: two staff)
  decision,   //!< 审批: waiting for the approver's decision
  suspended,  //!< special procedure running
  approved,
  refused,
  closed,  //!< not accepted, withdrawn: never decided
};

//! The stage of a task in a department's work queue.
enum class TaskStage {
  acceptance,  //!< 受理 (clerk, lead department), 5 working days
  review,      //!< 审查 (reviewer)
  recheck,     //!< 复核 (a second reviewer)
  decision,    //!< 审批 (approver)
  delivery,    //!< 送达 (clerk, lead department), 10 working days after the decision
};

enum class TaskState { open, done, cancelled };

//! A special procedure that stops the clock (law Art. 45).
struct CaseSuspension {
  std::string from;   //!< the day it began (YYYY-MM-DD)
  std::string until;  //!< the day it ended; empty while it lasts
  std::string procedure;  //!< 检验, 检测, 鉴定, 专家评审, 听证 …
  std::string reason;
  int days = 0;  //!< how long the applicant was told it takes (working days)
  std::string resume_to;  //!< to_string(PartState) the part returns to when resumed
};

//! A review opinion (审查意见) or decision note.
struct Opinion {
  std::string stage;  //!< to_string(TaskStage)
  std::string actor_id;
  std::string actor_name;
  std::string text;
  bool agree = true;  //!< the reviewer proposes approval (false: proposes refusal)
  std::string on;     //!< date
};

struct CasePart {
  int seq = 0;  //!< 0-based position in the case
  std::string item_code;
  std::int64_t item_version_id = 0;
  std::string item_name;
  std::string department_code;
  std::string department_name;
  std::string result_name;  //!< e.g. 食品经营许可证
  int legal_limit_days = 20;
  int promised_limit_days = 20;
  PartState state = PartState::pending;
  int extension_days = 0;  //!< 0 or the one extension granted
  std::string extension_reason;
  std::vector<CaseSuspension> suspensions;
  std::vector<Opinion> opinions;
  std::string decided_on;                //!< date of approve / refuse
  std::vector<std::string> reasons;      //!< refusal reasons
};

struct Task {
  std::int64_t id = 0;  //!< unique within the case (1, 2, …); the store keys tasks by (case, id)
  int part_seq = -1;    //!< -1 for case-level tasks (acceptance, delivery)
  TaskStage stage = TaskStage::acceptance;
  std::string department_code;
  TaskState state = TaskState::open;
  std::string assignee_id;  //!< who claimed it; empty when unclaimed
  std::string assignee_name;
  std::string created_on;
  std::string done_on;
};

//! One entry of the case timeline: who did what, when, why. Every transition writes one.
struct CaseEvent {
  std::int64_t at_unix_ms = 0;
  std::string on;  //!< date
  std::string actor_id;
  std::string actor_name;
  std::string actor_role;  //!< "applicant", "clerk", "reviewer", "approver", "system"
  std::string department_code;
  std::string action;  //!< to_string(CaseAction), or "created"
  std::string from_state;
  std::string to_state;
  int part_seq = -1;
  std::string reason;  //!< reason / opinion text
  std::string detail;  //!< short machine detail, e.g. "days=10", "materials=3"
};

//! How the application reached the department.
enum class Channel { online, window };

struct Case {
  std::string number;  //!< 办件编号: region code + date + sequence, e.g. 4451002026112800001
  std::int64_t version = 0;  //!< optimistic concurrency: +1 per change
  CaseState state = CaseState::draft;
  std::string bundle_code;  //!< empty for a single item
  std::string bundle_name;
  std::string region_code;
  std::string lead_department_code;
  std::string lead_department_name;
  int joint_limit_days = 45;  //!< bundles: law Art. 42
  int joint_extension_days = 0;
  std::string joint_extension_reason;

  std::string applicant_account_id;
  std::string applicant_kind;  //!< "person" or "organisation"
  std::string applicant_name;
  std::string applicant_id_masked;  //!< masked ID number or credit code, for staff lists
  Channel channel = Channel::online;
  std::string filed_by_id;  //!< window mode: the clerk who filed it
  std::string filed_by_name;

  std::string data_json;  //!< the form data (app::form_data_to_json), validated

  std::string created_on;
  std::string submitted_on;  //!< first submission
  std::string received_on;   //!< the day the acceptance clock counts from (re-set by a correction)
  std::string accepted_on;   //!< the day the decision clock starts (the received day when deemed)
  bool deemed_accepted = false;  //!< accepted after the 5-day limit: counts from received_on
  std::string correction_requested_on;
  std::vector<std::string> correction_materials;  //!< the one notice's list
  std::string correction_reason;
  std::string correction_submitted_on;
  std::string not_accepted_reason;
  std::string where_to_apply;
  std::string decided_on;  //!< the day the last part was decided
  std::string delivered_on;
  std::string withdrawn_on;

  std::vector<CasePart> parts;
  std::vector<Task> tasks;
  std::int64_t next_task_id = 1;

  bool is_bundle() const { return !bundle_code.empty(); }
  //! The part with that item code (bundles), or nullptr.
  const CasePart* part_for_item(std::string_view item_code) const;
};

// ---- names ----------------------------------------------------------------------------
std::string_view to_string(CaseState);
std::string_view to_string(CaseAction);
std::string_view to_string(PartState);
std::string_view to_string(TaskStage);
std::string_view to_string(TaskState);
std::string_view to_string(Channel);
std::string_view label(CaseState);   //!< 草稿, 已提交, 待补正, 已受理 …
std::string_view label(CaseAction);  //!< 提交, 受理, 补正告知 …
std::string_view label(PartState);
std::string_view label(TaskStage);   //!< 受理, 审查, 复核, 审批, 送达
std::optional<CaseState> parse_case_state(std::string_view);
std::optional<CaseAction> parse_case_action(std::string_view);
std::optional<PartState> parse_part_state(std::string_view);
std::optional<TaskStage> parse_task_stage(std::string_view);
std::optional<TaskState> parse_task_state(std::string_view);
std::optional<Channel> parse_channel(std::string_view);

//! True once no more decisions can be taken (not_accepted, approved, refused, withdrawn,
//! delivered).
bool is_decided_or_closed(CaseState);

}  // namespace shenpi::core
