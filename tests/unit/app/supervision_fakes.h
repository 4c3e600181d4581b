#pragma once
// Fakes for supervision passes without a database (unit tests of the service and the job).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/calendar_service.h"
#include "app/supervision_service.h"

namespace shenpi::app::fakes {

class NoStoredYears final : public CalendarRepository {
 public:
  Result<std::vector<core::YearSchedule>> years() override {
    return std::vector<core::YearSchedule>{};
  }
  Result<std::optional<core::YearSchedule>> year(int) override {
    return std::optional<core::YearSchedule>();
  }
  Result<void> put_year(const core::YearSchedule&, const std::string&, std::int64_t) override {
    return ok_result();
  }
};

class NullAudit final : public AuditSink {
 public:
  Result<void> record(const AuditEvent&) override { return ok_result(); }
};

// Records what each pass asked for and answers with `candidates`.
class RecordingRepository final : public SupervisionRepository {
 public:
  Result<std::vector<std::string>> due_cases(const CandidateRequest& r) override {
    asked.push_back(r);
    if (fail_next) {
      fail_next = false;
      return make_error(ErrorKind::unavailable, "database_unavailable", "数据库暂时不可用");
    }
    return candidates;
  }
  Result<BatchResult> run_batch(const BatchRequest& req, const EvaluateCase&,
                                const AnnounceWarning&) override {
    ++batches_run;
    if (batch_takes.count() > 0) std::this_thread::sleep_for(batch_takes);
    BatchResult b;
    b.examined = static_cast<int>(req.numbers.size());
    return b;
  }
  Result<std::vector<Warning>> warnings(const WarningFilter&) override {
    return std::vector<Warning>{};
  }
  Result<std::optional<Warning>> find_warning(std::int64_t) override {
    return std::optional<Warning>();
  }
  Result<Warning> change_warning_state(std::int64_t, const std::vector<core::WarningState>&,
                                       core::WarningState, const PlanWarningAudit&) override {
    return make_error(ErrorKind::not_found, "warning_not_found", "警示不存在");
  }
  std::vector<CandidateRequest> asked;
  std::vector<std::string> candidates;       // what due_cases answers
  std::chrono::milliseconds batch_takes{0};  // each run_batch sleeps this long
  std::atomic<int> batches_run{0};
  bool fail_next = false;
};

//! A SupervisionService over `repo` with the built-in calendar and the given clock.
inline std::shared_ptr<SupervisionService> service_over(std::shared_ptr<RecordingRepository> repo,
                                                        std::function<std::int64_t()> now_ms,
                                                        int batch = 200) {
  auto calendar =
      CalendarService::open(std::make_shared<NoStoredYears>(), std::make_shared<NullAudit>());
  EXPECT_TRUE(calendar.ok());
  SupervisionDeps d;
  d.repo = std::move(repo);
  d.calendar = *calendar;
  d.now_unix_ms = std::move(now_ms);
  d.batch = batch;
  return std::make_shared<SupervisionService>(std::move(d));
}

}  // namespace shenpi::app::fakes
