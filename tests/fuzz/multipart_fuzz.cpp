// libFuzzer harness: multipart/form-data (src/http/multipart.h). The first line of the
// input is the Content-Type header value, the rest is the body. Contract: every input is
// a list of parts or an invalid_input error; part bodies are views inside the body and
// the limits hold.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = in.find('\n');
  const std::string_view content_type = nl == std::string_view::npos ? in : in.substr(0, nl);
  const std::string_view body =
      nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);

  auto boundary = shenpi::http::multipart_boundary(content_type);
  if (!boundary) {
    if (boundary.error().kind != shenpi::ErrorKind::invalid_input) __builtin_trap();
    return 0;
  }
  if (boundary->empty() || boundary->size() > 70) __builtin_trap();
  const shenpi::http::MultipartLimits limits{
      .max_parts = 4, .max_part_header_bytes = 256, .max_headers_per_part = 4};
  auto parts = shenpi::http::parse_multipart(body, *boundary, limits);
  if (!parts) {
    if (parts.error().kind != shenpi::ErrorKind::invalid_input) __builtin_trap();
    return 0;
  }
  if (parts->empty() || parts->size() > limits.max_parts) __builtin_trap();
  for (const auto& p : *parts) {
    if (p.name.empty()) __builtin_trap();
    if (!p.body.empty() && (p.body.data() < body.data() ||
                            p.body.data() + p.body.size() > body.data() + body.size())) {
      __builtin_trap();
    }
  }
  return 0;
}
