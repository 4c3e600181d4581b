#pragma once
// The port through which e-supervision (电子监察) reaches storage. Implemented once in
// src/store/supervision_store.cpp over the dialect-neutral Database;
// tests/contract/supervision_store_test.cpp holds SQLite and PostgreSQL to it.
// Design: docs/decisions/0011-supervision-job.md.
//
// A supervision pass is a loop of batches. Each batch is ONE write transaction that
//  1. claims up to `limit` candidate cases not yet checked today at their current
//     version, in case number order after a cursor: open cases whose due date
//     (cases.due_on) or an open task's due date (case_tasks.due_on) has passed, and cases
//     changed in the last few days (a refusal without reasons is found by what changed,
//     not by a due date). On PostgreSQL the claim is SELECT … FOR UPDATE OF the case rows
//     SKIP LOCKED: two nodes passing at once take disjoint batches, and a node that dies
//     releases its rows with its connection, so the next pass of any node takes them
//     over. SQLite's single writer serialises passes, and its claim reads index entries
//     only (migration 0013), so that a pass finding nothing to do costs what is due;
//  2. loads the claimed cases and their timelines with one query each, and asks the
//     caller which warnings each case deserves (Evaluate);
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
  //! Claims only cases numbered after this one ("" from the first): a pass hands each
  //! batch the previous batch's BatchResult::last, so that it never walks again over what
  //! it has just checked. A case left behind the cursor (changed meanwhile, or held by
  //! another node) is the next pass's.
  std::string after;
};

struct BatchResult {
  int claimed = 0;               //!< cases claimed (examined, or found checked meanwhile)
  int examined = 0;              //!< cases evaluated
  std::vector<Warning> created;  //!< warnings inserted, in insertion order
  int updated = 0;               //!< existing warnings whose days moved on
  std::string last;              //!< the greatest case number claimed ("" when none)
};

struct WarningFilter {
  std::optional<std::vector<std::string>> departments;  //!< nullopt: every department
  std::string department;                               //!< exactly this one ("" any)
  std::optional<core::WarningState> state;
  std::string case_number;  //!< exactly this case ("" any)
  int limit = 500;
};

//! A person's change of a warning's state (acknowledge, close): the audit entry to write
//! with it, planned inside the transaction from the warning before and after the change.
using PlanWarningAudit =
    std::function<Result<AuditAppend>(const Warning& before, const Warning& after)>;

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

  //! One warning by id (department_name filled), nullopt when there is none.
  virtual Result<std::optional<Warning>> find_warning(std::int64_t id) = 0;

  //! Moves warning `id` to `to` when its state is one of `from`, writing the audit entry
  //! planned by `plan` in the same transaction; returns the warning as changed. not_found
  //! "warning_not_found"; conflict "warning_closed" when it is closed and closed is not in
  //! `from`, "warning_state" for any other state not in `from` (also when another change
  //! won a race). On any error nothing is kept.
  virtual Result<Warning> change_warning_state(std::int64_t id,
                                               const std::vector<core::WarningState>& from,
                                               core::WarningState to,
                                               const PlanWarningAudit& plan) = 0;
};

}  // namespace shenpi::app
