#pragma once
// The ports through which the account use cases keep accounts, role grants, training
// records, sessions and failed-login counters (Art. 19–21). Implemented once for both
// dialects by store::make_account_store and held to this contract by
// tests/contract/account_store_test.cpp; unit tests use an in-memory fake.
//
// Nothing here seals, hashes or checks: values arrive sealed, hashed and validated from
// the use cases, and leave as they were stored.
//
// Writes that take an `audit` (AuditLog::plan()) append that entry inside their own
// transaction (store::append_audit_in), so the change and its audit entry commit or roll
// back together: a crash can never leave an account change without its entry. nullptr:
// the caller records the entry itself.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/audit_repository.h"
#include "core/result.h"

namespace shenpi::app {

enum class AccountKind { person, organisation, staff };

std::string_view to_string(AccountKind kind);
std::optional<AccountKind> parse_account_kind(std::string_view text);

//! One role held in one department (city-wide roles are granted in the holder's own
//! department, e.g. tech_admin in 信息办).
struct RoleGrant {
  std::string role;
  std::string department_code;
  bool operator==(const RoleGrant&) const = default;
};

//! An account as stored. Sealed fields hold Sealer output (empty when the kind has none).
struct AccountRecord {
  std::string id;  //!< 36-character random id (UUID layout)
  AccountKind kind = AccountKind::person;
  std::string login_index;  //!< blind index of the normalised login; unique
  std::string username;     //!< staff only, lower case; empty otherwise
  std::string display_name;
  std::string id_number_sealed;
  std::string mobile_sealed;
  std::string credit_code_sealed;
  std::string representative_sealed;
  std::string agent_name_sealed;
  std::string agent_id_sealed;
  std::string password_hash;
  std::string totp_secret_sealed;              //!< staff only
  std::optional<std::int64_t> totp_last_step;  //!< last TOTP step used, to refuse replays
  std::string department_code;                 //!< staff only
  std::string status = "active";               //!< "active" or "disabled"
  std::int64_t created_at = 0;                 //!< Unix seconds
  std::int64_t version = 1;                    //!< bumped by every update
};

struct TrainingRecord {
  std::string course;
  std::string passed_on;    //!< YYYY-MM-DD
  std::string valid_until;  //!< YYYY-MM-DD, inclusive
  std::string recorded_by;  //!< account id of the recorder, or "system"
  bool operator==(const TrainingRecord&) const = default;
};

//! A browser session. `id` is the SHA-256 (hex) of the token the browser holds.
struct SessionRecord {
  std::string id;
  std::string account_id;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t absolute_expiry = 0;
  std::string csrf_token;
  std::string address;
  std::string user_agent;
  std::optional<std::int64_t> revoked_at;
};

//! Failed logins under one key ("acct:<login index>" or "addr:<address>").
struct LoginFailures {
  std::string key;
  int count = 0;
  std::int64_t window_start = 0;
  std::int64_t blocked_until = 0;  //!< 0 when not blocked
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;

  // ---- accounts ----------------------------------------------------------------------

  //! Stores a new account with its role grants in one transaction. conflict
  //! "account_exists" when the login index (or staff username) is taken; invalid_input
  //! "department_not_found" (field "department") for an unknown department. With
  //! `audit`, its entry is appended in the same transaction (nothing is stored when the
  //! account is refused).
  virtual Result<void> create_account(const AccountRecord& account,
                                      const std::vector<RoleGrant>& roles,
                                      const AuditAppend* audit = nullptr) = 0;
  virtual Result<std::optional<AccountRecord>> account_by_id(std::string_view id) = 0;
  virtual Result<std::optional<AccountRecord>> account_by_login(std::string_view login_index) = 0;
  virtual Result<std::optional<AccountRecord>> account_by_username(std::string_view username) = 0;

  //! Replaces the password hash when the stored version is still `expected_version`, and
  //! bumps the version. precondition "account_changed" when it is not (someone else
  //! changed the account meanwhile); not_found when there is no such account. With
  //! `audit`, its entry is appended in the same transaction, only when the hash changed.
  virtual Result<void> set_password_hash(std::string_view account_id, std::int64_t expected_version,
                                         std::string_view password_hash,
                                         const AuditAppend* audit = nullptr) = 0;

  //! Records `step` as the last TOTP step used, only when it is later than the stored
  //! one. Returns false when it is not (a replay, possibly on another node at the same
  //! moment): the check and the write are one statement.
  virtual Result<bool> use_totp_step(std::string_view account_id, std::int64_t step) = 0;

  virtual Result<std::vector<RoleGrant>> role_grants(std::string_view account_id) = 0;

  //! Links a client-certificate subject (RFC 2253) to a staff account. conflict
  //! "certificate_taken" (field "cert_subject") when the subject names another account or
  //! the account already has one.
  virtual Result<void> set_certificate_subject(std::string_view account_id,
                                               std::string_view subject) = 0;
  //! Links `subject` to the account in place of the subject it had, if any (an empty
  //! `subject` removes the link), with the `audit` entry in the same transaction.
  //! conflict "certificate_taken" (field "cert_subject") when the subject names another
  //! account; not_found "account_not_found" for an unknown account.
  virtual Result<void> replace_certificate_subject(std::string_view account_id,
                                                   std::string_view subject,
                                                   const AuditAppend* audit = nullptr) = 0;
  //! The certificate subject linked to the account, "" when none.
  virtual Result<std::string> certificate_subject(std::string_view account_id) = 0;
  //! The account whose certificate subject is exactly `subject`, if any.
  virtual Result<std::optional<AccountRecord>> account_by_certificate(std::string_view subject) = 0;

  virtual Result<void> add_training(std::string_view account_id, const TrainingRecord& record) = 0;
  //! The account's training records, latest valid_until first.
  virtual Result<std::vector<TrainingRecord>> training(std::string_view account_id) = 0;

  // ---- sessions ----------------------------------------------------------------------

  virtual Result<void> create_session(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> session(std::string_view id) = 0;
  //! Moves last_seen_at forward (never back).
  virtual Result<void> touch_session(std::string_view id, std::int64_t at) = 0;
  //! Marks the session ended at `at`; returns false when it was missing or already ended.
  virtual Result<bool> revoke_session(std::string_view id, std::int64_t at) = 0;
  //! Ends every live session of the account except `keep_id`; returns how many.
  virtual Result<int> revoke_other_sessions(std::string_view account_id, std::string_view keep_id,
                                            std::int64_t at) = 0;
  //! The account's sessions not ended and not past their absolute expiry at `now`,
  //! most recently seen first.
  virtual Result<std::vector<SessionRecord>> live_sessions(std::string_view account_id,
                                                           std::int64_t now) = 0;

  // ---- failed-login counters ---------------------------------------------------------

  virtual Result<std::optional<LoginFailures>> login_failures(std::string_view key) = 0;
  //! Counts one failure under `key` at `now` in one transaction: a counter whose window
  //! began `window_seconds` or more ago starts again at 1 with window_start = now. Then
  //! `block_for(count)` (seconds, 0 for none) sets blocked_until = now + that. Returns the
  //! updated counter.
  virtual Result<LoginFailures> count_login_failure(
      std::string_view key, std::int64_t now, std::int64_t window_seconds,
      std::int64_t (*block_for)(int count, int threshold), int threshold) = 0;
  virtual Result<void> clear_login_failures(std::string_view key) = 0;
};

}  // namespace shenpi::app
