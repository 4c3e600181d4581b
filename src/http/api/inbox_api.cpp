#include "http/api/inbox_api.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "app/authorization.h"
#include "http/api/api_util.h"

namespace shenpi::http::api {
namespace {

namespace json = boost::json;

// The integer query parameter `name`, `fallback` when absent; invalid_input otherwise.
Result<std::int64_t> int_param(const Request& req, std::string_view name, std::int64_t fallback) {
  const std::optional<std::string_view> v = req.query_param(name);
  if (!v || v->empty()) return fallback;
  std::int64_t n = 0;
  const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || ptr != v->data() + v->size() || n < 0) {
    return make_error(ErrorKind::invalid_input, "bad_parameter",
                      std::string(name) + " 应为非负整数", std::string(name));
  }
  return n;
}

json::object message_json(const app::InboxMessage& m) {
  json::object o{{"id", m.id},
                 {"event_id", m.event_id},
                 {"subject", m.subject},
                 {"body", m.body},
                 {"case_number", m.case_number},
                 {"created_at", m.created_at},
                 {"read", m.read_at.has_value()}};
  o["read_at"] = m.read_at ? json::value(*m.read_at) : json::value(nullptr);
  return o;
}

json::object event_json(const app::FeedEvent& f) {
  boost::system::error_code ec;
  json::value payload = json::parse(f.event.payload_json, ec);
  if (ec || !payload.is_object()) payload = json::object();
  return json::object{{"id", f.id},
                      {"event_id", f.event.event_id},
                      {"topic", f.event.topic},
                      {"case_number", f.event.case_number},
                      {"department", f.event.department_code},
                      {"payload", std::move(payload)},
                      {"created_at", f.event.created_at}};
}

}  // namespace

void register_inbox_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                        std::shared_ptr<app::InboxService> inbox) {
  RouteOptions signed_in;
  signed_in.access = "signed_in";
  router.add("GET", "/api/v1/inbox", json_api([auth, inbox](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
               SHENPI_ASSIGN(const std::int64_t limit,
                             int_param(req, "limit", app::InboxService::kMaxMessages));
               SHENPI_ASSIGN(
                   app::InboxView view,
                   inbox->inbox(who, static_cast<int>(std::min<std::int64_t>(limit, 1000)),
                                auth->context(req)));
               json::array messages;
               for (const app::InboxMessage& m : view.messages) messages.push_back(message_json(m));
               return private_json(
                   200, json::object{{"messages", std::move(messages)}, {"unread", view.unread}});
             }),
             signed_in);

  RouteOptions write = signed_in;
  write.max_body = 1024;
  router.add("POST", "/api/v1/inbox/{id}/read",
             json_api([auth, inbox](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, true));
               std::int64_t id = 0;
               const std::string_view text = req.param("id");
               const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
               if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
                 return make_error(ErrorKind::not_found, "message_not_found", "消息不存在");
               }
               SHENPI_TRY(inbox->mark_read(who, id, auth->context(req)));
               Response r;
               r.status = 204;
               r.header("Cache-Control", "no-store");
               return r;
             }),
             write);

  RouteOptions feed;
  feed.access = app::to_string(app::Permission::audit_read);
  router.add(
      "GET", "/api/v1/events", json_api([auth, inbox](Request& req) -> Result<Response> {
        SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
        SHENPI_ASSIGN(const std::int64_t after, int_param(req, "after", 0));
        SHENPI_ASSIGN(const std::int64_t limit, int_param(req, "limit", 100));
        SHENPI_ASSIGN(app::FeedPage page,
                      inbox->events(who, after,
                                    static_cast<int>(std::min<std::int64_t>(
                                        limit, app::InboxService::kMaxFeedPage)),
                                    auth->context(req)));
        json::array events;
        for (const app::FeedEvent& f : page.events) events.push_back(event_json(f));
        return private_json(200, json::object{{"events", std::move(events)}, {"next", page.next}});
      }),
      feed);
}

}  // namespace shenpi::http::api
