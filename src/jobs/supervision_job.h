#pragma once
// The supervision clock job (电子监察): a background thread that runs a supervision pass
// for "today" every interval (a minute by default). Every node runs one; the repository
// hands each due case to exactly one of them per day and version, so that a warning is
// recorded once whichever node finds it, and a node that dies mid-pass leaves its batch
// to the next pass of any other (docs/decisions/0011-supervision-job.md).
//
// RAII: the thread starts with start() and is stopped and joined by the destructor,
// which waits for the batch being written (one transaction) to end: the pass stops
// there, not after the rest of its batches.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/supervision_service.h"
#include "core/result.h"

namespace shenpi::jobs {

struct SupervisionJobOptions {
  std::chrono::milliseconds interval{60000};
};

class SupervisionJob {
 public:
  //! `today` gives the pass's day (YYYY-MM-DD in China; main::today_in_china).
  SupervisionJob(std::shared_ptr<app::SupervisionService> service,
                 std::function<std::string()> today, SupervisionJobOptions options);
  ~SupervisionJob();
  SupervisionJob(const SupervisionJob&) = delete;
  SupervisionJob& operator=(const SupervisionJob&) = delete;

  //! Starts the background thread (once); its first pass runs at once.
  void start();
  //! Asks for a pass now instead of at the next interval.
  void poke();
  //! One pass on the calling thread; it ends early, between two batches, once the job
  //! is stopping.
  Result<app::PassReport> run_once();
  //! Passes completed by the thread so far (for tests and metrics).
  long passes() const { return passes_.load(); }

 private:
  void loop();

  std::shared_ptr<app::SupervisionService> service_;
  std::function<std::string()> today_;
  SupervisionJobOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool poked_ = false;
  std::atomic<bool> stop_{false};
  std::atomic<long> passes_{0};
  std::thread thread_;
};

}  // namespace shenpi::jobs
