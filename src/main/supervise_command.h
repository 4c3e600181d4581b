#pragma once
// Wiring of e-supervision (电子监察, issue 5): the SupervisionService, the clock job that
// `serve` runs, and the `supervise` subcommand:
//
//   shenpi supervise --at DATE [--data DIR] [--db URL] [--batch N]
//     runs one supervision pass for the day DATE (YYYY-MM-DD) and prints each warning it
//     created, one line "WARNING <case> <department> <rule> <days_late>", then a summary
//     line "supervise DATE: N cases examined, M warnings created, K updated (pass T ms,
//     cpu C ms)" (the pass alone, wall and processor time). Running it
//     again for the same day creates nothing: the warnings exist once.
//
// `serve` gains --supervise-every SECONDS (default 60; 0 turns the job off on this node).
#include <memory>
#include <string>

#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/supervision_service.h"
#include "core/result.h"
#include "jobs/supervision_job.h"
#include "store/db.h"

namespace CLI {
class App;
}

namespace shenpi::main {

//! The SupervisionService over `db`.
std::shared_ptr<app::SupervisionService> make_supervision_service(
    std::shared_ptr<store::Database> db, std::shared_ptr<app::CalendarService> calendar,
    std::shared_ptr<app::AuditLog> audit, int batch = 200);

//! Builds and starts the job for `serve` with the --supervise-every given on the command
//! line (a thread until the returned object is destroyed); null when the job is off.
std::unique_ptr<jobs::SupervisionJob> start_supervision_job(
    std::shared_ptr<store::Database> db, std::shared_ptr<app::CalendarService> calendar,
    std::shared_ptr<app::AuditLog> audit);

class SuperviseCommand {
 public:
  //! Registers the `supervise` subcommand on `app` and --supervise-every on `serve`.
  SuperviseCommand(CLI::App& app, CLI::App& serve);
  bool chosen() const;
  //! Runs the pass; returns the process exit code.
  int run() const;

 private:
  CLI::App* cmd_ = nullptr;
  std::string data_dir_ = "var";
  std::string db_url_;
  std::string at_;
  int batch_ = 200;
};

}  // namespace shenpi::main
