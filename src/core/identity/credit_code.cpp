#include "core/identity/credit_code.h"

#include <array>
#include <cstddef>

#include "core/identity/civil_date.h"

namespace shenpi::core {
namespace {

// The 31 characters of GB 32100 in value order: 0–9 then the capitals without I, O, Z, S
// and V (left out because they read like 1, 0, 2, 5 and U).
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                          29, 25, 13, 8,  24, 10, 30, 28};
// GB 11714 weights for the 8 characters of an organisation code body.
constexpr std::array<int, 8> kOrgWeights = {3, 7, 9, 10, 5, 8, 4, 2};

//! The organisation types each registration authority defines (GB 32100 and the code
//! tables published with it), one row per authority.
struct Authority {
  char code;
  std::string_view types;
};
constexpr std::array<Authority, 12> kAuthorities = {{
    {'1', "1239"},  // 机构编制: 机关, 事业单位, 群众团体, 其他
    {'2', "19"},    // 外交: 外国常驻新闻机构, 其他
    {'3',
     "123459"},  // 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    {'4', "19"},    // 文化: 外国在华文化中心, 其他
    {'5', "1239"},  // 民政: 社会团体, 民办非企业单位, 基金会, 其他
    {'6', "129"},   // 旅游: 外国/港澳台旅游部门常驻代表机构, 其他
    {'7', "129"},   // 宗教: 宗教活动场所, 宗教院校, 其他
    {'8', "19"},    // 工会: 基层工会, 其他
    {'9', "123"},   // 工商: 企业, 个体工商户, 农民专业合作社
    {'A', "19"},    // 中央军委改革和编制办公室: 军队事业单位, 其他
    {'N', "1239"},  // 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    {'Y', "1"},     // 其他: not subdivided
}};

int value_of(char c) {
  const auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

Error invalid(std::string code, std::string message, std::string field) {
  return make_error(ErrorKind::invalid_input, std::move(code), std::move(message),
                    std::move(field));
}

}  // namespace

std::optional<char> credit_code_check_char(std::string_view code) {
  if (code.size() < 17) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const int v = value_of(code[i]);
    if (v < 0) return std::nullopt;
    sum += v * kWeights[i];
  }
  const int check = (31 - sum % 31) % 31;
  return kAlphabet[static_cast<std::size_t>(check)];
}

std::optional<char> organisation_code_check_char(std::string_view body) {
  if (body.size() != 8) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const char c = body[i];
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;  // GB 11714 values letters A=10 … Z=35
    if (v < 0) return std::nullopt;
    sum += v * kOrgWeights[i];
  }
  const int check = (11 - sum % 11) % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

Result<std::string> validate_credit_code(std::string_view input, std::string field,
                                         CreditCodeOptions options) {
  const std::string_view trimmed = identity_detail::trim_ascii(input);
  if (trimmed.empty()) {
    return invalid("credit_code_empty", "请填写统一社会信用代码", std::move(field));
  }
  if (trimmed.size() != 18) {
    std::size_t chars = 0;
    for (char c : trimmed) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (chars == 18) {
      return invalid("credit_code_chars",
                     "统一社会信用代码只能由半角数字和大写字母组成，请勿使用全角字符",
                     std::move(field));
    }
    return invalid("credit_code_length",
                   "统一社会信用代码长度应为18位，当前为" + std::to_string(chars) + "位",
                   std::move(field));
  }
  std::string s(trimmed);
  for (std::size_t i = 0; i < s.size(); ++i) {
    s[i] = upper(s[i]);
    if (value_of(s[i]) < 0) {
      const bool excluded = s[i] == 'I' || s[i] == 'O' || s[i] == 'Z' || s[i] == 'S' || s[i] == 'V';
      return invalid(
          "credit_code_chars",
          excluded
              ? "统一社会信用代码不使用字母I、O、Z、S、V（第" + std::to_string(i + 1) +
                    "位），请核对是否为数字1、0、2、5或字母U"
              : "统一社会信用代码只能由数字和大写字母组成（第" + std::to_string(i + 1) + "位）",
          std::move(field));
    }
  }
  const Authority* authority = nullptr;
  for (const auto& a : kAuthorities) {
    if (a.code == s[0]) authority = &a;
  }
  if (authority == nullptr) {
    return invalid("credit_code_authority", "统一社会信用代码第1位登记管理部门代码无效",
                   std::move(field));
  }
  if (authority->types.find(s[1]) == std::string_view::npos) {
    return invalid("credit_code_type", "统一社会信用代码第2位机构类别代码无效", std::move(field));
  }
  for (std::size_t i = 2; i < 8; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return invalid("credit_code_region", "统一社会信用代码第3至8位应为行政区划代码（6位数字）",
                     std::move(field));
    }
  }
  if (options.check == CheckDigit::may_fail) return s;
  if (*credit_code_check_char(s) != s[17]) {
    return invalid("credit_code_check", "统一社会信用代码校验码错误，请核对每一位",
                   std::move(field));
  }
  if (options.verify_organisation_code) {
    const auto org_check = organisation_code_check_char(std::string_view(s).substr(8, 8));
    if (!org_check || *org_check != s[16]) {
      return invalid("credit_code_org_check", "统一社会信用代码第9至17位组织机构代码的校验码错误",
                     std::move(field));
    }
  }
  return s;
}

Result<std::string> validate_credit_code(std::string_view input, CheckDigit check,
                                         std::string field) {
  CreditCodeOptions options;
  options.check = check;
  return validate_credit_code(input, std::move(field), options);
}

}  // namespace shenpi::core
