#include "crypto/totp.h"

#include <gtest/gtest.h>

#include <string>

namespace shenpi::crypto {
namespace {

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
constexpr std::string_view kRfcSecret = "12345678901234567890";

struct Vector {
  std::int64_t time;
  const char* code;
};
constexpr Vector kRfcVectors[] = {
    {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
    {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
};

TEST(Totp, Rfc6238Sha1Vectors) {
  for (const auto& v : kRfcVectors) {
    EXPECT_EQ(totp::code_at(kRfcSecret, v.time, 8), v.code) << "T=" << v.time;
  }
}

TEST(Totp, SixDigitCodesAreTheLastSixOfTheRfcValues) {
  for (const auto& v : kRfcVectors) {
    EXPECT_EQ(totp::code_at(kRfcSecret, v.time), std::string(v.code).substr(2)) << "T=" << v.time;
  }
}

TEST(Totp, StepsAreThirtySeconds) {
  EXPECT_EQ(totp::step_at(0), 0);
  EXPECT_EQ(totp::step_at(29), 0);
  EXPECT_EQ(totp::step_at(30), 1);
  EXPECT_EQ(totp::step_at(59), 1);
  EXPECT_EQ(totp::step_at(-5), 0);
  EXPECT_EQ(totp::code_at(kRfcSecret, 1111111109), totp::code_at(kRfcSecret, 1111111100));
}

TEST(Totp, VerifyAcceptsOneStepEitherSide) {
  const std::int64_t now = 1700000000;
  const std::int64_t step = totp::step_at(now);
  for (int offset : {-1, 0, 1}) {
    const auto code = totp::code_at(kRfcSecret, now + offset * 30);
    auto r = totp::verify(kRfcSecret, code, now, 1, std::nullopt);
    ASSERT_TRUE(r.ok()) << offset;
    EXPECT_EQ(*r, step + offset);
  }
  for (int offset : {-3, -2, 2, 3}) {
    const auto code = totp::code_at(kRfcSecret, now + offset * 30);
    auto r = totp::verify(kRfcSecret, code, now, 1, std::nullopt);
    ASSERT_FALSE(r.ok()) << offset;
    EXPECT_EQ(r.error().code, "totp_invalid");
    EXPECT_EQ(r.error().kind, ErrorKind::unauthenticated);
  }
  // Window 0: only the current step.
  EXPECT_FALSE(
      totp::verify(kRfcSecret, totp::code_at(kRfcSecret, now - 30), now, 0, std::nullopt).ok());
  EXPECT_TRUE(totp::verify(kRfcSecret, totp::code_at(kRfcSecret, now), now, 0, std::nullopt).ok());
}

TEST(Totp, UsedStepCannotBeReplayed) {
  const std::int64_t now = 1700000000;
  const auto code = totp::code_at(kRfcSecret, now);
  auto first = totp::verify(kRfcSecret, code, now, 1, std::nullopt);
  ASSERT_TRUE(first.ok());
  // The same code again, even seconds later and still inside the window.
  auto again = totp::verify(kRfcSecret, code, now + 10, 1, *first);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "totp_replayed");
  // An older code still inside the window is refused too once a later step was used.
  auto older = totp::verify(kRfcSecret, totp::code_at(kRfcSecret, now - 30), now, 1, *first);
  ASSERT_FALSE(older.ok());
  EXPECT_EQ(older.error().code, "totp_replayed");
  // The next step's code is fine.
  auto next = totp::verify(kRfcSecret, totp::code_at(kRfcSecret, now + 30), now + 30, 1, *first);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, *first + 1);
}

TEST(Totp, CodeFormat) {
  const std::int64_t now = 1234567890;
  EXPECT_EQ(totp::code_at(kRfcSecret, now), "005924");  // leading zeros kept
  EXPECT_TRUE(totp::verify(kRfcSecret, "005 924", now, 1, std::nullopt).ok());
  EXPECT_FALSE(totp::verify(kRfcSecret, "5924", now, 1, std::nullopt).ok());
  EXPECT_FALSE(totp::verify(kRfcSecret, "0059240", now, 1, std::nullopt).ok());
  EXPECT_FALSE(totp::verify(kRfcSecret, "", now, 1, std::nullopt).ok());
  EXPECT_FALSE(totp::verify(kRfcSecret, "abcdef", now, 1, std::nullopt).ok());
  EXPECT_FALSE(totp::verify("", "005924", now, 1, std::nullopt).ok());
  EXPECT_TRUE(totp::verify(kRfcSecret, "89005924", now, 1, std::nullopt, 8).ok());
  // Out-of-range digit counts are clamped when generating and never match a longer code.
  EXPECT_FALSE(totp::verify(kRfcSecret, "000089005924", now, 1, std::nullopt, 12).ok());
}

TEST(Totp, GeneratedSecretsAreTwentyRandomBytes) {
  const auto a = totp::generate_secret();
  const auto b = totp::generate_secret();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, b);
  EXPECT_EQ(base32_encode(a).size(), 32u);
}

TEST(Base32, Rfc4648Vectors) {
  // RFC 4648 §10, without the padding.
  EXPECT_EQ(base32_encode(""), "");
  EXPECT_EQ(base32_encode("f"), "MY");
  EXPECT_EQ(base32_encode("fo"), "MZXQ");
  EXPECT_EQ(base32_encode("foo"), "MZXW6");
  EXPECT_EQ(base32_encode("foob"), "MZXW6YQ");
  EXPECT_EQ(base32_encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(base32_encode(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32, DecodeIsLenient) {
  for (const char* s : {"foo", "foob", "foobar", ""}) {
    EXPECT_EQ(base32_decode(base32_encode(s)), std::string(s));
  }
  EXPECT_EQ(base32_decode("mzxw6ytboi"), "foobar");
  EXPECT_EQ(base32_decode("MZXW 6YTB OI"), "foobar");
  EXPECT_EQ(base32_decode("MZXW-6YTB-OI"), "foobar");
  EXPECT_EQ(base32_decode("MZXW6YTBOI======"), "foobar");
  const auto secret = totp::generate_secret();
  EXPECT_EQ(base32_decode(base32_encode(secret)), secret);
}

TEST(Base32, DecodeRejectsOtherCharactersAndImpossibleLengths) {
  EXPECT_EQ(base32_decode("MZXW1"), std::nullopt);  // '1' is not in the alphabet
  EXPECT_EQ(base32_decode("MZXW0"), std::nullopt);
  EXPECT_EQ(base32_decode("MZ=XW"), std::nullopt);
  EXPECT_EQ(base32_decode("M"), std::nullopt);
  EXPECT_EQ(base32_decode("MZX"), std::nullopt);
  EXPECT_EQ(base32_decode("MZXW6Y"), std::nullopt);
}

TEST(Totp, OtpauthUri) {
  const auto uri = totp::otpauth_uri(totp::kIssuer, "zhang san@chaozhou", kRfcSecret);
  const std::string issuer =
      "%E6%BD%AE%E5%B7%9E%E5%B8%82%E7%BD%91%E4%B8%8A%E8%A1%8C%E6%94%BF%E5%AE%A1%E6%89%B9%E7%B3%BB%"
      "E7%BB%9F";
  EXPECT_EQ(uri, "otpauth://totp/" + issuer + ":zhang%20san%40chaozhou" +
                     "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=" + issuer +
                     "&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace shenpi::crypto
