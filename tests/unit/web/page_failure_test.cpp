#include "web/page_failure.h"

#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace shenpi::web {
namespace {

std::optional<std::string> header_of(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (http::iequals(k, name)) return v;
  }
  return std::nullopt;
}

http::Request request(std::string method, std::string target) {
  http::Request req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.request_id = "req-42";
  return req;
}

// One row: a failure on a page request and what the person must see.
struct Case {
  const char* name;
  const char* method;
  const char* target;
  ErrorKind kind;
  const char* code;
  int status;
  const char* location;  // nullptr: an error page, no redirect
};

TEST(PageFailure, AnswersEachFailureAsThePagesPromise) {
  const Case cases[] = {
      {"GET not signed in: back to the page itself, query kept", "GET", "/my/cases?page=2",
       ErrorKind::unauthenticated, "session_required", 303, "/login?next=%2Fmy%2Fcases%3Fpage%3D2"},
      {"POST not signed in: back to the page the form is on", "POST", "/my/cases/X1/actions",
       ErrorKind::unauthenticated, "session_expired", 303, "/login?next=%2Fmy%2Fcases"},
      {"HEAD counts as not GET", "HEAD", "/inbox", ErrorKind::unauthenticated, "x", 303,
       "/login?next=%2Fmy%2Fcases"},
      {"lapsed training on GET", "GET", "/work", ErrorKind::forbidden, "training_required", 303,
       "/training"},
      {"lapsed training on POST", "POST", "/work/cases/1", ErrorKind::forbidden,
       "training_required", 303, "/training"},
      {"other refusal: the error page", "GET", "/supervision", ErrorKind::forbidden,
       "role_required", 403, nullptr},
      {"unknown case", "GET", "/my/cases/NOPE", ErrorKind::not_found, "case_not_found", 404,
       nullptr},
      {"bad input on POST", "POST", "/admin/calendar", ErrorKind::invalid_input, "bad_year", 400,
       nullptr},
      {"conflict", "POST", "/admin/staff", ErrorKind::conflict, "exists", 409, nullptr},
      {"internal", "GET", "/inbox", ErrorKind::internal, "db", 500, nullptr},
      {"unavailable", "GET", "/inbox", ErrorKind::unavailable, "pg_down", 503, nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const http::Response r =
        page_failure(request(c.method, c.target), make_error(c.kind, c.code, "请检查办件编号"),
                     "潮州市网上行政审批系统", "/my/cases");
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(header_of(r, "Cache-Control"), std::optional<std::string>("no-store"));
    if (c.location != nullptr) {
      EXPECT_EQ(header_of(r, "Location"), std::optional<std::string>(c.location));
    } else {
      EXPECT_EQ(header_of(r, "Location"), std::nullopt);
      EXPECT_NE(r.body.find("req-42"), std::string::npos) << "the request id to quote";
      EXPECT_NE(r.content_type.find("text/html"), std::string::npos);
    }
  }
}

TEST(PageFailure, ErrorPageShowsTheChineseMessageOnlyForTheCallersErrors) {
  const http::Request req = request("GET", "/my/cases/X");
  const http::Response shown = page_failure(
      req, make_error(ErrorKind::not_found, "case_not_found", "未找到该办件"), "站点", "/");
  EXPECT_NE(shown.body.find("未找到该办件"), std::string::npos);
  EXPECT_NE(shown.body.find("站点"), std::string::npos) << "the site name of the options";

  const http::Response hidden = page_failure(
      req, make_error(ErrorKind::internal, "db", "SQLITE_CORRUPT in table cases"), "站点", "/");
  EXPECT_EQ(hidden.body.find("SQLITE_CORRUPT"), std::string::npos);
  EXPECT_NE(hidden.body.find("系统繁忙"), std::string::npos);
}

}  // namespace
}  // namespace shenpi::web
