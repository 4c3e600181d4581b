#include "app/rectification_service.h"

#include <algorithm>

#include <boost/json.hpp>

#include "app/authorization.h"
#include "app/denial_audit.h"
#include "core/calendar/date.h"

namespace shenpi::app {
namespace {

namespace json = boost::json;

bool holds_role(const Principal& who, std::string_view role, std::string_view department = {}) {
  return std::any_of(who.roles.begin(), who.roles.end(), [&](const RoleGrant& g) {
    return g.role == role && (department.empty() || g.department_code == department);
  });
}

std::string actor_name(const Principal& who) {
  if (who.system) return "system";
  return who.name.empty() ? who.username : who.name;
}

// The role an overseer acts in, for the notice and the audit trail.
std::string overseer_role(const Principal& who) {
  if (who.system) return "system";
  for (std::string_view r : {"supervisor", "leading_group", "centre_admin"}) {
    if (holds_role(who, r)) return std::string(r);
  }
  return who.roles.empty() ? "staff" : who.roles.front().role;
}

Result<void> check_date(const std::string& text, const char* field) {
  if (!text.empty() && !core::Date::parse(text)) {
    return make_error(ErrorKind::invalid_input, "bad_date", "日期应为 YYYY-MM-DD", field);
  }
  return ok_result();
}

json::array string_array(const std::vector<std::string>& v) {
  json::array a;
  for (const std::string& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

std::string notice_to_json(const Notice& n, std::string_view today) {
  const core::NoticeStatus status =
      core::notice_status(n.state, n.reply_due_on, n.replied_on, today);
  json::array warnings;
  for (std::int64_t id : n.warning_ids) warnings.emplace_back(id);
  return json::serialize(json::object{{"id", n.id},
                                      {"department", n.department_code},
                                      {"department_name", n.department_name},
                                      {"subject", n.subject},
                                      {"body", n.body},
                                      {"cases", string_array(n.case_numbers)},
                                      {"warnings", std::move(warnings)},
                                      {"issued_by", n.issued_by_name},
                                      {"issuer_role", n.issuer_role},
                                      {"issued_on", n.issued_on},
                                      {"reply_due_on", n.reply_due_on},
                                      {"state", core::to_string(n.state)},
                                      {"status", core::to_string(status)},
                                      {"status_label", core::label(status)},
                                      {"overdue", status == core::NoticeStatus::overdue},
                                      {"reply", n.reply},
                                      {"replied_by", n.replied_by_name},
                                      {"replied_on", n.replied_on}});
}

RectificationService::RectificationService(RectificationDeps deps) : d_(std::move(deps)) {}

bool RectificationService::may_oversee(const Principal& who) {
  return who.system || require(who, Permission::supervise, "").ok() ||
         (holds_role(who, "centre_admin") && require(who, Permission::case_read, "").ok());
}

bool RectificationService::is_business_lead(const Principal& who, std::string_view department) {
  return !department.empty() && holds_role(who, "business_lead", department) &&
         require(who, Permission::case_read, department).ok();
}

Result<void> RectificationService::record_denial(const Principal& who, std::string_view action,
                                                 const Error& why, const RequestContext& ctx) {
  return d_.audit->record(
      denial_event(who, std::string(action), "rectification_notice", "", why, ctx));
}

Result<NoticeAnnouncement> RectificationService::announce(const Principal& who, const Notice& n,
                                                          bool reply,
                                                          const std::vector<std::string>& leads,
                                                          const RequestContext& ctx) {
  AuditEvent e;
  e.at_unix_ms = ctx.now * 1000;
  e.actor_id = who.system ? "" : who.account_id;
  e.actor_name = who.system ? "system" : (who.username.empty() ? who.name : who.username);
  e.role = reply ? "business_lead" : overseer_role(who);
  e.department_code = reply ? n.department_code : who.department_code;
  e.address = ctx.address;
  e.request_id = ctx.request_id;
  e.action = reply ? "supervision.notice_reply" : "supervision.notice_issue";
  e.object_type = "rectification_notice";
  e.object_id = std::to_string(n.id);
  e.outcome = "success";
  e.after_json = notice_to_json(n, ctx.today);
  NoticeAnnouncement a;
  SHENPI_ASSIGN(a.audit, d_.audit->plan(e));

  OutboxEvent& ev = a.event;
  ev.event_id = new_event_id(ctx.now, d_.random_bytes(12));
  ev.topic = std::string(reply ? kNoticeRepliedTopic : kNoticeIssuedTopic);
  ev.case_number = n.case_numbers.empty() ? std::string() : n.case_numbers.front();
  ev.department_code = n.department_code;
  // The payload speaks the case topics' members, so the inbox and email words read well.
  std::string reason =
      reply ? "整改答复：" + n.reply : n.body + "\n请于 " + n.reply_due_on + " 前答复。";
  ev.payload_json = json::serialize(json::object{
      {"notice_id", n.id},
      {"item_name", std::string(reply ? "整改通知已答复：" : "整改通知：") + n.subject},
      {"state_label", reply ? "已答复" : "待答复（答复期限 " + n.reply_due_on + "）"},
      {"department_name", n.department_name},
      {"reply_due_on", n.reply_due_on},
      {"reason", reason}});
  ev.recipients = leads;
  if (reply && !n.issued_by_id.empty() &&
      std::find(leads.begin(), leads.end(), n.issued_by_id) == leads.end()) {
    ev.recipients.push_back(n.issued_by_id);
  }
  ev.created_at = ctx.now;
  return a;
}

Result<Notice> RectificationService::issue(const Principal& who, const IssueNotice& in,
                                           const RequestContext& ctx) {
  if (!may_oversee(who)) {
    Error e = make_error(ErrorKind::forbidden, "permission_denied",
                         "只有政务服务中心或监察部门可以发出整改通知");
    if (Result<void> r = require(who, Permission::case_read, "");
        !r.ok() && r.error().code == "training_required") {
      e = r.error();
    }
    SHENPI_TRY(record_denial(who, "supervision.notice_issue", e, ctx));
    return e;
  }
  SHENPI_TRY(core::validate_notice(in.subject, in.body, in.reply_days));
  if (in.department.empty()) {
    return make_error(ErrorKind::invalid_input, "department_required", "请选择整改部门",
                      "department");
  }
  for (const std::string& c : in.case_numbers) {
    if (c.empty() || c.size() > 40 || c.find(' ') != std::string::npos) {
      return make_error(ErrorKind::invalid_input, "bad_case", "办件编号格式不正确", "cases");
    }
  }
  for (std::int64_t w : in.warning_ids) {
    if (w <= 0)
      return make_error(ErrorKind::invalid_input, "bad_warning", "警示编号不正确", "warnings");
  }
  const auto today = core::Date::parse(ctx.today);
  if (!today) return make_error(ErrorKind::internal, "bad_today", "当前日期无效");
  Notice n;
  n.department_code = in.department;
  n.subject = in.subject;
  n.body = in.body;
  n.case_numbers = in.case_numbers;
  n.warning_ids = in.warning_ids;
  n.issued_by_id = who.system ? "" : who.account_id;
  n.issued_by_name = actor_name(who);
  n.issuer_role = overseer_role(who);
  n.issued_on = today->iso();
  n.issued_at = ctx.now * 1000;
  n.reply_due_on = core::reply_due_on(*d_.calendar->calendar(), *today, in.reply_days).iso();
  return d_.repo->issue(n, [&](const Notice& stored, const std::vector<std::string>& leads) {
    return announce(who, stored, false, leads, ctx);
  });
}

Result<Notice> RectificationService::reply(const Principal& who, std::int64_t id,
                                           std::string_view text, const RequestContext& ctx) {
  SHENPI_ASSIGN(Notice n, notice(who, id, ctx));
  if (!is_business_lead(who, n.department_code)) {
    Error e = make_error(ErrorKind::forbidden, "not_business_lead",
                         "只有被通知部门的业务负责人可以答复整改通知");
    SHENPI_TRY(record_denial(who, "supervision.notice_reply", e, ctx));
    return e;
  }
  SHENPI_TRY(core::validate_reply(text));
  Notice r;
  r.reply = std::string(text);
  r.replied_by_id = who.account_id;
  r.replied_by_name = actor_name(who);
  r.replied_on = ctx.today;
  r.replied_at = ctx.now * 1000;
  return d_.repo->reply(id, r, [&](const Notice& stored, const std::vector<std::string>& leads) {
    return announce(who, stored, true, leads, ctx);
  });
}

Result<std::optional<std::vector<std::string>>> RectificationService::visible_departments(
    const Principal& who, std::string_view department, std::string_view action,
    const RequestContext& ctx) {
  if (may_oversee(who)) return std::optional<std::vector<std::string>>();
  Result<void> allowed = require(who, Permission::case_read, "");
  if (!allowed.ok()) {
    SHENPI_TRY(record_denial(who, action, allowed.error(), ctx));
    return allowed.take_error();
  }
  std::vector<std::string> depts;
  for (const RoleGrant& g : who.roles) {
    if (require(who, Permission::case_read, g.department_code).ok() &&
        std::find(depts.begin(), depts.end(), g.department_code) == depts.end()) {
      depts.push_back(g.department_code);
    }
  }
  if (!department.empty() && std::find(depts.begin(), depts.end(), department) == depts.end()) {
    Error e = make_error(ErrorKind::forbidden, "department_out_of_scope",
                         "只能查看本单位的整改通知", "dept");
    SHENPI_TRY(record_denial(who, action, e, ctx));
    return e;
  }
  return std::optional<std::vector<std::string>>(std::move(depts));
}

Result<std::vector<Notice>> RectificationService::notices(const Principal& who,
                                                          const NoticeQuery& q,
                                                          const RequestContext& ctx) {
  NoticeFilter f;
  f.department = q.department;
  f.today = ctx.today;
  f.limit = std::clamp(q.limit, 1, 5000);
  if (!q.status.empty()) {
    f.status = core::parse_notice_status(q.status);
    if (!f.status) {
      return make_error(ErrorKind::invalid_input, "bad_status",
                        "status 应为 awaiting、overdue、answered 或 answered_late", "status");
    }
  }
  SHENPI_TRY(check_date(q.from, "from"));
  SHENPI_TRY(check_date(q.to, "to"));
  f.issued_from = q.from;
  f.issued_to = q.to;
  SHENPI_ASSIGN(f.departments, visible_departments(who, q.department, "supervision.notices", ctx));
  return d_.repo->notices(f);
}

Result<Notice> RectificationService::notice(const Principal& who, std::int64_t id,
                                            const RequestContext& ctx) {
  const Error not_found = make_error(ErrorKind::not_found, "notice_not_found", "整改通知不存在");
  SHENPI_ASSIGN(auto depts, visible_departments(who, "", "supervision.notices", ctx));
  SHENPI_ASSIGN(std::optional<Notice> n, d_.repo->find(id));
  if (!n) return not_found;
  if (depts && std::find(depts->begin(), depts->end(), n->department_code) == depts->end()) {
    return not_found;
  }
  return std::move(*n);
}

Result<DashboardView> RectificationService::dashboard(const Principal& who, const DashboardQuery& q,
                                                      const RequestContext& ctx) {
  if (!may_oversee(who)) {
    Error e = make_error(ErrorKind::forbidden, "permission_denied",
                         "监察看板仅供政务服务中心和监察部门使用");
    if (Result<void> r = require(who, Permission::case_read, "");
        !r.ok() && r.error().code == "training_required") {
      e = r.error();
    }
    SHENPI_TRY(record_denial(who, "supervision.dashboard", e, ctx));
    return e;
  }
  DashboardWarningFilter wf;
  wf.department = q.department;
  if (!q.rule.empty()) {
    wf.rule = core::parse_warning_rule(q.rule);
    if (!wf.rule) return make_error(ErrorKind::invalid_input, "bad_rule", "未知的警示类型", "rule");
  }
  if (!q.state.empty()) {
    wf.state = core::parse_warning_state(q.state);
    if (!wf.state) {
      return make_error(ErrorKind::invalid_input, "bad_state",
                        "state 应为 open、acknowledged 或 closed", "state");
    }
  }
  SHENPI_TRY(check_date(q.from, "from"));
  SHENPI_TRY(check_date(q.to, "to"));
  wf.from = q.from;
  wf.to = q.to;
  const auto today = core::Date::parse(ctx.today);
  if (!today) return make_error(ErrorKind::internal, "bad_today", "当前日期无效");
  const std::shared_ptr<const core::WorkingCalendar> cal = d_.calendar->calendar();

  DashboardView v;
  v.today = today->iso();
  v.yellow_until = core::yellow_until(*cal, *today, d_.yellow_days).iso();
  v.query = q;
  SHENPI_ASSIGN(v.signals, d_.repo->open_signals(q.department, v.today, v.yellow_until));
  for (const DepartmentSignals& s : v.signals) {
    v.totals.green += s.green;
    v.totals.yellow += s.yellow;
    v.totals.red += s.red;
  }
  SHENPI_ASSIGN(std::vector<LateCase> late,
                d_.repo->late_cases(q.department, v.today, d_.late_limit));
  for (LateCase& c : late) {
    LateCaseRow row;
    if (const auto due = core::Date::parse(c.due_on)) {
      row.days_late = core::working_days_late(*cal, *due, *today);
    }
    row.c = std::move(c);
    v.late.push_back(std::move(row));
  }
  SHENPI_ASSIGN(v.warning_counts, d_.repo->warning_counts(wf));
  wf.limit = 100;
  SHENPI_ASSIGN(v.warnings, d_.repo->warnings(wf));
  NoticeFilter nf;
  nf.department = q.department;
  nf.today = v.today;
  nf.issued_from = q.from;
  nf.issued_to = q.to;
  nf.limit = 100;
  SHENPI_ASSIGN(v.notices, d_.repo->notices(nf));
  return v;
}

}  // namespace shenpi::app
