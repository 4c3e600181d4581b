#include "core/identity/credit_code.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace shenpi::core {
namespace {

// The example of GB 32100-2015 (a company registered in 福州市 350100).
constexpr const char* kStandardExample = "91350100M000100Y43";
// A code in wide public use (腾讯科技(深圳)有限公司), whose check character is a letter.
constexpr const char* kPublicExample = "9144030071526726XG";
// Codes computed for this test, one per kind of applicant the system sees in 潮州.
constexpr const char* kComputed[] = {
    "12445100007180120T",  // 机构编制 / 事业单位
    "51445100MJL123454M",  // 民政 / 社会团体
    "92445102MA4W12346X",  // 工商 / 个体工商户 (湘桥区)
    "91445100MA4UL6QK1Q",  // 工商 / 企业
    "Y1445100123456788K",  // 其他
    "N2445122MEAB00018W",  // 农业 / 村级集体经济组织 (饶平县)
};
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

std::string error_code(const Result<std::string>& r) { return r.ok() ? "" : r.error().code; }

TEST(CreditCode, StandardExamplesValidate) {
  for (const char* code : {kStandardExample, kPublicExample}) {
    auto r = validate_credit_code(code);
    ASSERT_TRUE(r.ok()) << code << ": " << r.error().message;
    EXPECT_EQ(*r, code);
  }
}

TEST(CreditCode, ComputedExamplesValidate) {
  for (const char* code : kComputed) {
    auto r = validate_credit_code(code);
    EXPECT_TRUE(r.ok()) << code << ": " << (r.ok() ? "" : r.error().message);
  }
}

TEST(CreditCode, CheckCharacters) {
  EXPECT_EQ(credit_code_check_char("91350100M000100Y4"), '3');
  EXPECT_EQ(credit_code_check_char("9144030071526726X"), 'G');
  EXPECT_EQ(credit_code_check_char("91350100M000100I4"), std::nullopt);
  EXPECT_EQ(organisation_code_check_char("M000100Y"), '4');
  EXPECT_EQ(organisation_code_check_char("71526726"), 'X');
  EXPECT_EQ(organisation_code_check_char("7152672"), std::nullopt);
}

TEST(CreditCode, LowercaseIsAcceptedAndUpperCased) {
  auto r = validate_credit_code(" 91350100m000100y43 ");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, kStandardExample);
  EXPECT_EQ(*validate_credit_code("9144030071526726xg"), kPublicExample);
}

TEST(CreditCode, EveryWrongCharacterInEveryPositionIsRefused) {
  // The mod-31 check catches any single substitution from the 31-character set.
  for (const std::string& good : {std::string(kStandardExample), std::string(kComputed[2])}) {
    for (std::size_t pos = 0; pos < good.size(); ++pos) {
      for (char c : kAlphabet) {
        if (c == good[pos]) continue;
        std::string bad = good;
        bad[pos] = c;
        auto r = validate_credit_code(bad);
        EXPECT_FALSE(r.ok()) << bad;
        if (!r.ok()) {
          EXPECT_EQ(r.error().field, "credit_code");
        }
      }
    }
  }
}

TEST(CreditCode, SwappedNeighboursAreRefused) {
  const std::string good = kComputed[3];
  for (std::size_t pos = 0; pos + 1 < good.size(); ++pos) {
    if (good[pos] == good[pos + 1]) continue;
    std::string bad = good;
    std::swap(bad[pos], bad[pos + 1]);
    EXPECT_FALSE(validate_credit_code(bad).ok()) << bad;
  }
}

TEST(CreditCode, LettersNotInTheSetAreNamed) {
  for (char c : {'I', 'O', 'Z', 'S', 'V', 'i', 'o', 'z', 's', 'v'}) {
    std::string bad = kStandardExample;
    bad[9] = c;
    auto r = validate_credit_code(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "credit_code_chars") << bad;
    EXPECT_NE(r.error().message.find("不使用字母I、O、Z、S、V"), std::string::npos);
    EXPECT_NE(r.error().message.find("第10位"), std::string::npos) << r.error().message;
  }
  EXPECT_EQ(error_code(validate_credit_code("91350100M000100-43")), "credit_code_chars");
  // A full-width letter is one character of three bytes.
  EXPECT_EQ(error_code(validate_credit_code("91350100M000100Ｙ43")), "credit_code_chars");
  EXPECT_EQ(error_code(validate_credit_code("91350100M00010Ｙ43")), "credit_code_length");
}

TEST(CreditCode, WrongLength) {
  for (const char* s : {"91350100M000100Y4", "91350100M000100Y433", "913501", "M000100Y4"}) {
    auto r = validate_credit_code(s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.error().code, "credit_code_length");
    EXPECT_NE(r.error().message.find("长度应为18位"), std::string::npos);
  }
  EXPECT_EQ(error_code(validate_credit_code("")), "credit_code_empty");
}

//! kStandardExample with its first 17 characters replaced by `first17` and a correct
//! mod-31 check character, so only the structural rule under test can fail.
std::string with_prefix(std::string first17) {
  first17.push_back(*credit_code_check_char(first17));
  return first17;
}

TEST(CreditCode, AuthorityAndTypeMustBeDefined) {
  EXPECT_EQ(error_code(validate_credit_code(with_prefix("B1350100M000100Y4"))),
            "credit_code_authority");
  EXPECT_EQ(error_code(validate_credit_code(with_prefix("01350100M000100Y4"))),
            "credit_code_authority");
  // 工商 defines only 1 企业, 2 个体工商户, 3 农民专业合作社.
  EXPECT_EQ(error_code(validate_credit_code(with_prefix("94350100M000100Y4"))), "credit_code_type");
  EXPECT_EQ(error_code(validate_credit_code(with_prefix("99350100M000100Y4"))), "credit_code_type");
  // 其他 is not subdivided: only Y1.
  EXPECT_EQ(error_code(validate_credit_code(with_prefix("Y2350100M000100Y4"))), "credit_code_type");
  EXPECT_TRUE(validate_credit_code(with_prefix("93350100M000100Y4")).ok());
  EXPECT_TRUE(validate_credit_code(with_prefix("59350100M000100Y4")).ok());
}

TEST(CreditCode, RegionMustBeSixDigits) {
  EXPECT_EQ(error_code(validate_credit_code(with_prefix("9135010AM000100Y4"))),
            "credit_code_region");
}

TEST(CreditCode, OrganisationCodeCheckCanBeWaivedForLegacyCodes) {
  // Correct mod-31 check, wrong GB 11714 check inside (…Y5 instead of …Y4).
  const std::string legacy = with_prefix("91350100M000100Y5");
  EXPECT_EQ(error_code(validate_credit_code(legacy)), "credit_code_org_check");
  CreditCodeOptions lenient;
  lenient.verify_organisation_code = false;
  EXPECT_TRUE(validate_credit_code(legacy, "credit_code", lenient).ok());
}

TEST(CreditCode, FieldNameIsTheCallers) {
  auto r = validate_credit_code("x", "organisation.credit_code");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "organisation.credit_code");
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
}

// ---- staff override of the check characters (legacy codes) ------------------------------

TEST(CreditCode, OverrideLetsOnlyTheCheckCharactersFail) {
  struct Case {
    std::string input;
    const char* strict_code;  // error code without the override ("" when valid)
    std::string lenient;      // normalised result with CheckDigit::may_fail, or the error code
    bool lenient_ok;
  };
  const Case kCases[] = {
      {kStandardExample, "", kStandardExample, true},
      // Wrong final (mod-31) check character.
      {"91350100M000100Y44", "credit_code_check", "91350100M000100Y44", true},
      {"91350100m000100y4a", "credit_code_check", "91350100M000100Y4A", true},  // upper-cased
      // Right mod-31 check, wrong GB 11714 check inside.
      {with_prefix("91350100M000100Y5"), "credit_code_org_check",
       "91350100M000100Y5" + std::string(1, *credit_code_check_char("91350100M000100Y5")), true},
      // Both wrong.
      {"91350100M000100Y55", "credit_code_check", "91350100M000100Y55", true},
      // Everything else is still checked.
      {"", "credit_code_empty", "credit_code_empty", false},
      {"91350100M000100Y4", "credit_code_length", "credit_code_length", false},
      {"91350100M000100I43", "credit_code_chars", "credit_code_chars", false},
      {"91350100M000100Y4-", "credit_code_chars", "credit_code_chars", false},
      {"B1350100M000100Y44", "credit_code_authority", "credit_code_authority", false},
      {"94350100M000100Y44", "credit_code_type", "credit_code_type", false},
      {"9135010AM000100Y44", "credit_code_region", "credit_code_region", false},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(error_code(validate_credit_code(c.input)), c.strict_code) << c.input;
    auto r = validate_credit_code(c.input, CheckDigit::may_fail);
    EXPECT_EQ(r.ok(), c.lenient_ok) << c.input;
    if (r.ok()) {
      EXPECT_EQ(*r, c.lenient) << c.input;
    } else {
      EXPECT_EQ(r.error().code, c.lenient) << c.input;
      EXPECT_EQ(r.error().field, "credit_code");
    }
  }
}

TEST(CreditCode, OverrideKeepsTheCallersField) {
  auto r = validate_credit_code("x", CheckDigit::may_fail, "organisation.credit_code");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "organisation.credit_code");
  CreditCodeOptions lenient;
  lenient.check = CheckDigit::may_fail;
  EXPECT_TRUE(validate_credit_code("91350100M000100Y44", "credit_code", lenient).ok());
}

}  // namespace
}  // namespace shenpi::core
