#include "main/supervise_command.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "crypto/secure_bytes.h"
#include "main/account_wiring.h"
#include "main/audit_command.h"
#include "main/today.h"
#include "store/calendar_store.h"
#include "store/supervision_store.h"

namespace shenpi::main {
namespace {

// serve --supervise-every: set while the command line is parsed, read when serve starts.
int& supervise_every_seconds() {
  static int seconds = 60;
  return seconds;
}

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::shared_ptr<app::SupervisionService> make_supervision_service(
    std::shared_ptr<store::Database> db, std::shared_ptr<app::CalendarService> calendar,
    std::shared_ptr<app::AuditLog> audit, int batch) {
  app::SupervisionDeps d;
  d.repo = store::make_supervision_store(std::move(db));
  d.calendar = std::move(calendar);
  d.audit = std::move(audit);
  d.random_bytes = crypto::random_bytes;
  d.now_unix_ms = unix_now_ms;
  d.batch = batch;
  return std::make_shared<app::SupervisionService>(std::move(d));
}

std::unique_ptr<jobs::SupervisionJob> start_supervision_job(
    std::shared_ptr<store::Database> db, std::shared_ptr<app::CalendarService> calendar,
    std::shared_ptr<app::AuditLog> audit) {
  const int every = supervise_every_seconds();
  if (every <= 0 || !calendar) {
    spdlog::info("supervision job off on this node (--supervise-every 0)");
    return nullptr;
  }
  jobs::SupervisionJobOptions options;
  options.interval = std::chrono::seconds(every);
  auto job = std::make_unique<jobs::SupervisionJob>(
      make_supervision_service(std::move(db), std::move(calendar), std::move(audit)),
      today_in_china, options);
  job->start();
  spdlog::info("supervision job started (every {} s)", every);
  return job;
}

SuperviseCommand::SuperviseCommand(CLI::App& app, CLI::App& serve) {
  serve
      .add_option("--supervise-every", supervise_every_seconds(),
                  "电子监察巡检间隔（秒），0 表示本节点不巡检 (supervision pass interval)")
      ->capture_default_str();
  cmd_ = app.add_subcommand(
      "supervise", "对指定日期执行一次电子监察巡检并列出新产生的警示 (one supervision pass)");
  cmd_->add_option("--at", at_, "巡检日期 YYYY-MM-DD")->required();
  cmd_->add_option("--data", data_dir_, "数据目录")->capture_default_str();
  cmd_->add_option("--db", db_url_, "数据库 URL (默认 sqlite:DATA/shenpi.db)");
  cmd_->add_option("--batch", batch_, "每个事务处理的办件数")->capture_default_str();
}

bool SuperviseCommand::chosen() const { return cmd_ != nullptr && cmd_->parsed(); }

int SuperviseCommand::run() const {
  double ms = 0;      // the pass alone, without opening the database
  double cpu_ms = 0;  // processor time of the process (every thread) during the pass
  auto report = [&]() -> Result<app::PassReport> {
    std::error_code ec;
    std::filesystem::create_directories(data_dir_, ec);
    SHENPI_ASSIGN(auto db, store::open_database(
                               db_url_.empty() ? "sqlite:" + data_dir_ + "/shenpi.db" : db_url_));
    SHENPI_ASSIGN(auto audit, open_audit_log(db, data_dir_));
    SHENPI_ASSIGN(auto calendar, app::CalendarService::open(store::make_calendar_store(db), audit));
    auto service = make_supervision_service(db, calendar, audit, batch_);
    const auto started = std::chrono::steady_clock::now();
    const std::clock_t cpu_started = std::clock();
    Result<app::PassReport> pass = service->run_pass(at_);
    ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
             .count();
    cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC;
    return pass;
  };
  Result<app::PassReport> r = report();
  if (!r) {
    std::cerr << "shenpi: " << r.error().message << "\n";
    return r.error().kind == ErrorKind::invalid_input ? 2 : 1;
  }
  for (const app::Warning& w : r->created) {
    std::cout << "WARNING " << w.case_number << ' ' << w.department_code << ' '
              << core::to_string(w.rule) << ' ' << w.days_late << '\n';
  }
  std::cout << "supervise " << r->today << ": " << r->examined << " cases examined, "
            << r->created.size() << " warnings created, " << r->updated << " updated (pass "
            << static_cast<long>(ms) << " ms, cpu " << static_cast<long>(cpu_ms) << " ms)\n";
  return 0;
}

}  // namespace shenpi::main
