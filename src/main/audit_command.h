#pragma once
// Wiring of the audit trail: the AuditLog of a data directory (signing key
// DATA/keys/audit-signing.key) and the `shenpi audit verify` subcommand.
#include <memory>
#include <string>

#include "app/audit_log.h"
#include "core/result.h"
#include "store/db.h"

namespace CLI {
class App;
}

namespace shenpi::main {

//! The AuditLog over `db`, signing checkpoints with the Ed25519 key in
//! DATA/keys/audit-signing.key (created, mode 0600, on first use).
Result<std::shared_ptr<app::AuditLog>> open_audit_log(std::shared_ptr<store::Database> db,
                                                      const std::string& data_dir);

//! An event of the system itself (role "system", object "system"), stamped now.
app::AuditEvent system_event(const std::string& action, const std::string& after_json = {});

//! `shenpi audit verify --data DIR [--db URL]`: exit 0 printing "ok: N entries, M
//! checkpoints" when the trail is intact; exit 1 printing the first bad entry and why.
class AuditCommand {
 public:
  //! Registers the `audit` subcommand (with `verify`) on `app`.
  explicit AuditCommand(CLI::App& app);
  //! True when the command line chose `audit …`.
  bool chosen() const;
  //! Runs the chosen subcommand; returns the process exit code.
  int run() const;

 private:
  CLI::App* audit_ = nullptr;
  CLI::App* verify_ = nullptr;
  std::string data_dir_ = "var";
  std::string db_url_;
};

}  // namespace shenpi::main
