#include "jobs/supervision_job.h"

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

Result<app::PassReport> SupervisionJob::run_once() { return service_->run_pass(today_()); }

void SupervisionJob::loop() {
  int failures_in_a_row = 0;
  while (!stop_) {
    Result<app::PassReport> r = run_once();
    if (!r.ok()) {
      // A database that is down fails every pass: say so once, then every tenth time.
      if (failures_in_a_row++ % 10 == 0) spdlog::warn("supervision: {}", r.error().message);
    } else {
      failures_in_a_row = 0;
      if (!r->created.empty() || r->updated > 0) {
        spdlog::info("supervision {}: {} cases examined, {} warnings created, {} updated", r->today,
                     r->examined, r->created.size(), r->updated);
      }
      ++passes_;
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, options_.interval, [this] { return stop_.load() || poked_; });
    poked_ = false;
  }
}

}  // namespace shenpi::jobs
