// Which changed cases a supervision pass asks for: the week's on the first pass of a day
// (and of a process), then only those changed since the last pass began, less a margin.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

#include "app/calendar_service.h"
#include "app/supervision_service.h"

namespace shenpi::app {
namespace {

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

// Records what each pass asked for; there is never anything to examine.
class RecordingRepository final : public SupervisionRepository {
 public:
  Result<std::vector<std::string>> due_cases(const CandidateRequest& r) override {
    asked.push_back(r);
    if (fail_next) {
      fail_next = false;
      return make_error(ErrorKind::unavailable, "database_unavailable", "数据库暂时不可用");
    }
    return std::vector<std::string>{};
  }
  Result<BatchResult> run_batch(const BatchRequest&, const EvaluateCase&,
                                const AnnounceWarning&) override {
    return BatchResult{};
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
  bool fail_next = false;
};

TEST(SupervisionPassCursor, LaterPassesOfADayAskForTheCasesChangedSinceTheLastOneBegan) {
  auto repo = std::make_shared<RecordingRepository>();
  auto calendar =
      CalendarService::open(std::make_shared<NoStoredYears>(), std::make_shared<NullAudit>());
  ASSERT_TRUE(calendar.ok());
  std::int64_t now_ms = 1'795'000'000'000;
  SupervisionDeps d;
  d.repo = repo;
  d.calendar = *calendar;
  d.now_unix_ms = [&now_ms] { return now_ms; };
  SupervisionService service(d);

  ASSERT_TRUE(service.run_pass("2026-11-20").ok());  // first of the process: the week
  ASSERT_EQ(repo->asked.size(), 1u);
  EXPECT_EQ(repo->asked[0].changed_since, "2026-11-13");
  EXPECT_EQ(repo->asked[0].changed_since_ms, 0);

  const std::int64_t first_began = now_ms;
  now_ms += 60'000;
  ASSERT_TRUE(service.run_pass("2026-11-20").ok());  // a minute later: since then, less 2 min
  EXPECT_EQ(repo->asked[1].changed_since, "2026-11-13");
  EXPECT_EQ(repo->asked[1].changed_since_ms, first_began - 120'000);

  // A failed pass moves nothing: the next one still looks back to the last good one.
  const std::int64_t second_began = now_ms;
  now_ms += 60'000;
  repo->fail_next = true;
  EXPECT_FALSE(service.run_pass("2026-11-20").ok());
  now_ms += 60'000;
  ASSERT_TRUE(service.run_pass("2026-11-20").ok());
  EXPECT_EQ(repo->asked[3].changed_since_ms, second_began - 120'000);

  // A new day: the week again (everything is checked afresh each day).
  ASSERT_TRUE(service.run_pass("2026-11-21").ok());
  EXPECT_EQ(repo->asked[4].changed_since, "2026-11-14");
  EXPECT_EQ(repo->asked[4].changed_since_ms, 0);
}

}  // namespace
}  // namespace shenpi::app
