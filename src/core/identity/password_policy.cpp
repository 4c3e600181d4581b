#include "core/identity/password_policy.h"

#include "core/identity/civil_date.h"

namespace shenpi::core {
namespace {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

//! Counts code points of well-formed UTF-8 without C0 controls or DEL; -1 otherwise.
//! Spaces and every printable character are allowed (SP 800-63B asks for that).
long count_code_points(std::string_view s) {
  long count = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      if (b < 0x20 || b == 0x7F) return -1;
      len = 1;
      cp = b;
    } else if (b >= 0xC2 && b < 0xE0) {
      len = 2;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b < 0xF0) {
      len = 3;
      cp = b & 0x0F;
    } else if (b >= 0xF0 && b < 0xF5) {
      len = 4;
      cp = b & 0x07;
    } else {
      return -1;
    }
    if (i + len > s.size()) return -1;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (c & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return -1;
    }
    i += len;
    ++count;
  }
  return count;
}

Error invalid(std::string code, std::string message, std::string field) {
  return make_error(ErrorKind::invalid_input, std::move(code), std::move(message),
                    std::move(field));
}

}  // namespace

PasswordPolicy::PasswordPolicy(const std::unordered_set<std::string>& common) {
  common_.reserve(common.size());
  for (const auto& p : common) common_.insert(ascii_lower(p));
}

PasswordPolicy PasswordPolicy::from_text(std::string_view common_list) {
  std::unordered_set<std::string> set;
  std::size_t start = 0;
  while (start < common_list.size()) {
    auto end = common_list.find('\n', start);
    if (end == std::string_view::npos) end = common_list.size();
    const auto line = identity_detail::trim_ascii(common_list.substr(start, end - start));
    if (!line.empty()) set.insert(ascii_lower(line));
    start = end + 1;
  }
  return PasswordPolicy(set);
}

bool PasswordPolicy::is_common(std::string_view password) const {
  return common_.contains(ascii_lower(password));
}

Result<void> PasswordPolicy::check(std::string_view password,
                                   const std::vector<std::string_view>& personal,
                                   std::string field) const {
  // Cap the bytes before looking closer: 128 code points are at most 512 bytes.
  if (password.size() > kMaxLength * 4) {
    return invalid("password_too_long", "密码不能超过" + std::to_string(kMaxLength) + "个字符",
                   std::move(field));
  }
  const long length = count_code_points(password);
  if (length < 0) {
    return invalid("password_encoding", "密码含有无法识别的字符或控制字符", std::move(field));
  }
  if (static_cast<std::size_t>(length) < kMinLength) {
    return invalid("password_too_short", "密码至少需要" + std::to_string(kMinLength) + "个字符",
                   std::move(field));
  }
  if (static_cast<std::size_t>(length) > kMaxLength) {
    return invalid("password_too_long", "密码不能超过" + std::to_string(kMaxLength) + "个字符",
                   std::move(field));
  }
  const std::string lower = ascii_lower(password);
  for (const auto& p : personal) {
    const auto trimmed = identity_detail::trim_ascii(p);
    if (!trimmed.empty() && ascii_lower(trimmed) == lower) {
      return invalid("password_personal", "密码不能与登录名、证件号码或姓名相同", std::move(field));
    }
  }
  if (common_.contains(lower)) {
    return invalid("password_common", "该密码过于常见，很容易被猜中，请换一个", std::move(field));
  }
  return ok_result();
}

}  // namespace shenpi::core
