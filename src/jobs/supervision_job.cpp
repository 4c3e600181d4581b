#include "jobs/supervision_job.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include <utility>

namespace shenpi::jobs {

SupervisionJob::SupervisionJob(std::shared_ptr<app::SupervisionService> service,
                               std::function<std::string()> today, SupervisionJobOptions options)
    : service_(std::move(service)), today_(std::move(today)), options_(options) {}

SupervisionJob::~SupervisionJob() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SupervisionJob::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { loop(); });
}

void SupervisionJob::poke() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

Result<app::PassReport> SupervisionJob::run_once() {
  return service_->run_pass(today_(), [this](std::chrono::nanoseconds) { return !stop_.load(); });
}

void SupervisionJob::loop() {
  int failures_in_a_row = 0;
  while (!stop_) {
    const auto started = std::chrono::steady_clock::now();
    Result<app::PassReport> r = run_once();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    if (!r.ok()) {
      // A database that is down fails every pass: say so once, then every tenth time.
      if (failures_in_a_row++ % 10 == 0) spdlog::warn("supervision: {}", r.error().message);
    } else {
      failures_in_a_row = 0;
      // A pass that found something, or that took long enough to be felt by requests
      // (its batches share the database's writer with them), is worth a line.
      if (!r->created.empty() || r->updated > 0 || ms >= 1000) {
        spdlog::info(
            "supervision {}: {} cases examined, {} warnings created, {} updated in {} ms "
            "({} ms in {} batches){}",
            r->today, r->examined, r->created.size(), r->updated, ms, r->writing_ms, r->batches,
            r->stopped ? ", stopped" : "");
      }
      if (!r->stopped) ++passes_;
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, options_.interval, [this] { return stop_.load() || poked_; });
    poked_ = false;
  }
}

}  // namespace shenpi::jobs
