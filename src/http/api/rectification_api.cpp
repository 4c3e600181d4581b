#include "http/api/rectification_api.h"

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

Result<std::int64_t> id_param(const Request& req) {
  const std::string_view text = req.param("id");
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    return make_error(ErrorKind::not_found, "notice_not_found", "整改通知不存在");
  }
  return id;
}

json::value notice_json(const app::Notice& n, std::string_view today) {
  return json::parse(app::notice_to_json(n, today));
}

Result<app::IssueNotice> issue_body(const json::object& body) {
  app::IssueNotice in;
  SHENPI_ASSIGN(in.department, string_field(body, "department", "department"));
  SHENPI_ASSIGN(in.subject, string_field(body, "subject", "subject"));
  SHENPI_ASSIGN(in.body, string_field(body, "body", "body"));
  if (const json::value* v = body.if_contains("reply_days"); v && !v->is_null()) {
    if (!v->is_int64()) {
      return make_error(ErrorKind::invalid_input, "bad_reply_days", "答复期限应为整数",
                        "reply_days");
    }
    const std::int64_t days = v->as_int64();
    in.reply_days = days < 0 || days > 1000 ? 0 : static_cast<int>(days);
  }
  if (const json::value* v = body.if_contains("cases"); v && !v->is_null()) {
    if (!v->is_array()) {
      return make_error(ErrorKind::invalid_input, "bad_case", "cases 应为办件编号数组", "cases");
    }
    for (const json::value& c : v->as_array()) {
      if (!c.is_string()) {
        return make_error(ErrorKind::invalid_input, "bad_case", "cases 应为办件编号数组", "cases");
      }
      in.case_numbers.emplace_back(c.as_string());
    }
  }
  if (const json::value* v = body.if_contains("warnings"); v && !v->is_null()) {
    if (!v->is_array()) {
      return make_error(ErrorKind::invalid_input, "bad_warning", "warnings 应为警示编号数组",
                        "warnings");
    }
    for (const json::value& w : v->as_array()) {
      if (!w.is_int64()) {
        return make_error(ErrorKind::invalid_input, "bad_warning", "warnings 应为警示编号数组",
                          "warnings");
      }
      in.warning_ids.push_back(w.as_int64());
    }
  }
  return in;
}

}  // namespace

void register_rectification_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                                std::shared_ptr<app::RectificationService> notices) {
  RouteOptions read;
  read.access = "signed_in";  // the use case decides the scope (city-wide or own department)
  router.add("GET", "/api/v1/supervision/notices",
             json_api([auth, notices](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
               const app::RequestContext ctx = auth->context(req);
               app::NoticeQuery q;
               q.department = text_param(req, "dept");
               q.status = text_param(req, "status");
               q.from = text_param(req, "from");
               q.to = text_param(req, "to");
               SHENPI_ASSIGN(std::vector<app::Notice> list, notices->notices(who, q, ctx));
               json::array out;
               for (const app::Notice& n : list) out.push_back(notice_json(n, ctx.today));
               return private_json(200, json::object{{"notices", std::move(out)}});
             }),
             read);

  RouteOptions write;
  write.access = "signed_in";
  write.max_body = 64 * 1024;
  router.add("POST", "/api/v1/supervision/notices",
             json_api([auth, notices](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, true));
               const app::RequestContext ctx = auth->context(req);
               SHENPI_ASSIGN(json::object body, object_body(req));
               SHENPI_ASSIGN(app::IssueNotice in, issue_body(body));
               SHENPI_ASSIGN(app::Notice n, notices->issue(who, in, ctx));
               return private_json(201, json::object{{"notice", notice_json(n, ctx.today)}});
             }),
             write);
  router.add("POST", "/api/v1/supervision/notices/{id}/reply",
             json_api([auth, notices](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, true));
               const app::RequestContext ctx = auth->context(req);
               SHENPI_ASSIGN(std::int64_t id, id_param(req));
               SHENPI_ASSIGN(json::object body, object_body(req));
               SHENPI_ASSIGN(std::string text, string_field(body, "reply", "reply"));
               SHENPI_ASSIGN(app::Notice n, notices->reply(who, id, text, ctx));
               return private_json(200, json::object{{"notice", notice_json(n, ctx.today)}});
             }),
             write);
}

}  // namespace shenpi::http::api
