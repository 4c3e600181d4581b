#include "http/multipart.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

namespace shenpi::http {
namespace {

Error bad(std::string code, std::string_view what) {
  return make_error(ErrorKind::invalid_input, std::move(code),
                    "上传内容的格式错误（multipart/form-data）：" + std::string(what));
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// RFC 9110 tchar: the characters of a header name, a parameter name or a token.
bool is_tchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

// RFC 2045 tspecials: the characters a quoted-pair may escape.
bool is_tspecial(char c) {
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) != std::string_view::npos;
}

// An unquoted parameter value: visible ASCII but the separators that would end or quote
// it. Wider than a token because clients send boundaries like "a/b:c=d" unquoted.
bool is_value_char(char c) { return c > 0x20 && c < 0x7F && c != ';' && c != '"' && c != '\\'; }

struct Parameter {
  std::string name;  //!< lower case
  std::string value;
};

// Parses the parameters after a media or disposition type: *( OWS ";" OWS name OWS "="
// OWS ( token / quoted-string ) ) OWS, a trailing ";" allowed. Quoted strings may hold
// UTF-8 (browsers send file names raw) and backslash escapes of tspecials; never CR, LF
// or NUL.
// nullopt when malformed.
std::optional<std::vector<Parameter>> parse_parameters(std::string_view s) {
  std::vector<Parameter> out;
  std::size_t i = 0;
  auto skip_blanks = [&] {
    while (i < s.size() && is_blank(s[i])) ++i;
  };
  while (true) {
    skip_blanks();
    if (i == s.size()) return out;
    if (s[i] != ';') return std::nullopt;
    ++i;
    skip_blanks();
    if (i == s.size()) return out;
    const std::size_t name_start = i;
    while (i < s.size() && is_tchar(s[i])) ++i;
    if (i == name_start) return std::nullopt;
    Parameter p;
    p.name = lowered(s.substr(name_start, i - name_start));
    skip_blanks();
    if (i == s.size() || s[i] != '=') return std::nullopt;
    ++i;
    skip_blanks();
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char c = s[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        // A backslash escapes only a special character (as in Go's mime package):
        // browsers do not escape backslashes, and old ones send "C:\dir\file.pdf".
        if (c == '\\' && i < s.size() && is_tspecial(s[i])) c = s[i++];
        if (c == '\r' || c == '\n' || c == '\0') return std::nullopt;
        p.value.push_back(c);
      }
      if (!closed) return std::nullopt;
    } else {
      const std::size_t value_start = i;
      while (i < s.size() && is_value_char(s[i])) ++i;
      if (i == value_start) return std::nullopt;
      p.value = std::string(s.substr(value_start, i - value_start));
    }
    out.push_back(std::move(p));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 8187 ext-value (charset "'" [language] "'" value-chars), UTF-8 only, decoded.
std::optional<std::string> decode_ext_value(std::string_view v) {
  const std::size_t q1 = v.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  const std::size_t q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  if (lowered(v.substr(0, q1)) != "utf-8") return std::nullopt;
  std::string out;
  for (std::size_t i = q2 + 1; i < v.size(); ++i) {
    if (v[i] != '%') {
      if (v[i] == '\'') return std::nullopt;
      out.push_back(v[i]);
      continue;
    }
    if (v.size() - i < 3) return std::nullopt;
    const int hi = hex_value(v[i + 1]);
    const int lo = hex_value(v[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// RFC 2046 bchars: DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." / "/" /
// ":" / "=" / "?" / " " (space not last).
bool is_bchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

Result<void> apply_disposition(std::string_view value, MultipartPart& part) {
  auto bad_disposition = [](std::string_view what) {
    return bad("multipart_bad_disposition", what);
  };
  const std::size_t semi = value.find(';');
  const std::string_view type = trim(value.substr(0, semi));
  if (lowered(type) != "form-data") return bad_disposition("Content-Disposition 应为 form-data");
  const auto params =
      parse_parameters(semi == std::string_view::npos ? std::string_view() : value.substr(semi));
  if (!params) return bad_disposition("Content-Disposition 的参数无法解析");
  bool has_name = false;
  std::optional<std::string> filename, filename_ext;
  for (std::size_t i = 0; i < params->size(); ++i) {
    const Parameter& p = (*params)[i];
    for (std::size_t j = 0; j < i; ++j) {
      if ((*params)[j].name == p.name) return bad_disposition("参数重复：" + p.name);
    }
    if (p.name == "name") {
      part.name = p.value;
      has_name = true;
    } else if (p.name == "filename") {
      filename = p.value;
    } else if (p.name == "filename*") {
      filename_ext = decode_ext_value(p.value);
      if (!filename_ext) return bad_disposition("filename* 应为 UTF-8''… 的形式");
    }
  }
  if (!has_name || part.name.empty()) return bad_disposition("缺少字段名（name）");
  if (filename_ext || filename) {
    part.has_filename = true;
    part.filename = filename_ext ? *filename_ext : *filename;
  }
  return ok_result();
}

// Parses the header lines of one part starting at `at` (the start of a line); on success
// leaves `at` on the CRLF that ends the headers (the blank line, or the CRLF of a
// delimiter right after the last header line when the part has no body section).
Result<void> parse_part_headers(std::string_view body, std::size_t& at,
                                const MultipartLimits& limits, MultipartPart& part) {
  std::size_t used = 0;
  std::size_t count = 0;
  bool has_disposition = false, has_type = false, has_encoding = false;
  while (true) {
    // Look for the line end only as far as the header budget reaches.
    const std::size_t budget = limits.max_part_header_bytes - used;
    const std::string_view window = body.substr(at, budget + 2);
    const std::size_t eol = window.find("\r\n");
    if (eol == std::string_view::npos) {
      if (window.size() < budget + 2) return bad("multipart_truncated", "分段不完整");
      return bad("multipart_header_too_large", "分段头过大");
    }
    if (eol == 0) break;
    const std::string_view line = window.substr(0, eol);
    used += eol + 2;
    if (used > limits.max_part_header_bytes || ++count > limits.max_headers_per_part) {
      return bad("multipart_header_too_large", "分段头过大");
    }
    if (is_blank(line.front())) return bad("multipart_bad_header", "不接受折行的分段头");
    if (line.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
      return bad("multipart_bad_header", "分段头含有非法字符");
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 ||
        !std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon), is_tchar)) {
      return bad("multipart_bad_header", "分段头格式错误");
    }
    const std::string name = lowered(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      if (has_disposition) return bad("multipart_bad_disposition", "Content-Disposition 重复");
      has_disposition = true;
      SHENPI_TRY(apply_disposition(value, part));
    } else if (name == "content-type") {
      if (has_type) return bad("multipart_bad_header", "Content-Type 重复");
      has_type = true;
      part.content_type = std::string(value);
    } else if (name == "content-transfer-encoding") {
      if (has_encoding) return bad("multipart_bad_header", "Content-Transfer-Encoding 重复");
      has_encoding = true;
      const std::string enc = lowered(value);
      if (enc != "7bit" && enc != "8bit" && enc != "binary") {
        return bad("multipart_bad_header", "不支持的 Content-Transfer-Encoding");
      }
    }
    at += eol + 2;
  }
  if (!has_disposition) return bad("multipart_bad_disposition", "分段缺少 Content-Disposition");
  return ok_result();
}

}  // namespace

Result<std::string> multipart_boundary(std::string_view content_type) {
  const std::size_t semi = content_type.find(';');
  if (lowered(trim(content_type.substr(0, semi))) != "multipart/form-data") {
    return make_error(ErrorKind::invalid_input, "not_multipart",
                      "请以 multipart/form-data 格式上传文件");
  }
  const auto params = parse_parameters(semi == std::string_view::npos ? std::string_view()
                                                                      : content_type.substr(semi));
  if (!params) return bad("bad_boundary", "Content-Type 的参数无法解析");
  std::optional<std::string> boundary;
  for (const Parameter& p : *params) {
    if (p.name != "boundary") continue;
    if (boundary) return bad("bad_boundary", "boundary 重复");
    boundary = p.value;
  }
  if (!boundary || boundary->empty() || boundary->size() > 70 || boundary->back() == ' ' ||
      !std::all_of(boundary->begin(), boundary->end(), is_bchar)) {
    return bad("bad_boundary", "缺少或无效的 boundary");
  }
  return *boundary;
}

Result<std::vector<MultipartPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                                   const MultipartLimits& limits) {
  if (boundary.empty() || boundary.size() > 70) return bad("bad_boundary", "缺少或无效的 boundary");
  const std::string delimiter = "\r\n--" + std::string(boundary);
  const std::boyer_moore_horspool_searcher searcher(delimiter.begin(), delimiter.end());
  // The position of the next "\r\n--boundary" at or after `from`, or npos.
  auto find_delimiter = [&](std::size_t from) -> std::size_t {
    const auto it =
        std::search(body.begin() + static_cast<std::ptrdiff_t>(from), body.end(), searcher);
    return it == body.end() ? std::string_view::npos : static_cast<std::size_t>(it - body.begin());
  };
  const std::string_view dash_boundary = std::string_view(delimiter).substr(2);

  // `at` points at "--boundary" of the current delimiter.
  std::size_t at = 0;
  if (!body.starts_with(dash_boundary)) {
    const std::size_t first = find_delimiter(0);  // after a preamble
    if (first == std::string_view::npos) return bad("multipart_no_delimiter", "找不到分隔符");
    at = first + 2;
  }
  std::vector<MultipartPart> parts;
  while (true) {
    at += dash_boundary.size();
    std::string_view rest = body.substr(at);
    if (rest.starts_with("--")) break;  // the close delimiter; the epilogue is ignored
    while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);
    if (rest.empty()) return bad("multipart_truncated", "缺少结束分隔符");
    if (!rest.starts_with("\r\n")) return bad("multipart_bad_delimiter", "分隔符后有多余内容");
    at = body.size() - rest.size() + 2;
    if (parts.size() == limits.max_parts) {
      return bad("multipart_too_many_parts", "分段过多");
    }
    MultipartPart part;
    SHENPI_TRY(parse_part_headers(body, at, limits, part));
    // `at` is on a CRLF: the blank line, or already the delimiter's own CRLF.
    const std::size_t end = find_delimiter(at);
    if (end == std::string_view::npos) return bad("multipart_truncated", "缺少结束分隔符");
    part.body = end == at ? body.substr(at, 0) : body.substr(at + 2, end - at - 2);
    parts.push_back(std::move(part));
    at = end + 2;
  }
  if (parts.empty()) return bad("multipart_empty", "没有任何内容");
  return parts;
}

Result<std::vector<MultipartPart>> multipart_body(const Request& req,
                                                  const MultipartLimits& limits) {
  SHENPI_ASSIGN(const std::string boundary,
                multipart_boundary(req.header("Content-Type").value_or("")));
  return parse_multipart(req.body, boundary, limits);
}

}  // namespace shenpi::http
