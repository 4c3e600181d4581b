#pragma once
// The account use cases (Art. 19–21): registration of applicants, sign-in with throttling
// and (for staff) TOTP, sessions, password change, staff enrolment and training records.
//
// No HTTP and no clock: every call takes a RequestContext with `now` (Unix seconds) and
// `today` (YYYY-MM-DD, China). Every sign-in and sign-out, success or failure, every write
// and every permission denial leaves an audit entry; an action whose success cannot be
// audited fails (unavailable) instead.
//
// Methods block (password hashing, database): call them from the worker pool.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "app/account_crypto.h"
#include "app/account_repository.h"
#include "app/audit_repository.h"
#include "app/audit_sink.h"
#include "app/authorization.h"
#include "app/principal.h"
#include "core/identity/password_policy.h"
#include "core/result.h"

namespace shenpi::app {

struct RequestContext {
  std::int64_t now = 0;  //!< Unix seconds
  std::string today;     //!< YYYY-MM-DD in China
  std::string address;   //!< client address
  std::string user_agent;
  std::string request_id;
};

struct PersonRegistration {
  std::string name;
  std::string id_number;
  std::string mobile;
  std::string password;
};

struct OrganisationRegistration {
  std::string name;
  std::string credit_code;
  std::string representative;
  std::string agent_name;
  std::string agent_id_number;
  std::string mobile;
  std::string password;
};

//! A registration made for the applicant by staff at the service window (窗口代注册).
struct WindowRegistration {
  //! The clerk (case_accept) or department administrator (staff_manage) registering the
  //! applicant; nullptr for self-registration.
  const Principal* staff = nullptr;
  //! Why a number whose check digit fails is accepted (校验位不符，已核验原件): the staff
  //! member saw the original document. Only with `staff`; empty keeps the check strict.
  std::string check_override_reason;
};

//! Plans an audit entry for a repository write that appends it inside its own
//! transaction (AuditLog::plan).
using AuditPlanner = std::function<Result<AuditAppend>(const AuditEvent&)>;

//! What anyone may see of an account: the login masked (4451**********123X).
struct AccountSummary {
  std::string id;
  AccountKind kind = AccountKind::person;
  std::string name;
  std::string login_masked;
  std::string mobile_masked;  //!< 138****5678; empty for staff
  //! Registration only: staff accepted a check digit that fails (WindowRegistration).
  bool check_overridden = false;
};

struct LoginRequest {
  std::string login;  //!< ID number, credit code or staff username
  std::string password;
  std::string totp;  //!< staff only
};

struct SignedIn {
  std::string token;    //!< for the cookie; stored only as its SHA-256
  Principal principal;  //!< with session_id and csrf_token set
};

struct SessionInfo {
  std::string id;  //!< the session's id (SHA-256 of its token), to end it
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::string address;
  std::string user_agent;
  bool current = false;
};

struct StaffSpec {
  std::string username;
  std::string name;
  std::string department_code;
  std::vector<std::string> roles;
  std::string password;
  //! Subject (RFC 2253, e.g. "CN=Li Lei,O=Chaozhou") of the member's client certificate
  //! for certificate login; empty for none.
  std::string cert_subject = {};
};

struct StaffEnrolment {
  std::string account_id;
  std::string totp_secret_base32;
  std::string otpauth_uri;
};

struct AccountOptions {
  std::int64_t idle_timeout_seconds = 30 * 60;
  std::int64_t absolute_timeout_seconds = 12 * 3600;
  //! last_seen_at is written at most this often per session (saves a write per request).
  std::int64_t touch_interval_seconds = 60;
  std::int64_t failure_window_seconds = 15 * 60;
  int account_failure_threshold = 5;
  int address_failure_threshold = 20;
  //! A refused replay of one ended session is audited at most once in this many seconds
  //! (per server process), so that a flood with one stolen cookie writes few entries.
  std::int64_t replay_audit_interval_seconds = 60;
};

//! Seconds an attacker must wait after `count` failures within the window when
//! `threshold` are allowed: 0 below the threshold, then 60 s doubling per further failure,
//! never more than 15 minutes (so no victim is locked out for good).
std::int64_t login_block_seconds(int count, int threshold);

class AccountService {
 public:
  //! `planner` makes registration, password change and staff writes append their audit
  //! entry in the repository's own transaction; when empty and `audit` is an AuditLog,
  //! AuditLog::plan is used; otherwise entries are recorded after each write.
  AccountService(std::shared_ptr<AccountRepository> repo, std::shared_ptr<AuditSink> audit,
                 AccountCrypto crypto, core::PasswordPolicy policy, AccountOptions options = {},
                 AuditPlanner planner = {});

  //! Registers a natural person. invalid_input naming the field at fault (name,
  //! id_number, mobile, password); conflict "account_exists" when the ID number is taken.
  //! With `window.staff` the staff member registers the applicant at the window (they need
  //! case_accept or staff_manage: forbidden, audited, otherwise); with a reason as well, an
  //! ID number whose check character alone is wrong is accepted, audited as
  //! "account.register_override" naming the staff member, the reason and the masked
  //! number. invalid_input field "check_override_reason" for a reason longer than 200
  //! characters or with control characters.
  Result<AccountSummary> register_person(const PersonRegistration& r, const RequestContext& ctx,
                                         const WindowRegistration& window = {});
  //! Registers a legal person; fields name, credit_code, representative, agent.name,
  //! agent.id_number, mobile, password. `window` as for register_person; the override
  //! covers the check characters of the credit code (not the agent's ID number).
  Result<AccountSummary> register_organisation(const OrganisationRegistration& r,
                                               const RequestContext& ctx,
                                               const WindowRegistration& window = {});

  //! Whether `staff` may register applicants at the window: case_accept (clerk) or
  //! staff_manage (dept admin) in some department. forbidden otherwise, audited.
  Result<void> authorize_window_registration(const Principal& staff, const RequestContext& ctx);

  //! Signs in and opens a new session. Every wrong credential gives unauthenticated
  //! "login_failed" with one message. After too many failures for the account or the
  //! address, rate_limited "login_throttled" with the seconds to wait in *retry_after.
  Result<SignedIn> login(const LoginRequest& r, const RequestContext& ctx,
                         std::int64_t* retry_after = nullptr);

  //! Signs a staff member in by the subject of a client certificate the server verified
  //! against its CA bundle, plus `secret`: their password, or with `use_totp` a TOTP code
  //! (a replayed step is refused). Failures, throttling
  //! and audit are those of login(): every wrong or missing credential, an empty or
  //! unknown subject included, gives unauthenticated "login_failed".
  Result<SignedIn> login_with_certificate(std::string_view subject, std::string_view secret,
                                          bool use_totp, const RequestContext& ctx,
                                          std::int64_t* retry_after = nullptr);

  //! The principal of a live session token: unauthenticated "not_signed_in" when the
  //! token is unknown, ended, idle for 30 minutes or older than 12 hours, or its account
  //! is disabled.
  //!
  //! A token that names a session which existed (ended by logout or revocation, expired,
  //! idle, or of a disabled account) is also audited as "session.replay_refused", outcome
  //! "denied", actor the session's account, object the session id masked to its first 8
  //! characters, after_json {"reason": "revoked"|"expired"|"idle"|"account_disabled",
  //! "session": masked id}, with the request's address and id; never the token. At most
  //! one entry per session per replay_audit_interval_seconds. An unknown or malformed
  //! token writes nothing (an anonymous flood of random cookies costs one read each).
  //! The replay entry is best effort: when it cannot be written the answer is still
  //! not_signed_in (a refusal needs no audit to stand, and a full disk must not turn a
  //! signed-out visitor's 401 into a 503).
  Result<Principal> validate_session(std::string_view token, const RequestContext& ctx);

  //! Ends the principal's current session.
  Result<void> logout(const Principal& who, const RequestContext& ctx);
  //! The principal's live sessions, current one marked.
  Result<std::vector<SessionInfo>> sessions(const Principal& who, const RequestContext& ctx);
  //! Ends one of the principal's own sessions; not_found for any other id.
  Result<void> end_session(const Principal& who, std::string_view session_id,
                           const RequestContext& ctx);
  //! Changes the password after checking the current one (invalid_input field
  //! "current_password" when wrong); every other session of the account ends.
  Result<void> change_password(const Principal& who, std::string_view current,
                               std::string_view replacement, const RequestContext& ctx);

  //! Creates a staff account (actor needs staff_manage in the department; city-wide roles
  //! only from a city-wide administrator). invalid_input for a bad username, name,
  //! department, role or password; conflict "separation_of_duties" for an admin role with
  //! an approving one; conflict "account_exists" for a taken username.
  Result<StaffEnrolment> add_staff(const Principal& actor, const StaffSpec& spec,
                                   const RequestContext& ctx);
  //! Sets (or with an empty `subject` removes) the client-certificate subject a staff
  //! member signs in with, replacing any earlier one (actor needs staff_manage in the
  //! member's department), audited as "staff.certificate" with before and after.
  //! not_found (field "username") for an unknown staff member; invalid_input / conflict
  //! "certificate_taken" (field "cert_subject") as for add_staff.
  Result<void> set_staff_certificate(const Principal& actor, std::string_view username,
                                     std::string_view subject, const RequestContext& ctx);
  //! Records a training course passed today and valid until `valid_until` (actor needs
  //! staff_train). not_found (field "username") for an unknown staff member.
  Result<void> train_staff(const Principal& actor, std::string_view username,
                           std::string_view course, std::string_view valid_until,
                           const RequestContext& ctx);
  //! The principal's own training records, latest first.
  Result<std::vector<TrainingRecord>> training_status(const Principal& who,
                                                      const RequestContext& ctx);

  //! The principal's account as anyone may see it.
  Result<AccountSummary> summary(const Principal& who);

  //! An applicant's unsealed identity, for the case use cases (which check who may see
  //! it and audit staff reads). not_found "account_not_found" for an unknown or staff id.
  //! Returns name, kind ("person"/"organisation"), the citizen ID or credit code, mobile.
  Result<std::vector<std::string>> applicant_identity(std::string_view account_id);
  //! The account id registered under an ID number or credit code (window mode: a clerk
  //! files for a visitor), or nullopt.
  Result<std::optional<std::string>> find_applicant(std::string_view login, std::string_view today);

  //! Records a request refused before any use case ran (e.g. a write without the CSRF
  //! token) in the audit trail.
  Result<void> record_denial(const Principal& who, std::string_view action, std::string_view reason,
                             const RequestContext& ctx);

  //! Checks a permission and records a denial in the audit trail before returning it.
  Result<void> authorize(const Principal& who, Permission permission, std::string_view department,
                         std::string_view action, const RequestContext& ctx);

 private:
  //! Who registers and how the login code was checked (see register_person).
  struct Registrar {
    const Principal* staff = nullptr;
    std::string override_reason;  //!< non-empty only when the check digit actually failed
  };
  Result<Registrar> registrar(const WindowRegistration& window, const RequestContext& ctx);
  Result<AccountSummary> create_applicant(
      AccountRecord account, const std::string& login_value,
      const std::vector<std::pair<std::string, std::string>>& sealed, std::string_view password,
      const Registrar& by, const RequestContext& ctx);
  AuditEvent event(const Principal* who, std::string_view action, std::string_view object_type,
                   std::string_view object_id, std::string_view outcome, const RequestContext& ctx,
                   std::string after_json = {}) const;
  Result<void> record(const Principal* who, std::string_view action, std::string_view object_type,
                      std::string_view object_id, std::string_view outcome,
                      const RequestContext& ctx, std::string after_json = {});
  //! The entry for the repository to append inside its write, or nullopt when there is
  //! no planner (then record() it after the write).
  Result<std::optional<AuditAppend>> plan(const AuditEvent& e) const;
  //! After a write made with plan(e): records `e` unless the write appended it.
  Result<void> record_unless_planned(const std::optional<AuditAppend>& planned,
                                     const AuditEvent& e);
  Result<void> login_failed(const std::string& login_index, const AccountRecord* account,
                            std::string_view reason, const RequestContext& ctx);
  Result<void> check_throttle(const std::string& index, const RequestContext& ctx,
                              std::int64_t* retry_after);
  Result<bool> totp_ok(const AccountRecord& account, std::string_view code,
                       const RequestContext& ctx, std::string* reason);
  Result<void> write_certificate(const Principal& actor, const std::string& account_id,
                                 std::string_view username, std::string_view before,
                                 std::string_view after, const RequestContext& ctx);
  Result<SignedIn> open_session(const AccountRecord& account, const std::string& index,
                                std::string_view password, const RequestContext& ctx);
  //! Audits a refused use of the ended session `s` (see validate_session), unless that
  //! session's replay was audited within the interval. Always returns not_signed_in.
  Error replay_refused(const SessionRecord& s, const AccountRecord* account,
                       std::string_view reason, const RequestContext& ctx);
  //! Whether a replay of session `id` at `now` is due for an audit entry; marks it so.
  bool replay_audit_due(const std::string& id, std::int64_t now);
  //! Forgets the mark of `id` (its entry could not be written: try again next time).
  void replay_audit_undo(const std::string& id);
  std::string new_id() const;
  std::string random_hex(std::size_t bytes) const;
  std::string login_index(std::string_view normalised) const;
  std::string normalise_login(std::string_view login, std::string_view today) const;

  std::shared_ptr<AccountRepository> repo_;
  std::shared_ptr<AuditSink> audit_;
  AccountCrypto crypto_;
  core::PasswordPolicy policy_;
  AccountOptions options_;
  AuditPlanner planner_;

  //! Session id → when its last replay was audited (bounded: see replay_audit_due).
  std::mutex replay_mutex_;
  std::unordered_map<std::string, std::int64_t> replay_audited_;
};

}  // namespace shenpi::app
