#include "http/error_mapping.h"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace shenpi::http {

int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_input:
      return 400;
    case ErrorKind::unauthenticated:
      return 401;
    case ErrorKind::forbidden:
      return 403;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::precondition:
      return 412;
    case ErrorKind::too_large:
      return 413;
    case ErrorKind::rate_limited:
      return 429;
    case ErrorKind::unavailable:
      return 503;
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

Response json_error(const Error& error) {
  boost::json::object e;
  if (error.kind == ErrorKind::internal) {
    e["code"] = "internal";
    e["message"] = "系统内部错误，请稍后重试";
  } else {
    e["code"] = error.code;
    e["message"] = error.message;
  }
  if (!error.field.empty()) e["field"] = error.field;
  boost::json::object body;
  body["error"] = std::move(e);
  return Response::json(status_for(error.kind), boost::json::serialize(body));
}

void report_error(const Request& request, const Error& error) {
  if (error.kind == ErrorKind::internal) {
    spdlog::error("request {} {} {}: internal error {}: {}", request.request_id, request.method,
                  request.path, error.code, error.message);
  } else if (error.kind == ErrorKind::unavailable) {
    spdlog::warn("request {} {} {}: unavailable {}: {}", request.request_id, request.method,
                 request.path, error.code, error.message);
  }
}

}  // namespace shenpi::http
