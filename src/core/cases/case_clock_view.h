#pragma once
// Which clock a case is on today and how it stands (DESIGN.md "The clock, precisely"):
//  - submitted: the acceptance clock, 5 working days from the day received; past it the
//    case counts as accepted from that day (deemed acceptance) and the decision clock runs;
//  - correction requested: the applicant's turn; no department clock runs;
//  - accepted, in review, suspended: the decision clock from the acceptance day, on the
//    promised limit (the legal one the hard wall), plus the extension, minus suspensions;
//    a bundle runs on the joint limit (45 days) while each part runs on its own item's;
//  - approved, refused: the delivery clock, 10 working days from the decision;
//  - otherwise closed.
#include <string>
#include <vector>

#include "core/calendar/working_calendar.h"
#include "core/cases/case.h"
#include "core/clock/case_clock.h"

namespace shenpi::core {

enum class ClockKind { none, acceptance, decision, delivery };
std::string_view to_string(ClockKind);
std::string_view label(ClockKind);  //!< 受理时限, 办理时限, 送达时限

struct ClockView {
  ClockKind kind = ClockKind::none;
  bool running = false;  //!< false: closed, or waiting for the applicant
  bool deemed_accepted = false;  //!< counted as accepted on the day received (Art. 32)
  ClockState state;              //!< meaningful when kind != none
};

struct TaskClock {
  std::int64_t task_id = 0;
  ClockState state;
};

struct CaseClocks {
  ClockView overall;
  std::vector<ClockView> parts;  //!< one per part, same order
  std::vector<TaskClock> tasks;  //!< one per open task
};

//! The clocks of `c` on `today`.
CaseClocks evaluate_case_clocks(const Case& c, const WorkingCalendar& calendar, Date today,
                                const ClockPolicy& policy = {});

}  // namespace shenpi::core
