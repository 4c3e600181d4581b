#include "app/supervision_service.h"

#include <algorithm>

#include <boost/json.hpp>

#include "app/authorization.h"
#include "core/calendar/date.h"
#include "core/supervision/warning_rules.h"

namespace shenpi::app {
namespace {

namespace json = boost::json;

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

bool holds_role(const Principal& who, std::string_view role) {
  return std::any_of(who.roles.begin(), who.roles.end(),
                     [&](const RoleGrant& g) { return g.role == role; });
}

}  // namespace

std::string warning_to_json(const Warning& w) {
  return json::serialize(json::object{{"id", w.id},
                                      {"case_number", w.case_number},
                                      {"department", w.department_code},
                                      {"department_name", w.department_name},
                                      {"rule", core::to_string(w.rule)},
                                      {"rule_label", core::label(w.rule)},
                                      {"part_seq", w.part_seq},
                                      {"task_id", w.task_id},
                                      {"days_late", w.days_late},
                                      {"legal_days_late", w.legal_days_late},
                                      {"due_on", w.due_on},
                                      {"state", core::to_string(w.state)},
                                      {"first_seen_on", w.first_seen_on},
                                      {"last_seen_on", w.last_seen_on}});
}

SupervisionService::SupervisionService(SupervisionDeps deps) : d_(std::move(deps)) {
  d_.batch = std::max(1, d_.batch);
}

Result<PassReport> SupervisionService::run_pass(std::string_view today_text) {
  const auto today = core::Date::parse(today_text);
  if (!today) {
    return make_error(ErrorKind::invalid_input, "bad_date", "日期应为 YYYY-MM-DD", "at");
  }
  PassReport report;
  report.today = today->iso();
  // One calendar snapshot for the whole pass: every case is judged by the same schedule.
  const std::shared_ptr<const core::WorkingCalendar> cal = d_.calendar->calendar();
  const core::ClockPolicy policy = d_.clock_policy;
  const core::Date day = *today;
  const EvaluateCase evaluate =
      [&cal, policy, day](const SupervisedCase& sc) -> Result<std::vector<core::WarningFinding>> {
    return core::supervise_case(sc.c, sc.events, *cal, day, policy);
  };
  const AnnounceWarning announce = [this](const Warning& w, const std::vector<std::string>& leads) {
    return this->announce(w, leads);
  };

  BatchRequest req;
  req.today = report.today;
  req.limit = d_.batch;
  if (d_.changed_within_days > 0) {
    req.changed_since = today->plus_days(-d_.changed_within_days).iso();
  }
  for (;;) {
    SHENPI_ASSIGN(BatchResult batch, d_.repo->run_batch(req, evaluate, announce));
    ++report.batches;
    report.examined += batch.examined;
    report.updated += batch.updated;
    for (Warning& w : batch.created) report.created.push_back(std::move(w));
    if (batch.claimed < req.limit) break;
  }
  return report;
}

Result<WarningAnnouncement> SupervisionService::announce(const Warning& w,
                                                         const std::vector<std::string>& leads) {
  const std::int64_t now_ms = d_.now_unix_ms ? d_.now_unix_ms() : 0;
  AuditEvent e;
  e.at_unix_ms = now_ms;
  e.actor_name = "system";
  e.role = "system";
  e.department_code = w.department_code;
  e.action = "supervision.warning";
  e.object_type = "case";
  e.object_id = w.case_number;
  e.outcome = "success";
  e.after_json = warning_to_json(w);
  WarningAnnouncement a;
  SHENPI_ASSIGN(a.audit, d_.audit->plan(e));

  OutboxEvent& ev = a.event;
  ev.event_id = hex(d_.random_bytes(16));
  ev.topic = std::string(kWarningTopic);
  ev.case_number = w.case_number;
  ev.department_code = w.department_code;
  std::string reason = std::string("电子监察警示：") + std::string(core::label(w.rule));
  if (w.days_late > 0) reason += "，超期 " + std::to_string(w.days_late) + " 个工作日";
  ev.payload_json = json::serialize(json::object{{"number", w.case_number},
                                                 {"rule", core::to_string(w.rule)},
                                                 {"rule_label", core::label(w.rule)},
                                                 {"days_late", w.days_late},
                                                 {"state_label", "电子监察警示"},
                                                 {"department_name", w.department_name},
                                                 {"reason", reason}});
  ev.recipients = leads;
  ev.created_at = now_ms / 1000;
  return a;
}

Result<void> SupervisionService::record_denial(const Principal& who, const Error& why,
                                               const RequestContext& ctx) {
  AuditEvent e;
  e.at_unix_ms = ctx.now * 1000;
  e.actor_id = who.system ? "" : who.account_id;
  e.actor_name = who.system ? "system" : (who.username.empty() ? who.name : who.username);
  e.role = who.roles.empty() ? (who.kind == AccountKind::staff ? "staff" : "applicant")
                             : who.roles.front().role;
  e.department_code = who.department_code;
  e.address = ctx.address;
  e.request_id = ctx.request_id;
  e.action = "supervision.warnings";
  e.object_type = "warning";
  e.outcome = "denied";
  e.after_json = json::serialize(json::object{{"reason", why.code}});
  return d_.audit->record(e);
}

Result<std::vector<Warning>> SupervisionService::warnings(const Principal& who,
                                                          const WarningQuery& q,
                                                          const RequestContext& ctx) {
  WarningFilter f;
  f.department = q.department;
  f.case_number = q.case_number;
  f.limit = std::clamp(q.limit, 1, 5000);
  if (!q.state.empty()) {
    f.state = core::parse_warning_state(q.state);
    if (!f.state) {
      return make_error(ErrorKind::invalid_input, "bad_state",
                        "state 应为 open、acknowledged 或 closed", "state");
    }
  }

  // The centre and the supervision bureau see the whole city.
  const bool city_wide =
      who.system || require(who, Permission::supervise, "").ok() ||
      (holds_role(who, "centre_admin") && require(who, Permission::case_read, "").ok());
  if (!city_wide) {
    Result<void> allowed = require(who, Permission::case_read, "");
    if (!allowed.ok()) {
      SHENPI_TRY(record_denial(who, allowed.error(), ctx));
      return allowed.take_error();
    }
    std::vector<std::string> depts;
    for (const RoleGrant& g : who.roles) {
      if (require(who, Permission::case_read, g.department_code).ok() &&
          std::find(depts.begin(), depts.end(), g.department_code) == depts.end()) {
        depts.push_back(g.department_code);
      }
    }
    if (!q.department.empty() &&
        std::find(depts.begin(), depts.end(), q.department) == depts.end()) {
      Error e = make_error(ErrorKind::forbidden, "department_out_of_scope",
                           "只能查看本单位的警示信息", "dept");
      SHENPI_TRY(record_denial(who, e, ctx));
      return e;
    }
    f.departments = std::move(depts);
  }
  return d_.repo->warnings(f);
}

}  // namespace shenpi::app
