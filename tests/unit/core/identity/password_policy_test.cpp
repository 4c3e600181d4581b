#include "core/identity/password_policy.h"

#include <gtest/gtest.h>

#include <string>

#include "resources/resources.h"

namespace shenpi::core {
namespace {

std::string error_code(const Result<void>& r) { return r.ok() ? "" : r.error().code; }

PasswordPolicy small_policy() {
  return PasswordPolicy::from_text("123456789\r\nPassword1\n\n  woaini1314  \nqwertyuiop");
}

TEST(PasswordPolicy, LengthIsCountedInCharacters) {
  const auto policy = small_policy();
  EXPECT_EQ(error_code(policy.check("")), "password_too_short");
  EXPECT_EQ(error_code(policy.check("7chars!")), "password_too_short");
  EXPECT_TRUE(policy.check("8 chars!").ok());
  // Eight Chinese characters are eight characters (24 bytes), and enough.
  EXPECT_FALSE(policy.check("春眠不觉晓处处").ok());  // seven characters
  EXPECT_TRUE(policy.check("春眠不觉晓处处闻").ok());
  EXPECT_TRUE(policy.check(std::string(128, 'k')).ok());
  EXPECT_EQ(error_code(policy.check(std::string(129, 'k'))), "password_too_long");
  EXPECT_EQ(error_code(policy.check(std::string(100000, 'k'))), "password_too_long");
  std::string long_chinese;
  for (int i = 0; i < 129; ++i) long_chinese += "字";
  EXPECT_EQ(error_code(policy.check(long_chinese)), "password_too_long");
}

TEST(PasswordPolicy, NoCompositionRules) {
  const auto policy = small_policy();
  EXPECT_TRUE(policy.check("correct horse battery staple").ok());
  EXPECT_TRUE(policy.check("onlylowercaseletters").ok());
  EXPECT_FALSE(policy.check("韩江水长流不息").ok());  // seven characters
  EXPECT_TRUE(policy.check("韩江水长流不息潮州").ok());
}

TEST(PasswordPolicy, CommonPasswordsAreRefusedIgnoringCase) {
  const auto policy = small_policy();
  EXPECT_EQ(policy.common_count(), 4u);
  for (const char* p : {"123456789", "PASSWORD1", "password1", "WoAiNi1314", "QWERTYUIOP"}) {
    auto r = policy.check(p);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.error().code, "password_common") << p;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(r.error().field, "password");
  }
  EXPECT_TRUE(policy.is_common("Password1"));
  EXPECT_FALSE(policy.is_common("Password2"));
}

TEST(PasswordPolicy, OwnLoginIdOrNameIsRefused) {
  const auto policy = small_policy();
  const std::vector<std::string_view> personal = {"11010519491231002X", "zhangsanfeng",
                                                  "阿卜杜拉·买买提"};
  EXPECT_EQ(error_code(policy.check("11010519491231002x", personal)), "password_personal");
  EXPECT_EQ(error_code(policy.check("ZhangSanFeng", personal)), "password_personal");
  EXPECT_EQ(error_code(policy.check("阿卜杜拉·买买提", personal)), "password_personal");
  EXPECT_TRUE(policy.check("zhangsanfeng-wudang", personal).ok());
  EXPECT_TRUE(policy.check("zhangsanfeng", {}).ok());  // only the user's own data counts
}

TEST(PasswordPolicy, ControlCharactersAndBrokenUtf8AreRefused) {
  const auto policy = small_policy();
  EXPECT_EQ(error_code(policy.check(std::string("abcdefgh\0ij", 11))), "password_encoding");
  EXPECT_EQ(error_code(policy.check("abcdefgh\nij")), "password_encoding");
  EXPECT_EQ(error_code(policy.check("abcdefgh\xff")), "password_encoding");
  EXPECT_EQ(error_code(policy.check("abcdefgh\xe5\xbc")), "password_encoding");      // cut short
  EXPECT_EQ(error_code(policy.check("abcdefgh\xc0\xaf")), "password_encoding");      // overlong '/'
  EXPECT_EQ(error_code(policy.check("abcdefgh\xed\xa0\x80")), "password_encoding");  // surrogate
}

TEST(PasswordPolicy, FieldNameIsTheCallers) {
  auto r = small_policy().check("short", {}, "new_password");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "new_password");
}

TEST(PasswordPolicy, ShippedListRefusesFavouritesOfChineseUsers) {
  const auto text = shenpi::resource("data/security/common-passwords.txt");
  ASSERT_TRUE(text.has_value()) << "the list must be embedded in the binary";
  const auto policy = PasswordPolicy::from_text(*text);
  EXPECT_GE(policy.common_count(), 900u);
  for (const char* p : {"123456789",  "12345678",  "11111111",   "88888888",    "5201314a",
                        "woaini1314", "qwerty123", "a123456789", "aa123456",    "1qaz2wsx",
                        "zxcvbnm123", "1q2w3e4r",  "qwertyuiop", "password",    "iloveyou",
                        "abcd1234",   "147258369", "woaini520",  "chaozhou123", "00000000"}) {
    EXPECT_EQ(error_code(policy.check(p)), "password_common") << p;
  }
  for (const char* p : {"5201314", "1314520", "woaini", "123456", "111111", "a123456"}) {
    EXPECT_TRUE(policy.is_common(p)) << p;  // too short anyway, but on the list
  }
  EXPECT_TRUE(policy.check("韩江边的牌坊街很热闹").ok());
  EXPECT_TRUE(policy.check("plum-blossom-at-dawn").ok());
}

}  // namespace
}  // namespace shenpi::core
