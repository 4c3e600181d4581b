#pragma once
// The port through which e-supervision (电子监察) reaches storage. Implemented once in
// src/store/supervision_store.cpp over the dialect-neutral Database;
// tests/contract/supervision_store_test.cpp holds SQLite and PostgreSQL to it.
// Design: docs/decisions/0011-supervision-job.md.
//
// A supervision pass is a loop of batches. Each batch is ONE write transaction that
//  1. claims up to `limit` candidate cases not yet checked today at their current
//     version: open cases whose due date (cases.due_on) or an open task's due date
//     (case_tasks.due_on) has passed, and cases changed in the last few days (a refusal
//     without reasons is found by what changed, not by a due date). On PostgreSQL the
//     claim is SELECT … FOR UPDATE OF the case rows SKIP LOCKED: two nodes passing at
//     once take disjoint batches, and a node that dies releases its rows with its
//     connection, so the next pass of any node takes them over. SQLite's single writer
//     serialises passes;
//  2. asks the caller which warnings each case deserves (Evaluate);
//  3. inserts the new warnings, each with its audit entry and its outbox event (Announce),
//     updates the days of those already recorded, and marks the case checked for the day.
// A warning is stored once: UNIQUE (case_number, rule, part_seq, task_id).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/audit_repository.h"
#include "app/outbox.h"
#include "core/cases/case.h"
#include "core/result.h"
#include "core/supervision/warning_rules.h"

namespace shenpi::app {

//! A warning as stored and listed.
struct Warning {
  std::int64_t id = 0;
  std::string case_number;
  std::string department_code;
  std::string department_name;  //!< from the catalogue; "" when the department is unknown
  core::WarningRule rule = core::WarningRule::case_late;
  int part_seq = -1;
  std::int64_t task_id = 0;
  int days_late = 0;
  int legal_days_late = 0;
  std::string due_on;
  core::WarningState state = core::WarningState::open;
  std::string first_seen_on;  //!< the day the job first found it
  std::string last_seen_on;   //!< the latest day the job found it (days_late as of then)
};

//! What a pass examines on one case.
struct SupervisedCase {
  core::Case c;
  std::vector<core::CaseEvent> events;  //!< oldest first
};

//! Which warnings a claimed case deserves; called inside the batch's transaction.
using EvaluateCase =
    std::function<Result<std::vector<core::WarningFinding>>(const SupervisedCase&)>;

//! What announces a new warning: its audit entry and the event to the department.
struct WarningAnnouncement {
  AuditAppend audit;
  OutboxEvent event;
};
//! Called once per warning being inserted (w.id set), with the accounts to tell: the active
//! staff holding business_lead in w.department_code. Its error rolls the batch back.
using AnnounceWarning = std::function<Result<WarningAnnouncement>(
    const Warning& w, const std::vector<std::string>& leads)>;

struct BatchRequest {
  std::string today;  //!< YYYY-MM-DD: the day the pass runs for
  int limit = 200;    //!< cases claimed per batch
  //! Cases whose last event is on or after this day are examined even when nothing is
  //! due (YYYY-MM-DD; "" examines only what is due).
  std::string changed_since;
};

struct BatchResult {
  int claimed = 0;               //!< cases claimed (examined, or found checked meanwhile)
  int examined = 0;              //!< cases evaluated
  std::vector<Warning> created;  //!< warnings inserted, in insertion order
  int updated = 0;               //!< existing warnings whose days moved on
};

struct WarningFilter {
  std::optional<std::vector<std::string>> departments;  //!< nullopt: every department
  std::string department;                               //!< exactly this one ("" any)
  std::optional<core::WarningState> state;
  std::string case_number;  //!< exactly this case ("" any)
  int limit = 500;
};

class SupervisionRepository {
 public:
  virtual ~SupervisionRepository() = default;

  //! Runs one batch of a pass (see the top of this file). result.claimed < request.limit
  //! means nothing was left to claim (for this node: PostgreSQL rows held by another node
  //! are skipped). On any error, nothing of the batch is kept.
  virtual Result<BatchResult> run_batch(const BatchRequest& request, const EvaluateCase& evaluate,
                                        const AnnounceWarning& announce) = 0;

  //! Warnings matching the filter, most days late first, then newest.
  virtual Result<std::vector<Warning>> warnings(const WarningFilter& filter) = 0;
};

}  // namespace shenpi::app
