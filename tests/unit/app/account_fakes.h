#pragma once
// In-memory fakes for the account use cases: a repository, an audit sink and crypto
// functions that are obvious rather than secure.
#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "app/account_crypto.h"
#include "app/account_repository.h"
#include "app/audit_repository.h"
#include "app/audit_sink.h"

namespace shenpi::app::testing {

class FakeAccounts final : public AccountRepository {
 public:
  std::map<std::string, AccountRecord> accounts;
  std::map<std::string, std::vector<RoleGrant>> grants;
  std::map<std::string, std::vector<TrainingRecord>> trainings;
  std::map<std::string, SessionRecord> sessions_by_id;
  std::map<std::string, LoginFailures> failures;
  std::map<std::string, std::string> certificates;  // subject → account id
  //! Audit entries appended inside writes, in order (as store::append_audit_in would).
  std::vector<core::AuditEntry> appended;

  //! What the store does last inside a successful write: append the entry, calling its
  //! hasher like store::append_audit_in (FakeAudit's plans record the event then).
  void append(const AuditAppend* audit) {
    if (audit == nullptr) return;
    appended.push_back(audit->content);
    if (audit->hasher) (void)audit->hasher(audit->content);
  }

  Result<void> create_account(const AccountRecord& a, const std::vector<RoleGrant>& roles,
                              const AuditAppend* audit = nullptr) override {
    for (const auto& [id, b] : accounts) {
      if (b.login_index == a.login_index || (!a.username.empty() && b.username == a.username)) {
        return make_error(ErrorKind::conflict, "account_exists", "taken");
      }
    }
    accounts[a.id] = a;
    grants[a.id] = roles;
    append(audit);
    return ok_result();
  }
  Result<std::optional<AccountRecord>> account_by_id(std::string_view id) override {
    auto it = accounts.find(std::string(id));
    if (it == accounts.end()) return std::optional<AccountRecord>();
    return std::optional<AccountRecord>(it->second);
  }
  Result<std::optional<AccountRecord>> account_by_login(std::string_view index) override {
    for (const auto& [id, a] : accounts) {
      if (a.login_index == index) return std::optional<AccountRecord>(a);
    }
    return std::optional<AccountRecord>();
  }
  Result<std::optional<AccountRecord>> account_by_username(std::string_view u) override {
    for (const auto& [id, a] : accounts) {
      if (!a.username.empty() && a.username == u) return std::optional<AccountRecord>(a);
    }
    return std::optional<AccountRecord>();
  }
  Result<void> set_password_hash(std::string_view id, std::int64_t version, std::string_view hash,
                                 const AuditAppend* audit = nullptr) override {
    auto it = accounts.find(std::string(id));
    if (it == accounts.end()) return make_error(ErrorKind::not_found, "account_not_found", "");
    if (it->second.version != version)
      return make_error(ErrorKind::precondition, "account_changed", "");
    it->second.password_hash = std::string(hash);
    ++it->second.version;
    append(audit);
    return ok_result();
  }
  Result<bool> use_totp_step(std::string_view id, std::int64_t step) override {
    AccountRecord& a = accounts.at(std::string(id));
    if (a.totp_last_step && *a.totp_last_step >= step) return false;
    a.totp_last_step = step;
    return true;
  }
  Result<void> set_certificate_subject(std::string_view id, std::string_view subject) override {
    for (const auto& [s, a] : certificates) {
      if (s == subject || a == id) {
        return make_error(ErrorKind::conflict, "certificate_taken", "taken", "cert_subject");
      }
    }
    certificates.emplace(std::string(subject), std::string(id));
    return ok_result();
  }
  Result<void> replace_certificate_subject(std::string_view id, std::string_view subject,
                                           const AuditAppend* audit = nullptr) override {
    if (!accounts.count(std::string(id)))
      return make_error(ErrorKind::not_found, "account_not_found", "");
    auto holder = certificates.find(std::string(subject));
    if (holder != certificates.end() && holder->second != id) {
      return make_error(ErrorKind::conflict, "certificate_taken", "taken", "cert_subject");
    }
    std::erase_if(certificates, [&](const auto& c) { return c.second == id; });
    if (!subject.empty()) certificates.emplace(std::string(subject), std::string(id));
    append(audit);
    return ok_result();
  }
  Result<std::string> certificate_subject(std::string_view id) override {
    for (const auto& [s, a] : certificates) {
      if (a == id) return s;
    }
    return std::string();
  }
  Result<std::optional<AccountRecord>> account_by_certificate(std::string_view subject) override {
    auto it = certificates.find(std::string(subject));
    if (it == certificates.end()) return std::optional<AccountRecord>();
    return account_by_id(it->second);
  }
  Result<std::vector<RoleGrant>> role_grants(std::string_view id) override {
    return grants[std::string(id)];
  }
  Result<void> add_training(std::string_view id, const TrainingRecord& t) override {
    if (!accounts.count(std::string(id)))
      return make_error(ErrorKind::not_found, "account_not_found", "");
    trainings[std::string(id)].push_back(t);
    return ok_result();
  }
  Result<std::vector<TrainingRecord>> training(std::string_view id) override {
    auto v = trainings[std::string(id)];
    std::stable_sort(v.begin(), v.end(), [](const TrainingRecord& a, const TrainingRecord& b) {
      return a.valid_until > b.valid_until;
    });
    return v;
  }
  Result<void> create_session(const SessionRecord& s) override {
    sessions_by_id[s.id] = s;
    return ok_result();
  }
  Result<std::optional<SessionRecord>> session(std::string_view id) override {
    auto it = sessions_by_id.find(std::string(id));
    if (it == sessions_by_id.end()) return std::optional<SessionRecord>();
    return std::optional<SessionRecord>(it->second);
  }
  Result<void> touch_session(std::string_view id, std::int64_t at) override {
    auto& s = sessions_by_id.at(std::string(id));
    s.last_seen_at = std::max(s.last_seen_at, at);
    return ok_result();
  }
  Result<bool> revoke_session(std::string_view id, std::int64_t at) override {
    auto it = sessions_by_id.find(std::string(id));
    if (it == sessions_by_id.end() || it->second.revoked_at) return false;
    it->second.revoked_at = at;
    return true;
  }
  Result<int> revoke_other_sessions(std::string_view account_id, std::string_view keep,
                                    std::int64_t at) override {
    int n = 0;
    for (auto& [id, s] : sessions_by_id) {
      if (s.account_id == account_id && id != keep && !s.revoked_at) {
        s.revoked_at = at;
        ++n;
      }
    }
    return n;
  }
  Result<std::vector<SessionRecord>> live_sessions(std::string_view account_id,
                                                   std::int64_t now) override {
    std::vector<SessionRecord> out;
    for (const auto& [id, s] : sessions_by_id) {
      if (s.account_id == account_id && !s.revoked_at && s.absolute_expiry > now) out.push_back(s);
    }
    return out;
  }
  Result<std::optional<LoginFailures>> login_failures(std::string_view key) override {
    auto it = failures.find(std::string(key));
    if (it == failures.end()) return std::optional<LoginFailures>();
    return std::optional<LoginFailures>(it->second);
  }
  Result<LoginFailures> count_login_failure(std::string_view key, std::int64_t now,
                                            std::int64_t window,
                                            std::int64_t (*block_for)(int, int),
                                            int threshold) override {
    auto [it, fresh] =
        failures.try_emplace(std::string(key), LoginFailures{std::string(key), 0, now, 0});
    LoginFailures& f = it->second;
    if (f.window_start <= now - window) {
      f.count = 1;
      f.window_start = now;
    } else {
      ++f.count;
    }
    const std::int64_t block = block_for(f.count, threshold);
    if (block > 0) f.blocked_until = now + block;
    return f;
  }
  Result<void> clear_login_failures(std::string_view key) override {
    failures.erase(std::string(key));
    return ok_result();
  }
};

class FakeAudit final : public AuditSink {
 public:
  std::vector<AuditEvent> events;
  bool fail = false;
  Result<void> record(const AuditEvent& e) override {
    if (fail) return make_error(ErrorKind::unavailable, "audit_down", "audit down");
    events.push_back(e);
    return ok_result();
  }
  //! A planner (AccountService's AuditPlanner) whose entries land in `events` when a
  //! repository appends them inside its write, and never when the write fails. Fails
  //! like record() while `fail` is set.
  std::function<Result<AuditAppend>(const AuditEvent&)> planner() {
    return [this](const AuditEvent& e) -> Result<AuditAppend> {
      if (fail) return make_error(ErrorKind::unavailable, "audit_down", "audit down");
      AuditAppend a;
      a.content.at_unix_ms = e.at_unix_ms;
      a.content.actor_id = e.actor_id;
      a.content.actor_name = e.actor_name;
      a.content.role = e.role;
      a.content.department_code = e.department_code;
      a.content.address = e.address;
      a.content.request_id = e.request_id;
      a.content.action = e.action;
      a.content.object_type = e.object_type;
      a.content.object_id = e.object_id;
      a.content.outcome = e.outcome;
      a.content.before_json = e.before_json;
      a.content.after_json = e.after_json;
      a.hasher = [this, e](const core::AuditEntry&) {
        events.push_back(e);
        return std::string(64, '0');
      };
      return a;
    };
  }
  //! Events with that action and outcome.
  int count(std::string_view action, std::string_view outcome) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const AuditEvent& e) {
      return e.action == action && e.outcome == outcome;
    }));
  }
};

//! The TOTP code of the fake: the step number, six digits.
inline std::string fake_totp_code(std::int64_t step) {
  std::string s = std::to_string(step % 1000000);
  return std::string(6 - s.size(), '0') + s;
}

//! Transparent crypto: seal reverses and tags with the associated data, hashes are
//! "H:" + password ("OLD:" + password counts as made with weaker parameters).
inline AccountCrypto fake_crypto() {
  AccountCrypto c;
  auto counter = std::make_shared<unsigned>(0);
  c.random_bytes = [counter](std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char>((*counter)++ * 7 + i));
    return out;
  };
  c.sha256_hex = [](std::string_view b) {
    std::string out;
    std::size_t h = std::hash<std::string_view>{}(b);
    static constexpr char kHex[] = "0123456789abcdef";
    while (out.size() < 64) {
      out.push_back(kHex[h & 15]);
      h = h / 16 + 0x9e3779b9u * (out.size() + 1);
    }
    return out;
  };
  c.seal = [](std::string_view pt, std::string_view ad) {
    return "[" + std::string(ad) + "]" + std::string(pt.rbegin(), pt.rend());
  };
  c.open = [](std::string_view sealed, std::string_view ad) -> Result<std::string> {
    const std::string tag = "[" + std::string(ad) + "]";
    if (sealed.substr(0, tag.size()) != tag)
      return make_error(ErrorKind::internal, "sealed_invalid", "");
    std::string_view body = sealed.substr(tag.size());
    return std::string(body.rbegin(), body.rend());
  };
  c.blind_index = [](std::string_view v, std::string_view purpose) {
    return std::string(purpose) + ":" + std::string(v);
  };
  c.hash_password = [](std::string_view pw) -> Result<std::string> {
    return "H:" + std::string(pw);
  };
  c.verify_password = [](std::string_view hash, std::string_view pw) -> Result<bool> {
    return hash == "H:" + std::string(pw) || hash == "OLD:" + std::string(pw);
  };
  c.verify_dummy = [](std::string_view) -> Result<void> { return ok_result(); };
  c.needs_rehash = [](std::string_view hash) { return hash.substr(0, 2) != "H:"; };
  c.totp_secret = [] { return std::string("SECRET"); };
  c.base32 = [](std::string_view b) { return "B32(" + std::string(b) + ")"; };
  c.otpauth_uri = [](std::string_view account, std::string_view secret) {
    return "otpauth://totp/x:" + std::string(account) + "?secret=" + std::string(secret);
  };
  c.totp_verify = [](std::string_view secret, std::string_view code, std::int64_t now,
                     std::optional<std::int64_t> last) -> Result<std::int64_t> {
    if (secret != "SECRET") return make_error(ErrorKind::unauthenticated, "totp_invalid", "");
    bool replayed = false;
    for (std::int64_t step = now / 30 - 1; step <= now / 30 + 1; ++step) {
      if (fake_totp_code(step) != code) continue;
      if (last && step <= *last) {
        replayed = true;
        continue;
      }
      return step;
    }
    return make_error(ErrorKind::unauthenticated, replayed ? "totp_replayed" : "totp_invalid", "");
  };
  return c;
}

}  // namespace shenpi::app::testing
