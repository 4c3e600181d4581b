#pragma once
// The port through which the complaint use cases reach storage. Implemented once in
// src/store/complaint_store.cpp for SQLite and PostgreSQL; tests/contract/
// complaint_store_test.cpp holds both to it. A change, its history entry, the
// notifications it queues (outbox) and its audit entry are written in ONE transaction.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/audit_repository.h"
#include "app/outbox.h"
#include "core/complaints/complaint.h"
#include "core/result.h"

namespace shenpi::app {

//! A complaint as stored: contact_phone of `c` is left empty, the phone is in phone_sealed
//! (sealed under complaint_phone_associated_data(number)).
struct ComplaintRecord {
  core::Complaint c;
  std::string phone_sealed;
};

inline std::string complaint_phone_associated_data(std::string_view number) {
  return "complaint:" + std::string(number) + ":phone";
}

//! Everything one change of a complaint writes.
struct ComplaintCommit {
  ComplaintRecord record;
  //! The version the change was computed from: the update fails with precondition
  //! "stale_version" unless the stored version still equals it. 0 for create().
  std::int64_t expected_version = 0;
  core::ComplaintEvent event;
  std::vector<OutboxEvent> outbox;
  std::optional<AuditAppend> audit;
  std::int64_t now_ms = 0;
};

struct StoredComplaint {
  ComplaintRecord record;
  std::vector<core::ComplaintEvent> events;  //!< oldest first
};

struct ComplaintFilter {
  std::string account_id;              //!< the complaints of this complainant
  bool include_staff_subjects = true;  //!< false: leave out complaints about a person
  std::optional<core::ComplaintState> state;
  std::string assignee_id;
  int limit = 100;
};

class ComplaintRepository {
 public:
  virtual ~ComplaintRepository() = default;

  //! Files a complaint. In one transaction: takes the next number of the day ("TS" +
  //! date_compact (YYYYMMDD) + a 5-digit sequence from a counter row, unique across
  //! nodes), calls build(number) for the commit, and writes it with version 1. Returns
  //! the number.
  virtual Result<std::string> create(
      std::string_view date_compact,
      const std::function<Result<ComplaintCommit>(const std::string& number)>& build) = 0;

  //! Writes a change (version = expected_version + 1). not_found "complaint_not_found"
  //! when it does not exist; precondition "stale_version" when it changed meanwhile.
  virtual Result<void> update(const ComplaintCommit& commit) = 0;

  //! The complaint with its history, or nullopt.
  virtual Result<std::optional<StoredComplaint>> find(std::string_view number) = 0;

  //! Complaints matching the filter, most recently changed first (phones not loaded).
  virtual Result<std::vector<core::Complaint>> list(const ComplaintFilter& filter) = 0;

  //! Account ids and display names of the staff holding `role` (in `department_code`
  //! when it is not empty), by name.
  virtual Result<std::vector<std::pair<std::string, std::string>>> role_holders(
      std::string_view role, std::string_view department_code) = 0;

  //! The name of a department, or nullopt when there is no such department.
  virtual Result<std::optional<std::string>> department_name(std::string_view code) = 0;
};

}  // namespace shenpi::app
