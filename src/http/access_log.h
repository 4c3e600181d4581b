#pragma once
#include <string>

#include "http/server.h"

namespace shenpi::http {

//! One JSON object per line: time, request id, remote, method, target path (no query:
//! queries may carry personal data), route, status, bytes, duration in ms, user agent.
std::string format_access_json(const AccessRecord& rec);

//! Escapes a string for inclusion inside JSON quotes (control characters, quotes, backslash).
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace shenpi::http
