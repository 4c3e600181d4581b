// libFuzzer harness: one HTTP/1.1 request off the wire, handled the way src/http/server.cpp
// handles it up to the handler: Beast's request_parser (same limits), the origin-form
// target split into a decoded path and query with Boost.URL, Router::match over the
// application's route patterns, and the request helpers a handler then calls (headers,
// query parameters, form and multipart bodies). Contract under test: any bytes give a
// clean error or a request, never a crash, a sanitizer report or a hang.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include "http/form.h"
#include "http/message.h"
#include "http/multipart.h"
#include "http/router.h"

namespace {

namespace bhttp = boost::beast::http;
using shenpi::http::Request;
using shenpi::http::Response;
using shenpi::http::Router;

// The route shapes the server registers (literal, parameter, several parameters, rest).
const Router& routes() {
  static const Router router = [] {
    Router r;
    auto ok = [](Request&) { return Response::text(200, "ok"); };
    for (const char* p :
         {"/", "/login", "/api/v1/items", "/api/v1/items/{code}", "/api/v1/items/{code}/form.pdf",
          "/api/v1/items/{code}/materials/{index}/template", "/api/v1/cases/{number}",
          "/api/v1/cases/{number}/documents/{file}", "/api/v1/calendar/{year}",
          "/complaints/{number}", "/work/follow-ups/{id}", "/static/{path...}"}) {
      r.add("GET", p, ok);
    }
    for (const char* p : {"/login", "/api/v1/applications", "/api/v1/uploads",
                          "/api/v1/cases/{number}/actions", "/inbox/{id}/read"}) {
      r.add("POST", p, ok, {.max_body = 1 << 20});
    }
    r.add("PUT", "/api/v1/cases/{number}/draft", ok);
    r.add("DELETE", "/api/v1/account/sessions/{id}", ok);
    return r;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view wire(reinterpret_cast<const char*>(data), size);
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1 << 20);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < wire.size() && !parser.is_done()) {
    const std::size_t n =
        parser.put(boost::asio::buffer(wire.data() + used, wire.size() - used), ec);
    if (ec || n == 0) break;
    used += n;
  }
  if (ec && ec != bhttp::error::need_more) return 0;
  if (!parser.is_header_done()) return 0;

  const auto& msg = parser.get();
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  for (const auto& f : msg)
    req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  if (parser.is_done()) req.body = msg.body();

  auto parsed = boost::urls::parse_origin_form(req.target);
  if (!parsed) return 0;
  req.path = parsed->path();
  for (auto p : parsed->params()) req.query.emplace_back(p.key, p.value);
  auto m = routes().match(req.method, req.path);
  for (auto& [k, v] : m.params) req.params.emplace(std::move(k), std::move(v));

  // What handlers read from a request.
  (void)req.header("Content-Type");
  (void)req.header("cookie");
  (void)req.query_param("q");
  (void)req.query_param("page");
  (void)req.param("number");
  (void)req.wants_html();
  if (shenpi::http::is_form(req)) (void)shenpi::http::form_body(req);
  if (auto parts = shenpi::http::multipart_body(req)) {
    for (const auto& part : *parts) {
      // Views must stay inside the body the parts were cut from.
      if (!part.body.empty() &&
          (part.body.data() < req.body.data() ||
           part.body.data() + part.body.size() > req.body.data() + req.body.size())) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
