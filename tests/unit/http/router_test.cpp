#include "http/router.h"

#include <gtest/gtest.h>

#include "http/api/catalogue_api.h"
#include "http/error_mapping.h"
#include "http/metrics.h"

namespace shenpi::http {
namespace {

Response ok(Request&) { return Response::text(200, "ok"); }

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router r;
  r.add("GET", "/items", ok);
  r.add("GET", "/items/{code}", ok);
  r.add("GET", "/items/{code}/materials/{index}/template", ok);
  r.add("GET", "/static/{name...}", ok);

  struct Case {
    std::string method, path;
    std::string pattern;  // empty: no match
    std::vector<std::pair<std::string, std::string>> params;
  } cases[] = {
      {"GET", "/items", "/items", {}},
      {"GET", "/items/", "/items", {}},
      {"GET", "/items/ABC-1", "/items/{code}", {{"code", "ABC-1"}}},
      {"HEAD", "/items/ABC-1", "/items/{code}", {{"code", "ABC-1"}}},
      {"GET",
       "/items/A/materials/2/template",
       "/items/{code}/materials/{index}/template",
       {{"code", "A"}, {"index", "2"}}},
      {"GET", "/static/css/site.css", "/static/{name...}", {{"name", "css/site.css"}}},
      {"GET", "/items/A/B", "", {}},
      {"GET", "/nothing", "", {}},
      {"GET", "/", "", {}},
  };
  for (const auto& c : cases) {
    auto m = r.match(c.method, c.path);
    if (c.pattern.empty()) {
      EXPECT_EQ(m.route, nullptr) << c.path;
      continue;
    }
    ASSERT_NE(m.route, nullptr) << c.path;
    EXPECT_EQ(m.route->pattern, c.pattern) << c.path;
    EXPECT_EQ(m.params, c.params) << c.path;
  }
}

TEST(Router, ReportsMethodMismatch) {
  Router r;
  r.add("GET", "/items", ok);
  auto m = r.match("POST", "/items");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.method_mismatch);
  EXPECT_FALSE(r.match("POST", "/other").method_mismatch);
}

TEST(Router, RouteNameDefaultsToPattern) {
  Router r;
  r.add("GET", "/items/{code}", ok);
  EXPECT_EQ(r.match("GET", "/items/x").route->options.name, "/items/{code}");
}

TEST(ErrorMapping, EachKindHasOneStatus) {
  const std::pair<ErrorKind, int> table[] = {
      {ErrorKind::invalid_input, 400}, {ErrorKind::unauthenticated, 401},
      {ErrorKind::forbidden, 403},     {ErrorKind::not_found, 404},
      {ErrorKind::conflict, 409},      {ErrorKind::precondition, 412},
      {ErrorKind::too_large, 413},     {ErrorKind::rate_limited, 429},
      {ErrorKind::unavailable, 503},   {ErrorKind::internal, 500},
  };
  for (auto [kind, status] : table) EXPECT_EQ(status_for(kind), status);
}

TEST(ErrorMapping, JsonErrorHasCodeMessageField) {
  auto r = json_error(make_error(ErrorKind::invalid_input, "bad_parameter", "页码无效", "page"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"error":{"code":"bad_parameter","message":"页码无效","field":"page"}})");
}

TEST(ErrorMapping, InternalErrorsHideTheirMessage) {
  auto r = json_error(make_error(ErrorKind::internal, "sqlite", "disk I/O error at /secret/path"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

TEST(Request, HeadersAreCaseInsensitiveAndAcceptDecidesHtml) {
  Request req;
  req.headers = {{"Accept", "text/html,application/json;q=0.9"}, {"X-Thing", "1"}};
  EXPECT_EQ(req.header("accept").value(), "text/html,application/json;q=0.9");
  EXPECT_EQ(req.header("x-thing").value(), "1");
  EXPECT_FALSE(req.header("missing"));
  EXPECT_TRUE(req.wants_html());
  req.headers = {{"Accept", "application/json"}};
  EXPECT_FALSE(req.wants_html());
}

TEST(ContentDisposition, EncodesChineseNamesPerRfc5987) {
  EXPECT_EQ(api::content_disposition("attachment", "申请表.pdf", "form.pdf"),
            "attachment; filename=\"form.pdf\"; filename*=UTF-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf");
}

TEST(Metrics, RendersCountersAndCumulativeHistogram) {
  Metrics m;
  auto& r = m.route("/items/{code}");
  Metrics::record(r, 200, 0.0004);
  Metrics::record(r, 200, 0.003);
  Metrics::record(r, 404, 10.0);
  const auto text = m.render();
  EXPECT_NE(text.find(R"(shenpi_http_requests_total{route="/items/{code}",status="200"} 2)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(shenpi_http_requests_total{route="/items/{code}",status="404"} 1)"),
            std::string::npos);
  EXPECT_NE(
      text.find(
          R"(shenpi_http_request_duration_seconds_bucket{route="/items/{code}",le="0.0005"} 1)"),
      std::string::npos);
  EXPECT_NE(
      text.find(
          R"(shenpi_http_request_duration_seconds_bucket{route="/items/{code}",le="0.005"} 2)"),
      std::string::npos);
  EXPECT_NE(
      text.find(
          R"(shenpi_http_request_duration_seconds_bucket{route="/items/{code}",le="+Inf"} 3)"),
      std::string::npos);
  EXPECT_NE(text.find(R"(shenpi_http_request_duration_seconds_count{route="/items/{code}"} 3)"),
            std::string::npos);
}

}  // namespace
}  // namespace shenpi::http
