#include "core/catalogue/search_text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace shenpi::core {
namespace {

using Grams = std::vector<std::string>;

struct NormalizeCase {
  std::string input;
  std::string expected;
};

class NormalizeTest : public ::testing::TestWithParam<NormalizeCase> {};

TEST_P(NormalizeTest, Normalizes) {
  EXPECT_EQ(normalize_for_search(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, NormalizeTest,
    ::testing::Values(
        NormalizeCase{"", ""}, NormalizeCase{"食品经营许可", "食品经营许可"},
        NormalizeCase{"ＳＣ１２３", "sc123"},                 // full-width folded
        NormalizeCase{"SC 123-45", "sc12345"},                // ASCII space and hyphen
        NormalizeCase{"食品，经营。许可！", "食品经营许可"},  // CJK and full-width punctuation
        NormalizeCase{"《食品安全法》第三十五条", "食品安全法第三十五条"},
        NormalizeCase{"【公共场所】卫生\u3000许可", "公共场所卫生许可"},  // ideographic space
        NormalizeCase{"“建设工程”…规划", "建设工程规划"},                 // general punctuation
        NormalizeCase{"\t潮州市\r\n", "潮州市"}, NormalizeCase{"AbC", "abc"},
        NormalizeCase{"ｱ", "ｱ"},              // half-width katakana is a letter
        NormalizeCase{"食\xff品", "食品"},    // invalid byte dropped
        NormalizeCase{"\xe9\xa3", ""},        // truncated sequence dropped
        NormalizeCase{"\xc0\xaf", ""},        // overlong '/' rejected
        NormalizeCase{"\xed\xa0\x80x", "x"},  // surrogate rejected
        NormalizeCase{"𠀀1", "𠀀1"}));        // four-byte code point kept

struct QueryCase {
  std::string query;
  Grams expected;  // sorted
};

class QueryGramsTest : public ::testing::TestWithParam<QueryCase> {};

TEST_P(QueryGramsTest, Grams) { EXPECT_EQ(query_grams(GetParam().query), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(
    Table, QueryGramsTest,
    ::testing::Values(QueryCase{"", {}}, QueryCase{"，。 ", {}}, QueryCase{"食", {"食"}},
                      QueryCase{"食品", {"食品"}}, QueryCase{" 食 品 ", {"食品"}},
                      QueryCase{"ＳＣ１２３", {"12", "23", "c1", "sc"}},
                      QueryCase{"食品食品", {"品食", "食品"}},  // distinct only
                      QueryCase{"a", {"a"}}));

TEST(QueryGramsTest, LongerQueryHasItsBigrams) {
  Grams expected{"品经", "经营", "营许", "许可", "食品"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(query_grams("食品经营许可"), expected);
}

TEST(IndexGramsTest, UnigramsAndBigrams) {
  Grams expected{"食", "品", "经", "营", "食品", "品经", "经营"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(index_grams("食品经营"), expected);
}

TEST(IndexGramsTest, CodeIsFoldedAndLowerCased) {
  const Grams g = index_grams("11445100-SC12");
  EXPECT_TRUE(std::binary_search(g.begin(), g.end(), "sc"));
  EXPECT_TRUE(std::binary_search(g.begin(), g.end(), "0s"));  // the hyphen is dropped
  EXPECT_FALSE(std::binary_search(g.begin(), g.end(), "-"));
}

TEST(IndexGramsTest, EveryQueryGramOfASubstringIsIndexed) {
  // The property search relies on: a query that is a substring of the normalised text
  // needs only grams that the text's index holds.
  const std::string text = "潮州市食品经营许可（新办）SC4451";
  const Grams index = index_grams(text);
  for (const char* q : {"食品", "食", "经营许可", "ｓｃ４４", "新办", "州市食"}) {
    for (const auto& gram : query_grams(q)) {
      EXPECT_TRUE(std::binary_search(index.begin(), index.end(), gram)) << q << " needs " << gram;
    }
  }
}

TEST(IndexGramsTest, EmptyAndPunctuationOnly) {
  EXPECT_TRUE(index_grams("").empty());
  EXPECT_TRUE(index_grams("、。！？").empty());
}

}  // namespace
}  // namespace shenpi::core
