#pragma once
// E-supervision use cases (电子监察, Art. 9, 13, 28): the supervision pass that finds late
// and irregular cases and records a warning (警示) for each, and the warning list for the
// service centre, the supervision bureau and the departments.
//
// A pass (run_pass) is what the background job runs every minute or so on every node and
// what `shenpi supervise --at DATE` runs once: batch after batch of due and recently
// changed cases, each case claimed by exactly one node (SupervisionRepository), judged by
// core::supervise_case on the pass's day, its new warnings written with their audit entry
// and an outbox event to the department's business leads in the same transaction.
// Design: docs/decisions/0011-supervision-job.md.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "app/account_service.h"
#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/principal.h"
#include "app/supervision_repository.h"
#include "core/clock/case_clock.h"
#include "core/result.h"

namespace shenpi::app {

struct SupervisionDeps {
  std::shared_ptr<SupervisionRepository> repo;
  std::shared_ptr<CalendarService> calendar;
  std::shared_ptr<AuditLog> audit;
  std::function<std::string(std::size_t)> random_bytes;  //!< outbox event ids
  std::function<std::int64_t()> now_unix_ms;
  core::ClockPolicy clock_policy;
  int batch = 200;  //!< cases per transaction
  //! Cases changed within this many calendar days before the pass's day are examined even
  //! when nothing is due (a refusal without reasons, a decision that skipped a reviewer).
  int changed_within_days = 7;
};

struct PassReport {
  std::string today;
  int examined = 0;  //!< cases examined by this node in this pass
  int batches = 0;
  std::int64_t writing_ms = 0;   //!< time spent inside batches (each one write transaction)
  bool stopped = false;          //!< ended early because BetweenBatches said so
  int updated = 0;               //!< warnings already recorded whose days moved on
  std::vector<Warning> created;  //!< warnings recorded by this pass
};

//! GET /api/v1/supervision/warnings?dept=&state=&case=
struct WarningQuery {
  std::string department;  //!< "" for every department the caller may see
  std::string state;       //!< "", open, acknowledged or closed
  std::string case_number;
  int limit = 500;
};

//! Called by a pass after each batch with how long that batch took; returns false to end
//! the pass there (its report then has `stopped`, and the pass does not count as the last
//! good one for the next pass's cursor). The background job ends a pass there when the
//! server stops, instead of finishing a pass that may take seconds under load.
using BetweenBatches = std::function<bool(std::chrono::nanoseconds batch_took)>;

//! The topic of the outbox event announcing a warning.
inline constexpr std::string_view kWarningTopic = "supervision.warning";

class SupervisionService {
 public:
  explicit SupervisionService(SupervisionDeps deps);

  //! One pass for the day `today` (YYYY-MM-DD; invalid_input "bad_date" otherwise): batches
  //! until nothing is left to claim. Running it again for the same day creates nothing
  //! new; on a later day it updates the days late and records what has newly become late.
  //! `between` (optional) runs after each batch, see BetweenBatches.
  Result<PassReport> run_pass(std::string_view today, const BetweenBatches& between = {});

  //! The warnings `who` may see, filtered: the service centre (centre_admin) and the
  //! supervision bureau (Permission::supervise) see every department's; staff with case_read
  //! in departments see those departments' only (forbidden "department_out_of_scope" when
  //! the filter names another one); anyone else: forbidden (audited). invalid_input
  //! "bad_state" (field "state") for an unknown state.
  Result<std::vector<Warning>> warnings(const Principal& who, const WarningQuery& query,
                                        const RequestContext& ctx);

  // ---- handling a warning: the department explains (说明情况), the overseer closes (办结) ----

  //! One warning, under the visibility of warnings(): not_found "warning_not_found" also
  //! for a warning of a department `who` may not see; forbidden (audited) for readers
  //! without case_read.
  Result<Warning> warning(const Principal& who, std::int64_t id, const RequestContext& ctx);

  //! The department's business lead or administrator (may_acknowledge) explains the
  //! warning: open → acknowledged (an acknowledged one may be explained again). Checks in
  //! order: not_found as warning(); forbidden "not_department_lead" (audited);
  //! invalid_input "note_required" / "note_too_long" (field "note"); conflict
  //! "warning_closed". The note goes into the audit entry written with the change.
  Result<Warning> acknowledge(const Principal& who, std::int64_t id, std::string_view note,
                              const RequestContext& ctx);

  //! The service centre or the supervision bureau (may_close) closes the warning (办结):
  //! open or acknowledged → closed. Errors as acknowledge(), with forbidden "not_overseer".
  Result<Warning> close(const Principal& who, std::int64_t id, std::string_view note,
                        const RequestContext& ctx);

  //! Holds business_lead or dept_admin in `department` (and is trained).
  static bool may_acknowledge(const Principal& who, std::string_view department);
  //! The service centre (centre_admin, trained) or the supervision bureau (supervise).
  static bool may_close(const Principal& who);
  //! The longest note, in characters (UTF-8 code points).
  static constexpr std::size_t kMaxNoteChars = 2000;

 private:
  //! `id_bytes`: 12 random bytes, for the outbox event id.
  Result<WarningAnnouncement> announce(const Warning& w, const std::vector<std::string>& leads,
                                       std::string_view id_bytes);
  Result<void> record_denial(const Principal& who, const Error& why, const RequestContext& ctx);
  Result<void> record_handling_denial(const Principal& who, std::string_view action,
                                      const Error& why, std::int64_t id, const RequestContext& ctx);
  Result<Warning> handle(const Principal& who, std::int64_t id, std::string_view note, bool close,
                         const RequestContext& ctx);

  SupervisionDeps d_;

  // Where this instance's last successful pass started (Unix ms) and for which day. A later
  // pass on the same day looks at the cases changed since then (less kChangeMargin), not at
  // every case changed within the week, which each pass would otherwise walk again: at the
  // rate of a load test (400 applications a second) that walk took seconds per pass and
  // grew with the database. The first pass of a day, and of a process, takes the week.
  std::mutex cursor_mu_;
  std::string cursor_day_;      // guarded by cursor_mu_
  std::int64_t cursor_ms_ = 0;  // guarded by cursor_mu_
};

//! The JSON of one warning as the API returns it: {"id","case_number","department",
//! "department_name","rule","rule_label","part_seq","task_id","days_late","legal_days_late",
//! "due_on","state","first_seen_on","last_seen_on"}.
std::string warning_to_json(const Warning& w);

}  // namespace shenpi::app
