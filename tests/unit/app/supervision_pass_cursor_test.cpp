// Which changed cases a supervision pass asks for: the week's on the first pass of a day
// (and of a process), then only those changed since the last pass began, less a margin.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "app/supervision_service.h"
#include "unit/app/supervision_fakes.h"

namespace shenpi::app {
namespace {

using fakes::RecordingRepository;
using fakes::service_over;

TEST(SupervisionPassCursor, LaterPassesOfADayAskForTheCasesChangedSinceTheLastOneBegan) {
  auto repo = std::make_shared<RecordingRepository>();
  std::int64_t now_ms = 1'795'000'000'000;
  auto service_ptr = service_over(repo, [&now_ms] { return now_ms; });
  SupervisionService& service = *service_ptr;

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

// The job stops a pass between batches when the server stops: a pass that ends early has
// done what it did, and the next one looks back as far as if it had not run (its cases
// not examined yet are still changed since the last good pass).
TEST(SupervisionPassCursor, APassStoppedBetweenBatchesLeavesTheCursorWhereItWas) {
  auto repo = std::make_shared<RecordingRepository>();
  repo->candidates = {"A1", "A2", "A3"};
  std::int64_t now_ms = 1'795'000'000'000;
  auto service_ptr = service_over(
      repo, [&now_ms] { return now_ms; }, 1);
  SupervisionService& service = *service_ptr;

  int calls = 0;
  auto all = service.run_pass("2026-11-20", [&calls](std::chrono::nanoseconds) {
    ++calls;
    return true;
  });
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(calls, 3);  // after every batch
  EXPECT_EQ(all->batches, 3);
  EXPECT_EQ(all->examined, 3);
  EXPECT_FALSE(all->stopped);

  const std::int64_t good_began = now_ms;
  now_ms += 60'000;
  auto stopped = service.run_pass("2026-11-20", [](std::chrono::nanoseconds) { return false; });
  ASSERT_TRUE(stopped.ok());
  EXPECT_TRUE(stopped->stopped);
  EXPECT_EQ(stopped->batches, 1);
  EXPECT_EQ(stopped->examined, 1);

  now_ms += 60'000;
  ASSERT_TRUE(service.run_pass("2026-11-20").ok());
  ASSERT_EQ(repo->asked.size(), 3u);
  EXPECT_EQ(repo->asked[2].changed_since_ms, good_began - 120'000);
}

}  // namespace
}  // namespace shenpi::app
