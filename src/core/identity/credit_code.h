#pragma once
// 统一社会信用代码 (unified social credit code) per GB 32100-2015: the 18-character code of
// every legal person and other organisation, used as the login of organisations.
//
//   char 1      registration authority (1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政,
//               6 旅游, 7 宗教, 8 工会, 9 工商/市场监管, A 中央军委改革和编制办公室,
//               N 农业, Y 其他)
//   char 2      organisation type, defined per authority (e.g. 9-1 企业, 9-2 个体工商户)
//   chars 3–8   region code of the registering authority (GB/T 2260, 6 digits)
//   chars 9–17  organisation code per GB 11714 (8 characters and its own check character)
//   char 18     check character, mod 31 over chars 1–17 (GB/T 17710 style)
//
// All 18 characters come from 0-9 and the capitals without I, O, Z, S and V.
#include <optional>
#include <string>
#include <string_view>

#include "core/identity/check_digit.h"
#include "core/result.h"

namespace shenpi::core {

struct CreditCodeOptions {
  //! Also verify the GB 11714 check character of chars 9–17. Codes issued since 2015
  //! satisfy it; staff may switch it off (with an audited reason) for legacy codes.
  bool verify_organisation_code = true;
  //! CheckDigit::may_fail lets a wrong check character through, the final mod-31 one
  //! (credit_code_check) and the GB 11714 one of chars 9–17 (credit_code_org_check) alike:
  //! length, characters, authority, type and region are still checked. Staff overrides of
  //! legacy codes only.
  CheckDigit check = CheckDigit::must_match;
};

//! Checks a unified social credit code and returns it normalised: surrounding ASCII
//! blanks removed and letters upper-cased. On failure returns invalid_input naming
//! `field` with a Chinese message saying what is wrong (codes: credit_code_empty,
//! credit_code_length, credit_code_chars, credit_code_authority, credit_code_type,
//! credit_code_region, credit_code_check, credit_code_org_check).
Result<std::string> validate_credit_code(std::string_view input, std::string field = "credit_code",
                                         CreditCodeOptions options = {});

//! validate_credit_code with only `check` changed from the default options.
Result<std::string> validate_credit_code(std::string_view input, CheckDigit check,
                                         std::string field = "credit_code");

//! The mod-31 check character for the first 17 characters of `code` (upper case,
//! from the 31-character set), or nullopt when they are not.
std::optional<char> credit_code_check_char(std::string_view code);

//! The GB 11714 check character ('0'–'9' or 'X') for the 8-character organisation code
//! body `body` (digits and capitals), or nullopt when it is not 8 such characters.
std::optional<char> organisation_code_check_char(std::string_view body);

}  // namespace shenpi::core
