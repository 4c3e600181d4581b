#include "app/inbox_service.h"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

#include "app/authorization.h"

namespace shenpi::app {
namespace {

namespace json = boost::json;

constexpr std::string_view kEmailPurpose = "email";

bool local_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-';
}

bool domain_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

Error bad_email() {
  return make_error(ErrorKind::invalid_input, "bad_email",
                    "请填写正确的电子邮箱地址，例如 name@example.com", "email");
}

std::string role_of(const Principal& who) {
  if (who.system) return "system";
  if (who.kind != AccountKind::staff) return "applicant";
  return who.roles.empty() ? "staff" : who.roles.front().role;
}

}  // namespace

Result<std::string> normalise_email(std::string_view email) {
  std::size_t b = 0;
  std::size_t e = email.size();
  while (b < e && (email[b] == ' ' || email[b] == '\t')) ++b;
  while (e > b && (email[e - 1] == ' ' || email[e - 1] == '\t')) --e;
  std::string s(email.substr(b, e - b));
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (s.size() > 254) return bad_email();
  const std::size_t at = s.find('@');
  if (at == std::string::npos || at == 0 || at > 64 || s.find('@', at + 1) != std::string::npos) {
    return bad_email();
  }
  const std::string_view local(s.data(), at);
  const std::string_view domain(s.data() + at + 1, s.size() - at - 1);
  if (!std::all_of(local.begin(), local.end(), local_char)) return bad_email();
  if (local.front() == '.' || local.back() == '.') return bad_email();
  // Domain: labels of letters, digits and hyphens, at least two of them.
  if (domain.empty() || domain.find('.') == std::string_view::npos) return bad_email();
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    const std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), domain_char)) {
      return bad_email();
    }
    start = dot + 1;
  }
  return s;
}

std::string mask_email(std::string_view email) {
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0) return "***";
  return std::string(email.substr(0, 1)) + "***" + std::string(email.substr(at));
}

InboxService::InboxService(std::shared_ptr<OutboxRepository> outbox,
                           std::shared_ptr<AuditSink> audit, ContactCrypto crypto)
    : outbox_(std::move(outbox)), audit_(std::move(audit)), crypto_(std::move(crypto)) {}

Result<void> InboxService::record(const Principal& who, std::string_view action,
                                  std::string_view object_id, std::string_view outcome,
                                  const RequestContext& ctx, std::string after_json) {
  if (!audit_) return ok_result();
  AuditEvent e;
  e.at_unix_ms = ctx.now * 1000;
  e.actor_id = who.system ? "" : who.account_id;
  e.actor_name = who.system ? "system" : (who.username.empty() ? who.name : who.username);
  e.role = role_of(who);
  e.department_code = who.department_code;
  e.address = ctx.address;
  e.request_id = ctx.request_id;
  e.action = std::string(action);
  e.object_type = "account";
  e.object_id = std::string(object_id);
  e.outcome = std::string(outcome);
  e.after_json = std::move(after_json);
  return audit_->record(e);
}

Result<void> InboxService::authorize(const Principal& who, Permission permission,
                                     std::string_view action, const RequestContext& ctx) {
  Result<void> allowed = require(who, permission, "");
  if (allowed.ok()) return allowed;
  SHENPI_TRY(record(who, action, who.account_id, "denied", ctx,
                    json::serialize(json::object{{"permission", to_string(permission)},
                                                 {"reason", allowed.error().code}})));
  return allowed;
}

Result<InboxView> InboxService::inbox(const Principal& who, int limit, const RequestContext& ctx) {
  SHENPI_TRY(authorize(who, Permission::manage_own_account, "inbox.read", ctx));
  InboxView view;
  SHENPI_ASSIGN(view.messages, outbox_->inbox(who.account_id, std::clamp(limit, 1, kMaxMessages)));
  SHENPI_ASSIGN(view.unread, outbox_->unread_count(who.account_id));
  return view;
}

Result<void> InboxService::mark_read(const Principal& who, std::int64_t message_id,
                                     const RequestContext& ctx) {
  SHENPI_TRY(authorize(who, Permission::manage_own_account, "inbox.mark_read", ctx));
  return outbox_->mark_read(who.account_id, message_id, ctx.now);
}

Result<NotificationSettings> InboxService::settings(const Principal& who,
                                                    const RequestContext& ctx) {
  SHENPI_TRY(authorize(who, Permission::manage_own_account, "notifications.read", ctx));
  SHENPI_ASSIGN(std::optional<ContactRecord> c, outbox_->contact(who.account_id));
  NotificationSettings s;
  if (!c) return s;
  s.email_enabled = c->email_enabled;
  if (!c->email_sealed.empty()) {
    SHENPI_ASSIGN(s.email, crypto_.open(c->email_sealed, email_associated_data(who.account_id)));
  }
  return s;
}

Result<void> InboxService::update_settings(const Principal& who,
                                           const NotificationSettings& settings,
                                           const RequestContext& ctx) {
  SHENPI_TRY(authorize(who, Permission::manage_own_account, "notifications.update", ctx));
  if (who.system || who.account_id.empty()) {
    return make_error(ErrorKind::invalid_input, "no_account", "系统身份没有通知设置");
  }
  ContactRecord c;
  c.account_id = who.account_id;
  c.email_enabled = settings.email_enabled;
  std::string email;
  if (!settings.email.empty() && settings.email.find_first_not_of(" \t") != std::string::npos) {
    SHENPI_ASSIGN(email, normalise_email(settings.email));
    c.email_sealed = crypto_.seal(email, email_associated_data(who.account_id));
    c.email_index = crypto_.blind_index(email, kEmailPurpose);
  }
  if (c.email_enabled && email.empty()) {
    return make_error(ErrorKind::invalid_input, "email_required",
                      "开启邮件通知前，请先填写电子邮箱地址", "email");
  }
  SHENPI_TRY(outbox_->set_contact(c));
  return record(who, "notifications.update", who.account_id, "success", ctx,
                json::serialize(json::object{{"email", email.empty() ? "" : mask_email(email)},
                                             {"email_enabled", c.email_enabled}}));
}

Result<FeedPage> InboxService::events(const Principal& who, std::int64_t after, int limit,
                                      const RequestContext& ctx) {
  SHENPI_TRY(authorize(who, Permission::audit_read, "events.read", ctx));
  FeedScope scope;
  const bool city_wide =
      who.system || std::any_of(who.roles.begin(), who.roles.end(), [](const RoleGrant& g) {
        return g.role == "centre_admin" || g.role == "supervisor";
      });
  if (!city_wide) {
    // Only security_officer carries audit_read per department (authorization.cpp).
    auto it = std::find_if(who.roles.begin(), who.roles.end(),
                           [](const RoleGrant& g) { return g.role == "security_officer"; });
    if (it == who.roles.end()) {
      return make_error(ErrorKind::forbidden, "permission_denied", "您无权进行此操作");
    }
    scope.all = false;
    scope.department_code = it->department_code;
  }
  FeedPage page;
  page.next = std::max<std::int64_t>(after, 0);
  SHENPI_ASSIGN(page.events,
                outbox_->events_after(page.next, std::clamp(limit, 1, kMaxFeedPage), scope));
  if (!page.events.empty()) page.next = page.events.back().id;
  return page;
}

}  // namespace shenpi::app
