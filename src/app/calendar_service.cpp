#include "app/calendar_service.h"

#include <algorithm>

#include <boost/json.hpp>

#include "app/authorization.h"
#include "app/calendar_json.h"
#include "resources/resources.h"

namespace shenpi::app {
namespace {

// The role an edit is audited under: the grant that carries the permission.
std::string role_of(const Principal& who) {
  if (who.system) return "system";
  for (const RoleGrant& g : who.roles) {
    if (g.role == "centre_admin") return g.role;
  }
  return who.roles.empty() ? (who.kind == AccountKind::staff ? "staff" : "applicant")
                           : who.roles.front().role;
}

}  // namespace

Result<std::vector<core::YearSchedule>> shipped_schedules() {
  std::vector<core::YearSchedule> out;
  for (std::string_view path : resource_names("data/calendar/")) {
    if (!path.ends_with(".json")) continue;
    auto s = year_schedule_from_text(*resource(path));
    Result<void> valid = s.ok() ? core::validate_schedule(*s) : Result<void>(s.error());
    if (!valid.ok()) {
      return make_error(ErrorKind::internal, "bad_shipped_calendar",
                        std::string(path) + ": " + valid.error().message);
    }
    out.push_back(std::move(*s));
  }
  std::sort(out.begin(), out.end(), [](const core::YearSchedule& a, const core::YearSchedule& b) {
    return a.year < b.year;
  });
  return out;
}

Result<std::shared_ptr<CalendarService>> CalendarService::open(
    std::shared_ptr<CalendarRepository> repo, std::shared_ptr<AuditSink> audit) {
  SHENPI_ASSIGN(auto shipped, shipped_schedules());
  std::shared_ptr<CalendarService> service(
      new CalendarService(std::move(repo), std::move(audit), std::move(shipped)));
  SHENPI_TRY(service->reload());
  return service;
}

Result<void> CalendarService::reload() {
  std::lock_guard write(write_mu_);
  SHENPI_ASSIGN(auto stored, repo_->years());
  auto cal = std::make_shared<core::WorkingCalendar>();
  for (const auto& s : shipped_) cal->set_year(s);
  std::vector<int> stored_years;
  for (auto& s : stored) {
    stored_years.push_back(s.year);
    cal->set_year(std::move(s));
  }
  std::lock_guard lock(mu_);
  current_ = std::move(cal);
  stored_years_ = std::move(stored_years);
  return ok_result();
}

std::shared_ptr<const core::WorkingCalendar> CalendarService::calendar() const {
  std::lock_guard lock(mu_);
  return current_;
}

bool CalendarService::stored(int year) const {
  std::lock_guard lock(mu_);
  return std::find(stored_years_.begin(), stored_years_.end(), year) != stored_years_.end();
}

Result<core::YearSchedule> CalendarService::year(int year) const {
  const auto cal = calendar();
  const core::YearSchedule* s = cal->schedule(year);
  if (s == nullptr) return core::calendar_year_missing(year);
  return *s;
}

Result<void> CalendarService::record(const Principal& who, std::string_view action,
                                     std::string object_id, std::string_view outcome,
                                     const RequestContext& ctx, std::string before_json,
                                     std::string after_json) {
  AuditEvent e;
  e.at_unix_ms = ctx.now * 1000;
  e.actor_id = who.system ? "" : who.account_id;
  e.actor_name = who.system ? "system" : (who.username.empty() ? who.name : who.username);
  e.role = role_of(who);
  e.department_code = who.department_code;
  e.address = ctx.address;
  e.request_id = ctx.request_id;
  e.action = std::string(action);
  e.object_type = "calendar_year";
  e.object_id = std::move(object_id);
  e.outcome = std::string(outcome);
  e.before_json = std::move(before_json);
  e.after_json = std::move(after_json);
  return audit_->record(e);
}

Result<void> CalendarService::authorize_edit(const Principal& who, std::string_view action,
                                             const RequestContext& ctx) {
  Result<void> allowed = require(who, Permission::calendar_edit, "");
  if (allowed.ok()) return allowed;
  SHENPI_TRY(record(who, action, "", "denied", ctx, "",
                    boost::json::serialize(
                        boost::json::object{{"permission", to_string(Permission::calendar_edit)},
                                            {"reason", allowed.error().code}})));
  return allowed;
}

Result<void> CalendarService::put_year(const Principal& who, const core::YearSchedule& s,
                                       const RequestContext& ctx) {
  SHENPI_TRY(authorize_edit(who, "calendar.put_year", ctx));
  SHENPI_TRY(core::validate_schedule(s));
  const auto before = calendar();
  const core::YearSchedule* old = before->schedule(s.year);
  std::string before_json = old ? boost::json::serialize(to_json(*old)) : std::string();
  SHENPI_TRY(repo_->put_year(s, who.system ? "system" : who.account_id, ctx.now * 1000));
  // The write is committed: refresh the snapshot before auditing, so that what is served
  // is what is stored even when the audit step fails.
  SHENPI_TRY(reload());
  core::WorkingCalendar sorted;
  sorted.set_year(s);
  return record(who, "calendar.put_year", std::to_string(s.year), "success", ctx,
                std::move(before_json), boost::json::serialize(to_json(*sorted.schedule(s.year))));
}

std::optional<std::string> CalendarService::missing_year_reminder(std::string_view today) const {
  const auto d = core::Date::parse(today);
  if (!d || d->month < 11) return std::nullopt;
  const int next = d->year + 1;
  if (calendar()->has_year(next)) return std::nullopt;
  const std::string y = std::to_string(next);
  return y + " 年节假日安排尚未录入。请在国务院办公厅发布《关于" + y +
         " 年部分节假日安排的通知》后，及时在“节假日设置”中录入或导入；录入前，期限跨入 " + y +
         " 年的办件按周末双休暂算，并标注为“暂定”。";
}

}  // namespace shenpi::app
