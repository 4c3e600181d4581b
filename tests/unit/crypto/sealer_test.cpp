#include "crypto/sealer.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "temp_dir.h"

namespace shenpi::crypto {
namespace {

using testing::mode_of;
using testing::TempDir;

Sealer sealer_with_key(char fill) {
  auto s = Sealer::from_key(std::string(32, fill));
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

constexpr std::string_view kId = "11010519491231002X";
constexpr std::string_view kAd = "account:42:id_number";

TEST(Sealer, RoundTrip) {
  const auto sealer = sealer_with_key('k');
  const auto sealed = sealer.seal(kId, kAd);
  EXPECT_EQ(sealed.size(), kId.size() + Sealer::kOverhead);
  EXPECT_EQ(static_cast<unsigned char>(sealed[0]), Sealer::kKeyVersion);
  EXPECT_EQ(sealed.find(kId), std::string::npos) << "the plaintext does not show";
  auto opened = sealer.open(sealed, kAd);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, kId);
}

TEST(Sealer, EmptyAndBinaryValuesRoundTrip) {
  const auto sealer = sealer_with_key('k');
  EXPECT_EQ(sealer.open(sealer.seal("", ""), "").value(), "");
  const std::string binary("\x00\xff\x01潮州\x00", 10);
  EXPECT_EQ(sealer.open(sealer.seal(binary, kAd), kAd).value(), binary);
}

TEST(Sealer, SealingTwiceGivesDifferentBytes) {
  const auto sealer = sealer_with_key('k');
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) seen.insert(sealer.seal(kId, kAd));
  EXPECT_EQ(seen.size(), 20u) << "a fresh nonce each time";
}

TEST(Sealer, EveryChangedByteIsDetected) {
  const auto sealer = sealer_with_key('k');
  const auto sealed = sealer.seal(kId, kAd);
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    auto r = sealer.open(bad, kAd);
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.error().kind, ErrorKind::internal);
    EXPECT_EQ(r.error().code, i == 0 ? "sealed_unknown_version" : "sealed_invalid");
  }
}

TEST(Sealer, TruncatedOrExtendedIsDetected) {
  const auto sealer = sealer_with_key('k');
  const auto sealed = sealer.seal(kId, kAd);
  for (std::size_t n = 0; n < sealed.size(); ++n) {
    EXPECT_FALSE(sealer.open(sealed.substr(0, n), kAd).ok()) << n;
  }
  EXPECT_FALSE(sealer.open(sealed + "x", kAd).ok());
}

TEST(Sealer, OtherAssociatedDataDoesNotOpen) {
  const auto sealer = sealer_with_key('k');
  const auto sealed = sealer.seal(kId, kAd);
  auto r = sealer.open(sealed, "account:43:id_number");  // copied into another row
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sealed_invalid");
  EXPECT_FALSE(sealer.open(sealed, "").ok());
}

TEST(Sealer, OtherKeyDoesNotOpen) {
  const auto sealed = sealer_with_key('k').seal(kId, kAd);
  auto r = sealer_with_key('j').open(sealed, kAd);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sealed_invalid");
}

TEST(Sealer, KeyMustBe32Bytes) {
  EXPECT_FALSE(Sealer::from_key("short").ok());
  EXPECT_FALSE(Sealer::from_key(std::string(33, 'k')).ok());
}

TEST(Sealer, BlindIndexFindsEqualValuesOnly) {
  const auto sealer = sealer_with_key('k');
  const auto a = sealer.blind_index(kId, "citizen_id");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(a, sealer.blind_index(kId, "citizen_id")) << "deterministic";
  EXPECT_NE(a, sealer.blind_index("11010519491231003X", "citizen_id"));
  EXPECT_NE(a, sealer.blind_index(kId, "agent_citizen_id")) << "one key per purpose";
  EXPECT_NE(a, sealer_with_key('j').blind_index(kId, "citizen_id")) << "keyed";
  EXPECT_NE(a.find(kId), 0u);
}

TEST(Sealer, KeyFileIsCreatedOnceAndReused) {
  TempDir dir;
  const auto path = dir / "keys" / "seal.key";
  std::string sealed;
  std::string index;
  {
    auto sealer = Sealer::open_or_create(path);
    ASSERT_TRUE(sealer.ok()) << sealer.error().message;
    sealed = sealer->seal(kId, kAd);
    index = sealer->blind_index(kId, "citizen_id");
  }
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(std::filesystem::file_size(path), 32u);
  // A restart loads the same key: old values open and indexes still match.
  auto again = Sealer::open_or_create(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->open(sealed, kAd).value(), kId);
  EXPECT_EQ(again->blind_index(kId, "citizen_id"), index);
}

TEST(Sealer, RefusesAKeyFileOthersCanRead) {
  TempDir dir;
  const auto path = dir / "seal.key";
  ASSERT_TRUE(Sealer::open_or_create(path).ok());
  std::filesystem::permissions(path, static_cast<std::filesystem::perms>(0644));
  auto r = Sealer::open_or_create(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "key_file_unsafe");
}

}  // namespace
}  // namespace shenpi::crypto
