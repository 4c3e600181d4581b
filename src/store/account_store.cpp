#include "store/account_store.h"

#include "store/audit_rows.h"
#include "store/db_values.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace shenpi::store {
namespace {

using app::AccountRecord;
using app::LoginFailures;
using app::RoleGrant;
using app::SessionRecord;
using app::TrainingRecord;

Error corrupt(const std::string& what) {
  return make_error(ErrorKind::internal, "corrupt_row", "数据库中的数据无效：" + what);
}

Param text(std::string_view s) { return std::string(s); }
Param optional_text(std::string_view s) {
  if (s.empty()) return nullptr;
  return std::string(s);
}
Param optional_blob(std::string_view s) {
  if (s.empty()) return nullptr;
  return Blob{std::string(s)};
}

constexpr const char* kAccountColumns =
    "id, kind, login_index, username, display_name, id_number_sealed, mobile_sealed, "
    "credit_code_sealed, representative_sealed, agent_name_sealed, agent_id_sealed, "
    "password_hash, totp_secret_sealed, totp_last_step, department_code, status, created_at, "
    "version";

Result<AccountRecord> account_from_row(const Rows& r, std::size_t i) {
  AccountRecord a;
  std::size_t c = 0;
  a.id = r.text(i, c++);
  const std::optional<app::AccountKind> kind = app::parse_account_kind(r.text(i, c++));
  if (!kind) return corrupt("accounts.kind");
  a.kind = *kind;
  a.login_index = r.text(i, c++);
  a.username = r.text(i, c++);
  a.display_name = r.text(i, c++);
  a.id_number_sealed = r.text(i, c++);
  a.mobile_sealed = r.text(i, c++);
  a.credit_code_sealed = r.text(i, c++);
  a.representative_sealed = r.text(i, c++);
  a.agent_name_sealed = r.text(i, c++);
  a.agent_id_sealed = r.text(i, c++);
  a.password_hash = r.text(i, c++);
  a.totp_secret_sealed = r.text(i, c++);
  if (!r.is_null(i, c)) a.totp_last_step = r.int64(i, c);
  ++c;
  a.department_code = r.text(i, c++);
  a.status = r.text(i, c++);
  a.created_at = r.int64(i, c++);
  a.version = r.int64(i, c++);
  return a;
}

Result<std::optional<AccountRecord>> account_where(Database& db, const char* column,
                                                   std::string_view value) {
  using Out = std::optional<AccountRecord>;
  return read_value<Out>(db, [&](Session& s) -> Result<Out> {
    SHENPI_ASSIGN(Rows r, s.query(std::string("SELECT ") + kAccountColumns +
                                      " FROM accounts WHERE " + column + " = ?",
                                  {text(value)}));
    if (r.empty()) return Out();
    SHENPI_ASSIGN(AccountRecord a, account_from_row(r, 0));
    return Out(std::move(a));
  });
}

constexpr const char* kSessionColumns =
    "id, account_id, created_at, last_seen_at, absolute_expiry, csrf_token, address, user_agent, "
    "revoked_at";

SessionRecord session_from_row(const Rows& r, std::size_t i) {
  SessionRecord s;
  s.id = r.text(i, 0);
  s.account_id = r.text(i, 1);
  s.created_at = r.int64(i, 2);
  s.last_seen_at = r.int64(i, 3);
  s.absolute_expiry = r.int64(i, 4);
  s.csrf_token = r.text(i, 5);
  s.address = r.text(i, 6);
  s.user_agent = r.text(i, 7);
  if (!r.is_null(i, 8)) s.revoked_at = r.int64(i, 8);
  return s;
}

// Appends the audit entry of a write inside that write's transaction (see
// app::AccountRepository): last, so that the audit head row lock is held as briefly as
// possible.
Result<void> append_audit(Session& s, const app::AuditAppend* audit) {
  if (audit == nullptr) return ok_result();
  SHENPI_TRY(append_audit_in(s, audit->content, audit->hasher, audit->checkpointer));
  return ok_result();
}

class AccountStore final : public app::AccountRepository {
 public:
  explicit AccountStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<void> create_account(const AccountRecord& a, const std::vector<RoleGrant>& roles,
                              const app::AuditAppend* audit = nullptr) override {
    return db_->write([&](Session& s) -> Result<void> {
      // Checked first so that a taken login is a clean conflict on both dialects (a
      // failed INSERT would abort the PostgreSQL transaction). The unique index still
      // decides between two registrations racing for the same login.
      SHENPI_ASSIGN(Rows taken,
                    s.query("SELECT 1 FROM accounts WHERE login_index = ? OR (username IS NOT NULL "
                            "AND username = ?)",
                            {text(a.login_index), text(a.username)}));
      if (!taken.empty()) return account_exists();
      std::vector<std::string> departments;
      if (!a.department_code.empty()) departments.push_back(a.department_code);
      for (const RoleGrant& g : roles) departments.push_back(g.department_code);
      for (const std::string& d : departments) {
        SHENPI_ASSIGN(Rows dept, s.query("SELECT 1 FROM departments WHERE code = ?", {text(d)}));
        if (dept.empty()) {
          return make_error(ErrorKind::invalid_input, "department_not_found", "单位不存在：" + d,
                            "department");
        }
      }
      Result<std::int64_t> n = s.exec(
          "INSERT INTO accounts (id, kind, login_index, username, display_name, id_number_sealed, "
          "mobile_sealed, credit_code_sealed, representative_sealed, agent_name_sealed, "
          "agent_id_sealed, password_hash, totp_secret_sealed, totp_last_step, department_code, "
          "status, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "1)",
          {text(a.id), text(app::to_string(a.kind)), text(a.login_index), optional_text(a.username),
           text(a.display_name), optional_blob(a.id_number_sealed), optional_blob(a.mobile_sealed),
           optional_blob(a.credit_code_sealed), optional_blob(a.representative_sealed),
           optional_blob(a.agent_name_sealed), optional_blob(a.agent_id_sealed),
           text(a.password_hash), optional_blob(a.totp_secret_sealed),
           a.totp_last_step ? Param(*a.totp_last_step) : Param(nullptr),
           optional_text(a.department_code), text(a.status), a.created_at});
      if (!n.ok()) {
        const std::string& m = n.error().message;
        if (m.find("UNIQUE") != std::string::npos || m.find("unique") != std::string::npos ||
            m.find("duplicate") != std::string::npos) {
          return account_exists();
        }
        return n.take_error();
      }
      for (const RoleGrant& g : roles) {
        SHENPI_TRY(
            s.exec("INSERT INTO role_grants (account_id, role, department_code) VALUES (?, ?, ?) "
                   "ON CONFLICT DO NOTHING",
                   {text(a.id), text(g.role), text(g.department_code)}));
      }
      return append_audit(s, audit);
    });
  }

  Result<std::optional<AccountRecord>> account_by_id(std::string_view id) override {
    return account_where(*db_, "id", id);
  }
  Result<std::optional<AccountRecord>> account_by_login(std::string_view login_index) override {
    return account_where(*db_, "login_index", login_index);
  }
  Result<std::optional<AccountRecord>> account_by_username(std::string_view username) override {
    return account_where(*db_, "username", username);
  }

  Result<void> set_password_hash(std::string_view account_id, std::int64_t expected_version,
                                 std::string_view password_hash,
                                 const app::AuditAppend* audit = nullptr) override {
    return db_->write([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(const std::int64_t n,
                    s.exec("UPDATE accounts SET password_hash = ?, version = version + 1 "
                           "WHERE id = ? AND version = ?",
                           {text(password_hash), text(account_id), expected_version}));
      if (n == 1) return append_audit(s, audit);
      SHENPI_ASSIGN(Rows r, s.query("SELECT 1 FROM accounts WHERE id = ?", {text(account_id)}));
      if (r.empty()) return make_error(ErrorKind::not_found, "account_not_found", "账号不存在");
      return make_error(ErrorKind::precondition, "account_changed", "账号已被修改，请重试");
    });
  }

  Result<bool> use_totp_step(std::string_view account_id, std::int64_t step) override {
    return write_value<bool>(*db_, [&](Session& s) -> Result<bool> {
      SHENPI_ASSIGN(const std::int64_t n,
                    s.exec("UPDATE accounts SET totp_last_step = ? WHERE id = ? AND "
                           "(totp_last_step IS NULL OR totp_last_step < ?)",
                           {step, text(account_id), step}));
      return n == 1;
    });
  }

  Result<void> set_certificate_subject(std::string_view account_id,
                                       std::string_view subject) override {
    return db_->write([&](Session& s) -> Result<void> {
      // Checked first so that a taken subject is a clean conflict on both dialects.
      SHENPI_ASSIGN(Rows taken,
                    s.query("SELECT 1 FROM staff_certificates WHERE subject = ? OR account_id = ?",
                            {text(subject), text(account_id)}));
      if (!taken.empty()) {
        return make_error(ErrorKind::conflict, "certificate_taken", "该证书主题已被使用",
                          "cert_subject");
      }
      SHENPI_TRY(s.exec("INSERT INTO staff_certificates (subject, account_id) VALUES (?, ?)",
                        {text(subject), text(account_id)}));
      return ok_result();
    });
  }

  Result<void> replace_certificate_subject(std::string_view account_id, std::string_view subject,
                                           const app::AuditAppend* audit = nullptr) override {
    return db_->write([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows account,
                    s.query("SELECT 1 FROM accounts WHERE id = ?", {text(account_id)}));
      if (account.empty()) {
        return make_error(ErrorKind::not_found, "account_not_found", "账号不存在");
      }
      if (!subject.empty()) {
        // Checked first so that a taken subject is a clean conflict on both dialects.
        SHENPI_ASSIGN(Rows taken, s.query("SELECT 1 FROM staff_certificates WHERE subject = ? "
                                          "AND account_id <> ?",
                                          {text(subject), text(account_id)}));
        if (!taken.empty()) {
          return make_error(ErrorKind::conflict, "certificate_taken", "该证书主题已被使用",
                            "cert_subject");
        }
      }
      SHENPI_TRY(s.exec("DELETE FROM staff_certificates WHERE account_id = ?", {text(account_id)}));
      if (!subject.empty()) {
        SHENPI_TRY(s.exec("INSERT INTO staff_certificates (subject, account_id) VALUES (?, ?)",
                          {text(subject), text(account_id)}));
      }
      return append_audit(s, audit);
    });
  }

  Result<std::string> certificate_subject(std::string_view account_id) override {
    return read_value<std::string>(*db_, [&](Session& s) -> Result<std::string> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT subject FROM staff_certificates WHERE account_id = ?",
                                    {text(account_id)}));
      return r.empty() ? std::string() : r.text(0, 0);
    });
  }

  Result<std::optional<AccountRecord>> account_by_certificate(std::string_view subject) override {
    const auto find_id = [&](Session& s) -> Result<std::string> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT account_id FROM staff_certificates WHERE subject = ?",
                                    {text(subject)}));
      return r.empty() ? std::string() : r.text(0, 0);
    };
    SHENPI_ASSIGN(const std::string id, read_value<std::string>(*db_, find_id));
    if (id.empty()) return std::optional<AccountRecord>();
    return account_where(*db_, "id", id);
  }

  Result<std::vector<RoleGrant>> role_grants(std::string_view account_id) override {
    using Out = std::vector<RoleGrant>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT role, department_code FROM role_grants "
                                    "WHERE account_id = ? ORDER BY role, department_code",
                                    {text(account_id)}));
      Out out;
      for (std::size_t i = 0; i < r.size(); ++i) out.push_back({r.text(i, 0), r.text(i, 1)});
      return out;
    });
  }

  Result<void> add_training(std::string_view account_id, const TrainingRecord& t) override {
    return db_->write([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT 1 FROM accounts WHERE id = ?", {text(account_id)}));
      if (r.empty()) return make_error(ErrorKind::not_found, "account_not_found", "账号不存在");
      SHENPI_TRY(
          s.exec("INSERT INTO training_records (account_id, course, passed_on, valid_until, "
                 "recorded_by) VALUES (?, ?, ?, ?, ?)",
                 {text(account_id), text(t.course), text(t.passed_on), text(t.valid_until),
                  text(t.recorded_by)}));
      return ok_result();
    });
  }

  Result<std::vector<TrainingRecord>> training(std::string_view account_id) override {
    using Out = std::vector<TrainingRecord>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT course, passed_on, valid_until, recorded_by "
                                    "FROM training_records WHERE account_id = ? "
                                    "ORDER BY valid_until DESC, id DESC",
                                    {text(account_id)}));
      Out out;
      for (std::size_t i = 0; i < r.size(); ++i) {
        out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3)});
      }
      return out;
    });
  }

  Result<void> create_session(const SessionRecord& x) override {
    return db_->write([&](Session& s) -> Result<void> {
      SHENPI_TRY(
          s.exec("INSERT INTO sessions (id, account_id, created_at, last_seen_at, "
                 "absolute_expiry, csrf_token, address, user_agent) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 {text(x.id), text(x.account_id), x.created_at, x.last_seen_at, x.absolute_expiry,
                  text(x.csrf_token), text(x.address), text(x.user_agent)}));
      return ok_result();
    });
  }

  Result<std::optional<SessionRecord>> session(std::string_view id) override {
    using Out = std::optional<SessionRecord>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(
          Rows r, s.query(std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id = ?",
                          {text(id)}));
      if (r.empty()) return Out();
      return Out(session_from_row(r, 0));
    });
  }

  Result<void> touch_session(std::string_view id, std::int64_t at) override {
    return db_->write([&](Session& s) -> Result<void> {
      SHENPI_TRY(s.exec("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
                        {at, text(id), at}));
      return ok_result();
    });
  }

  Result<bool> revoke_session(std::string_view id, std::int64_t at) override {
    return write_value<bool>(*db_, [&](Session& s) -> Result<bool> {
      SHENPI_ASSIGN(const std::int64_t n,
                    s.exec("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                           {at, text(id)}));
      return n == 1;
    });
  }

  Result<int> revoke_other_sessions(std::string_view account_id, std::string_view keep_id,
                                    std::int64_t at) override {
    return write_value<int>(*db_, [&](Session& s) -> Result<int> {
      SHENPI_ASSIGN(const std::int64_t n,
                    s.exec("UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND id <> ? "
                           "AND revoked_at IS NULL",
                           {at, text(account_id), text(keep_id)}));
      return static_cast<int>(n);
    });
  }

  Result<std::vector<SessionRecord>> live_sessions(std::string_view account_id,
                                                   std::int64_t now) override {
    using Out = std::vector<SessionRecord>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(Rows r, s.query(std::string("SELECT ") + kSessionColumns +
                                        " FROM sessions WHERE account_id = ? AND revoked_at IS "
                                        "NULL AND absolute_expiry > ? "
                                        "ORDER BY last_seen_at DESC, id",
                                    {text(account_id), now}));
      Out out;
      for (std::size_t i = 0; i < r.size(); ++i) out.push_back(session_from_row(r, i));
      return out;
    });
  }

  Result<std::optional<LoginFailures>> login_failures(std::string_view key) override {
    using Out = std::optional<LoginFailures>;
    return read_value<Out>(*db_, [&](Session& s) { return load_failures(s, key); });
  }

  Result<LoginFailures> count_login_failure(std::string_view key, std::int64_t now,
                                            std::int64_t window_seconds,
                                            std::int64_t (*block_for)(int, int),
                                            int threshold) override {
    return write_value<LoginFailures>(*db_, [&](Session& s) -> Result<LoginFailures> {
      // The row is created first (or left alone), so that the update below runs on a row
      // both dialects lock for the rest of the transaction.
      SHENPI_TRY(
          s.exec("INSERT INTO login_failures (key, count, window_start, blocked_until) "
                 "VALUES (?, 0, ?, 0) ON CONFLICT (key) DO NOTHING",
                 {text(key), now}));
      SHENPI_TRY(
          s.exec("UPDATE login_failures SET "
                 "count = CASE WHEN window_start <= ? THEN 1 ELSE count + 1 END, "
                 "window_start = CASE WHEN window_start <= ? THEN ? ELSE window_start END "
                 "WHERE key = ?",
                 {now - window_seconds, now - window_seconds, now, text(key)}));
      SHENPI_ASSIGN(std::optional<LoginFailures> f, load_failures(s, key));
      if (!f) return corrupt("login_failures");
      const std::int64_t block = block_for != nullptr ? block_for(f->count, threshold) : 0;
      if (block > 0) {
        f->blocked_until = now + block;
        SHENPI_TRY(s.exec("UPDATE login_failures SET blocked_until = ? WHERE key = ?",
                          {f->blocked_until, text(key)}));
      }
      return *f;
    });
  }

  Result<void> clear_login_failures(std::string_view key) override {
    return db_->write([&](Session& s) -> Result<void> {
      SHENPI_TRY(s.exec("DELETE FROM login_failures WHERE key = ?", {text(key)}));
      return ok_result();
    });
  }

 private:
  static Error account_exists() {
    return make_error(ErrorKind::conflict, "account_exists", "该证件号码或用户名已注册");
  }

  static Result<std::optional<LoginFailures>> load_failures(Session& s, std::string_view key) {
    SHENPI_ASSIGN(Rows r, s.query("SELECT key, count, window_start, blocked_until "
                                  "FROM login_failures WHERE key = ?",
                                  {text(key)}));
    if (r.empty()) return std::optional<LoginFailures>();
    return std::optional<LoginFailures>(
        LoginFailures{r.text(0, 0), static_cast<int>(r.int64(0, 1)), r.int64(0, 2), r.int64(0, 3)});
  }

  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::AccountRepository> make_account_store(std::shared_ptr<Database> db) {
  return std::make_shared<AccountStore>(std::move(db));
}

}  // namespace shenpi::store
