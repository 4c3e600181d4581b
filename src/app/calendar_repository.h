#pragma once
// The port through which the calendar use cases reach storage: the years an administrator
// entered or imported. Years shipped with the binary (data/calendar/) are not stored;
// a stored year replaces the shipped one. Implemented in src/store/calendar_store.cpp
// for SQLite and PostgreSQL; tests/contract/calendar_store_test.cpp holds both to it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar/working_calendar.h"
#include "core/result.h"

namespace shenpi::app {

class CalendarRepository {
 public:
  virtual ~CalendarRepository() = default;

  //! Every stored year, ascending, lists sorted ascending.
  virtual Result<std::vector<core::YearSchedule>> years() = 0;
  //! The stored year, or nullopt.
  virtual Result<std::optional<core::YearSchedule>> year(int year) = 0;
  //! Replaces the stored schedule of s.year in one transaction (all-or-nothing), noting
  //! who (an account id, or "system") and when. The caller has validated `s`.
  virtual Result<void> put_year(const core::YearSchedule& s, const std::string& updated_by,
                                std::int64_t updated_at_unix_ms) = 0;
};

}  // namespace shenpi::app
