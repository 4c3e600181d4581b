#include "web/supervision_pages.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>

#include <boost/json.hpp>

#include "core/supervision/rectification.h"
#include "http/error_mapping.h"
#include "http/form.h"
#include "web/error_page.h"
#include "web/page_failure.h"
#include "web/render.h"
#include "web/static_files.h"
#include "web/svg_chart.h"

namespace shenpi::web {
namespace {

namespace json = boost::json;
using docs::Cell;
using docs::Row;
using http::Request;
using http::Response;
using http::api::CsrfSource;

Cell num(std::int64_t n) { return Cell{std::to_string(n), true}; }
Cell text(std::string s) { return Cell{std::move(s), false}; }

std::string department_label(const std::string& name, const std::string& code) {
  return name.empty() ? code : name;
}

// "14:03" in China Standard Time.
std::string china_clock(std::int64_t unix_seconds) {
  const std::int64_t s = ((unix_seconds + 8 * 3600) % 86400 + 86400) % 86400;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(s / 3600),
                static_cast<int>(s / 60 % 60));
  return buf;
}

json::array paragraphs(std::string_view body) {
  json::array out;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) out.emplace_back(line);
    start = end + 1;
  }
  return out;
}

// Splits "a, b c，d" into its words (spaces, commas, full-width commas).
std::vector<std::string> words(std::string_view s) {
  std::string normal;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.substr(i, 3) == "，") {
      normal += ' ';
      i += 2;
    } else if (s[i] == ',' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
      normal += ' ';
    } else {
      normal += s[i];
    }
  }
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < normal.size()) {
    const std::size_t j = std::min(normal.find(' ', i), normal.size());
    if (j > i) out.push_back(normal.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

struct State {
  SupervisionPagesDeps deps;

  static Response no_store(Response r) {
    r.header("Cache-Control", "no-store");
    return r;
  }

  Response fail(const Error& e, const Request& req) const {
    return page_failure(req, e, deps.options.site_name, "/supervision");
  }

  Result<Response> page(const app::Principal& who, std::string_view tpl, std::string title,
                        json::object ctx, int status) const {
    ctx["csrf_token"] = who.csrf_token;
    const auto& files = StaticFiles::instance();
    ctx["forms_css"] = files.url("forms.css");
    ctx["cases_css"] = files.url("cases.css");
    PageSpec spec{deps.options.site_name, tpl, std::move(title), Nav::none, Frame::site};
    spec.account = account_header(who);
    SHENPI_ASSIGN(std::string html, render_page(spec, std::move(ctx)));
    return no_store(Response::html(status, std::move(html)));
  }

  json::array department_options(std::string_view selected) const {
    json::array out;
    Result<std::vector<core::Department>> list = deps.catalogue->departments();
    if (!list.ok()) return out;  // the filters still work by code from the URL
    for (const core::Department& d : *list) {
      out.push_back(
          json::object{{"code", d.code}, {"name", d.name}, {"selected", d.code == selected}});
    }
    return out;
  }

  static app::DashboardQuery dashboard_query(const Request& req) {
    app::DashboardQuery q;
    q.department = std::string(req.query_param("dept").value_or(""));
    q.rule = std::string(req.query_param("rule").value_or(""));
    q.state = std::string(req.query_param("state").value_or(""));
    q.from = std::string(req.query_param("from").value_or(""));
    q.to = std::string(req.query_param("to").value_or(""));
    return q;
  }

  static std::string query_string(const app::DashboardQuery& q) {
    std::string s;
    const auto add = [&](const char* name, const std::string& v) {
      if (v.empty()) return;
      s += s.empty() ? '?' : '&';
      s += name;
      s += '=';
      s += url_encode(v);
    };
    add("dept", q.department);
    add("rule", q.rule);
    add("state", q.state);
    add("from", q.from);
    add("to", q.to);
    return s;
  }

  // ---- /supervision ----

  Result<Response> get_dashboard(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    const app::RequestContext rc = deps.auth->context(req);
    SHENPI_ASSIGN(app::DashboardView v, deps.service->dashboard(who, dashboard_query(req), rc));
    json::object ctx;
    ctx["today"] = v.today;
    ctx["yellow_until"] = v.yellow_until;
    ctx["updated_at"] = china_clock(rc.now);
    ctx["from"] = v.query.from;
    ctx["to"] = v.query.to;
    ctx["query_string"] = query_string(v.query);
    ctx["departments"] = department_options(v.query.department);
    json::array rules;
    for (core::WarningRule r : core::all_warning_rules()) {
      rules.push_back(json::object{{"value", core::to_string(r)},
                                   {"label", core::label(r)},
                                   {"selected", core::to_string(r) == v.query.rule}});
    }
    ctx["rules"] = std::move(rules);
    json::array states;
    for (core::WarningState s :
         {core::WarningState::open, core::WarningState::acknowledged, core::WarningState::closed}) {
      states.push_back(json::object{{"value", core::to_string(s)},
                                    {"label", core::label(s)},
                                    {"selected", core::to_string(s) == v.query.state}});
    }
    ctx["states"] = std::move(states);

    json::array signals;
    std::vector<ChartBar> bars;
    for (const app::DepartmentSignals& s : v.signals) {
      const std::string name = department_label(s.department_name, s.department_code);
      signals.push_back(json::object{{"code_url", url_encode(s.department_code)},
                                     {"name", name},
                                     {"green", s.green},
                                     {"yellow", s.yellow},
                                     {"red", s.red},
                                     {"total", s.green + s.yellow + s.red}});
      bars.push_back(ChartBar{name, {s.green, s.yellow, s.red}});
    }
    ctx["signals"] = std::move(signals);
    ctx["totals"] =
        json::object{{"green", v.totals.green}, {"yellow", v.totals.yellow}, {"red", v.totals.red}};
    ctx["signals_svg"] = stacked_bar_chart_svg(
        "chart-signals", "各部门在办件红黄绿灯",
        {{"绿灯", "#2e7d32"}, {"黄灯", "#f0b400"}, {"红灯", "#c62828"}}, bars);

    json::array late;
    for (const app::LateCaseRow& r : v.late) {
      late.push_back(
          json::object{{"number", r.c.number},
                       {"title", r.c.title},
                       {"department", department_label(r.c.department_name, r.c.department_code)},
                       {"due_on", r.c.due_on},
                       {"days_late", r.days_late}});
    }
    ctx["has_late"] = !late.empty();
    ctx["late_count"] = late.size();
    ctx["late_more"] = static_cast<std::int64_t>(late.size()) < v.totals.red;
    ctx["late"] = std::move(late);

    // Counts per rule: every rule in order, with the three states.
    std::map<core::WarningRule, std::array<std::int64_t, 3>> per_rule;
    std::int64_t warning_total = 0;
    for (const app::WarningCount& c : v.warning_counts) {
      per_rule[c.rule][static_cast<int>(c.state)] += c.count;
      warning_total += c.count;
    }
    json::array counts;
    std::vector<ChartBar> rule_bars;
    for (const auto& [rule, n] : per_rule) {
      counts.push_back(json::object{{"label", core::label(rule)},
                                    {"open", n[0]},
                                    {"acknowledged", n[1]},
                                    {"closed", n[2]},
                                    {"total", n[0] + n[1] + n[2]}});
      rule_bars.push_back(ChartBar{std::string(core::label(rule)), {n[0], n[1], n[2]}});
    }
    ctx["warning_counts"] = std::move(counts);
    ctx["warning_total"] = warning_total;
    ctx["warnings_svg"] = stacked_bar_chart_svg(
        "chart-warnings", "电子监察警示（按类型）",
        {{"待处理", "#c62828"}, {"已确认", "#f0b400"}, {"已关闭", "#607d8b"}}, rule_bars);
    json::array warnings;
    const bool may_close = deps.warnings && app::SupervisionService::may_close(who);
    for (const app::Warning& w : v.warnings) {
      warnings.push_back(
          json::object{{"id", w.id},
                       {"may_close", may_close && w.state != core::WarningState::closed},
                       {"case_number", w.case_number},
                       {"department", department_label(w.department_name, w.department_code)},
                       {"rule_label", core::label(w.rule)},
                       {"days_late", w.days_late},
                       {"state_label", core::label(w.state)},
                       {"first_seen_on", w.first_seen_on}});
    }
    ctx["has_warnings"] = !warnings.empty();
    ctx["warnings"] = std::move(warnings);
    ctx["may_close_any"] = may_close;
    ctx["handled"] = handled_notice(req);
    ctx["notices"] = notice_rows(v.notices, v.today);
    ctx["has_notices"] = !v.notices.empty();
    SHENPI_ASSIGN(Response r,
                  page(who, "supervision_dashboard", "电子监察看板", std::move(ctx), 200));
    r.header("Refresh", "60");
    return r;
  }

  static json::array notice_rows(const std::vector<app::Notice>& list, std::string_view today) {
    json::array out;
    for (const app::Notice& n : list) {
      const core::NoticeStatus s =
          core::notice_status(n.state, n.reply_due_on, n.replied_on, today);
      out.push_back(
          json::object{{"id", n.id},
                       {"department", department_label(n.department_name, n.department_code)},
                       {"subject", n.subject},
                       {"issued_on", n.issued_on},
                       {"reply_due_on", n.reply_due_on},
                       {"status_label", core::label(s)},
                       {"overdue", s == core::NoticeStatus::overdue},
                       {"red", core::is_red(s)}});
    }
    return out;
  }

  Result<Response> export_file(const Request& req, bool xlsx) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    const app::RequestContext rc = deps.auth->context(req);
    SHENPI_ASSIGN(app::DashboardView v, deps.service->dashboard(who, dashboard_query(req), rc));
    const std::vector<docs::Sheet> sheets = dashboard_sheets(v);
    Response r;
    r.status = 200;
    const std::string name = "supervision-" + v.today + (xlsx ? ".xlsx" : ".csv");
    const std::string cn = "电子监察-" + v.today + (xlsx ? ".xlsx" : ".csv");
    if (xlsx) {
      r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      r.body = docs::to_xlsx(sheets);
    } else {
      r.content_type = "text/csv; charset=utf-8";
      std::vector<Row> rows;
      for (const docs::Sheet& s : sheets) {
        if (!rows.empty()) rows.push_back(Row{});
        rows.push_back(Row{text(s.name)});
        rows.insert(rows.end(), s.rows.begin(), s.rows.end());
      }
      r.body = docs::to_csv(rows);
    }
    r.header("Content-Disposition",
             "attachment; filename=\"" + name + "\"; filename*=UTF-8''" + url_encode(cn));
    return no_store(std::move(r));
  }
  Result<Response> get_csv(const Request& req) const { return export_file(req, false); }
  Result<Response> get_xlsx(const Request& req) const { return export_file(req, true); }

  // ---- /supervision/notices ----

  Result<Response> notices_page(const app::Principal& who, const Request& req, json::object form,
                                std::optional<Error> error, int status) const {
    const app::RequestContext rc = deps.auth->context(req);
    app::NoticeQuery q;
    q.status = std::string(req.query_param("status").value_or(""));
    if (req.method != "GET") q.status.clear();
    SHENPI_ASSIGN(std::vector<app::Notice> list, deps.service->notices(who, q, rc));
    json::object ctx;
    if (req.query_param("notice").value_or("") == "issued") ctx["notice"] = "整改通知已发出。";
    const bool oversee = app::RectificationService::may_oversee(who);
    ctx["may_oversee"] = oversee;
    json::array statuses;
    for (core::NoticeStatus s : {core::NoticeStatus::awaiting, core::NoticeStatus::overdue,
                                 core::NoticeStatus::answered, core::NoticeStatus::answered_late}) {
      statuses.push_back(json::object{{"value", core::to_string(s)},
                                      {"label", core::label(s)},
                                      {"selected", core::to_string(s) == q.status}});
    }
    ctx["statuses"] = std::move(statuses);
    ctx["items"] = notice_rows(list, rc.today);
    ctx["has_items"] = !list.empty();
    if (oversee) {
      const json::value* dept = form.if_contains("department");
      ctx["departments"] =
          department_options(dept && dept->is_string() ? std::string_view(dept->as_string()) : "");
      if (!form.contains("reply_days")) form["reply_days"] = 5;
      ctx["form"] = std::move(form);
    }
    if (error) ctx["error"] = error->message;
    return page(who, "supervision_notices", "整改通知", std::move(ctx), status);
  }

  Result<Response> get_notices(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    return notices_page(who, req, json::object{}, std::nullopt, 200);
  }

  Result<Response> post_notice(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who,
                  deps.auth->authenticate(req, true, CsrfSource::header_or_form));
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    app::IssueNotice in;
    in.department = form.value("department");
    in.subject = form.value("subject");
    in.body = form.value("body");
    in.case_numbers = words(form.value("cases"));
    json::object echo{{"department", in.department},
                      {"subject", in.subject},
                      {"body", in.body},
                      {"cases", form.value("cases")},
                      {"warnings", form.value("warnings")},
                      {"reply_days", form.value("reply_days")}};
    const auto invalid = [&](Error e) -> Result<Response> {
      return notices_page(who, req, std::move(echo), std::move(e), 400);
    };
    for (const std::string& w : words(form.value("warnings"))) {
      std::int64_t id = 0;
      const auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), id);
      if (ec != std::errc() || ptr != w.data() + w.size() || id <= 0) {
        return invalid(
            make_error(ErrorKind::invalid_input, "bad_warning", "警示编号应为正整数", "warnings"));
      }
      in.warning_ids.push_back(id);
    }
    const std::string days = form.value("reply_days");
    if (!days.empty()) {
      const auto [ptr, ec] = std::from_chars(days.data(), days.data() + days.size(), in.reply_days);
      if (ec != std::errc() || ptr != days.data() + days.size()) in.reply_days = 0;
    }
    Result<app::Notice> issued = deps.service->issue(who, in, deps.auth->context(req));
    if (!issued.ok()) {
      const ErrorKind k = issued.error().kind;
      if (k == ErrorKind::invalid_input ||
          (k == ErrorKind::not_found && !issued.error().field.empty())) {
        return invalid(issued.error());
      }
      return issued.take_error();
    }
    return no_store(Response::redirect(
        "/supervision/notices/" + std::to_string(issued->id) + "?notice=issued", 303));
  }

  static Result<std::int64_t> id_of(const Request& req) {
    const std::string_view t = req.param("id");
    std::int64_t id = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
    if (ec != std::errc() || ptr != t.data() + t.size() || id <= 0) {
      return make_error(ErrorKind::not_found, "notice_not_found", "整改通知不存在");
    }
    return id;
  }

  Result<Response> notice_page(const app::Principal& who, const Request& req, std::int64_t id,
                               const std::string& reply, std::optional<Error> error,
                               int status) const {
    const app::RequestContext rc = deps.auth->context(req);
    SHENPI_ASSIGN(app::Notice n, deps.service->notice(who, id, rc));
    const core::NoticeStatus s =
        core::notice_status(n.state, n.reply_due_on, n.replied_on, rc.today);
    json::object ctx;
    ctx["n"] = json::parse(app::notice_to_json(n, rc.today));
    const std::string_view note = req.query_param("notice").value_or("");
    if (note == "issued") ctx["notice"] = "整改通知已发出，已通知该部门业务负责人。";
    if (note == "replied") ctx["notice"] = "答复已提交。";
    ctx["signal_class"] = core::is_red(s) ? "signal-red" : "signal-green";
    ctx["body"] = paragraphs(n.body);
    ctx["reply"] = paragraphs(n.reply);
    ctx["answered"] = n.state == core::NoticeState::answered;
    ctx["has_cases"] = !n.case_numbers.empty();
    ctx["cases"] = join(n.case_numbers, "、");
    std::vector<std::string> ws;
    for (std::int64_t w : n.warning_ids) ws.push_back(std::to_string(w));
    ctx["has_warnings"] = !ws.empty();
    ctx["warnings"] = join(ws, "、");
    ctx["may_reply"] = n.state == core::NoticeState::open &&
                       app::RectificationService::is_business_lead(who, n.department_code);
    ctx["form_reply"] = reply;
    if (error) ctx["error"] = error->message;
    return page(who, "supervision_notice", "整改通知 " + std::to_string(n.id), std::move(ctx),
                status);
  }

  Result<Response> get_notice(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    SHENPI_ASSIGN(std::int64_t id, id_of(req));
    return notice_page(who, req, id, "", std::nullopt, 200);
  }

  Result<Response> post_reply(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who,
                  deps.auth->authenticate(req, true, CsrfSource::header_or_form));
    SHENPI_ASSIGN(std::int64_t id, id_of(req));
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    const std::string reply = form.value("reply");
    Result<app::Notice> done = deps.service->reply(who, id, reply, deps.auth->context(req));
    if (!done.ok()) {
      if (done.error().kind == ErrorKind::invalid_input) {
        return notice_page(who, req, id, reply, done.error(), 400);
      }
      return done.take_error();
    }
    return no_store(
        Response::redirect("/supervision/notices/" + std::to_string(id) + "?notice=replied", 303));
  }

  // ---- /supervision/warnings: explaining (说明情况) and closing (办结) ----

  // The status line after a handling form (?handled=acknowledged|closed), or "".
  static std::string handled_notice(const Request& req) {
    const std::string_view h = req.query_param("handled").value_or("");
    if (h == "acknowledged") return "情况说明已提交，警示状态为“已确认”。";
    if (h == "closed") return "警示已办结。";
    return "";
  }

  Result<Response> warnings_page(const app::Principal& who, const Request& req,
                                 std::optional<Error> error, std::int64_t failed_id,
                                 const std::string& note, int status) const {
    const app::RequestContext rc = deps.auth->context(req);
    app::WarningQuery q;
    q.state = std::string(req.query_param("state").value_or(""));
    q.case_number = std::string(req.query_param("case").value_or(""));
    q.department = std::string(req.query_param("dept").value_or(""));
    SHENPI_ASSIGN(std::vector<app::Warning> list, deps.warnings->warnings(who, q, rc));
    const bool may_close = app::SupervisionService::may_close(who);
    json::array rows;
    for (const app::Warning& w : list) {
      const bool open = w.state != core::WarningState::closed;
      rows.push_back(
          json::object{{"id", w.id},
                       {"case_number", w.case_number},
                       {"department", department_label(w.department_name, w.department_code)},
                       {"rule_label", core::label(w.rule)},
                       {"days_late", w.days_late},
                       {"due_on", w.due_on},
                       {"state_label", core::label(w.state)},
                       {"closed", !open},
                       {"first_seen_on", w.first_seen_on},
                       {"may_acknowledge",
                        open && app::SupervisionService::may_acknowledge(who, w.department_code)},
                       {"may_close", open && may_close},
                       {"note", w.id == failed_id ? note : std::string()}});
    }
    json::object ctx;
    ctx["items"] = std::move(rows);
    ctx["has_items"] = !list.empty();
    json::array states;
    for (core::WarningState st :
         {core::WarningState::open, core::WarningState::acknowledged, core::WarningState::closed}) {
      states.push_back(json::object{{"value", core::to_string(st)},
                                    {"label", core::label(st)},
                                    {"selected", core::to_string(st) == q.state}});
    }
    ctx["states"] = std::move(states);
    ctx["case"] = q.case_number;
    ctx["may_oversee"] = may_close;
    ctx["notice"] = handled_notice(req);
    if (error) ctx["error"] = error->message;
    return page(who, "supervision_warnings", "电子监察警示", std::move(ctx), status);
  }

  Result<Response> get_warnings(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    return warnings_page(who, req, std::nullopt, 0, "", 200);
  }

  static Result<std::int64_t> warning_id_of(const Request& req) {
    const std::string_view t = req.param("id");
    std::int64_t id = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
    if (ec != std::errc() || ptr != t.data() + t.size() || id <= 0) {
      return make_error(ErrorKind::not_found, "warning_not_found", "警示不存在");
    }
    return id;
  }

  Result<Response> handle_warning(const Request& req, bool close) const {
    SHENPI_ASSIGN(app::Principal who,
                  deps.auth->authenticate(req, true, CsrfSource::header_or_form));
    SHENPI_ASSIGN(std::int64_t id, warning_id_of(req));
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    const std::string note = form.value("note");
    const app::RequestContext rc = deps.auth->context(req);
    Result<app::Warning> done = close ? deps.warnings->close(who, id, note, rc)
                                      : deps.warnings->acknowledge(who, id, note, rc);
    if (!done.ok()) {
      // What the person can put right (the note) or should know (closed meanwhile) comes
      // back on the list with the note kept; refusals are error pages.
      const ErrorKind k = done.error().kind;
      if (k == ErrorKind::invalid_input || k == ErrorKind::conflict) {
        return warnings_page(who, req, done.error(), id, note,
                             k == ErrorKind::conflict ? 409 : 400);
      }
      return done.take_error();
    }
    const std::string back =
        form.value("back") == "dashboard" ? "/supervision" : "/supervision/warnings";
    return no_store(Response::redirect(
        back + "?handled=" + (close ? "closed" : "acknowledged") + "#warning-" + std::to_string(id),
        303));
  }
  Result<Response> post_acknowledge(const Request& req) const { return handle_warning(req, false); }
  Result<Response> post_close(const Request& req) const { return handle_warning(req, true); }
};

}  // namespace

std::vector<docs::Sheet> dashboard_sheets(const app::DashboardView& v) {
  std::vector<docs::Sheet> out;
  docs::Sheet signals{"在办件",
                      {Row{text("部门编码"), text("部门"), text("绿灯"), text("黄灯"), text("红灯"),
                           text("合计")}}};
  for (const app::DepartmentSignals& s : v.signals) {
    signals.rows.push_back(
        Row{text(s.department_code), text(department_label(s.department_name, s.department_code)),
            num(s.green), num(s.yellow), num(s.red), num(s.green + s.yellow + s.red)});
  }
  signals.rows.push_back(Row{text(""), text("合计"), num(v.totals.green), num(v.totals.yellow),
                             num(v.totals.red),
                             num(v.totals.green + v.totals.yellow + v.totals.red)});
  out.push_back(std::move(signals));

  docs::Sheet late{
      "超期办件",
      {Row{text("办件编号"), text("事项"), text("部门"), text("到期日"), text("超期工作日")}}};
  for (const app::LateCaseRow& r : v.late) {
    late.rows.push_back(Row{text(r.c.number), text(r.c.title),
                            text(department_label(r.c.department_name, r.c.department_code)),
                            text(r.c.due_on), num(r.days_late)});
  }
  out.push_back(std::move(late));

  docs::Sheet counts{"警示统计", {Row{text("警示类型"), text("状态"), text("数量")}}};
  for (const app::WarningCount& c : v.warning_counts) {
    counts.rows.push_back(Row{text(std::string(core::label(c.rule))),
                              text(std::string(core::label(c.state))), num(c.count)});
  }
  out.push_back(std::move(counts));

  docs::Sheet warnings{"警示",
                       {Row{text("编号"), text("办件编号"), text("部门"), text("警示类型"),
                            text("超期工作日"), text("状态"), text("发现日期")}}};
  for (const app::Warning& w : v.warnings) {
    warnings.rows.push_back(Row{num(w.id), text(w.case_number),
                                text(department_label(w.department_name, w.department_code)),
                                text(std::string(core::label(w.rule))), num(w.days_late),
                                text(std::string(core::label(w.state))), text(w.first_seen_on)});
  }
  out.push_back(std::move(warnings));

  docs::Sheet notices{"整改通知",
                      {Row{text("编号"), text("部门"), text("标题"), text("发出日期"),
                           text("答复期限"), text("状态"), text("答复日期")}}};
  for (const app::Notice& n : v.notices) {
    const core::NoticeStatus s =
        core::notice_status(n.state, n.reply_due_on, n.replied_on, v.today);
    notices.rows.push_back(Row{num(n.id),
                               text(department_label(n.department_name, n.department_code)),
                               text(n.subject), text(n.issued_on), text(n.reply_due_on),
                               text(std::string(core::label(s))), text(n.replied_on)});
  }
  out.push_back(std::move(notices));
  return out;
}

void register_supervision_pages(http::Router& router, SupervisionPagesDeps deps) {
  auto state = std::make_shared<const State>(State{std::move(deps)});
  // access: the listing's label; the use case decides. The dashboard is the centre's and
  // the bureau's ("supervise", as the complaint desk); notices are also the departments'.
  const auto add = [&](const char* method, const char* pattern,
                       Result<Response> (State::*fn)(const Request&) const,
                       const char* access = "signed_in") {
    http::RouteOptions options;
    options.access = access;
    if (std::string_view(method) == "POST") options.max_body = http::kFormBodyLimit;
    router.add(
        method, pattern,
        [state, fn](Request& req) -> Response {
          Result<Response> r = ((*state).*fn)(req);
          if (!r.ok()) return state->fail(r.error(), req);
          return std::move(r).value();
        },
        options);
  };
  add("GET", "/supervision", &State::get_dashboard, "supervise");
  add("GET", "/supervision/export.csv", &State::get_csv, "supervise");
  add("GET", "/supervision/export.xlsx", &State::get_xlsx, "supervise");
  add("GET", "/supervision/notices", &State::get_notices);
  add("POST", "/supervision/notices", &State::post_notice);
  add("GET", "/supervision/notices/{id}", &State::get_notice);
  add("POST", "/supervision/notices/{id}/reply", &State::post_reply);
  if (state->deps.warnings) {
    add("GET", "/supervision/warnings", &State::get_warnings);
    add("POST", "/supervision/warnings/{id}/acknowledge", &State::post_acknowledge);
    add("POST", "/supervision/warnings/{id}/close", &State::post_close);
  }
}

}  // namespace shenpi::web
