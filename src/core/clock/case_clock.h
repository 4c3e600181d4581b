#pragma once
// The case clock of DESIGN.md "The clock, precisely": the deadline of a case or of a task
// inside it, in working days, with suspensions (特别程序: 听证, 检验, 检测, 鉴定, 专家评审 …,
// law Art. 45) and extensions (law Art. 42), and the yellow and red signals of
// e-supervision (电子监察).
//
// Counting rules (every day boundary is "not counted" for what follows it):
//  - the clock starts on `start`; the first counted day is the next working day;
//  - a suspension from S until R stops the clock after S: the days in (S, R] are not
//    counted, and the working days still left at S are counted again from R. So S itself
//    counts when it is a working day, R does not;
//  - a suspension that begins after the deadline already passed does not move it: the
//    case stays late, but the suspended days do not add to the days late;
//  - while a suspension is open the deadline is computed as if it were resumed today.
// Pure: "today" is an argument, and the calendar is passed in.
#include <optional>
#include <string_view>
#include <vector>

#include "core/calendar/working_calendar.h"

namespace shenpi::core {

//! Suspended on `from`, resumed on `until` (nullopt: still suspended).
struct Suspension {
  Date from;
  std::optional<Date> until;
};

struct ClockInput {
  Date start;                 //!< the day the clock starts (acceptance, task creation); not counted
  int limit_days = 20;        //!< the target limit (promised, or the task's limit)
  int legal_limit_days = 20;  //!< the hard wall (legal limit); == limit_days when only one
  int extension_days = 0;     //!< approved extensions, added to both limits
  std::vector<Suspension> suspensions;  //!< in order, non-overlapping
};

//! Yellow when the working days left are <= yellow_days OR < yellow_share × the limit
//! (target limit plus extensions).
struct ClockPolicy {
  int yellow_days = 2;
  double yellow_share = 0.2;
};

enum class Signal { green, yellow, red };
//! "green", "yellow", "red" (the API's names).
std::string_view to_string(Signal);
//! 绿灯, 黄灯, 红灯 (what the pages show).
std::string_view label(Signal);

struct ClockState {
  Date due;                   //!< end of this day is the (target) deadline
  Date legal_due;             //!< the hard wall
  int working_days_left = 0;  //!< working days in (today, due]; when overdue, minus days_late
  int days_late = 0;          //!< working days in (due, today] not suspended; 0 when on time
  int used_days = 0;          //!< working days counted so far (suspended days excluded)
  Signal signal = Signal::green;
  //! The clock is stopped today: it never turns red while suspended (a case already late
  //! when it was suspended stays red); `due` is computed as if resumed today.
  bool suspended = false;
  //! Some day in the computation lies in a year without schedule (weekends-only guess).
  bool provisional = false;
};

//! Evaluates the clock on `today`. Suspensions that begin after today are ignored; a
//! resumption date after today counts as still suspended. Negative limits count as 0.
ClockState evaluate_clock(const WorkingCalendar& cal, const ClockInput& in, Date today,
                          const ClockPolicy& policy = {});

}  // namespace shenpi::core
