#include "web/rating_pages.h"

#include <boost/json.hpp>

#include <charconv>
#include <optional>
#include <utility>

#include "http/form.h"
#include "web/page_failure.h"
#include "web/render.h"
#include "web/static_files.h"

namespace shenpi::web {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using http::api::CsrfSource;

const char* notice_text(std::string_view code) {
  if (code == "rated") return "感谢您的评价！";
  if (code == "callback") return "回访整改情况已记录。";
  if (code == "appeal") return "申诉已提交行政服务中心。";
  if (code == "decide_appeal") return "申诉裁定已记录。";
  return nullptr;
}

json::object rating_ctx(const core::Rating& r) {
  return json::object{{"id", r.id},
                      {"version", r.version},
                      {"case_number", r.case_number},
                      {"item_name", r.item_name},
                      {"department_name", r.department_name},
                      {"level_label", core::label(r.level)},
                      {"bad", core::is_bad(r.level)},
                      {"comment", r.comment},
                      {"rated_on", r.rated_on},
                      {"defaulted", r.defaulted},
                      {"follow_up_label", core::label(r.follow_up)},
                      {"follow_up_due_on", r.follow_up_due_on},
                      {"callback_note", r.callback_note},
                      {"outcome", r.outcome},
                      {"follow_up_done_on", r.follow_up_done_on},
                      {"appeal_reason", r.appeal_reason},
                      {"appealed_on", r.appealed_on},
                      {"appeal_decision_label", r.appeal_decision == "upheld"     ? "申诉成立"
                                                : r.appeal_decision == "rejected" ? "申诉驳回"
                                                                                  : ""},
                      {"appeal_note", r.appeal_note},
                      {"url", "/work/follow-ups/" + std::to_string(r.id)}};
}

struct State {
  RatingPagesDeps deps;

  static Response no_store(Response r) {
    r.header("Cache-Control", "no-store");
    return r;
  }

  Response fail(const Error& e, const Request& req) const {
    return page_failure(req, e, deps.options.site_name, "/my/cases");
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

  static void put_error(json::object& ctx, const Error& e, std::string title) {
    ctx["has_errors"] = true;
    ctx["errors_title"] = std::move(title);
    ctx["errors"] = json::array{json::object{{"field", e.field}, {"message", e.message}}};
    if (!e.field.empty()) ctx[e.field + "_error"] = e.message;
  }

  // ---- the applicant's rating --------------------------------------------------------

  Result<Response> rating_page(const app::Principal& who, const Request& req,
                               std::string_view number, const std::optional<Error>& error,
                               std::string_view level, std::string_view comment) const {
    SHENPI_ASSIGN(app::CaseRatingView v,
                  deps.ratings->of_case(who, number, deps.auth->context(req)));
    json::object ctx{{"number", std::string(number)},
                     {"delivered", v.delivered},
                     {"can_rate", v.can_rate},
                     {"window_ends", v.window_ends},
                     {"comment", std::string(comment)}};
    if (v.rating) ctx["rating"] = rating_ctx(*v.rating);
    json::array levels;
    for (core::RatingLevel l : core::rating_levels()) {
      levels.push_back(json::object{{"value", core::to_string(l)},
                                    {"label", core::label(l)},
                                    {"checked", core::to_string(l) == level}});
    }
    ctx["levels"] = std::move(levels);
    if (const char* n = notice_text(req.query_param("notice").value_or(""))) ctx["notice"] = n;
    if (error) put_error(ctx, *error, "评价未提交");
    return page(who, "case_rating", "评价办件 " + std::string(number), std::move(ctx),
                error ? (error->kind == ErrorKind::invalid_input ? 400 : 409) : 200);
  }

  Result<Response> get_rating(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    return rating_page(who, req, req.param("number"), std::nullopt, "", "");
  }

  Result<Response> post_rating(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who,
                  deps.auth->authenticate(req, true, CsrfSource::header_or_form));
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    const std::string number(req.param("number"));
    const std::string level = form.value("level");
    const std::string comment = form.value("comment");
    Result<core::Rating> r =
        deps.ratings->rate(who, number, level, comment, deps.auth->context(req));
    if (!r.ok()) {
      if (r.error().kind != ErrorKind::invalid_input && r.error().kind != ErrorKind::conflict) {
        return r.take_error();
      }
      return rating_page(who, req, number, r.error(), level, comment);
    }
    return no_store(Response::redirect("/my/cases/" + number + "/rating?notice=rated", 303));
  }

  // ---- follow-ups --------------------------------------------------------------------

  Result<Response> get_list(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    SHENPI_ASSIGN(auto rows, deps.ratings->follow_ups(who, deps.auth->context(req)));
    json::array items;
    for (const app::FollowUpView& v : rows) {
      json::object o = rating_ctx(v.rating);
      o["overdue"] = v.overdue;
      o["waiting"] = !v.allowed_actions.empty();
      items.push_back(std::move(o));
    }
    json::object ctx{{"has_items", !items.empty()}, {"items", std::move(items)}};
    return page(who, "follow_up_list", "差评整改", std::move(ctx), 200);
  }

  Result<Response> detail(const app::Principal& who, const Request& req, std::int64_t id,
                          const std::optional<Error>& error) const {
    SHENPI_ASSIGN(app::FollowUpView v, deps.ratings->follow_up(who, id, deps.auth->context(req)));
    json::object ctx = rating_ctx(v.rating);
    ctx["overdue"] = v.overdue;
    for (core::FollowUpAction a : v.allowed_actions) {
      ctx[std::string("can_") + std::string(core::to_string(a))] = true;
    }
    if (const char* n = notice_text(req.query_param("notice").value_or(""))) ctx["notice"] = n;
    if (error) put_error(ctx, *error, "操作未完成");
    return page(who, "follow_up_detail", "差评整改 " + v.rating.case_number, std::move(ctx),
                error ? (error->kind == ErrorKind::invalid_input ? 400 : 409) : 200);
  }

  static Result<std::int64_t> id_of(const Request& req) {
    std::int64_t id = 0;
    const std::string_view t = req.param("id");
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
    if (ec != std::errc() || ptr != t.data() + t.size() || id <= 0) {
      return make_error(ErrorKind::not_found, "rating_not_found", "评价不存在");
    }
    return id;
  }

  Result<Response> get_detail(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    SHENPI_ASSIGN(const std::int64_t id, id_of(req));
    return detail(who, req, id, std::nullopt);
  }

  Result<Response> post_detail(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who,
                  deps.auth->authenticate(req, true, CsrfSource::header_or_form));
    SHENPI_ASSIGN(const std::int64_t id, id_of(req));
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    const std::string action = form.value("action");
    core::FollowUpInput in;
    if (action == "uphold" || action == "reject") {
      in.action = core::FollowUpAction::decide_appeal;
      in.uphold = action == "uphold";
    } else if (const auto a = core::parse_follow_up_action(action)) {
      in.action = *a;
    } else {
      return make_error(ErrorKind::invalid_input, "bad_action", "未知的操作", "action");
    }
    in.callback_note = form.value("callback_note");
    in.outcome = form.value("outcome");
    in.reason = form.value("reason");
    in.note = form.value("note");
    std::int64_t version = 0;
    const std::string vt = form.value("version");
    std::from_chars(vt.data(), vt.data() + vt.size(), version);
    Result<app::FollowUpView> done =
        deps.ratings->act(who, id, in, version, deps.auth->context(req));
    if (!done.ok()) {
      const ErrorKind k = done.error().kind;
      if (k != ErrorKind::invalid_input && k != ErrorKind::conflict &&
          k != ErrorKind::precondition) {
        return done.take_error();
      }
      return detail(who, req, id, done.error());
    }
    return no_store(Response::redirect("/work/follow-ups/" + std::to_string(id) +
                                           "?notice=" + std::string(core::to_string(in.action)),
                                       303));
  }
};

}  // namespace

void register_rating_pages(http::Router& router, RatingPagesDeps deps) {
  auto state = std::make_shared<const State>(State{std::move(deps)});
  const auto add = [&](const char* method, const char* pattern,
                       Result<Response> (State::*fn)(const Request&) const) {
    http::RouteOptions options;
    options.access = "signed_in";
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
  add("GET", "/my/cases/{number}/rating", &State::get_rating);
  add("POST", "/my/cases/{number}/rating", &State::post_rating);
  add("GET", "/work/follow-ups", &State::get_list);
  add("GET", "/work/follow-ups/{id}", &State::get_detail);
  add("POST", "/work/follow-ups/{id}", &State::post_detail);
}

}  // namespace shenpi::web
