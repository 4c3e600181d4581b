#include "main/audit_command.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "crypto/signer.h"
#include "store/audit_store.h"

namespace shenpi::main {

namespace {

app::AuditCrypto audit_crypto(std::shared_ptr<const crypto::Signer> signer) {
  app::AuditCrypto c;
  c.sha256_hex = [](std::string_view bytes) { return crypto::sha256_hex(bytes); };
  c.sign = [signer](std::string_view bytes) { return signer->sign(bytes); };
  c.verify = [](std::string_view bytes, std::string_view signature, std::string_view key) {
    return crypto::Signer::verify(bytes, signature, key);
  };
  c.public_key = signer->public_key();
  return c;
}

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int print_error(const Error& e) {
  std::cerr << "shenpi: " << e.message << "\n";
  return e.kind == ErrorKind::invalid_input ? 2 : 1;
}

}  // namespace

Result<std::shared_ptr<app::AuditLog>> open_audit_log(std::shared_ptr<store::Database> db,
                                                      const std::string& data_dir) {
  SHENPI_ASSIGN(crypto::Signer signer,
                crypto::Signer::open_or_create(std::filesystem::path(data_dir) / "keys" /
                                               "audit-signing.key"));
  auto shared = std::make_shared<const crypto::Signer>(std::move(signer));
  return std::make_shared<app::AuditLog>(store::make_audit_store(std::move(db)),
                                         audit_crypto(shared),
                                         app::AuditLog::kDefaultCheckpointEvery, now_unix_ms);
}

app::AuditEvent system_event(const std::string& action, const std::string& after_json) {
  app::AuditEvent ev;
  ev.at_unix_ms = now_unix_ms();
  ev.actor_name = "shenpi";
  ev.role = "system";
  ev.action = action;
  ev.object_type = "system";
  ev.outcome = "success";
  ev.after_json = after_json;
  return ev;
}

AuditCommand::AuditCommand(CLI::App& app) {
  audit_ = app.add_subcommand("audit", "审计日志 (audit trail)");
  audit_->require_subcommand(1);
  verify_ = audit_->add_subcommand(
      "verify", "校验审计日志的哈希链和签名检查点 (verify the hash chain and signed checkpoints)");
  verify_->add_option("--data", data_dir_, "数据目录 (data directory: database, logs, keys)")
      ->capture_default_str();
  verify_->add_option(
      "--db", db_url_,
      "数据库 URL: sqlite:PATH (默认 DATA/shenpi.db) 或 postgresql://USER@HOST:PORT/DB");
}

bool AuditCommand::chosen() const { return audit_ != nullptr && audit_->parsed(); }

int AuditCommand::run() const {
  if (!verify_->parsed()) return 2;
  const std::string url = db_url_.empty() ? "sqlite:" + data_dir_ + "/shenpi.db" : db_url_;
  // Verifying must not create an empty trail where the operator mistyped the directory.
  if (db_url_.empty() && !std::filesystem::exists(data_dir_ + "/shenpi.db")) {
    return print_error(make_error(ErrorKind::not_found, "no_database",
                                  "数据目录中没有数据库 (no database in " + data_dir_ + ")"));
  }
  auto db = store::open_database(url);
  if (!db) return print_error(db.error());
  auto log = open_audit_log(*db, data_dir_);
  if (!log) return print_error(log.error());
  auto report = (*log)->verify();
  if (!report) return print_error(report.error());
  if (report->ok) {
    std::cout << "ok: " << report->entries << " entries, " << report->checkpoints
              << " checkpoints\n";
    return 0;
  }
  std::cout << "FAILED: first bad entry " << report->first_bad_seq << ": " << report->reason
            << "\n(" << report->entries << " entries and " << report->checkpoints
            << " checkpoints verified before it)\n";
  return 1;
}

}  // namespace shenpi::main
