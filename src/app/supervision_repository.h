#pragma once
// The port through which e-supervision (电子监察) reaches storage. Implemented once in
// src/store/supervision_store.cpp over the dialect-neutral Database;
// tests/contract/supervision_store_test.cpp holds SQLite and PostgreSQL to it.
// Design: docs/decisions/0011-supervision-job.md.
//
// A supervision pass reads its candidates, then works through them in batches.
//  - The candidates (due_cases) are the cases not yet checked today at their current
//    version that are open and due (cases.due_on) or have an open task due
//    (case_tasks.due_on), or changed in the last few days (a refusal without reasons is
//    found by what changed, not by a due date), in case number order after a cursor. On
//    SQLite this reads index entries only (migration 0013), so that a pass finding
//    nothing to do costs what is due. Read a large chunk at a time: each read walks every
//    due entry, whatever its limit.
//  - Each batch is ONE write transaction that
//    1. claims those of a slice of candidates still unchecked, with their documents. On
//       PostgreSQL the claim is SELECT … FOR UPDATE OF the case rows SKIP LOCKED: two
//       nodes passing at once take disjoint cases, and a node that dies releases its
//       rows with its connection, so the next pass of any node takes them over. SQLite's
//       single writer serialises batches;
//    2. loads their timelines with one query, and asks the caller which warnings each
//       case deserves (Evaluate);
//    3. inserts the new warnings, with an audit entry and an outbox event each
//       (Announce), updates the days of those already recorded, and marks the cases
//       checked for the day.
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

struct CandidateRequest {
  std::string today;  //!< YYYY-MM-DD: the day the pass runs for
  //! Cases whose last event is on or after this day are candidates even when nothing is
  //! due (YYYY-MM-DD; "" only what is due).
  std::string changed_since;
  //! When > 0 (and changed_since is set): of the changed cases only those whose last change
  //! is at or after this instant (Unix ms, the case's updated_at), a narrower walk than
  //! changed_since's day.
  std::int64_t changed_since_ms = 0;
  std::string after;  //!< only cases numbered after this one ("" from the first)
  int limit = 20000;  //!< at most this many
};

struct BatchRequest {
  std::string today;                 //!< YYYY-MM-DD: the day the pass runs for
  std::vector<std::string> numbers;  //!< the candidates to claim (at most 1,000)
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

//! A person's change of a warning's state (acknowledge, close): the audit entry to write
//! with it, planned inside the transaction from the warning before and after the change.
using PlanWarningAudit =
    std::function<Result<AuditAppend>(const Warning& before, const Warning& after)>;

class SupervisionRepository {
 public:
  virtual ~SupervisionRepository() = default;

  //! The candidates of a pass, in number order (see the top of this file); fewer than
  //! request.limit means there are no more.
  virtual Result<std::vector<std::string>> due_cases(const CandidateRequest& request) = 0;

  //! Runs one batch of a pass over some of its candidates (see the top of this file):
  //! cases checked meanwhile, or (on PostgreSQL) held by another node, are left alone.
  //! invalid_input "batch_too_large" for more than 1,000 numbers. On any error, nothing
  //! of the batch is kept.
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
