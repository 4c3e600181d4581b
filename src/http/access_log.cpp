#include "http/access_log.h"

#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace shenpi::http {

void append_json_escaped(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

std::string format_access_json(const AccessRecord& rec) {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::string out;
  out.reserve(256);
  out += fmt::format("{{\"time\":\"{:%Y-%m-%dT%H:%M:%S}.{:03d}Z\",\"request_id\":\"",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(now)), static_cast<int>(ms));
  append_json_escaped(out, rec.request.request_id);
  out += "\",\"remote\":\"";
  append_json_escaped(out, rec.request.remote);
  out += "\",\"method\":\"";
  append_json_escaped(out, rec.request.method);
  out += "\",\"path\":\"";
  append_json_escaped(out, rec.request.path);
  out += "\",\"route\":\"";
  append_json_escaped(out, rec.route);
  out += fmt::format("\",\"status\":{},\"bytes\":{},\"ms\":{:.3f},\"ua\":\"", rec.status, rec.bytes,
                     rec.seconds * 1000.0);
  append_json_escaped(out, rec.request.header("User-Agent").value_or(""));
  out += "\"}";
  return out;
}

}  // namespace shenpi::http
