#include "crypto/signer.h"

#include <gtest/gtest.h>

#include <string>

#include "temp_dir.h"

namespace shenpi::crypto {
namespace {

using testing::mode_of;
using testing::TempDir;

std::string hex(std::string_view h) { return from_hex(h).value(); }

// RFC 8032 §7.1, TEST 1 (empty message).
constexpr std::string_view kRfcSeed =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr std::string_view kRfcPublic =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr std::string_view kRfcSignature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b4"
    "6bd25bf5f0595bbe24655141438e7a100b";

TEST(Signer, Rfc8032Vector) {
  auto signer = Signer::from_seed(hex(kRfcSeed));
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ(signer->public_key_hex(), kRfcPublic);
  EXPECT_EQ(to_hex(signer->sign("")), kRfcSignature);
  EXPECT_TRUE(Signer::verify("", hex(kRfcSignature), hex(kRfcPublic)));
}

TEST(Signer, SignAndVerify) {
  auto signer = Signer::from_seed(std::string(32, 's'));
  ASSERT_TRUE(signer.ok());
  const std::string checkpoint = "audit checkpoint 1000 " + sha256_hex("entry 1000");
  const auto sig = signer->sign(checkpoint);
  EXPECT_EQ(sig.size(), Signer::kSignatureBytes);
  EXPECT_TRUE(Signer::verify(checkpoint, sig, signer->public_key()));
}

TEST(Signer, TamperingIsDetected) {
  auto signer = Signer::from_seed(std::string(32, 's'));
  const std::string message = "entry 17 hash abc";
  const auto sig = signer->sign(message);
  const auto pk = signer->public_key();
  std::string changed = message;
  changed[6] = '8';
  EXPECT_FALSE(Signer::verify(changed, sig, pk));
  for (std::size_t i = 0; i < sig.size(); i += 7) {
    std::string bad = sig;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    EXPECT_FALSE(Signer::verify(message, bad, pk)) << i;
  }
  EXPECT_FALSE(Signer::verify(message, sig.substr(1), pk));
  EXPECT_FALSE(Signer::verify(message, sig, pk.substr(1)));
  EXPECT_FALSE(Signer::verify(message, "", ""));
}

TEST(Signer, WrongKeyDoesNotVerify) {
  auto a = Signer::from_seed(std::string(32, 'a'));
  auto b = Signer::from_seed(std::string(32, 'b'));
  const auto sig = a->sign("message");
  EXPECT_FALSE(Signer::verify("message", sig, b->public_key()));
  EXPECT_NE(a->public_key_hex(), b->public_key_hex());
}

TEST(Signer, SeedMustBe32Bytes) { EXPECT_FALSE(Signer::from_seed("short").ok()); }

TEST(Signer, KeyFileIsCreatedOnceAndReused) {
  TempDir dir;
  const auto path = dir / "audit-signing.key";
  std::string pk;
  std::string sig;
  {
    auto signer = Signer::open_or_create(path);
    ASSERT_TRUE(signer.ok()) << signer.error().message;
    pk = signer->public_key_hex();
    sig = signer->sign("checkpoint");
  }
  EXPECT_EQ(pk.size(), 64u);
  EXPECT_EQ(mode_of(path), 0600u);
  auto again = Signer::open_or_create(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key_hex(), pk);
  EXPECT_TRUE(Signer::verify("checkpoint", sig, hex(pk)));
  std::filesystem::permissions(path, static_cast<std::filesystem::perms>(0640));
  auto refused = Signer::open_or_create(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "key_file_unsafe");
}

TEST(Sha256, KnownDigests) {
  // FIPS 180-2 examples.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256("abc").size(), 32u);
}

}  // namespace
}  // namespace shenpi::crypto
