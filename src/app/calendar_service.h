#pragma once
// Use cases of the working-day calendar: the current WorkingCalendar (the years shipped in
// data/calendar/ plus the years stored by administrators; a stored year wins), reading a
// year, replacing a year (centre administrators, Permission::calendar_edit, audited) and
// the reminder that next year's schedule is missing.
//
// Thread-safe. calendar() hands out an immutable snapshot, so a clock computation never
// sees half of an edit. A node reloads the stored years when it edits one and on
// reload(); other nodes' edits become visible at their next reload().
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/account_service.h"
#include "app/audit_sink.h"
#include "app/calendar_repository.h"
#include "app/principal.h"
#include "core/calendar/working_calendar.h"

namespace shenpi::app {

//! The schedules embedded from data/calendar/*.json, ascending by year. internal when an
//! embedded file does not parse or validate (a packaging bug).
Result<std::vector<core::YearSchedule>> shipped_schedules();

class CalendarService {
 public:
  //! Loads the shipped years and the stored ones. `audit` receives every edit and every
  //! refused edit.
  static Result<std::shared_ptr<CalendarService>> open(std::shared_ptr<CalendarRepository> repo,
                                                       std::shared_ptr<AuditSink> audit);

  //! A snapshot of the current calendar; cheap (one shared_ptr copy under a mutex).
  std::shared_ptr<const core::WorkingCalendar> calendar() const;
  //! The schedule of `year`; not_found "calendar_year_missing" when there is none.
  Result<core::YearSchedule> year(int year) const;
  //! True when `year`'s schedule came from the database rather than the shipped data.
  bool stored(int year) const;

  //! Replaces a year: Permission::calendar_edit (forbidden, audited, otherwise); the
  //! schedule must pass core::validate_schedule (invalid_input naming the list at fault).
  //! Stored, audited ("calendar.put_year" with the schedule before and after), and the
  //! snapshot replaced. The system principal (the CLI) may always.
  Result<void> put_year(const Principal& who, const core::YearSchedule& s,
                        const RequestContext& ctx);

  //! forbidden unless `who` may edit the calendar (the admin page checks before showing
  //! the form); a refusal is audited as action `action`.
  Result<void> authorize_edit(const Principal& who, std::string_view action,
                              const RequestContext& ctx);

  //! From November 1 on (today is YYYY-MM-DD), when next year has no schedule: a Chinese
  //! reminder for the service centre. nullopt otherwise, or when today is not a date.
  std::optional<std::string> missing_year_reminder(std::string_view today) const;

  //! Re-reads the stored years (picks up edits made on other nodes).
  Result<void> reload();

 private:
  CalendarService(std::shared_ptr<CalendarRepository> repo, std::shared_ptr<AuditSink> audit,
                  std::vector<core::YearSchedule> shipped)
      : repo_(std::move(repo)), audit_(std::move(audit)), shipped_(std::move(shipped)) {}

  Result<void> record(const Principal& who, std::string_view action, std::string object_id,
                      std::string_view outcome, const RequestContext& ctx, std::string before_json,
                      std::string after_json);

  std::shared_ptr<CalendarRepository> repo_;
  std::shared_ptr<AuditSink> audit_;
  const std::vector<core::YearSchedule> shipped_;

  std::mutex write_mu_;  //!< serialises put_year and reload
  mutable std::mutex mu_;
  std::shared_ptr<const core::WorkingCalendar> current_;
  std::vector<int> stored_years_;
};

}  // namespace shenpi::app
