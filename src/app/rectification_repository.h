#pragma once
// The port through which rectification notices (整改通知) and the supervision dashboard
// reach storage. Implemented once over the dialect-neutral Database in
// src/store/rectification_store.cpp; tests/contract/rectification_store_test.cpp holds
// SQLite and PostgreSQL to it. Tables: migrations 0012_rectification.sql.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/audit_repository.h"
#include "app/outbox.h"
#include "app/supervision_repository.h"
#include "core/result.h"
#include "core/supervision/rectification.h"
#include "core/supervision/warning_rules.h"

namespace shenpi::app {

struct Notice {
  std::int64_t id = 0;
  std::string department_code;
  std::string department_name;  //!< from the catalogue (read only)
  std::string subject;
  std::string body;
  std::vector<std::string> case_numbers;  //!< the cases it is about (may be empty)
  std::vector<std::int64_t> warning_ids;  //!< the warnings it is about (may be empty)
  std::string issued_by_id;
  std::string issued_by_name;
  std::string issuer_role;     //!< centre_admin, supervisor, leading_group or system
  std::string issued_on;       //!< YYYY-MM-DD
  std::int64_t issued_at = 0;  //!< Unix ms
  std::string reply_due_on;    //!< YYYY-MM-DD, the last day to answer in time
  core::NoticeState state = core::NoticeState::open;
  std::string reply;
  std::string replied_by_id;
  std::string replied_by_name;
  std::string replied_on;
  std::int64_t replied_at = 0;
};

//! The audit entry and the outbox event of an issue or a reply, written in its transaction.
struct NoticeAnnouncement {
  AuditAppend audit;
  OutboxEvent event;
};
//! Called inside the transaction with the notice as stored (id set) and the active
//! business leads of its department; its error rolls everything back.
using AnnounceNotice = std::function<Result<NoticeAnnouncement>(
    const Notice& n, const std::vector<std::string>& leads)>;

struct NoticeFilter {
  std::optional<std::vector<std::string>> departments;  //!< nullopt: every department
  std::string department;                               //!< exactly this one ("" any)
  std::optional<core::NoticeStatus> status;             //!< needs `today`
  std::string today;                                    //!< YYYY-MM-DD
  std::string issued_from;  //!< issued on or after (YYYY-MM-DD, "" unbounded)
  std::string issued_to;    //!< issued on or before
  int limit = 500;
};

//! Open cases of one department by the dashboard's signal (core::DueSignal).
struct DepartmentSignals {
  std::string department_code;
  std::string department_name;
  std::int64_t green = 0;
  std::int64_t yellow = 0;
  std::int64_t red = 0;
};

//! An overdue open case, as the late list shows it.
struct LateCase {
  std::string number;
  std::string title;
  std::string department_code;
  std::string department_name;
  std::string state;  //!< core::CaseState name
  std::string due_on;
};

struct WarningCount {
  core::WarningRule rule = core::WarningRule::case_late;
  core::WarningState state = core::WarningState::open;
  std::int64_t count = 0;
};

//! Which warnings the dashboard counts and lists.
struct DashboardWarningFilter {
  std::string department;  //!< "" every department
  std::optional<core::WarningRule> rule;
  std::optional<core::WarningState> state;
  std::string from;  //!< first found on or after ("" unbounded)
  std::string to;    //!< first found on or before
  int limit = 100;   //!< for the list
};

class RectificationRepository {
 public:
  virtual ~RectificationRepository() = default;

  //! Stores a new notice (n.id ignored; state open, no reply) with its announcement.
  //! not_found "department_not_found" (field "department") for an unknown department;
  //! not_found "case_not_found" (field "cases") for an unknown case; invalid_input
  //! "warning_not_in_department" (field "warnings") for a warning that is unknown or of
  //! another department.
  virtual Result<Notice> issue(const Notice& n, const AnnounceNotice& announce) = 0;

  virtual Result<std::optional<Notice>> find(std::int64_t id) = 0;

  //! Records the one reply (reply, replied_* of `r`) of an open notice, with its
  //! announcement. not_found "notice_not_found"; conflict "notice_answered" when it has
  //! been answered already (also when another reply won a race).
  virtual Result<Notice> reply(std::int64_t id, const Notice& r,
                               const AnnounceNotice& announce) = 0;

  //! Notices matching the filter: overdue first (earliest deadline first), then newest.
  virtual Result<std::vector<Notice>> notices(const NoticeFilter& filter) = 0;

  // ---- the dashboard: aggregates over indexed projections, never every case ----

  //! Open cases per department by signal on `today` (yellow through `yellow_until`),
  //! departments by name; only departments with open cases. department "" = all.
  virtual Result<std::vector<DepartmentSignals>> open_signals(const std::string& department,
                                                              const std::string& today,
                                                              const std::string& yellow_until) = 0;
  //! Open cases due before `today`, earliest due first, at most `limit`.
  virtual Result<std::vector<LateCase>> late_cases(const std::string& department,
                                                   const std::string& today, int limit) = 0;
  //! Warnings counted per rule and state.
  virtual Result<std::vector<WarningCount>> warning_counts(const DashboardWarningFilter& f) = 0;
  //! Warnings listed, most days late first.
  virtual Result<std::vector<Warning>> warnings(const DashboardWarningFilter& f) = 0;
};

}  // namespace shenpi::app
