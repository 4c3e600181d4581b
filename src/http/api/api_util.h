#pragma once
// Small pieces shared by the JSON API handlers of accounts and sessions: the Result →
// Response wrapper and reading fields of a JSON object body.
#include <boost/json.hpp>

#include <string>
#include <string_view>

#include "core/result.h"
#include "http/error_mapping.h"
#include "http/router.h"

namespace shenpi::http::api {

//! Wraps a handler returning Result<Response> so that every error goes through the one
//! mapping of error_mapping.cpp. Errors and successes alike are never cached.
template <typename F>
Handler json_api(F f) {
  return [f = std::move(f)](Request& req) -> Response {
    Result<Response> r = f(req);
    if (!r.ok()) {
      report_error(req, r.error());
      return json_error(r.error());
    }
    return std::move(r).value();
  };
}

//! The body parsed as a JSON object; invalid_input "bad_json" otherwise.
Result<boost::json::object> object_body(const Request& req);

//! The string at `key` of `o` ("" when absent or null); invalid_input naming `field`
//! when present with another type.
Result<std::string> string_field(const boost::json::object& o, std::string_view key,
                                 std::string_view field);

//! A JSON response that no cache keeps (personal data, tokens).
Response private_json(int status, const boost::json::value& v);

}  // namespace shenpi::http::api
