// Stopping the supervision job: the pass in progress ends after the batch being written.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "jobs/supervision_job.h"
#include "unit/app/supervision_fakes.h"

namespace shenpi::jobs {
namespace {

using std::chrono::milliseconds;

// A server that stops during a long pass stops at once: the pass ends after its current
// batch, instead of the destructor waiting for every batch still to come.
TEST(SupervisionJobStop, StoppingTheJobEndsThePassAfterItsCurrentBatch) {
  auto repo = std::make_shared<app::fakes::RecordingRepository>();
  for (int i = 0; i < 1000; ++i) repo->candidates.push_back("C" + std::to_string(i));
  repo->batch_takes = milliseconds{20};  // the whole pass: 1000 batches, 20 s
  SupervisionJobOptions o;
  auto job = std::make_unique<SupervisionJob>(
      app::fakes::service_over(
          repo, [] { return std::int64_t{1'795'000'000'000}; }, 1),
      [] { return std::string("2026-11-20"); }, o);
  job->start();
  while (repo->batches_run.load() == 0) std::this_thread::sleep_for(milliseconds{1});

  const auto began = std::chrono::steady_clock::now();
  job.reset();
  const auto took = std::chrono::steady_clock::now() - began;
  EXPECT_LT(took, std::chrono::seconds{5});
  EXPECT_LT(repo->batches_run.load(), 10);
}

}  // namespace
}  // namespace shenpi::jobs
