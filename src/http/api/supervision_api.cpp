#include "http/api/supervision_api.h"

#include <charconv>
#include <string>

#include "http/api/api_util.h"

namespace shenpi::http::api {
namespace {

namespace json = boost::json;

std::string text_param(const Request& req, std::string_view name) {
  const auto v = req.query_param(name);
  return v ? std::string(*v) : std::string();
}

json::object warning_json(const app::Warning& w) {
  return json::object{{"id", w.id},
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
                      {"last_seen_on", w.last_seen_on}};
}

// The {id} of a warning route; anything but a positive integer names no warning.
Result<std::int64_t> warning_id(const Request& req) {
  const std::string_view text = req.param("id");
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    return make_error(ErrorKind::not_found, "warning_not_found", "警示不存在");
  }
  return id;
}

}  // namespace

void register_supervision_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                              std::shared_ptr<app::SupervisionService> supervision) {
  RouteOptions read;
  read.access = "signed_in";  // the use case decides the scope (city-wide or own department)
  router.add("GET", "/api/v1/supervision/warnings",
             json_api([auth, supervision](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
               app::WarningQuery q;
               q.department = text_param(req, "dept");
               q.state = text_param(req, "state");
               q.case_number = text_param(req, "case");
               if (const std::string limit = text_param(req, "limit"); !limit.empty()) {
                 int n = 0;
                 const auto [ptr, ec] =
                     std::from_chars(limit.data(), limit.data() + limit.size(), n);
                 if (ec != std::errc() || ptr != limit.data() + limit.size() || n < 1) {
                   return make_error(ErrorKind::invalid_input, "bad_parameter", "limit 应为正整数",
                                     "limit");
                 }
                 q.limit = n;
               }
               SHENPI_ASSIGN(std::vector<app::Warning> list,
                             supervision->warnings(who, q, auth->context(req)));
               json::array out;
               out.reserve(list.size());
               for (const app::Warning& w : list) out.push_back(warning_json(w));
               return private_json(200, json::object{{"warnings", std::move(out)}});
             }),
             read);

  // Handling: the department explains (acknowledge), the centre or the bureau closes.
  RouteOptions write;
  write.access = "signed_in";  // the use case decides who (department lead, overseer)
  write.max_body = 64 * 1024;
  const auto handle = [auth, supervision](bool close) {
    return json_api([auth, supervision, close](Request& req) -> Result<Response> {
      SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, true));
      const app::RequestContext ctx = auth->context(req);
      SHENPI_ASSIGN(std::int64_t id, warning_id(req));
      SHENPI_ASSIGN(json::object body, object_body(req));
      SHENPI_ASSIGN(std::string note, string_field(body, "note", "note"));
      SHENPI_ASSIGN(app::Warning w, close ? supervision->close(who, id, note, ctx)
                                          : supervision->acknowledge(who, id, note, ctx));
      return private_json(200, json::object{{"warning", warning_json(w)}});
    });
  };
  router.add("POST", "/api/v1/supervision/warnings/{id}/acknowledge", handle(false), write);
  router.add("POST", "/api/v1/supervision/warnings/{id}/close", handle(true), write);
}

}  // namespace shenpi::http::api
