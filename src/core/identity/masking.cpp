#include "core/identity/masking.h"

#include <vector>

namespace shenpi::core {
namespace {

//! Splits UTF-8 into code points. A lead byte takes the continuation bytes that follow
//! it (up to its stated length); a stray byte stands alone, so nothing is ever dropped.
std::vector<std::string_view> code_points(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b >= 0xF8 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    std::size_t n = 1;
    while (n < len && i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) {
      ++n;
    }
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace

std::string mask_middle(std::string_view text, std::size_t keep_front, std::size_t keep_back) {
  const auto cps = code_points(text);
  std::string out;
  if (cps.size() < keep_front + keep_back + 1) return std::string(cps.size(), '*');
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (i < keep_front || i >= cps.size() - keep_back) {
      out.append(cps[i]);
    } else {
      out.push_back('*');
    }
  }
  return out;
}

std::string mask_citizen_id(std::string_view id) { return mask_middle(id, 4, 4); }

std::string mask_credit_code(std::string_view code) { return mask_middle(code, 4, 4); }

std::string mask_phone(std::string_view phone) { return mask_middle(phone, 3, 4); }

std::string mask_name(std::string_view name) { return mask_middle(name, 1, 0); }

}  // namespace shenpi::core
