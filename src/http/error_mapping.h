#pragma once
// The one place where an ErrorKind becomes an HTTP status, and where an Error becomes the
// JSON error object of DESIGN.md: {"error":{"code","message","field"}}.
#include "core/result.h"
#include "http/message.h"

namespace shenpi::http {

//! 400, 401, 403, 404, 409, 412, 413, 429, 503 or 500.
int status_for(ErrorKind kind);

//! The JSON error response. Internal errors never reveal their message to the client;
//! the caller logs it with the request id.
Response json_error(const Error& error);

//! Logs an internal or unavailable error with the request id (the client sees only a
//! generic message and the id). Other kinds are the caller's doing and are not logged.
void report_error(const Request& request, const Error& error);

}  // namespace shenpi::http
