#pragma once
// Wiring of the outbox (docs/decisions/0009-outbox.md): the inbox use cases, the
// dispatcher that `serve` runs, its mail options, and the `outbox` subcommand:
//
//   shenpi outbox test-event --data DIR [--db URL] --account ID [--topic case.accepted]
//                            [--case-number N] [--item-name NAME]
//     writes one event for account ID into the outbox (as a case transition will) and
//     prints its event id; a running server fans it out and mails it within a second.
#include <memory>
#include <string>

#include "app/audit_sink.h"
#include "app/inbox_service.h"
#include "core/result.h"
#include "jobs/outbox_dispatcher.h"
#include "store/db.h"

namespace CLI {
class App;
}

namespace shenpi::main {

//! The InboxService over `db`, sealing addresses with DATA/keys/personal-data.key.
Result<std::shared_ptr<app::InboxService>> make_inbox_service(
    std::shared_ptr<store::Database> db, const std::string& data_dir,
    std::shared_ptr<app::AuditSink> audit);

//! The serve options for email. The SMTP password is read from the environment variable
//! SHENPI_SMTP_PASSWORD or from --smtp-password-file, never from the command line (which
//! other users of the machine can read) and never logged.
struct MailOptions {
  std::string smtp_url;  //!< "" = no email: deliveries stay pending, the inbox works
  std::string smtp_from = "noreply@localhost.localdomain";
  std::string smtp_user;
  std::string smtp_password_file;

  void add_to(CLI::App& serve);
};

//! Builds and starts the dispatcher for `serve` (a thread until the returned object is
//! destroyed). invalid_input for a bad --smtp-url or --smtp-from, or an unreadable
//! password file.
Result<std::unique_ptr<jobs::OutboxDispatcher>> start_outbox_dispatcher(
    std::shared_ptr<store::Database> db, const std::string& data_dir, const MailOptions& mail);

class OutboxCommand {
 public:
  //! Registers the `outbox` subcommand (with `test-event`) on `app`.
  explicit OutboxCommand(CLI::App& app);
  bool chosen() const;
  //! Runs the chosen subcommand; returns the process exit code.
  int run() const;

 private:
  CLI::App* outbox_ = nullptr;
  CLI::App* test_event_ = nullptr;
  std::string data_dir_ = "var";
  std::string db_url_;
  std::string account_;
  std::string topic_ = "case.accepted";
  std::string case_number_;
  std::string item_name_ = "测试事项";
};

}  // namespace shenpi::main
