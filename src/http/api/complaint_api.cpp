#include "http/api/complaint_api.h"

#include <boost/json.hpp>

#include "http/api/api_util.h"

namespace shenpi::http::api {
namespace {

namespace json = boost::json;

json::object complaint_json(const core::Complaint& c, bool full) {
  json::object o{{"number", c.number},
                 {"version", c.version},
                 {"state", core::to_string(c.state)},
                 {"state_label", core::label(c.state)},
                 {"subject", core::to_string(c.subject)},
                 {"case_number", c.case_number},
                 {"department", c.department_code},
                 {"department_name", c.department_name},
                 {"staff_name", c.staff_name},
                 {"filed_on", c.filed_on},
                 {"due_on", c.due_on},
                 {"assignee_name", c.assignee_name},
                 {"outcome", core::to_string(c.outcome)},
                 {"answer", c.answer},
                 {"answered_on", c.answered_on},
                 {"closed_on", c.closed_on}};
  if (full) {
    o["content"] = c.content;
    o["contact_name"] = c.contact_name;
    o["contact_phone"] = c.contact_phone;
    o["assignee_id"] = c.assignee_id;
    o["findings"] = c.findings;
    o["feedback"] = c.feedback;
    o["disputes"] = c.disputes;
  }
  return o;
}

json::object view_json(const app::ComplaintView& v) {
  json::object o = complaint_json(v.c, true);
  o["overdue"] = v.overdue;
  json::array actions;
  for (core::ComplaintAction a : v.allowed_actions) actions.emplace_back(core::to_string(a));
  o["allowed_actions"] = std::move(actions);
  json::array events;
  for (const core::ComplaintEvent& e : v.events) {
    events.push_back(json::object{{"on", e.on},
                                  {"actor_role", e.actor_role},
                                  {"actor_name", e.actor_name},
                                  {"action", e.action},
                                  {"from_state", e.from_state},
                                  {"to_state", e.to_state},
                                  {"note", e.note}});
  }
  o["events"] = std::move(events);
  return o;
}

Result<std::int64_t> version_field(const json::object& o) {
  const json::value* v = o.if_contains("version");
  if (!v || !v->is_int64() || v->as_int64() < 1) {
    return make_error(ErrorKind::invalid_input, "bad_version", "缺少或无效的 version", "version");
  }
  return v->as_int64();
}

}  // namespace

Result<std::optional<app::Principal>> optional_principal(const SessionAuth& auth,
                                                         const Request& req, bool write,
                                                         CsrfSource source) {
  if (!cookie(req, kSessionCookie)) return std::optional<app::Principal>();
  Result<app::Principal> who = auth.authenticate(req, write, source);
  if (who.ok()) return std::optional<app::Principal>(std::move(who).value());
  // An expired session files as anyone may; a wrong CSRF token is refused.
  if (who.error().kind == ErrorKind::unauthenticated) return std::optional<app::Principal>();
  return who.take_error();
}

void register_complaint_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                            std::shared_ptr<app::ComplaintService> complaints) {
  RouteOptions file;
  file.access = "public";
  file.max_body = 16 * 1024;
  router.add(
      "POST", "/api/v1/complaints", json_api([auth, complaints](Request& req) -> Result<Response> {
        SHENPI_ASSIGN(auto who, optional_principal(*auth, req, true, CsrfSource::header));
        SHENPI_ASSIGN(json::object body, object_body(req));
        core::ComplaintInput in;
        SHENPI_ASSIGN(in.subject, string_field(body, "subject", "subject"));
        SHENPI_ASSIGN(in.case_number, string_field(body, "case_number", "case_number"));
        SHENPI_ASSIGN(in.department_code, string_field(body, "department", "department"));
        SHENPI_ASSIGN(in.staff_name, string_field(body, "staff_name", "staff_name"));
        SHENPI_ASSIGN(in.content, string_field(body, "content", "content"));
        SHENPI_ASSIGN(in.contact_name, string_field(body, "contact_name", "contact_name"));
        SHENPI_ASSIGN(in.contact_phone, string_field(body, "contact_phone", "contact_phone"));
        Result<app::FiledComplaint> filed = complaints->file(who, in, auth->context(req));
        if (!filed.ok()) {
          Error e = filed.take_error();
          if (e.field == "department_code") e.field = "department";
          return e;
        }
        Response r = private_json(201, json::object{{"number", filed->number},
                                                    {"tracking_code", filed->tracking_code},
                                                    {"state", "submitted"},
                                                    {"due_on", filed->due_on},
                                                    {"version", filed->version}});
        r.header("Location", "/api/v1/complaints/" + filed->number);
        return r;
      }),
      file);

  RouteOptions signed_in;
  signed_in.access = "signed_in";
  router.add(
      "GET", "/api/v1/complaints", json_api([auth, complaints](Request& req) -> Result<Response> {
        SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
        std::optional<core::ComplaintState> state;
        if (auto s = req.query_param("state"); s && !s->empty()) {
          state = core::parse_complaint_state(*s);
          if (!state) {
            return make_error(ErrorKind::invalid_input, "bad_parameter", "state 取值无效", "state");
          }
        }
        SHENPI_ASSIGN(auto rows, complaints->list(who, state));
        json::array out;
        for (const core::Complaint& c : rows) out.push_back(complaint_json(c, false));
        return private_json(200, json::object{{"complaints", std::move(out)}});
      }),
      signed_in);

  router.add("GET", "/api/v1/complaints/{number}",
             json_api([auth, complaints](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
               SHENPI_ASSIGN(app::ComplaintView v,
                             complaints->view(who, req.param("number"), "", auth->context(req)));
               return private_json(200, view_json(v));
             }),
             signed_in);

  // Following a complaint with its tracking code: a POST, so that the code never
  // appears in a URL (access logs, browser history).
  RouteOptions track;
  track.access = "public";
  track.max_body = 1024;
  router.add("POST", "/api/v1/complaints/track",
             json_api([auth, complaints](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(json::object body, object_body(req));
               SHENPI_ASSIGN(std::string number, string_field(body, "number", "number"));
               SHENPI_ASSIGN(std::string code,
                             string_field(body, "tracking_code", "tracking_code"));
               SHENPI_ASSIGN(app::ComplaintView v,
                             complaints->view(std::nullopt, number, code, auth->context(req)));
               return private_json(200, view_json(v));
             }),
             track);

  RouteOptions act;
  act.access = "public";
  act.max_body = 16 * 1024;
  router.add(
      "POST", "/api/v1/complaints/{number}/actions",
      json_api([auth, complaints](Request& req) -> Result<Response> {
        SHENPI_ASSIGN(auto who, optional_principal(*auth, req, true, CsrfSource::header));
        SHENPI_ASSIGN(json::object body, object_body(req));
        SHENPI_ASSIGN(std::string action, string_field(body, "action", "action"));
        const auto a = core::parse_complaint_action(action);
        if (!a) return make_error(ErrorKind::invalid_input, "bad_action", "未知的操作", "action");
        SHENPI_ASSIGN(const std::int64_t version, version_field(body));
        core::ComplaintActionInput in;
        in.action = *a;
        SHENPI_ASSIGN(in.assignee_id, string_field(body, "assignee_id", "assignee_id"));
        SHENPI_ASSIGN(std::string outcome, string_field(body, "outcome", "outcome"));
        if (!outcome.empty()) {
          const auto o = core::parse_complaint_outcome(outcome);
          if (!o)
            return make_error(ErrorKind::invalid_input, "bad_outcome", "调查结论无效", "outcome");
          in.outcome = *o;
        }
        SHENPI_ASSIGN(in.findings, string_field(body, "findings", "findings"));
        SHENPI_ASSIGN(in.answer, string_field(body, "answer", "answer"));
        SHENPI_ASSIGN(in.note, string_field(body, "note", "note"));
        SHENPI_ASSIGN(std::string code, string_field(body, "tracking_code", "tracking_code"));
        SHENPI_ASSIGN(app::ComplaintView v,
                      complaints->act(who, req.param("number"), code, std::move(in), version,
                                      auth->context(req)));
        return private_json(200, view_json(v));
      }),
      act);
}

}  // namespace shenpi::http::api
