#pragma once
// The working-day calendar of the Administrative Licensing Law (Art. 82: limits are working
// days, statutory holidays excluded). Per year, the State Council's holiday notice names
// the days off (放假) and the weekend days that are working days (调休上班); every other
// Saturday and Sunday is off and every other weekday is a working day.
//
// Counting follows the civil-law convention (民法典 Art. 201): the day an event happens is
// not counted; the first counted day is the next working day after it.
//
// Two forms of every question. The strict form fails when a day it has to look at lies in
// a year without a schedule: the calendar commands use it, so that nobody is ever given a
// silent guess. The provisional form counts Monday–Friday in such a year and says that it
// did: the case clock uses it (a deadline in next January is shown as provisional until
// that year's notice is loaded, then recomputed).
#include <cstdint>
#include <map>
#include <vector>

#include "core/calendar/date.h"
#include "core/result.h"

namespace shenpi::core {

//! One year's State Council schedule. Lists are kept as given (validate_schedule checks
//! them); WorkingCalendar sorts its own copy.
struct YearSchedule {
  int year = 0;
  std::vector<Date> days_off;      //!< 放假: off even when a weekday
  std::vector<Date> make_up_days;  //!< 调休上班: working even when a Saturday or Sunday
};

//! invalid_input when the year is outside 1–9999, a date is outside `year`, listed twice,
//! or in both lists. The error's field is "days_off" or "make_up_days" (the list at
//! fault) and its message (Chinese) names the date.
Result<void> validate_schedule(const YearSchedule&);

class WorkingCalendar {
 public:
  //! Adds or replaces the schedule of s.year. The caller validates first (a schedule that
  //! fails validate_schedule gives unspecified answers, never undefined behaviour).
  void set_year(YearSchedule s);
  bool has_year(int year) const;
  //! The years with a schedule, ascending.
  std::vector<int> years() const;
  //! The stored schedule (lists sorted ascending), or nullptr.
  const YearSchedule* schedule(int year) const;

  //! Strict forms: not_found "calendar_year_missing" (field "year"; the message, Chinese
  //! and English, names the year) when a day examined falls in a year without a schedule.
  Result<bool> is_working_day(Date d) const;
  //! The n-th working day after `from` (from itself not counted); n == 0 gives `from`.
  //! invalid_input "bad_days" for n < 0.
  Result<Date> add_working_days(Date from, int n) const;
  //! Working days in (from, to]; 0 when to <= from.
  Result<int> working_days_between(Date from, Date to) const;

  //! Provisional forms: a year without schedule counts Monday–Friday as working days, and
  //! `provisional` says whether any such day was examined.
  struct Dated {
    Date date;
    bool provisional = false;
  };
  struct Counted {
    int days = 0;
    bool provisional = false;
  };
  //! As add_working_days; n < 0 is treated as 0.
  Dated add_working_days_provisional(Date from, int n) const;
  Counted working_days_between_provisional(Date from, Date to) const;

 private:
  //! A year's days as the counting loops read them: working[i] is 1 when the i-th day of
  //! the year (0 = 1 January) is a working day. Built by set_year, so that a clock
  //! evaluation (tens of days, a few clocks per case, thousands of cases per supervision
  //! pass) looks up a byte per day instead of converting dates and searching the lists.
  struct YearTable {
    std::int64_t first_day = 0;  //!< days since 1970-01-01 of 1 January
    std::vector<std::uint8_t> working;
  };

  //! 1 working, 0 off, -1 when d's year has no schedule.
  int classify(Date d) const;
  //! Calls visit(day, kind) for each day after `from` in turn (day: days since
  //! 1970-01-01; kind: 1 working, 0 off, -1 no schedule for its year) until it returns
  //! false.
  template <typename Visit>
  void walk_after(Date from, Visit visit) const;

  std::map<int, YearSchedule> years_;
  std::map<int, YearTable> tables_;
};

//! The not_found "calendar_year_missing" error for `year`, as the strict forms return it.
Error calendar_year_missing(int year);

}  // namespace shenpi::core
