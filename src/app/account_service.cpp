#include "app/account_service.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <utility>

#include "app/audit_log.h"
#include "core/identity/citizen_id.h"
#include "core/identity/credit_code.h"
#include "core/identity/masking.h"

namespace shenpi::app {
namespace {

constexpr std::string_view kLoginPurpose = "login";
constexpr std::size_t kMaxNameCodePoints = 64;
constexpr std::size_t kMaxReasonCodePoints = 200;

Error invalid(std::string code, std::string message, std::string field) {
  return make_error(ErrorKind::invalid_input, std::move(code), std::move(message),
                    std::move(field));
}

// The one answer to every wrong credential, so that it tells nothing about which part
// was wrong or whether the account exists.
Error login_failed_error() {
  return make_error(ErrorKind::unauthenticated, "login_failed", "账号、密码或动态口令不正确");
}

Error not_signed_in() {
  return make_error(ErrorKind::unauthenticated, "not_signed_in", "请先登录");
}

std::string trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// A person's or organisation's name: trimmed, 1–64 code points, no control characters.
Result<std::string> check_name(std::string_view input, const std::string& field,
                               std::string_view what) {
  std::string name = trim(input);
  if (name.empty()) return invalid("name_empty", std::string(what) + "不能为空", field);
  if (code_points(name) > kMaxNameCodePoints) {
    return invalid("name_too_long", std::string(what) + "不能超过 64 个字", field);
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F)
      return invalid("name_chars", std::string(what) + "含有无效字符", field);
  }
  return name;
}

// A mainland mobile number: 11 digits starting with 1 (blanks and hyphens people type
// are dropped).
Result<std::string> check_mobile(std::string_view input) {
  std::string digits;
  for (char c : input) {
    if (c == ' ' || c == '-') continue;
    digits.push_back(c);
  }
  const bool ok =
      digits.size() == 11 && digits[0] == '1' &&
      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) return invalid("mobile_invalid", "手机号码应为 11 位数字", "mobile");
  return digits;
}

// Staff usernames: 3–32 of a-z 0-9 . _ - starting with a letter, compared in lower case.
bool valid_username(std::string_view u) {
  if (u.size() < 3 || u.size() > 32 || !(u[0] >= 'a' && u[0] <= 'z')) return false;
  return std::all_of(u.begin(), u.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool valid_iso_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int month = (d[5] - '0') * 10 + (d[6] - '0');
  const int day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out.push_back(kHex[(c >> 4) & 0xF]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string sealed_ad(std::string_view account_id, std::string_view field) {
  return std::string(account_id) + ":" + std::string(field);
}

// A certificate subject in the RFC 2253 one-line form the TLS layer reports, trimmed;
// "" stays "" (no certificate).
Result<std::string> check_cert_subject(std::string_view input) {
  std::string subject = trim(input);
  if (subject.empty()) return subject;
  bool control = false;
  for (unsigned char c : subject) control = control || c < 0x20 || c == 0x7F;
  if (subject.size() > 1024 || subject.find('=') == std::string::npos || control) {
    return invalid("cert_subject_invalid", "证书主题应为 RFC 2253 格式，如 CN=张三,O=潮州市",
                   "cert_subject");
  }
  return subject;
}

std::string role_of(const Principal& p) {
  if (p.system) return "system";
  if (p.kind != AccountKind::staff) return std::string(to_string(p.kind));
  if (p.roles.empty()) return "staff";
  std::string out;
  for (const RoleGrant& g : p.roles) {
    if (!out.empty()) out += ",";
    out += g.role;
  }
  return out;
}

}  // namespace

std::int64_t login_block_seconds(int count, int threshold) {
  if (count < threshold) return 0;
  constexpr std::int64_t kFirst = 60;
  constexpr std::int64_t kMax = 15 * 60;
  const int doublings = std::min(count - threshold, 10);
  return std::min(kFirst << doublings, kMax);
}

AccountService::AccountService(std::shared_ptr<AccountRepository> repo,
                               std::shared_ptr<AuditSink> audit, AccountCrypto crypto,
                               core::PasswordPolicy policy, AccountOptions options,
                               AuditPlanner planner)
    : repo_(std::move(repo)),
      audit_(std::move(audit)),
      crypto_(std::move(crypto)),
      policy_(std::move(policy)),
      options_(options),
      planner_(std::move(planner)) {
  // The production sink is the hash-chained AuditLog: let the account store append its
  // entries inside each write (the lambda holds the log, whose plans refer to it).
  if (!planner_) {
    if (auto log = std::dynamic_pointer_cast<AuditLog>(audit_)) {
      planner_ = [log](const AuditEvent& e) { return log->plan(e); };
    }
  }
}

std::string AccountService::random_hex(std::size_t bytes) const {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string raw = crypto_.random_bytes(bytes);
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

// A random (version 4 layout) UUID: ids say nothing about order or count of accounts.
std::string AccountService::new_id() const {
  std::string h = random_hex(16);
  h[12] = '4';
  static constexpr char kVariant[] = "89ab";
  const int v = (h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3;
  h[16] = kVariant[v];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

std::string AccountService::login_index(std::string_view normalised) const {
  return crypto_.blind_index(normalised, kLoginPurpose);
}

// The form a login was registered under: an ID number or credit code in its normalised
// (upper-case) form, otherwise a staff username in lower case. A number whose check digit
// alone is wrong normalises like a right one: staff may have registered it with an
// override (usernames never look like such numbers: add_staff refuses them).
std::string AccountService::normalise_login(std::string_view login, std::string_view today) const {
  using core::CheckDigit;
  if (auto id = core::validate_citizen_id(login, today); id.ok()) return *id;
  if (auto code = core::validate_credit_code(login); code.ok()) return *code;
  if (auto id = core::validate_citizen_id(login, today, CheckDigit::may_fail); id.ok()) return *id;
  if (auto code = core::validate_credit_code(login, CheckDigit::may_fail); code.ok()) return *code;
  return lower(trim(login));
}

Result<void> AccountService::record(const Principal* who, std::string_view action,
                                    std::string_view object_type, std::string_view object_id,
                                    std::string_view outcome, const RequestContext& ctx,
                                    std::string after_json) {
  return audit_->record(
      event(who, action, object_type, object_id, outcome, ctx, std::move(after_json)));
}

Result<std::optional<AuditAppend>> AccountService::plan(const AuditEvent& e) const {
  if (!planner_) return std::optional<AuditAppend>();
  SHENPI_ASSIGN(AuditAppend a, planner_(e));
  return std::optional<AuditAppend>(std::move(a));
}

Result<void> AccountService::record_unless_planned(const std::optional<AuditAppend>& planned,
                                                   const AuditEvent& e) {
  if (planned) return ok_result();
  return audit_->record(e);
}

AuditEvent AccountService::event(const Principal* who, std::string_view action,
                                 std::string_view object_type, std::string_view object_id,
                                 std::string_view outcome, const RequestContext& ctx,
                                 std::string after_json) const {
  AuditEvent e;
  e.at_unix_ms = ctx.now * 1000;
  if (who != nullptr) {
    e.actor_id = who->system ? "" : who->account_id;
    e.actor_name = who->system ? "system" : (who->username.empty() ? who->name : who->username);
    e.role = role_of(*who);
    e.department_code = who->department_code;
  }
  e.address = ctx.address;
  e.request_id = ctx.request_id;
  e.action = std::string(action);
  e.object_type = std::string(object_type);
  e.object_id = std::string(object_id);
  e.outcome = std::string(outcome);
  e.after_json = std::move(after_json);
  return e;
}

Result<void> AccountService::authorize(const Principal& who, Permission permission,
                                       std::string_view department, std::string_view action,
                                       const RequestContext& ctx) {
  Result<void> allowed = require(who, permission, department);
  if (allowed.ok()) return allowed;
  SHENPI_TRY(record(&who, action, "permission", to_string(permission), "denied", ctx,
                    "{\"department\":" + json_string(department) +
                        ",\"reason\":" + json_string(allowed.error().code) + "}"));
  return allowed;
}

Result<void> AccountService::record_denial(const Principal& who, std::string_view action,
                                           std::string_view reason, const RequestContext& ctx) {
  return record(&who, action, "request", "", "denied", ctx,
                "{\"reason\":" + json_string(reason) + "}");
}

// ---- registration ---------------------------------------------------------------------

Result<void> AccountService::authorize_window_registration(const Principal& staff,
                                                           const RequestContext& ctx) {
  if (require(staff, Permission::case_accept, "").ok()) return ok_result();
  return authorize(staff, Permission::staff_manage, "", "account.register", ctx);
}

Result<AccountService::Registrar> AccountService::registrar(const WindowRegistration& window,
                                                            const RequestContext& ctx) {
  // Without staff a reason changes nothing: self-registration is always checked strictly.
  if (window.staff == nullptr) return Registrar{};
  const Principal& staff = *window.staff;
  SHENPI_TRY(authorize_window_registration(staff, ctx));
  std::string reason = trim(window.check_override_reason);
  if (code_points(reason) > kMaxReasonCodePoints) {
    return invalid("reason_too_long", "核验说明不能超过 200 个字", "check_override_reason");
  }
  for (unsigned char c : reason) {
    if (c < 0x20 || c == 0x7F) {
      return invalid("reason_chars", "核验说明含有无效字符", "check_override_reason");
    }
  }
  return Registrar{&staff, std::move(reason)};
}

namespace {

// The login code as registered: strictly checked, or, when staff gave a reason and only
// the check character is wrong, checked with `lenient`. by.override_reason is cleared
// when the override was not needed, so that the audit says what really happened.
template <typename Lenient>
Result<std::string> checked_code(Result<std::string> strict, std::string& override_reason,
                                 std::initializer_list<std::string_view> check_codes,
                                 Lenient lenient) {
  if (strict.ok()) {
    override_reason.clear();
    return strict;
  }
  const std::string& code = strict.error().code;
  const bool check_only = std::any_of(check_codes.begin(), check_codes.end(),
                                      [&](std::string_view c) { return c == code; });
  if (!check_only || override_reason.empty()) return strict;
  return lenient();
}

}  // namespace

Result<AccountSummary> AccountService::create_applicant(
    AccountRecord acct, const std::string& login_value,
    const std::vector<std::pair<std::string, std::string>>& sealed, std::string_view password,
    const Registrar& by, const RequestContext& ctx) {
  acct.login_index = login_index(login_value);
  // Checked before the costly hash; the unique index settles races.
  SHENPI_ASSIGN(auto existing, repo_->account_by_login(acct.login_index));
  if (existing) {
    return make_error(ErrorKind::conflict, "account_exists", "该证件号码已注册，请直接登录");
  }
  acct.id = new_id();
  acct.created_at = ctx.now;
  for (const auto& [field, value] : sealed) {
    std::string s = crypto_.seal(value, sealed_ad(acct.id, field));
    if (field == "id_number")
      acct.id_number_sealed = std::move(s);
    else if (field == "mobile")
      acct.mobile_sealed = std::move(s);
    else if (field == "credit_code")
      acct.credit_code_sealed = std::move(s);
    else if (field == "representative")
      acct.representative_sealed = std::move(s);
    else if (field == "agent_name")
      acct.agent_name_sealed = std::move(s);
    else if (field == "agent_id_number")
      acct.agent_id_sealed = std::move(s);
  }
  SHENPI_ASSIGN(acct.password_hash, crypto_.hash_password(password));
  AccountSummary out{acct.id, acct.kind, acct.display_name,
                     acct.kind == AccountKind::person ? core::mask_citizen_id(login_value)
                                                      : core::mask_credit_code(login_value)};
  out.check_overridden = !by.override_reason.empty();
  Principal self;
  self.account_id = acct.id;
  self.kind = acct.kind;
  self.name = acct.display_name;
  std::string after = "{\"kind\":" + json_string(to_string(acct.kind)) +
                      ",\"name\":" + json_string(acct.display_name) +
                      ",\"login\":" + json_string(out.login_masked);
  if (by.staff != nullptr) {
    // Registered at the window: the staff member is the actor; an override names them,
    // their reason and the masked code whose check failed.
    after += ",\"at_window\":true";
    if (!by.override_reason.empty()) {
      after += ",\"check_override_reason\":" + json_string(by.override_reason);
    }
  }
  after += "}";
  const AuditEvent e =
      event(by.staff != nullptr ? by.staff : &self,
            by.override_reason.empty() ? "account.register" : "account.register_override",
            "account", acct.id, "success", ctx, std::move(after));
  SHENPI_ASSIGN(const auto planned, plan(e));
  SHENPI_TRY(repo_->create_account(acct, {}, planned ? &*planned : nullptr));
  SHENPI_TRY(record_unless_planned(planned, e));
  return out;
}

Result<AccountSummary> AccountService::register_person(const PersonRegistration& r,
                                                       const RequestContext& ctx,
                                                       const WindowRegistration& window) {
  SHENPI_ASSIGN(Registrar by, registrar(window, ctx));
  SHENPI_ASSIGN(std::string name, check_name(r.name, "name", "姓名"));
  SHENPI_ASSIGN(std::string id_number,
                checked_code(core::validate_citizen_id(r.id_number, ctx.today, "id_number"),
                             by.override_reason, {"citizen_id_check"}, [&] {
                               return core::validate_citizen_id(
                                   r.id_number, ctx.today, core::CheckDigit::may_fail, "id_number");
                             }));
  SHENPI_ASSIGN(std::string mobile, check_mobile(r.mobile));
  SHENPI_TRY(policy_.check(r.password, {name, id_number, mobile}, "password"));
  AccountRecord a;
  a.kind = AccountKind::person;
  a.display_name = name;
  return create_applicant(std::move(a), id_number, {{"id_number", id_number}, {"mobile", mobile}},
                          r.password, by, ctx);
}

Result<AccountSummary> AccountService::register_organisation(const OrganisationRegistration& r,
                                                             const RequestContext& ctx,
                                                             const WindowRegistration& window) {
  SHENPI_ASSIGN(Registrar by, registrar(window, ctx));
  SHENPI_ASSIGN(std::string name, check_name(r.name, "name", "单位名称"));
  SHENPI_ASSIGN(
      std::string code,
      checked_code(core::validate_credit_code(r.credit_code, "credit_code"), by.override_reason,
                   {"credit_code_check", "credit_code_org_check"}, [&] {
                     return core::validate_credit_code(r.credit_code, core::CheckDigit::may_fail,
                                                       "credit_code");
                   }));
  SHENPI_ASSIGN(std::string representative,
                check_name(r.representative, "representative", "法定代表人"));
  SHENPI_ASSIGN(std::string agent_name, check_name(r.agent_name, "agent.name", "经办人姓名"));
  SHENPI_ASSIGN(std::string agent_id,
                core::validate_citizen_id(r.agent_id_number, ctx.today, "agent.id_number"));
  SHENPI_ASSIGN(std::string mobile, check_mobile(r.mobile));
  SHENPI_TRY(policy_.check(r.password, {name, code, agent_id, mobile}, "password"));
  AccountRecord a;
  a.kind = AccountKind::organisation;
  a.display_name = name;
  return create_applicant(std::move(a), code,
                          {{"credit_code", code},
                           {"representative", representative},
                           {"agent_name", agent_name},
                           {"agent_id_number", agent_id},
                           {"mobile", mobile}},
                          r.password, by, ctx);
}

// ---- signing in -----------------------------------------------------------------------

Result<void> AccountService::login_failed(const std::string& index, const AccountRecord* account,
                                          std::string_view reason, const RequestContext& ctx) {
  SHENPI_TRY(repo_->count_login_failure("acct:" + index, ctx.now, options_.failure_window_seconds,
                                        login_block_seconds, options_.account_failure_threshold));
  SHENPI_TRY(repo_->count_login_failure("addr:" + ctx.address, ctx.now,
                                        options_.failure_window_seconds, login_block_seconds,
                                        options_.address_failure_threshold));
  Principal who;
  if (account != nullptr) {
    who.account_id = account->id;
    who.kind = account->kind;
    who.name = account->display_name;
    who.username = account->username;
    who.department_code = account->department_code;
  }
  return record(&who, "session.login", "account", account != nullptr ? account->id : "", "failure",
                ctx, "{\"reason\":" + json_string(reason) + "}");
}

// Refused before any password work while a block is on, so that a flood costs little.
Result<void> AccountService::check_throttle(const std::string& index, const RequestContext& ctx,
                                            std::int64_t* retry_after) {
  std::int64_t blocked_until = 0;
  for (const std::string& key : {"acct:" + index, "addr:" + ctx.address}) {
    SHENPI_ASSIGN(auto f, repo_->login_failures(key));
    if (f) blocked_until = std::max(blocked_until, f->blocked_until);
  }
  if (blocked_until > ctx.now) {
    if (retry_after != nullptr) *retry_after = blocked_until - ctx.now;
    SHENPI_TRY(record(nullptr, "session.login", "account", "", "failure", ctx,
                      "{\"reason\":\"throttled\"}"));
    return make_error(ErrorKind::rate_limited, "login_throttled", "登录失败次数过多，请稍后再试");
  }
  return ok_result();
}

// True when `code` is the staff member's current TOTP and its step was not used before
// (the step is then spent); else false with the reason for the audit entry.
Result<bool> AccountService::totp_ok(const AccountRecord& account, std::string_view code,
                                     const RequestContext& ctx, std::string* reason) {
  SHENPI_ASSIGN(std::string secret,
                crypto_.open(account.totp_secret_sealed, sealed_ad(account.id, "totp_secret")));
  Result<std::int64_t> step = crypto_.totp_verify(secret, code, ctx.now, account.totp_last_step);
  if (!step.ok()) {
    *reason = step.error().code;
    return false;
  }
  SHENPI_ASSIGN(const bool fresh, repo_->use_totp_step(account.id, *step));
  if (!fresh) *reason = "totp_replayed";
  return fresh;
}

Result<SignedIn> AccountService::login(const LoginRequest& r, const RequestContext& ctx,
                                       std::int64_t* retry_after) {
  const std::string normalised = normalise_login(r.login, ctx.today);
  const std::string index = login_index(normalised);
  SHENPI_TRY(check_throttle(index, ctx, retry_after));

  const auto fail = [&](const AccountRecord* account, std::string_view reason) -> Error {
    Result<void> noted = login_failed(index, account, reason, ctx);
    if (!noted.ok()) return noted.take_error();
    return login_failed_error();
  };

  SHENPI_ASSIGN(auto account, repo_->account_by_login(index));
  if (!account || normalised.empty()) {
    SHENPI_TRY(crypto_.verify_dummy(r.password));
    return fail(nullptr, "no_account");
  }
  SHENPI_ASSIGN(const bool password_ok,
                crypto_.verify_password(account->password_hash, r.password));
  if (!password_ok) return fail(&*account, "bad_password");
  if (account->status != "active") return fail(&*account, "disabled");
  if (account->kind == AccountKind::staff) {
    std::string reason;
    SHENPI_ASSIGN(const bool fresh, totp_ok(*account, r.totp, ctx, &reason));
    if (!fresh) return fail(&*account, reason);
  }
  return open_session(*account, index, r.password, ctx);
}

Result<SignedIn> AccountService::login_with_certificate(std::string_view subject,
                                                        std::string_view secret, bool use_totp,
                                                        const RequestContext& ctx,
                                                        std::int64_t* retry_after) {
  // The failure counter of a known subject is its account's, shared with password login,
  // so switching between the two ways in gains an attacker nothing.
  std::optional<AccountRecord> account;
  if (!subject.empty()) {
    SHENPI_ASSIGN(account, repo_->account_by_certificate(subject));
  }
  const std::string index =
      account ? account->login_index : login_index("cert:" + std::string(subject));
  SHENPI_TRY(check_throttle(index, ctx, retry_after));

  const auto fail = [&](const AccountRecord* who, std::string_view reason) -> Error {
    Result<void> noted = login_failed(index, who, reason, ctx);
    if (!noted.ok()) return noted.take_error();
    return login_failed_error();
  };
  if (subject.empty()) return fail(nullptr, "no_certificate");
  if (!account || account->kind != AccountKind::staff) {
    if (!use_totp) SHENPI_TRY(crypto_.verify_dummy(secret));
    return fail(nullptr, "unknown_certificate");
  }
  if (use_totp) {
    if (account->status != "active") return fail(&*account, "disabled");
    std::string reason;
    SHENPI_ASSIGN(const bool fresh, totp_ok(*account, secret, ctx, &reason));
    if (!fresh) return fail(&*account, reason);
    return open_session(*account, index, {}, ctx);
  }
  SHENPI_ASSIGN(const bool password_ok, crypto_.verify_password(account->password_hash, secret));
  if (!password_ok) return fail(&*account, "bad_password");
  if (account->status != "active") return fail(&*account, "disabled");
  return open_session(*account, index, secret, ctx);
}

// After every credential checked: clears the account's failures, rehashes the password
// when it is at hand and the parameters rose, and opens a session.
Result<SignedIn> AccountService::open_session(const AccountRecord& account,
                                              const std::string& index, std::string_view password,
                                              const RequestContext& ctx) {
  SHENPI_TRY(repo_->clear_login_failures("acct:" + index));
  if (!password.empty() && crypto_.needs_rehash(account.password_hash)) {
    // Parameters rose since the hash was made: store a stronger one now that the password
    // is at hand. A concurrent change wins; the old hash stays valid until then.
    Result<std::string> stronger = crypto_.hash_password(password);
    if (stronger.ok()) (void)repo_->set_password_hash(account.id, account.version, *stronger);
  }

  SessionRecord s;
  const std::string token = random_hex(32);
  s.id = crypto_.sha256_hex(token);
  s.account_id = account.id;
  s.created_at = ctx.now;
  s.last_seen_at = ctx.now;
  s.absolute_expiry = ctx.now + options_.absolute_timeout_seconds;
  s.csrf_token = random_hex(32);
  s.address = ctx.address;
  s.user_agent = ctx.user_agent.substr(0, 256);
  SHENPI_TRY(repo_->create_session(s));
  SHENPI_ASSIGN(Principal p, validate_session(token, ctx));
  SHENPI_TRY(record(&p, "session.login", "account", account.id, "success", ctx));
  return SignedIn{token, std::move(p)};
}

Result<Principal> AccountService::validate_session(std::string_view token,
                                                   const RequestContext& ctx) {
  const bool well_formed =
      token.size() == 64 && std::all_of(token.begin(), token.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      });
  if (!well_formed) return not_signed_in();
  const std::string id = crypto_.sha256_hex(token);
  SHENPI_ASSIGN(auto s, repo_->session(id));
  // An unknown token is what a flood of made-up cookies presents: refused without a write.
  if (!s) return not_signed_in();
  if (s->revoked_at) return replay_refused(*s, nullptr, "revoked", ctx);
  if (ctx.now >= s->absolute_expiry) return replay_refused(*s, nullptr, "expired", ctx);
  if (ctx.now - s->last_seen_at >= options_.idle_timeout_seconds) {
    SHENPI_TRY(repo_->revoke_session(id, ctx.now));
    return replay_refused(*s, nullptr, "idle", ctx);
  }
  SHENPI_ASSIGN(auto account, repo_->account_by_id(s->account_id));
  if (!account) return not_signed_in();
  if (account->status != "active") {
    return replay_refused(*s, &*account, "account_disabled", ctx);
  }
  Principal p;
  p.account_id = account->id;
  p.kind = account->kind;
  p.name = account->display_name;
  p.username = account->username;
  p.department_code = account->department_code;
  p.session_id = s->id;
  p.csrf_token = s->csrf_token;
  if (account->kind == AccountKind::staff) {
    SHENPI_ASSIGN(p.roles, repo_->role_grants(account->id));
    SHENPI_ASSIGN(auto training, repo_->training(account->id));
    if (!training.empty()) p.training_valid_until = training.front().valid_until;
    p.trained = !p.training_valid_until.empty() && p.training_valid_until >= ctx.today;
  }
  if (ctx.now - s->last_seen_at >= options_.touch_interval_seconds) {
    SHENPI_TRY(repo_->touch_session(id, ctx.now));
  }
  return p;
}

bool AccountService::replay_audit_due(const std::string& id, std::int64_t now) {
  // Bounded so that many ended sessions cannot grow it without limit: when full, marks
  // older than the interval go first, and if every mark is recent the map starts over
  // (costing at most one more entry per session, each of which took a real sign-in).
  constexpr std::size_t kMaxMarks = 10000;
  const std::lock_guard<std::mutex> lock(replay_mutex_);
  auto it = replay_audited_.find(id);
  if (it != replay_audited_.end()) {
    if (now - it->second < options_.replay_audit_interval_seconds) return false;
    it->second = now;
    return true;
  }
  if (replay_audited_.size() >= kMaxMarks) {
    std::erase_if(replay_audited_, [&](const auto& mark) {
      return now - mark.second >= options_.replay_audit_interval_seconds;
    });
    if (replay_audited_.size() >= kMaxMarks) replay_audited_.clear();
  }
  replay_audited_.emplace(id, now);
  return true;
}

void AccountService::replay_audit_undo(const std::string& id) {
  const std::lock_guard<std::mutex> lock(replay_mutex_);
  replay_audited_.erase(id);
}

Error AccountService::replay_refused(const SessionRecord& s, const AccountRecord* account,
                                     std::string_view reason, const RequestContext& ctx) {
  if (!replay_audit_due(s.id, ctx.now)) return not_signed_in();
  // The actor is the session's owner as the account stands now (its name may have
  // changed since); the session id, a hash of the token, is shown only by its prefix.
  std::optional<AccountRecord> looked_up;
  if (account == nullptr) {
    if (Result<std::optional<AccountRecord>> a = repo_->account_by_id(s.account_id); a.ok()) {
      looked_up = std::move(*a);
    }
    if (looked_up) account = &*looked_up;
  }
  Principal owner;
  owner.account_id = s.account_id;
  if (account != nullptr) {
    owner.kind = account->kind;
    owner.name = account->display_name;
    owner.username = account->username;
    owner.department_code = account->department_code;
  }
  const std::string masked = s.id.substr(0, 8) + "…";
  Result<void> done =
      record(&owner, "session.replay_refused", "session", masked, "denied", ctx,
             "{\"reason\":" + json_string(reason) + ",\"session\":" + json_string(masked) + "}");
  if (!done.ok()) replay_audit_undo(s.id);
  return not_signed_in();
}

Result<void> AccountService::logout(const Principal& who, const RequestContext& ctx) {
  SHENPI_TRY(repo_->revoke_session(who.session_id, ctx.now));
  return record(&who, "session.logout", "account", who.account_id, "success", ctx);
}

Result<std::vector<SessionInfo>> AccountService::sessions(const Principal& who,
                                                          const RequestContext& ctx) {
  SHENPI_TRY(authorize(who, Permission::manage_own_account, "", "session.list", ctx));
  SHENPI_ASSIGN(auto live, repo_->live_sessions(who.account_id, ctx.now));
  std::vector<SessionInfo> out;
  for (const SessionRecord& s : live) {
    if (ctx.now - s.last_seen_at >= options_.idle_timeout_seconds) continue;
    out.push_back(
        {s.id, s.created_at, s.last_seen_at, s.address, s.user_agent, s.id == who.session_id});
  }
  return out;
}

Result<void> AccountService::end_session(const Principal& who, std::string_view session_id,
                                         const RequestContext& ctx) {
  SHENPI_TRY(authorize(who, Permission::manage_own_account, "", "session.end", ctx));
  SHENPI_ASSIGN(auto s, repo_->session(session_id));
  // Another account's session is reported exactly like a missing one.
  if (!s || s->account_id != who.account_id || s->revoked_at) {
    return make_error(ErrorKind::not_found, "session_not_found", "没有这个会话", "id");
  }
  SHENPI_TRY(repo_->revoke_session(session_id, ctx.now));
  return record(&who, "session.end", "session", session_id.substr(0, 16), "success", ctx);
}

Result<void> AccountService::change_password(const Principal& who, std::string_view current,
                                             std::string_view replacement,
                                             const RequestContext& ctx) {
  SHENPI_TRY(authorize(who, Permission::manage_own_account, "", "account.change_password", ctx));
  SHENPI_ASSIGN(auto account, repo_->account_by_id(who.account_id));
  if (!account) return not_signed_in();
  SHENPI_ASSIGN(const bool ok, crypto_.verify_password(account->password_hash, current));
  if (!ok) {
    SHENPI_TRY(record(&who, "account.change_password", "account", who.account_id, "failure", ctx,
                      "{\"reason\":\"bad_password\"}"));
    return invalid("password_wrong", "当前密码不正确", "current_password");
  }
  SHENPI_TRY(policy_.check(replacement, {who.name, who.username}, "password"));
  SHENPI_ASSIGN(std::string hash, crypto_.hash_password(replacement));
  // The entry commits with the new hash. It cannot know how many other sessions end
  // (that write follows), so it states the rule instead of a count.
  const AuditEvent e = event(&who, "account.change_password", "account", who.account_id, "success",
                             ctx, "{\"other_sessions\":\"ended\"}");
  SHENPI_ASSIGN(const auto planned, plan(e));
  SHENPI_TRY(
      repo_->set_password_hash(account->id, account->version, hash, planned ? &*planned : nullptr));
  SHENPI_TRY(record_unless_planned(planned, e));
  SHENPI_TRY(repo_->revoke_other_sessions(account->id, who.session_id, ctx.now));
  return ok_result();
}

// ---- staff ----------------------------------------------------------------------------

Result<StaffEnrolment> AccountService::add_staff(const Principal& actor, const StaffSpec& spec,
                                                 const RequestContext& ctx) {
  const std::string username = lower(trim(spec.username));
  // A username must not read as a credit code, not even one with a wrong check character
  // (normalise_login would take it for one).
  if (!valid_username(username) ||
      core::validate_credit_code(username, core::CheckDigit::may_fail).ok()) {
    return invalid("username_invalid", "用户名应为 3–32 位小写字母、数字或 . _ -，以字母开头",
                   "username");
  }
  SHENPI_ASSIGN(std::string name, check_name(spec.name, "name", "姓名"));
  const std::string dept = trim(spec.department_code);
  if (dept.empty()) return invalid("department_empty", "请指定所在单位", "department");
  if (spec.roles.empty()) return invalid("role_missing", "至少授予一个角色", "role");
  std::vector<RoleGrant> grants;
  bool city_wide = false;
  for (const std::string& role : spec.roles) {
    if (!is_known_role(role)) return invalid("role_unknown", "未知的角色：" + role, "role");
    city_wide = city_wide || is_city_wide_role(role);
    RoleGrant g{role, dept};
    if (std::find(grants.begin(), grants.end(), g) == grants.end()) grants.push_back(std::move(g));
  }
  SHENPI_TRY(authorize(actor, Permission::staff_manage, dept, "staff.add", ctx));
  if (city_wide && !actor.system) {
    const bool city_admin = std::any_of(
        actor.roles.begin(), actor.roles.end(),
        [](const RoleGrant& g) { return g.role == "centre_admin" || g.role == "tech_admin"; });
    if (!city_admin) {
      SHENPI_TRY(record(&actor, "staff.add", "permission", "staff_manage", "denied", ctx,
                        "{\"reason\":\"city_wide_role\"}"));
      return make_error(ErrorKind::forbidden, "permission_denied",
                        "只有市级管理员可以授予全市性角色");
    }
  }
  SHENPI_TRY(check_separation_of_duties(grants));
  SHENPI_TRY(policy_.check(spec.password, {username, name}, "password"));

  AccountRecord a;
  a.id = new_id();
  a.kind = AccountKind::staff;
  a.login_index = login_index(username);
  a.username = username;
  a.display_name = name;
  a.department_code = dept;
  a.created_at = ctx.now;
  const std::string secret = crypto_.totp_secret();
  a.totp_secret_sealed = crypto_.seal(secret, sealed_ad(a.id, "totp_secret"));
  SHENPI_ASSIGN(a.password_hash, crypto_.hash_password(spec.password));
  SHENPI_ASSIGN(const std::string cert_subject, check_cert_subject(spec.cert_subject));
  if (!cert_subject.empty()) {
    SHENPI_ASSIGN(auto holder, repo_->account_by_certificate(cert_subject));
    if (holder) {
      return make_error(ErrorKind::conflict, "certificate_taken", "该证书主题已被使用",
                        "cert_subject");
    }
  }
  std::string roles_json = "[";
  for (std::size_t i = 0; i < grants.size(); ++i) {
    roles_json += (i ? "," : "") + json_string(grants[i].role);
  }
  roles_json += "]";
  const AuditEvent added =
      event(&actor, "staff.add", "account", a.id, "success", ctx,
            "{\"username\":" + json_string(username) + ",\"department\":" + json_string(dept) +
                ",\"roles\":" + roles_json + "}");
  SHENPI_ASSIGN(const auto planned, plan(added));
  SHENPI_TRY(repo_->create_account(a, grants, planned ? &*planned : nullptr));
  SHENPI_TRY(record_unless_planned(planned, added));
  if (!cert_subject.empty()) {
    // Its own write and entry: the account exists (and is audited) even if this fails.
    SHENPI_TRY(write_certificate(actor, a.id, username, "", cert_subject, ctx));
  }
  return StaffEnrolment{a.id, crypto_.base32(secret), crypto_.otpauth_uri(username, secret)};
}

Result<void> AccountService::write_certificate(const Principal& actor,
                                               const std::string& account_id,
                                               std::string_view username, std::string_view before,
                                               std::string_view after, const RequestContext& ctx) {
  AuditEvent e = event(
      &actor, "staff.certificate", "account", account_id, "success", ctx,
      "{\"username\":" + json_string(username) + ",\"cert_subject\":" + json_string(after) + "}");
  e.before_json = "{\"cert_subject\":" + json_string(before) + "}";
  SHENPI_ASSIGN(const auto planned, plan(e));
  SHENPI_TRY(repo_->replace_certificate_subject(account_id, after, planned ? &*planned : nullptr));
  return record_unless_planned(planned, e);
}

Result<void> AccountService::set_staff_certificate(const Principal& actor,
                                                   std::string_view username,
                                                   std::string_view subject,
                                                   const RequestContext& ctx) {
  SHENPI_ASSIGN(const std::string cert_subject, check_cert_subject(subject));
  SHENPI_ASSIGN(auto account, repo_->account_by_username(lower(trim(username))));
  if (!account || account->kind != AccountKind::staff) {
    // Checked before the permission only to know the department; an administrator of
    // another department learns no more than that the name is not theirs to manage.
    SHENPI_TRY(authorize(actor, Permission::staff_manage, "", "staff.certificate", ctx));
    return make_error(ErrorKind::not_found, "staff_not_found", "没有这个工作人员", "username");
  }
  SHENPI_TRY(authorize(actor, Permission::staff_manage, account->department_code,
                       "staff.certificate", ctx));
  SHENPI_ASSIGN(const std::string before, repo_->certificate_subject(account->id));
  if (before == cert_subject) return ok_result();  // nothing changes, nothing to audit
  return write_certificate(actor, account->id, account->username, before, cert_subject, ctx);
}

Result<void> AccountService::train_staff(const Principal& actor, std::string_view username,
                                         std::string_view course, std::string_view valid_until,
                                         const RequestContext& ctx) {
  const std::string course_name = trim(course);
  if (course_name.empty() || code_points(course_name) > 128) {
    return invalid("course_invalid", "请填写培训课程名称（不超过 128 个字）", "course");
  }
  if (!valid_iso_date(valid_until) || valid_until < std::string_view(ctx.today)) {
    return invalid("date_invalid", "有效期至应为不早于今天的日期 YYYY-MM-DD", "valid_until");
  }
  SHENPI_TRY(authorize(actor, Permission::staff_train, "", "staff.train", ctx));
  SHENPI_ASSIGN(auto account, repo_->account_by_username(lower(trim(username))));
  if (!account || account->kind != AccountKind::staff) {
    return make_error(ErrorKind::not_found, "staff_not_found", "没有这个工作人员", "username");
  }
  TrainingRecord t{course_name, ctx.today, std::string(valid_until),
                   actor.system ? "system" : actor.account_id};
  SHENPI_TRY(repo_->add_training(account->id, t));
  return record(&actor, "staff.train", "account", account->id, "success", ctx,
                "{\"course\":" + json_string(t.course) +
                    ",\"valid_until\":" + json_string(t.valid_until) + "}");
}

Result<std::vector<TrainingRecord>> AccountService::training_status(const Principal& who,
                                                                    const RequestContext& ctx) {
  SHENPI_TRY(authorize(who, Permission::read_own_training, "", "training.read", ctx));
  return repo_->training(who.account_id);
}

Result<AccountSummary> AccountService::summary(const Principal& who) {
  AccountSummary out{who.account_id, who.kind, who.name, who.username};
  if (who.kind == AccountKind::staff) return out;
  SHENPI_ASSIGN(auto account, repo_->account_by_id(who.account_id));
  if (!account) return not_signed_in();
  if (who.kind == AccountKind::person) {
    SHENPI_ASSIGN(std::string id,
                  crypto_.open(account->id_number_sealed, sealed_ad(account->id, "id_number")));
    out.login_masked = core::mask_citizen_id(id);
  } else {
    SHENPI_ASSIGN(std::string code,
                  crypto_.open(account->credit_code_sealed, sealed_ad(account->id, "credit_code")));
    out.login_masked = core::mask_credit_code(code);
  }
  if (!account->mobile_sealed.empty()) {
    SHENPI_ASSIGN(std::string mobile,
                  crypto_.open(account->mobile_sealed, sealed_ad(account->id, "mobile")));
    out.mobile_masked = core::mask_phone(mobile);
  }
  return out;
}

Result<std::vector<std::string>> AccountService::applicant_identity(std::string_view account_id) {
  SHENPI_ASSIGN(auto account, repo_->account_by_id(account_id));
  if (!account || account->kind == AccountKind::staff) {
    return make_error(ErrorKind::not_found, "account_not_found", "申请人账户不存在");
  }
  std::string id;
  if (account->kind == AccountKind::person) {
    SHENPI_ASSIGN(id, crypto_.open(account->id_number_sealed, sealed_ad(account->id, "id_number")));
  } else {
    SHENPI_ASSIGN(id,
                  crypto_.open(account->credit_code_sealed, sealed_ad(account->id, "credit_code")));
  }
  std::string mobile;
  if (!account->mobile_sealed.empty()) {
    SHENPI_ASSIGN(mobile, crypto_.open(account->mobile_sealed, sealed_ad(account->id, "mobile")));
  }
  return std::vector<std::string>{account->display_name, std::string(to_string(account->kind)),
                                  std::move(id), std::move(mobile)};
}

Result<std::optional<std::string>> AccountService::find_applicant(std::string_view login,
                                                                  std::string_view today) {
  const std::string normalised = normalise_login(login, today);
  if (normalised.empty()) return std::optional<std::string>();
  SHENPI_ASSIGN(auto account, repo_->account_by_login(login_index(normalised)));
  if (!account || account->kind == AccountKind::staff) return std::optional<std::string>();
  return std::optional<std::string>(account->id);
}

}  // namespace shenpi::app
