#pragma once
// E-supervision (电子监察, Art. 28): which warnings (警示) a case deserves on a given day.
// Pure: the case, its timeline, the calendar and "today" are passed in.
//
// A warning names the case, the department answerable, the rule and how late. The rules
// are what the regulation lets the system detect by itself:
//  - acceptance_late: no acceptance decision (受理 / 不予受理) within 5 working days of
//    receipt (law Art. 32), while it is still awaited or when it came late;
//  - correction_notice_late: the one correction notice (补正告知) issued after 5 working
//    days from the first submission;
//  - case_late: the case's decision clock (the promised limit, or a bundle's joint one)
//    past its due date, while running or as of the decision day;
//  - task_late: an open review, recheck or decision task of a single-item case past its
//    due date (the step holding the case up);
//  - opinion_late: a bundle's part (a parallel department's opinion and decision) past its
//    own limit, even when the joint case clock is on time;
//  - delivery_late: the decision not delivered (送达) within 10 working days (law Art. 44);
//  - no_reasons: a refusal, or a refusal to accept, without reasons (law Art. 38);
//  - flow_violation: a part decided without two reviewers' opinions (law Art. 34), or
//    returned to review without a reason.
// Days late are working days after the (target) due date, suspended days not counted;
// legal_days_late those after the legal limit, the hard wall. Rules that are not about
// time have days_late 0.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar/working_calendar.h"
#include "core/cases/case.h"
#include "core/clock/case_clock.h"

namespace shenpi::core {

enum class WarningRule {
  acceptance_late,
  correction_notice_late,
  case_late,
  task_late,
  opinion_late,
  delivery_late,
  no_reasons,
  flow_violation,
};

//! The API's names ("acceptance_late" …).
std::string_view to_string(WarningRule);
//! What the pages show: 受理超期, 补正告知超期, 办件超期 …
std::string_view label(WarningRule);
std::optional<WarningRule> parse_warning_rule(std::string_view);
//! Every rule, in declaration order.
const std::vector<WarningRule>& all_warning_rules();

//! open: found by the job; acknowledged: the department has seen it; closed: dealt with.
enum class WarningState { open, acknowledged, closed };
std::string_view to_string(WarningState);
std::string_view label(WarningState);  //!< 待处理, 已确认, 已关闭
std::optional<WarningState> parse_warning_state(std::string_view);

//! One warning a case deserves. (case, rule, part_seq, task_id) identifies it: the job
//! records each once and updates days_late as the days go by.
struct WarningFinding {
  WarningRule rule = WarningRule::case_late;
  int part_seq = -1;            //!< the part concerned; -1 for the case as a whole
  std::int64_t task_id = 0;     //!< the task concerned (task_late); 0 otherwise
  std::string department_code;  //!< the department answerable for it
  int days_late = 0;            //!< working days past the due date; 0 for rules not about time
  int legal_days_late = 0;      //!< working days past the legal limit (the hard wall)
  std::string due_on;           //!< the due date missed (YYYY-MM-DD); "" for rules not about time
  bool provisional = false;     //!< counted across a year without a holiday schedule

  bool operator==(const WarningFinding&) const = default;
};

//! The warnings `c` deserves on `today`, given its timeline `events` (oldest first), in
//! rule order. Empty for drafts. A warning once deserved stays deserved (lateness that
//! happened does not go away when the case moves on); only its days grow while the clock
//! it concerns still runs.
std::vector<WarningFinding> supervise_case(const Case& c, const std::vector<CaseEvent>& events,
                                           const WorkingCalendar& calendar, Date today,
                                           const ClockPolicy& policy = {});

}  // namespace shenpi::core
