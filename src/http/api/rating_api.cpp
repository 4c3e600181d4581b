#include "http/api/rating_api.h"

#include <boost/json.hpp>

#include <charconv>

#include "http/api/api_util.h"

namespace shenpi::http::api {
namespace {

namespace json = boost::json;

json::object follow_up_json(const app::FollowUpView& v) {
  json::object o = rating_json(v.rating);
  o["overdue"] = v.overdue;
  json::array actions;
  for (core::FollowUpAction a : v.allowed_actions) actions.emplace_back(core::to_string(a));
  o["allowed_actions"] = std::move(actions);
  return o;
}

Result<std::int64_t> id_param(const Request& req) {
  std::int64_t id = 0;
  const std::string_view t = req.param("id");
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
  if (ec != std::errc() || ptr != t.data() + t.size() || id <= 0) {
    return make_error(ErrorKind::not_found, "rating_not_found", "评价不存在");
  }
  return id;
}

}  // namespace

json::object rating_json(const core::Rating& r) {
  return json::object{{"id", r.id},
                      {"version", r.version},
                      {"case_number", r.case_number},
                      {"department", r.department_code},
                      {"department_name", r.department_name},
                      {"item_name", r.item_name},
                      {"level", core::to_string(r.level)},
                      {"level_label", core::label(r.level)},
                      {"bad", core::is_bad(r.level)},
                      {"comment", r.comment},
                      {"rated_on", r.rated_on},
                      {"defaulted", r.defaulted},
                      {"follow_up", core::to_string(r.follow_up)},
                      {"follow_up_label", core::label(r.follow_up)},
                      {"follow_up_due_on", r.follow_up_due_on},
                      {"callback_note", r.callback_note},
                      {"outcome", r.outcome},
                      {"follow_up_done_on", r.follow_up_done_on},
                      {"appeal_reason", r.appeal_reason},
                      {"appeal_decision", r.appeal_decision},
                      {"appeal_note", r.appeal_note}};
}

void register_rating_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                         std::shared_ptr<app::RatingService> ratings) {
  RouteOptions read;
  read.access = "signed_in";
  router.add("GET", "/api/v1/cases/{number}/rating",
             json_api([auth, ratings](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
               SHENPI_ASSIGN(app::CaseRatingView v,
                             ratings->of_case(who, req.param("number"), auth->context(req)));
               return private_json(
                   200, json::object{{"rating", v.rating ? json::value(rating_json(*v.rating))
                                                         : json::value(nullptr)},
                                     {"can_rate", v.can_rate},
                                     {"window_ends", v.window_ends}});
             }),
             read);

  RouteOptions rate = read;
  rate.max_body = 8 * 1024;
  router.add("POST", "/api/v1/cases/{number}/rating",
             json_api([auth, ratings](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, true));
               SHENPI_ASSIGN(json::object body, object_body(req));
               SHENPI_ASSIGN(std::string level, string_field(body, "level", "level"));
               SHENPI_ASSIGN(std::string comment, string_field(body, "comment", "comment"));
               SHENPI_ASSIGN(core::Rating r, ratings->rate(who, req.param("number"), level, comment,
                                                           auth->context(req)));
               return private_json(201, rating_json(r));
             }),
             rate);

  router.add("GET", "/api/v1/ratings/follow-ups",
             json_api([auth, ratings](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
               SHENPI_ASSIGN(auto rows, ratings->follow_ups(who, auth->context(req)));
               json::array out;
               for (const app::FollowUpView& v : rows) out.push_back(follow_up_json(v));
               return private_json(200, json::object{{"follow_ups", std::move(out)}});
             }),
             read);

  RouteOptions act = read;
  act.max_body = 16 * 1024;
  router.add("POST", "/api/v1/ratings/{id}/follow-up",
             json_api([auth, ratings](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, true));
               SHENPI_ASSIGN(const std::int64_t id, id_param(req));
               SHENPI_ASSIGN(json::object body, object_body(req));
               SHENPI_ASSIGN(std::string action, string_field(body, "action", "action"));
               const auto a = core::parse_follow_up_action(action);
               if (!a)
                 return make_error(ErrorKind::invalid_input, "bad_action", "未知的操作", "action");
               const json::value* v = body.if_contains("version");
               if (!v || !v->is_int64()) {
                 return make_error(ErrorKind::invalid_input, "bad_version", "缺少或无效的 version",
                                   "version");
               }
               core::FollowUpInput in;
               in.action = *a;
               SHENPI_ASSIGN(in.callback_note,
                             string_field(body, "callback_note", "callback_note"));
               SHENPI_ASSIGN(in.outcome, string_field(body, "outcome", "outcome"));
               SHENPI_ASSIGN(in.reason, string_field(body, "reason", "reason"));
               SHENPI_ASSIGN(in.note, string_field(body, "note", "note"));
               const json::value* uphold = body.if_contains("uphold");
               in.uphold = uphold && uphold->is_bool() && uphold->as_bool();
               SHENPI_ASSIGN(app::FollowUpView out,
                             ratings->act(who, id, in, v->as_int64(), auth->context(req)));
               return private_json(200, follow_up_json(out));
             }),
             act);
}

}  // namespace shenpi::http::api
