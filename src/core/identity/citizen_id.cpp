#include "core/identity/citizen_id.h"

#include <array>
#include <cstddef>

#include "core/identity/civil_date.h"

namespace shenpi::core {
namespace {

using identity_detail::YearMonthDay;

// ISO 7064 MOD 11-2 as GB 11643-1999 states it: weight of position i is 2^(17-i) mod 11,
// and the check character maps (sum mod 11) to a value that makes the whole sum ≡ 1.
constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::array<char, 11> kCheckChars = {'1', '0', 'X', '9', '8', '7',
                                              '6', '5', '4', '3', '2'};
constexpr YearMonthDay kEarliestBirth{1900, 1, 1};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

Error invalid(std::string code, std::string message, std::string field) {
  return make_error(ErrorKind::invalid_input, std::move(code), std::move(message),
                    std::move(field));
}

}  // namespace

std::optional<char> citizen_id_check_char(std::string_view id) {
  if (id.size() < 17) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    if (!is_digit(id[i])) return std::nullopt;
    sum += (id[i] - '0') * kWeights[i];
  }
  return kCheckChars[static_cast<std::size_t>(sum % 11)];
}

Result<std::string> validate_citizen_id(std::string_view input, std::string_view today,
                                        std::string field) {
  return validate_citizen_id(input, today, CheckDigit::must_match, std::move(field));
}

Result<std::string> validate_citizen_id(std::string_view input, std::string_view today,
                                        CheckDigit check, std::string field) {
  YearMonthDay today_ymd;
  if (!identity_detail::parse_iso_date(today, today_ymd)) {
    return make_error(ErrorKind::internal, "bad_today", "内部错误：当前日期格式应为YYYY-MM-DD",
                      std::move(field));
  }
  const std::string_view s = identity_detail::trim_ascii(input);
  if (s.empty()) {
    return invalid("citizen_id_empty", "请填写公民身份号码", std::move(field));
  }
  if (s.size() != 18) {
    // Count characters, not bytes: a full-width digit (３) is one character of three bytes.
    std::size_t chars = 0;
    for (char c : s) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (chars == 18) {
      return invalid("citizen_id_chars", "公民身份号码只能由半角数字和X组成，请勿使用全角字符",
                     std::move(field));
    }
    return invalid("citizen_id_length",
                   "公民身份号码长度应为18位，当前为" + std::to_string(chars) + "位",
                   std::move(field));
  }
  for (std::size_t i = 0; i < 17; ++i) {
    if (!is_digit(s[i])) {
      return invalid("citizen_id_chars",
                     "公民身份号码前17位应为数字，第" + std::to_string(i + 1) + "位不是数字",
                     std::move(field));
    }
  }
  char last = s[17];
  if (last == 'x') last = 'X';
  if (!is_digit(last) && last != 'X') {
    return invalid("citizen_id_chars", "公民身份号码第18位应为数字或X", std::move(field));
  }
  if (s[0] < '1' || s[0] > '8') {
    return invalid("citizen_id_region", "公民身份号码前6位地址码无效（首位应为1至8）",
                   std::move(field));
  }
  const YearMonthDay birth{identity_detail::parse_digits(s.substr(6, 4)),
                           identity_detail::parse_digits(s.substr(10, 2)),
                           identity_detail::parse_digits(s.substr(12, 2))};
  if (!identity_detail::is_real_day(birth)) {
    return invalid("citizen_id_birth_date", "公民身份号码中的出生日期无效（第7至14位不是真实日期）",
                   std::move(field));
  }
  if (birth < kEarliestBirth) {
    return invalid("citizen_id_birth_date", "公民身份号码中的出生日期无效（早于1900年）",
                   std::move(field));
  }
  if (birth > today_ymd) {
    return invalid("citizen_id_birth_date", "公民身份号码中的出生日期无效（晚于今天）",
                   std::move(field));
  }
  if (check == CheckDigit::must_match && *citizen_id_check_char(s) != last) {
    return invalid("citizen_id_check", "公民身份号码校验码错误，请核对每一位数字",
                   std::move(field));
  }
  std::string out(s);
  out[17] = last;
  return out;
}

std::optional<std::string> citizen_id_birth_date(std::string_view id) {
  if (id.size() != 18) return std::nullopt;
  for (std::size_t i = 6; i < 14; ++i) {
    if (!is_digit(id[i])) return std::nullopt;
  }
  std::string out;
  out.reserve(10);
  out.append(id.substr(6, 4))
      .append("-")
      .append(id.substr(10, 2))
      .append("-")
      .append(id.substr(12, 2));
  return out;
}

std::optional<Sex> citizen_id_sex(std::string_view id) {
  if (id.size() < 17 || !is_digit(id[16])) return std::nullopt;
  return ((id[16] - '0') % 2 == 1) ? Sex::male : Sex::female;
}

}  // namespace shenpi::core
