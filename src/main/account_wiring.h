#pragma once
// Wiring of the account use cases: the personal-data key (DATA/keys/personal-data.key),
// the password hasher, TOTP and the password blocklist embedded from
// data/security/common-passwords.txt.
#include <cstdint>
#include <memory>
#include <string>

#include "app/account_service.h"
#include "app/audit_sink.h"
#include "core/result.h"
#include "store/db.h"

namespace shenpi::main {

//! The AccountService over `db`, sealing personal data with the key in
//! DATA/keys/personal-data.key (created, mode 0600, on first use) and auditing to `audit`.
Result<std::shared_ptr<app::AccountService>> make_account_service(
    std::shared_ptr<store::Database> db, const std::string& data_dir,
    std::shared_ptr<app::AuditSink> audit);

//! The wall clock in Unix seconds: the one place account code reads it.
std::int64_t unix_now();

}  // namespace shenpi::main
