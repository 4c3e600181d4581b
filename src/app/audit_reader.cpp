#include "app/audit_reader.h"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

#include "app/authorization.h"

namespace shenpi::app {
namespace {

namespace json = boost::json;

std::string roles_of(const Principal& p) {
  if (p.system) return "system";
  if (p.kind != AccountKind::staff) return std::string(to_string(p.kind));
  std::string out;
  for (const RoleGrant& g : p.roles) {
    if (!out.empty()) out += ",";
    out += g.role;
  }
  return out.empty() ? "staff" : out;
}

json::object filter_json(const AuditFilter& f) {
  json::object o;
  if (!f.actor.empty()) o["actor"] = f.actor;
  if (!f.action.empty()) o["action"] = f.action;
  if (!f.object_type.empty()) o["object_type"] = f.object_type;
  if (!f.object_id.empty()) o["object_id"] = f.object_id;
  if (!f.department_code.empty()) o["department"] = f.department_code;
  if (f.from_unix_ms) o["from_unix_ms"] = *f.from_unix_ms;
  if (f.to_unix_ms) o["to_unix_ms"] = *f.to_unix_ms;
  if (f.before_seq != 0) o["before_seq"] = f.before_seq;
  return o;
}

}  // namespace

AuditReader::AuditReader(std::shared_ptr<AuditLog> log) : log_(std::move(log)) {}

Result<void> AuditReader::record(const Principal& actor, std::string_view action,
                                 std::string_view outcome, const RequestContext& ctx,
                                 std::string after_json) {
  AuditEvent e;
  e.at_unix_ms = ctx.now * 1000;
  e.actor_id = actor.system ? "" : actor.account_id;
  e.actor_name = actor.system ? "system" : (actor.username.empty() ? actor.name : actor.username);
  e.role = roles_of(actor);
  e.department_code = actor.department_code;
  e.address = ctx.address;
  e.request_id = ctx.request_id;
  e.action = std::string(action);
  e.object_type = "audit_trail";
  e.outcome = std::string(outcome);
  e.after_json = std::move(after_json);
  return log_->record(e);
}

Result<std::optional<std::string>> AuditReader::scope(const Principal& actor,
                                                      std::string_view action,
                                                      const RequestContext& ctx) {
  Result<void> allowed = require(actor, Permission::audit_read, "");
  if (!allowed.ok()) {
    SHENPI_TRY(record(actor, action, "denied", ctx,
                      json::serialize(json::object{{"reason", allowed.error().code}})));
    return allowed.take_error();
  }
  using Scope = std::optional<std::string>;
  if (actor.system) return Scope();
  const bool city_wide = std::any_of(
      actor.roles.begin(), actor.roles.end(),
      [](const RoleGrant& g) { return g.role == "centre_admin" || g.role == "supervisor"; });
  if (city_wide) return Scope();
  // Only security_officer carries audit_read per department (authorization.cpp).
  for (const RoleGrant& g : actor.roles) {
    if (g.role == "security_officer") return Scope(g.department_code);
  }
  return make_error(ErrorKind::forbidden, "permission_denied", "您无权进行此操作");
}

Result<std::optional<std::string>> AuditReader::scoped(const Principal& actor, AuditFilter& filter,
                                                       std::string_view action,
                                                       const RequestContext& ctx) {
  SHENPI_ASSIGN(std::optional<std::string> dept, scope(actor, action, ctx));
  if (dept && !filter.department_code.empty() && filter.department_code != *dept) {
    json::object why{{"reason", "other_department"}, {"department", filter.department_code}};
    SHENPI_TRY(record(actor, action, "denied", ctx, json::serialize(why)));
    return make_error(ErrorKind::forbidden, "permission_denied", "您只能查阅本单位的审计记录",
                      "department");
  }
  return dept;
}

Result<AuditSearchResult> AuditReader::search(const Principal& actor, AuditFilter filter,
                                              const RequestContext& ctx) {
  SHENPI_ASSIGN(std::optional<std::string> dept, scoped(actor, filter, "audit.search", ctx));
  SHENPI_ASSIGN(AuditPage page, log_->search(filter, dept));
  json::object after = filter_json(filter);
  after["results"] = static_cast<std::int64_t>(page.entries.size());
  SHENPI_TRY(record(actor, "audit.search", "success", ctx, json::serialize(after)));
  return AuditSearchResult{std::move(dept), std::move(page)};
}

Result<std::string> AuditReader::export_csv(const Principal& actor, AuditFilter filter,
                                            const RequestContext& ctx, std::int64_t max_rows) {
  SHENPI_ASSIGN(std::optional<std::string> dept, scoped(actor, filter, "audit.export", ctx));
  SHENPI_ASSIGN(std::string csv, log_->export_csv(filter, dept, max_rows));
  SHENPI_TRY(record(actor, "audit.export", "success", ctx, json::serialize(filter_json(filter))));
  return csv;
}

Result<AuditVerifyReport> AuditReader::verify(const Principal& actor, const RequestContext& ctx) {
  SHENPI_TRY(scope(actor, "audit.verify", ctx));
  SHENPI_ASSIGN(AuditVerifyReport report, log_->verify());
  json::object after{
      {"entries", report.entries}, {"checkpoints", report.checkpoints}, {"ok", report.ok}};
  if (!report.ok) after["first_bad_seq"] = report.first_bad_seq;
  SHENPI_TRY(record(actor, "audit.verify", report.ok ? "success" : "failure", ctx,
                    json::serialize(after)));
  return report;
}

}  // namespace shenpi::app
