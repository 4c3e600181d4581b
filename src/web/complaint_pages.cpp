#include "web/complaint_pages.h"

#include <boost/json.hpp>

#include <charconv>
#include <optional>
#include <utility>
#include <vector>

#include "http/api/complaint_api.h"
#include "http/form.h"
#include "web/account_pages.h"
#include "web/page_failure.h"
#include "web/render.h"
#include "web/static_files.h"

namespace shenpi::web {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using http::api::CsrfSource;

constexpr std::size_t kCsrfBytes = 32;

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

bool is_hex_token(std::string_view s) {
  if (s.size() != kCsrfBytes * 2) return false;
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

const char* notice_text(std::string_view code) {
  if (code == "assign") return "已分派承办人。";
  if (code == "answer") return "已答复投诉人。";
  if (code == "confirm") return "感谢您的确认，本投诉已办结。";
  if (code == "dispute") return "您的异议已提交监察机关，将重新调查处理。";
  return nullptr;
}

struct State {
  ComplaintPagesDeps deps;

  static Response no_store(Response r) {
    r.header("Cache-Control", "no-store");
    return r;
  }

  Response fail(const Error& e, const Request& req) const {
    return page_failure(req, e, deps.options.site_name, "/my/complaints");
  }

  std::optional<app::Principal> viewer(const Request& req) const {
    Result<app::Principal> p = deps.auth->authenticate(req, false);
    if (!p.ok()) return std::nullopt;
    return std::move(p).value();
  }

  // The double-submit token for forms shown before a session exists.
  std::string presession_token(const Request& req, std::vector<std::string>& cookies) const {
    if (auto c = http::api::cookie(req, kPreSessionCsrfCookie); c && is_hex_token(*c)) return *c;
    std::string token = to_hex(deps.random_bytes(kCsrfBytes));
    std::string cookie =
        std::string(kPreSessionCsrfCookie) + "=" + token + "; HttpOnly; SameSite=Strict; Path=/";
    if (req.tls) cookie += "; Secure";
    cookies.push_back(std::move(cookie));
    return token;
  }

  // The writer of a POSTed form: the session's principal (its CSRF token checked), or
  // nullopt for an anonymous form whose token matches the double-submit cookie.
  Result<std::optional<app::Principal>> poster(const Request& req, const http::Form& form) const {
    SHENPI_ASSIGN(auto who,
                  http::api::optional_principal(*deps.auth, req, true, CsrfSource::header_or_form));
    if (who) return who;
    const auto c = http::api::cookie(req, kPreSessionCsrfCookie);
    const auto f = form.get(http::api::kCsrfField);
    if (!c || !f || !is_hex_token(*c) || !same_secret(*c, *f)) {
      return make_error(ErrorKind::forbidden, "csrf_token_invalid",
                        "页面已过期或缺少安全令牌，请返回并刷新页面后重新提交");
    }
    return std::optional<app::Principal>();
  }

  Result<Response> page(const std::optional<app::Principal>& who, const Request& req,
                        std::string_view tpl, std::string title, json::object ctx,
                        int status) const {
    std::vector<std::string> cookies;
    ctx["csrf_token"] = who ? who->csrf_token : presession_token(req, cookies);
    const auto& files = StaticFiles::instance();
    ctx["forms_css"] = files.url("forms.css");
    ctx["cases_css"] = files.url("cases.css");
    PageSpec spec{deps.options.site_name, tpl, std::move(title), Nav::none, Frame::site};
    if (who) spec.account = account_header(*who);
    SHENPI_ASSIGN(std::string html, render_page(spec, std::move(ctx)));
    Response r = no_store(Response::html(status, std::move(html)));
    for (std::string& c : cookies) r.header("Set-Cookie", std::move(c));
    return r;
  }

  // ---- the form -------------------------------------------------------------------------

  Result<Response> form_page(const std::optional<app::Principal>& who, const Request& req,
                             const core::ComplaintInput& in, const std::optional<Error>& error,
                             int status) const {
    json::object ctx;
    json::array subjects;
    const std::string chosen = in.subject.empty() ? "case" : in.subject;
    for (auto s : {core::ComplaintSubject::case_matter, core::ComplaintSubject::department,
                   core::ComplaintSubject::staff}) {
      subjects.push_back(json::object{{"value", core::to_string(s)},
                                      {"label", core::label(s)},
                                      {"checked", core::to_string(s) == chosen}});
    }
    ctx["subjects"] = std::move(subjects);
    json::array departments;
    if (deps.catalogue) {
      auto list = deps.catalogue->departments();
      if (list.ok()) {
        for (const core::Department& d : *list) {
          departments.push_back(json::object{
              {"code", d.code}, {"name", d.name}, {"selected", d.code == in.department_code}});
        }
      }
    }
    ctx["departments"] = std::move(departments);
    ctx["case_number"] = in.case_number;
    ctx["staff_name"] = in.staff_name;
    ctx["content"] = in.content;
    ctx["contact_name"] = in.contact_name.empty() && who ? who->name : in.contact_name;
    ctx["contact_phone"] = in.contact_phone;
    ctx["signed_in"] = who.has_value();
    if (error) {
      ctx["has_errors"] = true;
      ctx["errors_title"] = "投诉未提交，请修改以下内容";
      const std::string field = error->field == "department_code" ? "department" : error->field;
      ctx["errors"] = json::array{json::object{{"field", field}, {"message", error->message}}};
      if (!field.empty()) ctx[field + "_error"] = error->message;
    }
    return page(who, req, "complaint_new", "我要投诉", std::move(ctx), status);
  }

  Result<Response> get_new(const Request& req) const {
    core::ComplaintInput in;
    in.case_number = std::string(req.query_param("case").value_or(""));
    if (const auto s = req.query_param("subject")) in.subject = std::string(*s);
    return form_page(viewer(req), req, in, std::nullopt, 200);
  }

  Result<Response> post_new(const Request& req) const {
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    SHENPI_ASSIGN(auto who, poster(req, form));
    core::ComplaintInput in;
    in.subject = form.value("subject");
    in.case_number = form.value("case_number");
    in.department_code = form.value("department");
    in.staff_name = form.value("staff_name");
    in.content = form.value("content");
    in.contact_name = form.value("contact_name");
    in.contact_phone = form.value("contact_phone");
    // Only the chosen subject's field counts.
    if (in.subject == "department") in.staff_name.clear();
    if (in.subject == "case") {
      in.department_code.clear();
      in.staff_name.clear();
    }
    Result<app::FiledComplaint> filed = deps.complaints->file(who, in, deps.auth->context(req));
    if (!filed.ok()) {
      if (filed.error().kind != ErrorKind::invalid_input) return filed.take_error();
      return form_page(who, req, in, filed.error(), 400);
    }
    json::object ctx{{"number", filed->number},
                     {"tracking_code", filed->tracking_code},
                     {"due_on", filed->due_on},
                     {"signed_in", who.has_value()}};
    return page(who, req, "complaint_filed", "投诉已提交", std::move(ctx), 201);
  }

  // ---- following a complaint -------------------------------------------------------------

  Result<Response> detail_page(const std::optional<app::Principal>& who, const Request& req,
                               const app::ComplaintView& v, std::string_view tracking_code,
                               const std::optional<Error>& error, std::string_view notice,
                               int status) const {
    const core::Complaint& c = v.c;
    json::object ctx{{"number", c.number},
                     {"version", c.version},
                     {"state_label", core::label(c.state)},
                     {"state", core::to_string(c.state)},
                     {"subject_label", core::label(c.subject)},
                     {"case_number", c.case_number},
                     {"department_name", c.department_name},
                     {"staff_name", c.staff_name},
                     {"content", c.content},
                     {"contact_name", c.contact_name},
                     {"contact_phone", c.contact_phone},
                     {"filed_on", c.filed_on},
                     {"due_on", c.due_on},
                     {"overdue", v.overdue},
                     {"assignee_name", c.assignee_name},
                     {"answered", c.outcome != core::ComplaintOutcome::none},
                     {"outcome_label", core::label(c.outcome)},
                     {"findings", c.findings},
                     {"answer", c.answer},
                     {"answered_on", c.answered_on},
                     {"feedback", c.feedback},
                     {"bureau", v.bureau},
                     {"tracking_code", std::string(tracking_code)},
                     {"action_url", "/complaints/" + c.number + "/actions"}};
    json::array events;
    for (const core::ComplaintEvent& e : v.events) {
      const auto a = core::parse_complaint_action(e.action);
      events.push_back(
          json::object{{"on", e.on},
                       {"what", a ? std::string(core::label(*a)) : std::string("提交投诉")},
                       {"who", e.actor_role == "supervisor" ? "监察机关" : "投诉人"},
                       {"to", core::parse_complaint_state(e.to_state)
                                  ? core::label(*core::parse_complaint_state(e.to_state))
                                  : std::string_view()},
                       {"note", v.bureau || e.action != "answer" ? e.note : ""}});
    }
    ctx["events"] = std::move(events);
    for (core::ComplaintAction a : v.allowed_actions) {
      ctx[std::string("can_") + std::string(core::to_string(a))] = true;
    }
    if (v.bureau && ctx.contains("can_assign")) {
      auto sup = deps.complaints->supervisors(*who);
      json::array options;
      if (sup.ok()) {
        for (const auto& [id, name] : *sup) {
          options.push_back(
              json::object{{"id", id}, {"name", name}, {"selected", id == c.assignee_id}});
        }
      }
      ctx["supervisors"] = std::move(options);
    }
    json::array outcomes;
    for (auto o : {core::ComplaintOutcome::upheld, core::ComplaintOutcome::partly_upheld,
                   core::ComplaintOutcome::not_upheld}) {
      outcomes.push_back(json::object{{"value", core::to_string(o)}, {"label", core::label(o)}});
    }
    ctx["outcomes"] = std::move(outcomes);
    if (!notice.empty()) ctx["notice"] = std::string(notice);
    if (error) {
      ctx["has_errors"] = true;
      ctx["errors_title"] = "操作未完成";
      ctx["errors"] =
          json::array{json::object{{"field", error->field}, {"message", error->message}}};
      if (!error->field.empty()) ctx[error->field + "_error"] = error->message;
    }
    return page(who, req, "complaint_detail", "投诉 " + c.number, std::move(ctx), status);
  }

  Result<Response> get_track(const Request& req) const {
    json::object ctx{{"number", std::string(req.query_param("number").value_or(""))}};
    return page(viewer(req), req, "complaint_track", "查询投诉", std::move(ctx), 200);
  }

  Result<Response> post_track(const Request& req) const {
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    SHENPI_ASSIGN(auto who, poster(req, form));
    const std::string number = form.value("number");
    const std::string code = form.value("tracking_code");
    Result<app::ComplaintView> v =
        deps.complaints->view(std::nullopt, number, code, deps.auth->context(req));
    if (!v.ok()) {
      if (v.error().kind != ErrorKind::not_found) return v.take_error();
      json::object ctx{{"number", number},
                       {"has_errors", true},
                       {"errors_title", "未找到投诉"},
                       {"errors", json::array{json::object{{"field", "number"},
                                                           {"message", v.error().message}}}}};
      return page(who, req, "complaint_track", "查询投诉", std::move(ctx), 404);
    }
    return detail_page(who, req, *v, code, std::nullopt, "", 200);
  }

  Result<Response> get_detail(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    SHENPI_ASSIGN(app::ComplaintView v,
                  deps.complaints->view(who, req.param("number"), "", deps.auth->context(req)));
    const char* notice = notice_text(req.query_param("notice").value_or(""));
    return detail_page(who, req, v, "", std::nullopt, notice ? notice : "", 200);
  }

  Result<Response> post_action(const Request& req) const {
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    SHENPI_ASSIGN(auto who, poster(req, form));
    const std::string number(req.param("number"));
    const std::string code = form.value("tracking_code");
    const std::string action = form.value("action");
    const auto a = core::parse_complaint_action(action);
    if (!a) return make_error(ErrorKind::invalid_input, "bad_action", "未知的操作", "action");
    std::int64_t version = 0;
    const std::string vt = form.value("version");
    std::from_chars(vt.data(), vt.data() + vt.size(), version);
    core::ComplaintActionInput in;
    in.action = *a;
    in.assignee_id = form.value("assignee_id");
    if (const auto o = core::parse_complaint_outcome(form.value("outcome"))) in.outcome = *o;
    in.findings = form.value("findings");
    in.answer = form.value("answer");
    in.note = form.value("note");
    const app::RequestContext ctx = deps.auth->context(req);
    Result<app::ComplaintView> done = deps.complaints->act(who, number, code, in, version, ctx);
    if (!done.ok()) {
      const ErrorKind k = done.error().kind;
      if (k != ErrorKind::invalid_input && k != ErrorKind::conflict &&
          k != ErrorKind::precondition) {
        return done.take_error();
      }
      SHENPI_ASSIGN(app::ComplaintView v, deps.complaints->view(who, number, code, ctx));
      return detail_page(who, req, v, code, done.error(), "",
                         k == ErrorKind::invalid_input ? 400 : 409);
    }
    // With a session the page has an address of its own; with a tracking code it is
    // shown again in the answer (the code must not go into a URL).
    if (who && (done->bureau || done->c.account_id == who->account_id || code.empty())) {
      return no_store(Response::redirect("/complaints/" + number + "?notice=" + action, 303));
    }
    const char* notice = notice_text(action);
    return detail_page(who, req, *done, code, std::nullopt, notice ? notice : "", 200);
  }

  Result<Response> list_page(const Request& req, bool supervision) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    std::optional<core::ComplaintState> state;
    const std::string wanted(req.query_param("state").value_or(""));
    if (!wanted.empty()) state = core::parse_complaint_state(wanted);
    const bool staff_view =
        app::ComplaintService::is_bureau(who) || app::ComplaintService::is_centre(who);
    if (supervision && !staff_view) {
      return make_error(ErrorKind::forbidden, "permission_denied",
                        "仅监察机关和行政服务中心可以查看投诉处理");
    }
    SHENPI_ASSIGN(auto rows, deps.complaints->list(who, state));
    const std::string today = deps.auth->context(req).today;
    json::array items;
    for (const core::Complaint& c : rows) {
      if (!supervision && c.account_id != who.account_id) continue;
      items.push_back(
          json::object{{"number", c.number},
                       {"url", "/complaints/" + c.number},
                       {"subject_label", core::label(c.subject)},
                       {"about", c.subject == core::ComplaintSubject::staff
                                     ? c.staff_name
                                     : (c.case_number.empty() ? c.department_name : c.case_number)},
                       {"state_label", core::label(c.state)},
                       {"filed_on", c.filed_on},
                       {"due_on", c.due_on},
                       {"assignee_name", c.assignee_name},
                       {"overdue", core::complaint_overdue(c, today)}});
    }
    json::array states;
    for (auto s : {core::ComplaintState::submitted, core::ComplaintState::investigating,
                   core::ComplaintState::answered, core::ComplaintState::disputed,
                   core::ComplaintState::confirmed}) {
      states.push_back(json::object{{"value", core::to_string(s)},
                                    {"label", core::label(s)},
                                    {"selected", core::to_string(s) == wanted}});
    }
    json::object ctx{{"items", std::move(items)},
                     {"states", std::move(states)},
                     {"supervision", supervision},
                     {"action", supervision ? "/supervision/complaints" : "/my/complaints"}};
    ctx["has_items"] = !ctx["items"].as_array().empty();
    return page(who, req, "complaint_list", supervision ? "投诉处理" : "我的投诉", std::move(ctx),
                200);
  }
  Result<Response> get_mine(const Request& req) const { return list_page(req, false); }
  Result<Response> get_supervision(const Request& req) const { return list_page(req, true); }
};

}  // namespace

void register_complaint_pages(http::Router& router, ComplaintPagesDeps deps) {
  auto state = std::make_shared<const State>(State{std::move(deps)});
  const auto add = [&](const char* method, const char* pattern, const char* access,
                       Result<Response> (State::*fn)(const Request&) const) {
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
  add("GET", "/complaints/new", "public", &State::get_new);
  add("POST", "/complaints", "public", &State::post_new);
  add("GET", "/complaints/track", "public", &State::get_track);
  add("POST", "/complaints/track", "public", &State::post_track);
  add("GET", "/complaints/{number}", "signed_in", &State::get_detail);
  add("POST", "/complaints/{number}/actions", "public", &State::post_action);
  add("GET", "/my/complaints", "signed_in", &State::get_mine);
  add("GET", "/supervision/complaints", "supervise", &State::get_supervision);
}

}  // namespace shenpi::web
