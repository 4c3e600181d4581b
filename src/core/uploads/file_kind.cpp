#include "core/uploads/file_kind.h"

#include <array>
#include <cstdint>
#include <vector>

namespace shenpi::core {
namespace {

constexpr const char* kOnlyThese = "仅支持 PDF、JPG、PNG 格式";

Error not_allowed(std::string_view field) {
  return make_error(ErrorKind::invalid_input, "file_type_not_allowed", kOnlyThese,
                    std::string(field));
}

Error damaged(std::string_view field, std::string_view what) {
  return make_error(
      ErrorKind::invalid_input, "file_damaged",
      std::string(what) + "文件不完整、已损坏或在结尾之后附带了其他数据，请重新生成后上传",
      std::string(field));
}

Error active(std::string_view field) {
  return make_error(ErrorKind::invalid_input, "file_active_content",
                    "文件中含有网页、脚本或启动程序的内容，不能上传；请将材料另存（打印）为普通的 "
                    "PDF 或图片后上传。" +
                        std::string(kOnlyThese),
                    std::string(field));
}

unsigned char byte_at(std::string_view s, std::size_t i) {
  return static_cast<unsigned char>(s[i]);
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_ci(std::string_view s, std::size_t at, std::string_view lower_pattern) {
  if (s.size() - at < lower_pattern.size()) return false;
  for (std::size_t i = 0; i < lower_pattern.size(); ++i) {
    if (lower(s[at + i]) != lower_pattern[i]) return false;
  }
  return true;
}

bool is_pdf_whitespace(unsigned char c) {
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

// Markup a browser would run if it were ever persuaded to render the bytes as HTML or
// SVG: the elements that carry or load script, and script URLs. Searched anywhere in the
// file, since a polyglot hides its second format wherever the first one lets it (a PDF
// comment, a PNG text chunk, a JPEG comment or trailer). PDF hex strings and
// dictionaries ("<48af>", "<</Type") never match: every tag has a letter beyond a–f.
bool has_markup(std::string_view s) {
  static constexpr std::array<std::string_view, 10> kTags = {
      "!doctype", "html", "head", "body", "script", "iframe", "svg", "object", "embed", "frameset"};
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '<') {
      for (std::string_view tag : kTags) {
        if (!starts_with_ci(s, i + 1, tag)) continue;
        const std::size_t after = i + 1 + tag.size();
        if (after == s.size()) return true;
        const char d = s[after];
        if (d == '>' || d == '/' || d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '\f') {
          return true;
        }
      }
    } else if (c == 'j' || c == 'J') {
      if (starts_with_ci(s, i, "javascript:")) return true;
    }
  }
  return false;
}

// PDF actions that run code when the document is opened: JavaScript and /Launch (which
// starts a program). Written plainly in all but deliberately obfuscated files; those are
// still only ever served as a download in a sandbox (see the upload API).
bool has_pdf_actions(std::string_view s) {
  return s.find("/JavaScript") != std::string_view::npos ||
         s.find("/Launch") != std::string_view::npos;
}

// "%PDF-" and a version "d.d" at the very start (readers accept the header anywhere in
// the first 1024 bytes; we do not, so nothing can stand before it), and "%%EOF" at the
// end with nothing but whitespace after it.
Result<FileKind> check_pdf(std::string_view s, std::string_view field) {
  const bool version =
      s.size() >= 8 && s[5] >= '1' && s[5] <= '9' && s[6] == '.' && s[7] >= '0' && s[7] <= '9';
  if (!version) return not_allowed(field);
  const std::size_t eof = s.rfind("%%EOF");
  if (eof == std::string_view::npos) return damaged(field, "PDF ");
  for (std::size_t i = eof + 5; i < s.size(); ++i) {
    if (!is_pdf_whitespace(byte_at(s, i))) return damaged(field, "PDF ");
  }
  if (has_markup(s) || has_pdf_actions(s)) return active(field);
  return FileKind::pdf;
}

std::uint32_t be32(std::string_view s, std::size_t at) {
  return (std::uint32_t{byte_at(s, at)} << 24) | (std::uint32_t{byte_at(s, at + 1)} << 16) |
         (std::uint32_t{byte_at(s, at + 2)} << 8) | std::uint32_t{byte_at(s, at + 3)};
}

bool is_ascii_letter(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// The signature, then chunks (length, type, data, CRC) from IHDR to IEND, and IEND the
// last bytes of the file (PNG, ISO/IEC 15948 §5.2–5.3).
Result<FileKind> check_png(std::string_view s, std::string_view field) {
  std::size_t at = 8;
  bool first = true;
  while (true) {
    if (s.size() - at < 12) return damaged(field, "PNG ");
    const std::uint32_t length = be32(s, at);
    if (length > 0x7fffffffu) return damaged(field, "PNG ");
    for (std::size_t k = 4; k < 8; ++k) {
      if (!is_ascii_letter(byte_at(s, at + k))) return damaged(field, "PNG ");
    }
    const std::string_view type = s.substr(at + 4, 4);
    if (first && (type != "IHDR" || length != 13)) return damaged(field, "PNG ");
    first = false;
    if (s.size() - at - 12 < length) return damaged(field, "PNG ");
    at += 12 + std::size_t{length};
    if (type == "IEND") break;
  }
  if (at != s.size()) return damaged(field, "PNG ");
  if (has_markup(s)) return active(field);
  return FileKind::png;
}

// SOI, then marker segments up to the first SOS, each within the file; and an EOI after
// it. Data after the EOI is allowed (phones append motion-photo video there) but is
// searched for markup like the rest.
Result<FileKind> check_jpeg(std::string_view s, std::string_view field) {
  std::size_t at = 2;
  while (true) {
    // Markers may be preceded by any number of 0xFF fill bytes (ITU T.81 §B.1.1.2).
    if (at >= s.size() || byte_at(s, at) != 0xFF) return damaged(field, "JPEG ");
    while (at < s.size() && byte_at(s, at) == 0xFF) ++at;
    if (at >= s.size()) return damaged(field, "JPEG ");
    const unsigned char marker = byte_at(s, at++);
    if (marker == 0x00 || marker == 0xD8 || marker == 0xD9) return damaged(field, "JPEG ");
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length
    if (s.size() - at < 2) return damaged(field, "JPEG ");
    const std::size_t length = (std::size_t{byte_at(s, at)} << 8) | byte_at(s, at + 1);
    if (length < 2 || s.size() - at < length) return damaged(field, "JPEG ");
    at += length;
    if (marker == 0xDA) break;  // start of scan: entropy-coded data follows
  }
  if (s.find("\xFF\xD9", at) == std::string_view::npos) return damaged(field, "JPEG ");
  if (has_markup(s)) return active(field);
  return FileKind::jpeg;
}

// ---- names ------------------------------------------------------------------------

// Decodes UTF-8, dropping every byte that does not begin a well-formed sequence
// (overlong forms, surrogates and values beyond U+10FFFF included).
std::vector<char32_t> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char b = byte_at(s, i);
    if (b < 0x80) {
      out.push_back(b);
      ++i;
      continue;
    }
    // The lead byte says how many continuation bytes follow and the least value the
    // sequence may encode (anything less is an overlong form).
    struct Lead {
      unsigned char mask, value;
      int extra;
      char32_t min;
    };
    static constexpr Lead kLeads[] = {
        {0xE0, 0xC0, 1, 0x80}, {0xF0, 0xE0, 2, 0x800}, {0xF8, 0xF0, 3, 0x10000}};
    const Lead* lead = nullptr;
    for (const Lead& l : kLeads) {
      if ((b & l.mask) == l.value) lead = &l;
    }
    if (lead == nullptr) {
      ++i;
      continue;
    }
    const int extra = lead->extra;
    const char32_t min = lead->min;
    char32_t cp = b & static_cast<unsigned char>(~lead->mask);
    bool good = s.size() - i > static_cast<std::size_t>(extra);
    for (int k = 1; good && k <= extra; ++k) {
      const unsigned char c = byte_at(s, i + k);
      if ((c & 0xC0) != 0x80) good = false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (!good || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      ++i;
      continue;
    }
    out.push_back(cp);
    i += 1 + extra;
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Controls (C0, DEL, C1) and the invisible format characters that make a name read
// differently from what it is ("exe.pdf" written right-to-left, zero-width joins).
bool is_hidden(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF ||
         (c >= 0xFFF9 && c <= 0xFFFB);
}

// Characters Windows does not allow in names: replaced, so the download saves as shown.
bool is_reserved(char32_t c) {
  return c == '<' || c == '>' || c == ':' || c == '"' || c == '|' || c == '?' || c == '*';
}

bool is_blank_or_dot(char32_t c) { return c == ' ' || c == 0x3000 || c == '.'; }

}  // namespace

std::string_view to_string(FileKind kind) {
  switch (kind) {
    case FileKind::pdf:
      return "pdf";
    case FileKind::png:
      return "png";
    case FileKind::jpeg:
      return "jpeg";
  }
  return "pdf";
}

std::optional<FileKind> parse_file_kind(std::string_view text) {
  if (text == "pdf") return FileKind::pdf;
  if (text == "png") return FileKind::png;
  if (text == "jpeg") return FileKind::jpeg;
  return std::nullopt;
}

std::string_view content_type_of(FileKind kind) {
  switch (kind) {
    case FileKind::pdf:
      return "application/pdf";
    case FileKind::png:
      return "image/png";
    case FileKind::jpeg:
      return "image/jpeg";
  }
  return "application/octet-stream";
}

std::string_view extension_of(FileKind kind) {
  switch (kind) {
    case FileKind::pdf:
      return "pdf";
    case FileKind::png:
      return "png";
    case FileKind::jpeg:
      return "jpg";
  }
  return "bin";
}

Result<FileKind> detect_file_kind(std::string_view bytes, std::string_view field) {
  if (bytes.empty()) {
    return make_error(ErrorKind::invalid_input, "file_empty", "文件为空，请选择要上传的材料",
                      std::string(field));
  }
  if (bytes.starts_with("%PDF-")) return check_pdf(bytes, field);
  if (bytes.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8))) return check_png(bytes, field);
  if (bytes.starts_with("\xFF\xD8\xFF")) return check_jpeg(bytes, field);
  return not_allowed(field);
}

std::string safe_filename(std::string_view given, FileKind kind) {
  // The last path component: '/' and '\\' never occur inside a UTF-8 sequence.
  const std::size_t slash = given.find_last_of("/\\");
  if (slash != std::string_view::npos) given.remove_prefix(slash + 1);
  std::vector<char32_t> name;
  for (char32_t c : decode_utf8(given)) {
    if (is_hidden(c)) continue;
    name.push_back(is_reserved(c) ? U'_' : c);
  }
  // The stem: before the last dot, without leading dots (hidden files, "..") and
  // without blanks or dots at either end (Windows drops trailing ones).
  std::size_t end = name.size();
  for (std::size_t i = name.size(); i > 0; --i) {
    if (name[i - 1] == '.') {
      end = i - 1;
      break;
    }
  }
  std::size_t begin = 0;
  while (begin < end && is_blank_or_dot(name[begin])) ++begin;
  while (end > begin && is_blank_or_dot(name[end - 1])) --end;
  if (end - begin > kMaxStemChars) end = begin + kMaxStemChars;
  while (end > begin && is_blank_or_dot(name[end - 1])) --end;
  std::string out;
  for (std::size_t i = begin; i < end; ++i) append_utf8(out, name[i]);
  if (out.empty()) out = "附件";
  out += '.';
  out += extension_of(kind);
  return out;
}

}  // namespace shenpi::core
