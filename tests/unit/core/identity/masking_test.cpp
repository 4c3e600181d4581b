#include "core/identity/masking.h"

#include <gtest/gtest.h>

namespace shenpi::core {
namespace {

TEST(Masking, CitizenIdKeepsFirstAndLastFour) {
  EXPECT_EQ(mask_citizen_id("445102199003071234"), "4451**********1234");
  EXPECT_EQ(mask_citizen_id("11010519491231002X"), "1101**********002X");
}

TEST(Masking, CreditCodeKeepsFirstAndLastFour) {
  EXPECT_EQ(mask_credit_code("91350100M000100Y43"), "9135**********0Y43");
}

TEST(Masking, PhoneKeepsFirstThreeAndLastFour) {
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
  EXPECT_EQ(mask_phone("0768-2221234"), "076*****1234");
}

TEST(Masking, NameKeepsFirstCharacter) {
  EXPECT_EQ(mask_name("张三丰"), "张**");
  EXPECT_EQ(mask_name("张三"), "张*");
  EXPECT_EQ(mask_name("欧阳修"), "欧**");
  EXPECT_EQ(mask_name("阿卜杜拉·买买提"), "阿*******");
  EXPECT_EQ(mask_name("Li Lei"), "L*****");
  EXPECT_EQ(mask_name("𠀋一"), "𠀋*");  // a four-byte character stays whole
}

TEST(Masking, ShortInputsAreMaskedEntirely) {
  EXPECT_EQ(mask_name("张"), "*");
  EXPECT_EQ(mask_name(""), "");
  EXPECT_EQ(mask_citizen_id(""), "");
  EXPECT_EQ(mask_citizen_id("12345678"), "********");  // nothing would be hidden
  EXPECT_EQ(mask_citizen_id("123456789"), "1234*6789");
  EXPECT_EQ(mask_phone("1234567"), "*******");
  EXPECT_EQ(mask_phone("12345678"), "123*5678");
}

TEST(Masking, CountsCharactersNotBytes) {
  EXPECT_EQ(mask_middle("一二三四五六七八九", 4, 4), "一二三四*六七八九");
  EXPECT_EQ(mask_middle("一二三", 1, 1), "一*三");
}

TEST(Masking, InvalidUtf8NeverLeaksOrCrashes) {
  // A lone continuation byte and a truncated three-byte sequence each count as one.
  EXPECT_EQ(mask_name("\x80\x80\x80"), "\x80**");
  EXPECT_EQ(mask_name("\xE5\xBC"), "*");  // one broken character: nothing of it shown
}

}  // namespace
}  // namespace shenpi::core
