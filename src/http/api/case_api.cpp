#include "http/api/case_api.h"

#include <boost/json.hpp>

#include <charconv>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "app/form_data_json.h"
#include "crypto/signer.h"
#include "http/api/api_util.h"
#include "http/api/case_json_view.h"
#include "http/api/catalogue_api.h"
#include "http/error_mapping.h"

namespace shenpi::http::api {

namespace json = boost::json;

namespace {

Error bad_field(std::string field, std::string message) {
  return Error{ErrorKind::invalid_input, "bad_field", std::move(message), std::move(field)};
}

Result<std::int64_t> parse_int(std::string_view text) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) {
    return make_error(ErrorKind::invalid_input, "bad_number", "不是整数");
  }
  return v;
}

// An optional integer member; `fallback` when absent or null.
Result<std::int64_t> int_field(const json::object& o, std::string_view key, std::int64_t fallback,
                               std::int64_t min, std::int64_t max) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return fallback;
  std::int64_t out = 0;
  if (v->is_int64()) {
    out = v->as_int64();
  } else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(max)) {
    out = static_cast<std::int64_t>(v->as_uint64());
  } else {
    return bad_field(std::string(key), "字段 " + std::string(key) + " 应为整数");
  }
  if (out < min || out > max) {
    return bad_field(std::string(key), "字段 " + std::string(key) + " 超出允许范围");
  }
  return out;
}

Result<bool> bool_field(const json::object& o, std::string_view key, bool fallback) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return fallback;
  if (!v->is_bool())
    return bad_field(std::string(key), "字段 " + std::string(key) + " 应为 true 或 false");
  return v->as_bool();
}

Result<std::vector<std::string>> strings_field(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array())
    return bad_field(std::string(key), "字段 " + std::string(key) + " 应为字符串数组");
  for (const json::value& e : v->as_array()) {
    if (!e.is_string()) {
      return bad_field(std::string(key), "字段 " + std::string(key) + " 应为字符串数组");
    }
    out.emplace_back(e.as_string());
  }
  return out;
}

// The form data of a body: absent or null → empty (a draft may start empty).
Result<std::optional<core::FormData>> data_field(const json::object& o) {
  const json::value* v = o.if_contains("data");
  if (v == nullptr || v->is_null()) return std::optional<core::FormData>();
  if (!v->is_object()) return bad_field("data", "字段 data 应为对象");
  SHENPI_ASSIGN(core::FormData data, app::form_data_from_json(*v));
  return std::optional<core::FormData>(std::move(data));
}

// The answer to a write: what the case is now. The ETag lets the next write send If-Match.
Response case_ref_response(int status, const app::CaseRef& ref) {
  Response r = private_json(status, json::object{{"number", ref.number},
                                                 {"state", core::to_string(ref.state)},
                                                 {"version", ref.version}});
  r.header("ETag", "\"" + std::to_string(ref.version) + "\"");
  return r;
}

// A refused form: the first error as usual (error.field), plus every field error so a
// client can mark them all at once.
Response form_errors_response(const Error& first, const std::vector<Error>& all) {
  json::object e{{"code", first.code}, {"message", first.message}};
  if (!first.field.empty()) e["field"] = first.field;
  json::array errors;
  for (const Error& fe : all) {
    errors.push_back(json::object{{"field", fe.field}, {"code", fe.code}, {"message", fe.message}});
  }
  return private_json(status_for(first.kind),
                      json::object{{"error", std::move(e)}, {"errors", std::move(errors)}});
}

Response pdf_response(std::string pdf, std::string_view filename, std::string_view ascii_name) {
  Response r;
  r.status = 200;
  r.content_type = "application/pdf";
  r.body = std::move(pdf);
  r.header("Content-Disposition", content_disposition("inline", filename, ascii_name));
  r.header("Cache-Control", "private, no-store");
  r.header("X-Content-Type-Options", "nosniff");
  return r;
}

bool flag(const Request& req, std::string_view name) {
  auto v = req.query_param(name);
  return v && (*v == "1" || *v == "true");
}

Result<int> int_query(const Request& req, std::string_view name, int fallback, int min, int max) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return fallback;
  Result<std::int64_t> n = parse_int(*v);
  if (!n.ok() || *n < min || *n > max) {
    return make_error(ErrorKind::invalid_input, "bad_parameter",
                      "参数 " + std::string(name) + " 应为 " + std::to_string(min) + "–" +
                          std::to_string(max) + " 的整数",
                      std::string(name));
  }
  return static_cast<int>(*n);
}

Result<app::CaseActionRequest> parse_action(const json::object& body) {
  app::CaseActionRequest out;
  SHENPI_ASSIGN(std::string action, string_field(body, "action", "action"));
  std::optional<core::CaseAction> a = core::parse_case_action(action);
  if (!a) {
    return make_error(ErrorKind::invalid_input, "bad_action",
                      action.empty() ? "请指定操作 action" : "未知的操作：" + action, "action");
  }
  core::CaseActionInput& in = out.input;
  in.action = *a;
  SHENPI_ASSIGN(in.reason, string_field(body, "reason", "reason"));
  SHENPI_ASSIGN(in.opinion, string_field(body, "opinion", "opinion"));
  SHENPI_ASSIGN(in.agree, bool_field(body, "agree", true));
  SHENPI_ASSIGN(in.where_to_apply, string_field(body, "where_to_apply", "where_to_apply"));
  SHENPI_ASSIGN(in.procedure, string_field(body, "procedure", "procedure"));
  SHENPI_ASSIGN(std::int64_t days, int_field(body, "days", 0, 0, 366));
  in.days = static_cast<int>(days);
  SHENPI_ASSIGN(in.task_id,
                int_field(body, "task", 0, 0, std::numeric_limits<std::int64_t>::max()));
  SHENPI_ASSIGN(out.item_code, string_field(body, "item", "item"));
  // One member, two meanings (issue 4): the names of the missing materials in a
  // correction notice, the ids of the uploaded corrections when the applicant answers it.
  SHENPI_ASSIGN(std::vector<std::string> materials, strings_field(body, "materials"));
  if (in.action == core::CaseAction::submit_correction) {
    out.upload_ids = std::move(materials);
  } else {
    in.materials = std::move(materials);
  }
  SHENPI_ASSIGN(out.data, data_field(body));
  return out;
}

// Who before what: a caller who may not see the case learns nothing of it (404), before
// its If-Match header or body is looked at. The use case checks what they may do with it.
Result<void> visible(app::CaseService& cases, const app::Principal& who, std::string_view number) {
  if (!cases.may_read(who, number)) {
    return make_error(ErrorKind::not_found, "case_not_found", "办件不存在");
  }
  return ok_result();
}

}  // namespace

Result<std::int64_t> parse_if_match(std::optional<std::string_view> header) {
  if (!header) {
    return make_error(ErrorKind::invalid_input, "if_match_required",
                      "请在 If-Match 请求头中给出办件的版本号（GET 办件时的 ETag）");
  }
  std::string_view v = *header;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  Result<std::int64_t> n = parse_int(v);
  if (!n.ok() || *n <= 0) {
    return make_error(ErrorKind::invalid_input, "bad_if_match",
                      "If-Match 应为办件的版本号，例如 \"3\"");
  }
  return *n;
}

void register_case_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                       std::shared_ptr<app::CaseService> cases) {
  // Every route needs a session; which case and which action the caller may see or take
  // is the use case's decision (applicants their own, staff their departments').
  RouteOptions write;
  write.max_body = kCaseBodyLimit;
  write.access = "signed_in";
  RouteOptions read;
  read.access = "signed_in";

  router.add("POST", "/api/v1/applications",
             json_api([auth, cases](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, true));
               SHENPI_ASSIGN(json::object body, object_body(req));
               app::ApplicationInput in;
               SHENPI_ASSIGN(in.item_code, string_field(body, "item", "item"));
               SHENPI_ASSIGN(in.bundle_code, string_field(body, "bundle", "bundle"));
               SHENPI_ASSIGN(in.on_behalf_of, string_field(body, "on_behalf_of", "on_behalf_of"));
               SHENPI_ASSIGN(in.submit, bool_field(body, "submit", false));
               SHENPI_ASSIGN(std::optional<core::FormData> data, data_field(body));
               if (data) in.data = std::move(*data);
               if (auto key = req.header("Idempotency-Key")) {
                 in.idempotency_key = std::string(*key);
                 in.request_hash = crypto::sha256_hex(req.body);
               }
               std::vector<Error> field_errors;
               Result<app::CaseRef> ref = cases->apply(who, in, auth->context(req), &field_errors);
               if (!ref.ok()) {
                 if (!field_errors.empty()) return form_errors_response(ref.error(), field_errors);
                 return ref.take_error();
               }
               // A replay answers exactly as the first request did: 201 with the same body.
               Response r = case_ref_response(201, *ref);
               r.header("Location", "/api/v1/cases/" + ref->number);
               if (ref->replayed) r.header("Idempotent-Replayed", "true");
               return r;
             }),
             write);

  router.add("GET", "/api/v1/cases", json_api([auth, cases](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
               std::vector<app::CaseSummary> rows;
               SHENPI_ASSIGN(const int limit, int_query(req, "limit", 50, 1, 200));
               SHENPI_ASSIGN(const int offset, int_query(req, "offset", 0, 0, 1000000));
               if (flag(req, "mine")) {
                 SHENPI_ASSIGN(rows, cases->my_cases(who, limit, offset));
               } else {
                 app::CaseFilter filter;
                 for (const auto& [k, v] : req.query) {
                   if (k == "department" && !v.empty()) filter.departments.push_back(v);
                 }
                 if (auto s = req.query_param("state"); s && !s->empty()) {
                   filter.state = core::parse_case_state(*s);
                   if (!filter.state) {
                     return make_error(ErrorKind::invalid_input, "bad_parameter",
                                       "参数 state 不是已知的办件状态", "state");
                   }
                 }
                 filter.limit = limit;
                 filter.offset = offset;
                 SHENPI_ASSIGN(rows, cases->department_cases(who, filter, auth->context(req)));
               }
               json::array out;
               for (const app::CaseSummary& s : rows) out.push_back(case_summary_json(s));
               return private_json(200, json::object{{"cases", std::move(out)}});
             }),
             read);

  router.add("GET", "/api/v1/cases/{number}",
             json_api([auth, cases](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
               SHENPI_ASSIGN(app::CaseView view,
                             cases->view(who, req.param("number"), auth->context(req)));
               Response r = private_json(200, case_json(view));
               r.header("ETag", "\"" + std::to_string(view.c.version) + "\"");
               return r;
             }),
             read);

  router.add("PUT", "/api/v1/cases/{number}/draft",
             json_api([auth, cases](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, true));
               SHENPI_TRY(visible(*cases, who, req.param("number")));
               SHENPI_ASSIGN(std::int64_t version, parse_if_match(req.header("If-Match")));
               SHENPI_ASSIGN(json::object body, object_body(req));
               SHENPI_ASSIGN(std::optional<core::FormData> data, data_field(body));
               std::vector<Error> field_errors;
               Result<app::CaseRef> ref =
                   cases->save_draft(who, req.param("number"), data ? *data : core::FormData{},
                                     version, auth->context(req), &field_errors);
               if (!ref.ok()) {
                 if (!field_errors.empty()) return form_errors_response(ref.error(), field_errors);
                 return ref.take_error();
               }
               return case_ref_response(200, *ref);
             }),
             write);

  router.add("POST", "/api/v1/cases/{number}/actions",
             json_api([auth, cases](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, true));
               SHENPI_TRY(visible(*cases, who, req.param("number")));
               SHENPI_ASSIGN(std::int64_t version, parse_if_match(req.header("If-Match")));
               SHENPI_ASSIGN(json::object body, object_body(req));
               SHENPI_ASSIGN(app::CaseActionRequest action, parse_action(body));
               SHENPI_ASSIGN(app::CaseRef ref, cases->act(who, req.param("number"), action, version,
                                                          auth->context(req)));
               return case_ref_response(200, ref);
             }),
             write);

  router.add("GET", "/api/v1/cases/{number}/documents/{file}",
             json_api([auth, cases](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
               std::string_view file = req.param("file");
               Result<std::int64_t> id = make_error(ErrorKind::not_found, "document_not_found", "");
               if (file.ends_with(".pdf")) id = parse_int(file.substr(0, file.size() - 4));
               if (!id.ok() || *id <= 0) {
                 return make_error(ErrorKind::not_found, "document_not_found", "没有这份文书");
               }
               SHENPI_ASSIGN(auto doc, cases->document_pdf(who, req.param("number"), *id,
                                                           auth->context(req)));
               const std::string label(core::label(doc.first.content.kind));
               return pdf_response(std::move(doc.second), label + ".pdf",
                                   std::string(core::to_string(doc.first.content.kind)) + ".pdf");
             }),
             read);

  router.add("GET", "/api/v1/cases/{number}/application.pdf",
             json_api([auth, cases](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
               const std::string number(req.param("number"));
               SHENPI_ASSIGN(std::string pdf,
                             cases->application_pdf(who, number, auth->context(req)));
               return pdf_response(std::move(pdf), "申请表-" + number + ".pdf",
                                   "application-" + number + ".pdf");
             }),
             read);

  router.add("GET", "/api/v1/tasks", json_api([auth, cases](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
               SHENPI_ASSIGN(std::vector<app::QueueEntry> queue,
                             cases->queue(who, flag(req, "mine"), auth->context(req)));
               json::array out;
               for (const app::QueueEntry& e : queue) out.push_back(queue_entry_json(e));
               return private_json(200, json::object{{"tasks", std::move(out)}});
             }),
             read);
}

}  // namespace shenpi::http::api
