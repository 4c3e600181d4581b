#include "web/inbox_pages.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <utility>

#include <boost/json.hpp>

#include "http/form.h"
#include "web/page_failure.h"
#include "web/render.h"

namespace shenpi::web {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using http::api::CsrfSource;

// "2024-05-01 14:03" in China Standard Time (UTC+8, no daylight saving).
std::string china_time(std::int64_t unix_seconds) {
  using namespace std::chrono;
  const sys_seconds t{seconds{unix_seconds + 8 * 3600}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return buf;
}

// The non-empty lines of a message body, one paragraph each.
json::array paragraphs(std::string_view body) {
  json::array out;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    if (end > start) out.emplace_back(body.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

const char* notice_text(std::string_view code) {
  if (code == "saved") return "通知设置已保存。";
  if (code == "read") return "已标为已读。";
  return nullptr;
}

struct State {
  InboxPagesDeps deps;

  static Response no_store(Response r) {
    r.header("Cache-Control", "no-store");
    return r;
  }

  Response fail(const Error& e, const Request& req) const {
    return page_failure(req, e, deps.options.site_name, "/inbox");
  }

  Result<Response> page(const app::Principal& who, std::string_view tpl, std::string title,
                        json::object ctx, int status) const {
    ctx["csrf_token"] = who.csrf_token;
    PageSpec spec{deps.options.site_name, tpl, std::move(title), Nav::none, Frame::site};
    spec.account = account_header(who);
    SHENPI_ASSIGN(std::string html, render_page(spec, std::move(ctx)));
    return no_store(Response::html(status, std::move(html)));
  }

  // ---- /inbox ----

  Result<Response> get_inbox(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    const app::RequestContext rc = deps.auth->context(req);
    SHENPI_ASSIGN(app::InboxView view, deps.inbox->inbox(who, app::InboxService::kMaxMessages, rc));
    json::array messages;
    for (const app::InboxMessage& m : view.messages) {
      json::object o{{"id", m.id},
                     {"subject", m.subject},
                     {"paragraphs", paragraphs(m.body)},
                     {"case_number", m.case_number},
                     {"time", china_time(m.created_at)},
                     {"unread", !m.read_at.has_value()}};
      messages.push_back(std::move(o));
    }
    json::object ctx;
    if (const char* n = notice_text(req.query_param("notice").value_or(""))) ctx["notice"] = n;
    ctx["has_messages"] = !messages.empty();
    ctx["messages"] = std::move(messages);
    ctx["unread"] = view.unread;
    return page(who, "inbox", "站内消息", std::move(ctx), 200);
  }

  Result<Response> post_read(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who,
                  deps.auth->authenticate(req, true, CsrfSource::header_or_form));
    std::int64_t id = 0;
    const std::string_view text = req.param("id");
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
      return make_error(ErrorKind::not_found, "message_not_found", "消息不存在");
    }
    SHENPI_TRY(deps.inbox->mark_read(who, id, deps.auth->context(req)));
    return no_store(Response::redirect("/inbox?notice=read#message-" + std::to_string(id), 303));
  }

  // ---- /account/notifications ----

  Result<Response> settings_page(const app::Principal& who, const app::NotificationSettings& s,
                                 const std::optional<Error>& error, int status,
                                 const Request& req) const {
    json::object ctx;
    if (const char* n = notice_text(req.query_param("notice").value_or(""))) ctx["notice"] = n;
    ctx["email"] = s.email;
    ctx["email_enabled"] = s.email_enabled;
    if (error) {
      ctx["has_errors"] = true;
      ctx["errors_title"] = "通知设置未保存";
      ctx["errors"] =
          json::array{json::object{{"field", error->field}, {"message", error->message}}};
      if (error->field == "email") ctx["email_error"] = error->message;
    }
    return page(who, "notification_settings", "通知设置", std::move(ctx), status);
  }

  Result<Response> get_settings(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    SHENPI_ASSIGN(app::NotificationSettings s, deps.inbox->settings(who, deps.auth->context(req)));
    return settings_page(who, s, std::nullopt, 200, req);
  }

  Result<Response> post_settings(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who,
                  deps.auth->authenticate(req, true, CsrfSource::header_or_form));
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    app::NotificationSettings s;
    s.email = form.value("email");
    s.email_enabled = form.value("email_enabled") == "1";
    Result<void> saved = deps.inbox->update_settings(who, s, deps.auth->context(req));
    if (!saved.ok()) {
      if (saved.error().kind != ErrorKind::invalid_input) return saved.take_error();
      return settings_page(who, s, saved.error(), 400, req);
    }
    return no_store(Response::redirect("/account/notifications?notice=saved", 303));
  }
};

}  // namespace

void register_inbox_pages(http::Router& router, InboxPagesDeps deps) {
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
  add("GET", "/inbox", &State::get_inbox);
  add("POST", "/inbox/{id}/read", &State::post_read);
  add("GET", "/account/notifications", &State::get_settings);
  add("POST", "/account/notifications", &State::post_settings);
}

}  // namespace shenpi::web
