#pragma once
// The port through which the case use cases reach storage. Implemented once in
// src/store/case_store.cpp over the dialect-neutral Database; tests/contract/case_store_test.cpp
// holds SQLite and PostgreSQL to it.
//
// A case is stored as one document (the aggregate, app::case_to_json) plus projections the
// queues and lists query (state, departments, open tasks with their due dates). Everything
// a change produces, the case row, its events, the documents it issues, the outbox events
// that notify people and the audit entry, is written in ONE transaction: all or nothing.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/audit_repository.h"
#include "app/document_service.h"
#include "app/outbox.h"
#include "core/cases/case.h"
#include "core/result.h"

namespace shenpi::app {

//! The answer kept for a write that carried an Idempotency-Key: a retry with the same key
//! and the same request gets the same answer; with another request, a conflict.
struct IdempotencyRecord {
  std::string account_id;
  std::string key;
  std::string request_hash;  //!< hex SHA-256 of the request body
  std::string case_number;
  std::int64_t created_at = 0;
};

//! Everything one change of a case writes.
struct CaseCommit {
  core::Case c;  //!< the case after the change; c.version is the new version
  //! The version the change was computed from; the update fails with precondition
  //! "stale_version" unless the stored version still equals it. 0 for create().
  std::int64_t expected_version = 0;
  std::vector<core::CaseEvent> events;    //!< appended to the timeline
  std::vector<DocumentRecord> documents;  //!< issued (store::insert_document_row)
  std::vector<OutboxEvent> outbox;        //!< store::insert_outbox_event
  std::optional<AuditAppend> audit;
  std::vector<std::string> upload_ids;    //!< uploads now belonging to the case
  std::optional<IdempotencyRecord> idempotency;
  //! Projections for queues and supervision: the overall due date ("" when no clock runs)
  //! and each open task's due date by task id.
  std::string due_on;
  std::map<std::int64_t, std::string> task_due_on;
};

struct StoredCase {
  core::Case c;
  std::vector<core::CaseEvent> events;  //!< oldest first
};

//! A row of a case list.
struct CaseSummary {
  std::string number;
  core::CaseState state = core::CaseState::draft;
  std::int64_t version = 0;
  std::string title;  //!< item or bundle name
  std::string lead_department_code;
  std::string applicant_account_id;
  std::string applicant_name;
  std::string submitted_on;
  std::string due_on;
  std::string updated_on;
};

struct CaseFilter {
  std::string applicant_account_id;  //!< cases of this applicant
  std::vector<std::string> departments;  //!< cases where any of these leads or decides a part
  std::optional<core::CaseState> state;
  int limit = 50;
  int offset = 0;
};

//! A row of a work queue: an open task with what the queue shows about its case.
struct TaskRow {
  std::string case_number;
  std::int64_t task_id = 0;
  int part_seq = -1;
  core::TaskStage stage = core::TaskStage::acceptance;
  std::string department_code;
  std::string assignee_id;
  std::string assignee_name;
  std::string created_on;
  std::string due_on;
  std::string title;  //!< item (or bundle) name
  std::string applicant_name;
  core::CaseState case_state = core::CaseState::submitted;
  std::int64_t case_version = 0;
};

struct TaskFilter {
  std::vector<std::string> departments;  //!< open tasks of these departments
  std::vector<core::TaskStage> stages;   //!< empty: every stage
  std::string assignee_id;               //!< non-empty: only tasks claimed by this account
  int limit = 200;
};

class CaseRepository {
 public:
  virtual ~CaseRepository() = default;

  //! Creates a case. Inside one transaction: takes the next number of the region and day
  //! (region_code + date_compact (YYYYMMDD) + a 5-digit sequence from a counter row, so
  //! numbers are unique across nodes), calls `build(number)` for the commit (its c.number
  //! set to that number, c.version 1), and writes it. When the commit carries an
  //! idempotency record whose (account_id, key) is already stored, fails with conflict
  //! "idempotency_key_taken" and writes nothing. Returns the number.
  virtual Result<std::string> create(std::string_view region_code, std::string_view date_compact,
                                     const std::function<Result<CaseCommit>(const std::string& number)>& build) = 0;

  //! Writes a change of an existing case (see CaseCommit::expected_version).
  virtual Result<void> update(const CaseCommit& commit) = 0;

  //! The case with its events, or nullopt.
  virtual Result<std::optional<StoredCase>> find(std::string_view number) = 0;

  //! The record stored for (account_id, key), or nullopt.
  virtual Result<std::optional<IdempotencyRecord>> idempotency(std::string_view account_id,
                                                              std::string_view key) = 0;

  //! Cases matching the filter, most recently updated first.
  virtual Result<std::vector<CaseSummary>> list(const CaseFilter& filter) = 0;

  //! Open tasks matching the filter, earliest due first (no due date last).
  virtual Result<std::vector<TaskRow>> tasks(const TaskFilter& filter) = 0;
};

}  // namespace shenpi::app
