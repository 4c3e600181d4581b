#include "web/staff_pages.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "app/authorization.h"
#include "core/audit/audit_entry.h"
#include "docs/qr_svg.h"
#include "http/error_mapping.h"
#include "http/form.h"
#include "web/page_failure.h"
#include "web/render.h"

namespace shenpi::web {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

constexpr int kAuditPageSize = 50;

// The role names of the CLI and API, as the pages show them.
std::string_view role_label(std::string_view role) {
  static const std::map<std::string_view, std::string_view> kLabels = {
      {"clerk", "窗口受理"},
      {"reviewer", "审查"},
      {"approver", "审批负责人"},
      {"business_lead", "业务负责人"},
      {"security_officer", "安全保密员"},
      {"dept_admin", "单位管理员"},
      {"centre_admin", "行政服务中心管理员"},
      {"catalogue_admin", "编办事项管理员"},
      {"tech_admin", "信息办技术管理员"},
      {"supervisor", "监察局监督员"},
      {"leading_group", "领导小组"},
  };
  const auto it = kLabels.find(role);
  return it == kLabels.end() ? role : it->second;
}

struct State {
  StaffPagesDeps deps;

  app::AccountService& accounts() const { return deps.auth->accounts(); }

  // Code → full name of every department; codes stand for themselves when the catalogue
  // cannot be read (the pages stay usable).
  std::vector<core::Department> departments() const {
    auto all = deps.catalogue->departments();
    return all ? std::move(*all) : std::vector<core::Department>{};
  }
  static std::string department_name(const std::vector<core::Department>& all,
                                     std::string_view code) {
    for (const auto& d : all) {
      if (d.code == code) return d.name;
    }
    return std::string(code);
  }

  static Response no_store(Response r) {
    r.header("Cache-Control", "no-store");
    return r;
  }

  // Not signed in → the login page, back here afterwards; staff without training → their
  // training page; everything else → the error page in Chinese.
  Response fail(const Error& e, const Request& req) const {
    return page_failure(req, e, deps.options.site_name, "/admin/staff");
  }

  Response page(const app::Principal& who, std::string_view tpl, std::string title,
                json::object ctx, int status, const Request& req) const {
    ctx["csrf_token"] = who.csrf_token;
    PageSpec spec{deps.options.site_name, tpl, std::move(title), Nav::none, Frame::site};
    spec.account = account_header(who);
    auto html = render_page(spec, std::move(ctx));
    if (!html) return fail(html.error(), req);
    return no_store(Response::html(status, std::move(*html)));
  }

  static void put_error(json::object& ctx, const Error& e) {
    ctx["error"] = e.message;
    if (!e.field.empty()) ctx[e.field + "_error"] = e.message;
  }

  // ---- /admin/staff ------------------------------------------------------------------

  struct StaffForm {
    std::string username, name, department, password, cert_subject;
    std::vector<std::string> roles;
  };

  Response staff_page(const app::Principal& who, const app::StaffList& list, const StaffForm& form,
                      const std::optional<Error>& error, int status, const Request& req) const {
    const auto all = departments();
    const std::string today = deps.auth->context(req).today;
    json::object ctx;
    ctx["scope_label"] = list.department ? department_name(all, *list.department) : "全部单位";
    json::array staff;
    for (const auto& m : list.staff) {
      std::string roles;
      for (const auto& g : m.roles) {
        if (!roles.empty()) roles += "、";
        roles += role_label(g.role);
      }
      staff.push_back(json::object{
          {"username", m.username},
          {"name", m.name},
          {"department", department_name(all, m.department_code)},
          {"roles", roles},
          {"trained", app::training_valid(m, today)},
          {"valid_until", m.training.empty() ? std::string() : m.training.front().valid_until},
          {"status", m.status == "active" ? "正常" : "已停用"},
      });
    }
    if (auto saved = req.query_param("cert_saved"); saved && !error) {
      ctx["cert_saved"] = std::string(*saved);
    }
    ctx["has_staff"] = !staff.empty();
    ctx["staff_count"] = staff.size();
    ctx["staff"] = std::move(staff);

    // The departments this administrator may add staff to.
    const bool all_depts = app::StaffAdmin::manages_all_departments(who);
    json::array options;
    for (const auto& d : all) {
      const bool allowed =
          all_depts || std::any_of(who.roles.begin(), who.roles.end(), [&](const auto& g) {
            return g.role == "dept_admin" && g.department_code == d.code;
          });
      if (!allowed) continue;
      options.push_back(json::object{
          {"code", d.code}, {"name", d.name}, {"selected", d.code == form.department}});
    }
    ctx["departments"] = std::move(options);
    json::array roles;
    for (const std::string_view r : app::role_names()) {
      // A department administrator cannot grant city-wide roles: do not offer them.
      if (app::is_city_wide_role(r) && !all_depts) continue;
      const bool checked = std::find(form.roles.begin(), form.roles.end(), r) != form.roles.end();
      roles.push_back(json::object{{"value", r}, {"label", role_label(r)}, {"checked", checked}});
    }
    ctx["roles"] = std::move(roles);
    ctx["create"] = json::object{
        {"username", form.username}, {"name", form.name}, {"cert_subject", form.cert_subject}};
    if (error) put_error(ctx, *error);
    return page(who, "staff_admin", "工作人员账号管理", std::move(ctx), status, req);
  }

  Response get_staff(const Request& req) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    const auto ctx = deps.auth->context(req);
    auto list = deps.staff->list_staff(*who, req.query_param("dept").value_or(""), ctx);
    if (!list) return fail(list.error(), req);
    return staff_page(*who, *list, StaffForm{}, std::nullopt, 200, req);
  }

  Response post_staff(const Request& req) const {
    auto who = deps.auth->authenticate(req, true, http::api::CsrfSource::header_or_form);
    if (!who) return fail(who.error(), req);
    auto body = http::form_body(req);
    if (!body) return fail(body.error(), req);
    StaffForm form;
    form.username = body->value("username");
    form.name = body->value("name");
    form.department = body->value("department");
    form.password = body->value("password");
    form.cert_subject = body->value("cert_subject");
    for (const auto& [k, v] : body->fields) {
      if (k == "role") form.roles.push_back(v);
    }
    const auto ctx = deps.auth->context(req);
    app::StaffSpec spec{form.username, form.name,     form.department,
                        form.roles,    form.password, form.cert_subject};
    const bool generated = spec.password.empty();
    if (generated) spec.password = deps.staff->generate_password();
    auto enrolment = accounts().add_staff(*who, spec, ctx);
    if (!enrolment) {
      const Error& e = enrolment.error();
      // Redisplay the form with the error beside its field, provided the actor may see
      // the list at all (a clerk gets the 403 page instead).
      auto list = deps.staff->list_staff(*who, "", ctx);
      if (!list) return fail(list.error(), req);
      if (e.kind == ErrorKind::unavailable || e.kind == ErrorKind::internal) return fail(e, req);
      return staff_page(*who, *list, form, e, http::status_for(e.kind), req);
    }
    auto svg = docs::qr_svg(enrolment->otpauth_uri, "动态口令绑定二维码：" + spec.username);
    if (!svg) return fail(svg.error(), req);
    const auto all = departments();
    std::string roles;
    for (const auto& r : spec.roles) {
      if (!roles.empty()) roles += "、";
      roles += role_label(r);
    }
    json::object page_ctx{
        {"username", spec.username},
        {"name", spec.name},
        {"department", department_name(all, spec.department_code)},
        {"roles", roles},
        {"password", generated ? spec.password : std::string()},
        {"qr_svg", std::move(*svg)},
        {"secret", enrolment->totp_secret_base32},
    };
    return page(*who, "staff_created", "已创建工作人员账号", std::move(page_ctx), 201, req);
  }

  // ---- /admin/staff/{username}/certificate -------------------------------------------

  // Sets, replaces or (empty) removes the certificate subject a staff member signs in with.
  Response post_certificate(const Request& req) const {
    auto who = deps.auth->authenticate(req, true, http::api::CsrfSource::header_or_form);
    if (!who) return fail(who.error(), req);
    auto body = http::form_body(req);
    if (!body) return fail(body.error(), req);
    const auto ctx = deps.auth->context(req);
    const std::string username(req.param("username"));
    auto done = accounts().set_staff_certificate(*who, username, body->value("cert_subject"), ctx);
    if (done) {
      return no_store(Response::redirect("/admin/staff?cert_saved=" + url_encode(username)));
    }
    const Error& e = done.error();
    if (e.kind != ErrorKind::invalid_input && e.kind != ErrorKind::conflict) return fail(e, req);
    auto list = deps.staff->list_staff(*who, "", ctx);
    if (!list) return fail(list.error(), req);
    // Shown above the list, naming whose certificate it was about (the create form's
    // cert_subject field is not the one at fault).
    const Error shown = make_error(e.kind, e.code, username + "：" + e.message);
    return staff_page(*who, *list, StaffForm{}, shown, http::status_for(e.kind), req);
  }

  // ---- /admin/training and /training -------------------------------------------------

  Response training_admin_page(const app::Principal& who,
                               const std::vector<app::StaffMember>& members,
                               const json::object& form, const std::optional<Error>& error,
                               int status, const Request& req) const {
    const auto all = departments();
    const std::string today = deps.auth->context(req).today;
    json::array records, untrained;
    for (const auto& m : members) {
      const std::string dept = department_name(all, m.department_code);
      for (const auto& t : m.training) {
        records.push_back(json::object{{"username", m.username},
                                       {"name", m.name},
                                       {"department", dept},
                                       {"course", t.course},
                                       {"passed_on", t.passed_on},
                                       {"valid_until", t.valid_until},
                                       {"valid", t.valid_until >= today}});
      }
      if (!app::training_valid(m, today)) {
        untrained.push_back(
            json::object{{"username", m.username}, {"name", m.name}, {"department", dept}});
      }
    }
    json::object ctx;
    ctx["has_records"] = !records.empty();
    ctx["records"] = std::move(records);
    ctx["has_untrained"] = !untrained.empty();
    ctx["untrained"] = std::move(untrained);
    ctx["form"] = form;
    ctx["today"] = today;
    if (auto saved = req.query_param("saved"); saved && !error) ctx["saved"] = *saved;
    if (error) put_error(ctx, *error);
    return page(who, "staff_training_admin", "培训考核记录", std::move(ctx), status, req);
  }

  Response get_training_admin(const Request& req) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    auto members = deps.staff->training_register(*who, deps.auth->context(req));
    if (!members) return fail(members.error(), req);
    return training_admin_page(*who, *members, json::object{}, std::nullopt, 200, req);
  }

  Response post_training_admin(const Request& req) const {
    auto who = deps.auth->authenticate(req, true, http::api::CsrfSource::header_or_form);
    if (!who) return fail(who.error(), req);
    auto body = http::form_body(req);
    if (!body) return fail(body.error(), req);
    const auto ctx = deps.auth->context(req);
    const std::string username = body->value("username");
    auto done = accounts().train_staff(*who, username, body->value("course"),
                                       body->value("valid_until"), ctx);
    if (done) {
      return no_store(Response::redirect("/admin/training?saved=" + url_encode(username)));
    }
    auto members = deps.staff->training_register(*who, ctx);
    if (!members) return fail(members.error(), req);
    const Error& e = done.error();
    if (e.kind == ErrorKind::unavailable || e.kind == ErrorKind::internal) return fail(e, req);
    json::object form{{"username", username},
                      {"course", body->value("course")},
                      {"valid_until", body->value("valid_until")}};
    return training_admin_page(*who, *members, form, e, http::status_for(e.kind), req);
  }

  Response get_training(const Request& req) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    if (who->kind != app::AccountKind::staff) {
      return fail(make_error(ErrorKind::forbidden, "permission_denied", "本页仅供工作人员使用"),
                  req);
    }
    auto records = accounts().training_status(*who, deps.auth->context(req));
    if (!records) return fail(records.error(), req);
    const std::string today = deps.auth->context(req).today;
    json::array rows;
    for (const auto& t : *records) {
      rows.push_back(json::object{{"course", t.course},
                                  {"passed_on", t.passed_on},
                                  {"valid_until", t.valid_until},
                                  {"valid", t.valid_until >= today}});
    }
    json::object ctx{{"name", who->name},
                     {"trained", who->trained},
                     {"valid_until", who->training_valid_until},
                     {"has_records", !rows.empty()},
                     {"records", std::move(rows)}};
    return page(*who, "staff_training", "我的培训考核", std::move(ctx), 200, req);
  }

  // ---- /admin/audit ------------------------------------------------------------------

  // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  static std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  }

  // Unix milliseconds of 00:00 China time (UTC+8, no daylight saving) on `date`
  // (YYYY-MM-DD), or nullopt when it is not a real date.
  static std::optional<std::int64_t> china_midnight_ms(std::string_view date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
    int y = 0, m = 0, d = 0;
    const auto num = [&](std::size_t pos, std::size_t len, int& out) {
      const char* first = date.data() + pos;
      const auto r = std::from_chars(first, first + len, out);
      return r.ec == std::errc() && r.ptr == first + len;
    };
    if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return std::nullopt;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap) return std::nullopt;
    return days_from_civil(y, m, d) * 86400000 - 8 * 3600000;
  }

  struct AuditQuery {
    json::object echo;  // the values as typed, for the form
    app::AuditFilter filter;
    std::vector<Error> errors;
    std::string query_string;  // the filter as a query string, without the cursor
  };

  static AuditQuery parse_audit_query(const Request& req) {
    AuditQuery q;
    const auto get = [&](std::string_view name) {
      std::string v(req.query_param(name).value_or(""));
      const auto first = v.find_first_not_of(" \t");
      if (first == std::string::npos) return std::string();
      return v.substr(first, v.find_last_not_of(" \t") - first + 1);
    };
    for (const char* name : {"actor", "action", "object_type", "object_id", "from", "to", "dept"}) {
      const std::string v = get(name);
      q.echo[name] = v;
      if (v.empty()) continue;
      if (!q.query_string.empty()) q.query_string += '&';
      q.query_string += std::string(name) + "=" + url_encode(v);
    }
    q.filter.actor = get("actor");
    q.filter.action = get("action");
    q.filter.object_type = get("object_type");
    q.filter.object_id = get("object_id");
    q.filter.department_code = get("dept");
    q.filter.limit = kAuditPageSize;
    if (!q.filter.object_id.empty() && q.filter.object_type.empty()) {
      q.errors.push_back(make_error(ErrorKind::invalid_input, "object_type_missing",
                                    "按对象编号查询时请同时填写对象类型", "object_id"));
    }
    if (const std::string from = get("from"); !from.empty()) {
      q.filter.from_unix_ms = china_midnight_ms(from);
      if (!q.filter.from_unix_ms) {
        q.errors.push_back(make_error(ErrorKind::invalid_input, "date_invalid",
                                      "起始日期应为 YYYY-MM-DD 格式的日期", "from"));
      }
    }
    if (const std::string to = get("to"); !to.empty()) {
      const auto start = china_midnight_ms(to);
      if (!start) {
        q.errors.push_back(make_error(ErrorKind::invalid_input, "date_invalid",
                                      "截止日期应为 YYYY-MM-DD 格式的日期", "to"));
      } else {
        q.filter.to_unix_ms = *start + 86400000;  // the whole of the last day
        if (q.filter.from_unix_ms && *q.filter.from_unix_ms >= *q.filter.to_unix_ms) {
          q.errors.push_back(
              make_error(ErrorKind::invalid_input, "date_range", "截止日期不能早于起始日期", "to"));
        }
      }
    }
    if (const std::string before = get("before"); !before.empty()) {
      std::int64_t seq = 0;
      const auto r = std::from_chars(before.data(), before.data() + before.size(), seq);
      if (r.ec == std::errc() && r.ptr == before.data() + before.size() && seq > 0) {
        q.filter.before_seq = seq;
      }
    }
    return q;
  }

  Response audit_page(const app::Principal& who, const std::optional<std::string>& scope,
                      const AuditQuery& q, const app::AuditPage* results,
                      const app::AuditVerifyReport* verify, const std::optional<Error>& error,
                      int status, const Request& req) const {
    const auto all = departments();
    json::object ctx;
    ctx["q"] = q.echo;
    ctx["scope_label"] = scope ? department_name(all, *scope) : "全部单位";
    ctx["city_wide"] = !scope.has_value();
    json::array options;
    for (const auto& d : all) {
      options.push_back(json::object{
          {"code", d.code}, {"name", d.name}, {"selected", d.code == q.filter.department_code}});
    }
    ctx["departments"] = std::move(options);
    for (const Error& e : q.errors) put_error(ctx, e);
    if (error) put_error(ctx, *error);
    if (q.errors.empty()) {
      ctx["export_url"] =
          "/admin/audit/export.csv" + (q.query_string.empty() ? "" : "?" + q.query_string);
    }
    if (results != nullptr) {
      json::array rows;
      for (const auto& e : results->entries) {
        std::string details = e.after_json;
        if (!e.before_json.empty()) details = "之前 " + e.before_json + " 之后 " + details;
        rows.push_back(json::object{
            {"seq", e.seq},
            {"time", core::format_beijing_time(e.at_unix_ms)},
            {"actor", e.actor_name.empty() ? e.actor_id : e.actor_name},
            {"role", e.role},
            {"department",
             e.department_code.empty() ? std::string() : department_name(all, e.department_code)},
            {"address", e.address},
            {"action", e.action},
            {"object", e.object_id.empty() ? e.object_type : e.object_type + " " + e.object_id},
            {"outcome", e.outcome},
            {"details", details},
        });
      }
      ctx["searched"] = true;
      ctx["count"] = rows.size();
      ctx["has_entries"] = !rows.empty();
      ctx["entries"] = std::move(rows);
      if (results->next_before_seq != 0) {
        ctx["next_url"] = "/admin/audit?" + q.query_string + (q.query_string.empty() ? "" : "&") +
                          "before=" + std::to_string(results->next_before_seq);
      }
    }
    if (verify != nullptr) {
      ctx["verify"] = json::object{{"ok", verify->ok},
                                   {"entries", verify->entries},
                                   {"checkpoints", verify->checkpoints},
                                   {"first_bad_seq", verify->first_bad_seq},
                                   {"reason", verify->reason}};
    }
    return page(who, "audit_search", "审计日志", std::move(ctx), status, req);
  }

  Response get_audit(const Request& req) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    const auto ctx = deps.auth->context(req);
    auto scope = deps.audit->scope(*who, "audit.search", ctx);
    if (!scope) return fail(scope.error(), req);
    const AuditQuery q = parse_audit_query(req);
    if (!q.errors.empty()) {
      return audit_page(*who, *scope, q, nullptr, nullptr, std::nullopt, 400, req);
    }
    auto found = deps.audit->search(*who, q.filter, ctx);
    if (!found) {
      const Error& e = found.error();
      if (e.kind != ErrorKind::forbidden || e.field.empty()) return fail(e, req);
      return audit_page(*who, *scope, q, nullptr, nullptr, e, 403, req);
    }
    return audit_page(*who, found->department_scope, q, &found->page, nullptr, std::nullopt, 200,
                      req);
  }

  Response export_audit(const Request& req) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    const AuditQuery q = parse_audit_query(req);
    if (!q.errors.empty()) return fail(q.errors.front(), req);
    auto csv = deps.audit->export_csv(*who, q.filter, deps.auth->context(req));
    if (!csv) return fail(csv.error(), req);
    Response r;
    r.status = 200;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(*csv);
    // RFC 6266 / 8187: an ASCII fallback, then the Chinese name percent-encoded.
    r.header("Content-Disposition", "attachment; filename=\"audit-log.csv\"; filename*=UTF-8''" +
                                        url_encode("审计日志.csv"));
    return no_store(std::move(r));
  }

  Response post_verify(const Request& req) const {
    auto who = deps.auth->authenticate(req, true, http::api::CsrfSource::header_or_form);
    if (!who) return fail(who.error(), req);
    const auto ctx = deps.auth->context(req);
    auto report = deps.audit->verify(*who, ctx);
    if (!report) return fail(report.error(), req);
    auto scope = deps.audit->scope(*who, "audit.verify", ctx);
    if (!scope) return fail(scope.error(), req);
    const AuditQuery empty;
    return audit_page(*who, *scope, empty, nullptr, &*report, std::nullopt, 200, req);
  }
};

}  // namespace

void register_staff_pages(http::Router& router, StaffPagesDeps deps) {
  auto state = std::make_shared<const State>(State{std::move(deps)});
  // `access` names the permission each page's use case requires (app::to_string).
  const auto get = [&](const char* pattern, std::string_view access,
                       Response (State::*fn)(const Request&) const) {
    http::RouteOptions options;
    options.access = std::string(access);
    router.add(
        "GET", pattern, [state, fn](Request& req) { return ((*state).*fn)(req); }, options);
  };
  const auto post = [&](const char* pattern, std::string_view access,
                        Response (State::*fn)(const Request&) const) {
    http::RouteOptions form;
    form.max_body = http::kFormBodyLimit;
    form.access = std::string(access);
    router.add(
        "POST", pattern, [state, fn](Request& req) { return ((*state).*fn)(req); }, form);
  };
  using app::Permission;
  using app::to_string;
  get("/admin/staff", to_string(Permission::staff_manage), &State::get_staff);
  post("/admin/staff", to_string(Permission::staff_manage), &State::post_staff);
  post("/admin/staff/{username}/certificate", to_string(Permission::staff_manage),
       &State::post_certificate);
  get("/admin/training", to_string(Permission::staff_train), &State::get_training_admin);
  post("/admin/training", to_string(Permission::staff_train), &State::post_training_admin);
  get("/training", "signed_in", &State::get_training);
  get("/admin/audit", to_string(Permission::audit_read), &State::get_audit);
  get("/admin/audit/export.csv", to_string(Permission::audit_read), &State::export_audit);
  post("/admin/audit/verify", to_string(Permission::audit_read), &State::post_verify);
}

}  // namespace shenpi::web
