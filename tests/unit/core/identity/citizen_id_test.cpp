#include "core/identity/citizen_id.h"

#include <gtest/gtest.h>

#include <string>

namespace shenpi::core {
namespace {

constexpr const char* kToday = "2024-06-01";

// The example printed in GB 11643-1999 itself.
constexpr const char* kStandardExample = "11010519491231002X";
// Numbers computed for this test (湘桥区 445102, 饶平县 445122), check characters by hand.
constexpr const char* kXiangqiao = "445102199003071230";
constexpr const char* kRaoping = "445122200002290029";  // born on a leap day, female

std::string error_code(const Result<std::string>& r) { return r.ok() ? "" : r.error().code; }

TEST(CitizenId, StandardExampleValidates) {
  auto r = validate_citizen_id(kStandardExample, kToday);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, kStandardExample);
}

TEST(CitizenId, ComputedExamplesValidate) {
  EXPECT_TRUE(validate_citizen_id(kXiangqiao, kToday).ok());
  EXPECT_TRUE(validate_citizen_id(kRaoping, kToday).ok());
}

TEST(CitizenId, CheckCharacterMatchesStandard) {
  EXPECT_EQ(citizen_id_check_char("11010519491231002"), 'X');
  EXPECT_EQ(citizen_id_check_char("44510219900307123"), '0');
  EXPECT_EQ(citizen_id_check_char("4451021990030712"), std::nullopt);
  EXPECT_EQ(citizen_id_check_char("4451021990030712A"), std::nullopt);
}

TEST(CitizenId, LowercaseXIsAcceptedAndNormalised) {
  auto r = validate_citizen_id("11010519491231002x", kToday);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "11010519491231002X");
}

TEST(CitizenId, SurroundingBlanksAreTrimmed) {
  auto r = validate_citizen_id("  445102199003071230\t", kToday);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, kXiangqiao);
}

TEST(CitizenId, EveryWrongDigitInEveryPositionIsRefused) {
  const std::string good = kXiangqiao;
  for (std::size_t pos = 0; pos < good.size(); ++pos) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == good[pos]) continue;
      std::string bad = good;
      bad[pos] = d;
      auto r = validate_citizen_id(bad, kToday);
      EXPECT_FALSE(r.ok()) << bad << " should be refused";
      if (r.ok()) continue;
      EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
      EXPECT_EQ(r.error().field, "id_number");
      // Outside the region's first digit and the birth date, only the check can tell.
      if (pos >= 14 || (pos >= 1 && pos < 6)) {
        EXPECT_EQ(r.error().code, "citizen_id_check") << bad;
        EXPECT_NE(r.error().message.find("校验码错误"), std::string::npos);
      }
    }
  }
}

TEST(CitizenId, SwappedNeighbouringDigitsAreRefused) {
  const std::string good = kXiangqiao;
  for (std::size_t pos = 0; pos + 1 < 17; ++pos) {
    if (good[pos] == good[pos + 1]) continue;
    std::string bad = good;
    std::swap(bad[pos], bad[pos + 1]);
    EXPECT_FALSE(validate_citizen_id(bad, kToday).ok()) << bad;
  }
}

TEST(CitizenId, WrongLengthSaysSo) {
  for (const char* s : {"44510219900307123", "4451021990030712300", "445102", "44510219900307"}) {
    auto r = validate_citizen_id(s, kToday);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.error().code, "citizen_id_length");
    EXPECT_NE(r.error().message.find("长度应为18位"), std::string::npos) << r.error().message;
  }
  // The old 15-digit numbers (before 1999) are not accepted as logins.
  EXPECT_EQ(error_code(validate_citizen_id("445102900307123", kToday)), "citizen_id_length");
}

TEST(CitizenId, EmptyInputAsksForTheNumber) {
  EXPECT_EQ(error_code(validate_citizen_id("", kToday)), "citizen_id_empty");
  EXPECT_EQ(error_code(validate_citizen_id("   ", kToday)), "citizen_id_empty");
}

TEST(CitizenId, NonDigitsAreRefused) {
  EXPECT_EQ(error_code(validate_citizen_id("44510219900307123A", kToday)), "citizen_id_chars");
  EXPECT_EQ(error_code(validate_citizen_id("4451021990030712X0", kToday)), "citizen_id_chars");
  // A full-width digit is one character of three bytes: say what is wrong with it.
  auto r = validate_citizen_id("445102199003０71230", kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "citizen_id_chars");
  EXPECT_NE(r.error().message.find("全角"), std::string::npos) << r.error().message;
  auto too_short = validate_citizen_id("44510219900３07123", kToday);
  ASSERT_FALSE(too_short.ok());
  EXPECT_NE(too_short.error().message.find("当前为17位"), std::string::npos);
}

TEST(CitizenId, RegionMustStartWithOneToEight) {
  auto with_region = [](std::string region) {
    std::string s = region + "199003071230";
    s[17] = *citizen_id_check_char(s);
    return s;
  };
  EXPECT_TRUE(validate_citizen_id(with_region("810000"), kToday).ok());  // 香港
  EXPECT_EQ(error_code(validate_citizen_id(with_region("045102"), kToday)), "citizen_id_region");
  EXPECT_EQ(error_code(validate_citizen_id(with_region("945102"), kToday)), "citizen_id_region");
}

//! A number with the given birth date and a correct check character.
std::string born(const std::string& yyyymmdd) {
  std::string s = "445102" + yyyymmdd + "1230";
  s[17] = *citizen_id_check_char(s);
  return s;
}

TEST(CitizenId, BirthDateMustBeARealDay) {
  EXPECT_TRUE(validate_citizen_id(born("20000229"), kToday).ok());  // 2000 is a leap year
  EXPECT_TRUE(validate_citizen_id(born("19960229"), kToday).ok());
  for (const char* date : {"19900229", "19000229", "19901301", "19900001", "19900100", "19900431",
                           "19900632", "20230229"}) {
    auto r = validate_citizen_id(born(date), kToday);
    ASSERT_FALSE(r.ok()) << date;
    EXPECT_EQ(r.error().code, "citizen_id_birth_date") << date;
    EXPECT_NE(r.error().message.find("出生日期无效"), std::string::npos);
  }
}

TEST(CitizenId, BirthDateNotInTheFutureNorBefore1900) {
  EXPECT_TRUE(validate_citizen_id(born("20240601"), kToday).ok());  // born today
  EXPECT_EQ(error_code(validate_citizen_id(born("20240602"), kToday)), "citizen_id_birth_date");
  EXPECT_EQ(error_code(validate_citizen_id(born("20990101"), kToday)), "citizen_id_birth_date");
  EXPECT_TRUE(validate_citizen_id(born("19000101"), kToday).ok());
  EXPECT_EQ(error_code(validate_citizen_id(born("18991231"), kToday)), "citizen_id_birth_date");
}

TEST(CitizenId, FieldNameIsTheCallers) {
  auto r = validate_citizen_id("123", kToday, "agent.id_number");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "agent.id_number");
}

TEST(CitizenId, MalformedTodayIsABug) {
  auto r = validate_citizen_id(kStandardExample, "2024-6-1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::internal);
}

TEST(CitizenId, BirthDateAndSex) {
  EXPECT_EQ(citizen_id_birth_date(kStandardExample), "1949-12-31");
  EXPECT_EQ(citizen_id_birth_date(kRaoping), "2000-02-29");
  EXPECT_EQ(citizen_id_birth_date("1234"), std::nullopt);
  EXPECT_EQ(citizen_id_sex(kStandardExample), Sex::female);  // 17th digit 2
  EXPECT_EQ(citizen_id_sex(kXiangqiao), Sex::male);          // 17th digit 3
  EXPECT_EQ(citizen_id_sex("12"), std::nullopt);
}

// ---- staff override of the check digit (legacy numbers) ---------------------------------

struct OverrideCase {
  const char* input;
  const char* strict_code;  //!< error code without the override ("" when valid)
  const char* lenient;      //!< normalised result with CheckDigit::may_fail, or the error code
  bool lenient_ok;
};

TEST(CitizenId, OverrideLetsOnlyTheCheckCharacterFail) {
  const OverrideCase kCases[] = {
      // A right number is the same either way.
      {"445102199003071230", "", "445102199003071230", true},
      // Wrong check characters: refused strictly, let through with the override.
      {"445102199003071231", "citizen_id_check", "445102199003071231", true},
      {"44510219900307123X", "citizen_id_check", "44510219900307123X", true},
      {"44510219900307123x", "citizen_id_check", "44510219900307123X", true},  // upper-cased
      {" 110105194912310021 ", "citizen_id_check", "110105194912310021", true},
      // Everything else is still checked.
      {"", "citizen_id_empty", "citizen_id_empty", false},
      {"44510219900307123", "citizen_id_length", "citizen_id_length", false},
      {"4451021990030712301", "citizen_id_length", "citizen_id_length", false},
      {"44510219900307123A", "citizen_id_chars", "citizen_id_chars", false},
      {"4451021990030712X1", "citizen_id_chars", "citizen_id_chars", false},
      {"445102199003０71231", "citizen_id_chars", "citizen_id_chars", false},
      {"045102199003071231", "citizen_id_region", "citizen_id_region", false},
      {"945102199003071231", "citizen_id_region", "citizen_id_region", false},
      {"445102199002291231", "citizen_id_birth_date", "citizen_id_birth_date", false},
      {"445102189912311231", "citizen_id_birth_date", "citizen_id_birth_date", false},
      {"445102202406021231", "citizen_id_birth_date", "citizen_id_birth_date", false},
  };
  for (const OverrideCase& c : kCases) {
    EXPECT_EQ(error_code(validate_citizen_id(c.input, kToday)), c.strict_code) << c.input;
    auto r = validate_citizen_id(c.input, kToday, CheckDigit::may_fail);
    EXPECT_EQ(r.ok(), c.lenient_ok) << c.input;
    if (r.ok()) {
      EXPECT_EQ(*r, c.lenient) << c.input;
    } else {
      EXPECT_EQ(r.error().code, c.lenient) << c.input;
      EXPECT_EQ(r.error().field, "id_number");
    }
  }
}

TEST(CitizenId, OverrideKeepsTheCallersFieldAndMustMatchIsTheDefault) {
  auto r = validate_citizen_id("123", kToday, CheckDigit::may_fail, "agent.id_number");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "agent.id_number");
  EXPECT_EQ(error_code(validate_citizen_id("445102199003071231", kToday, CheckDigit::must_match)),
            "citizen_id_check");
}

}  // namespace
}  // namespace shenpi::core
