#include "crypto/sealer.h"

#include <sodium.h>

#include <cstring>

#include "crypto/key_file.h"

namespace shenpi::crypto {
namespace {

static_assert(Sealer::kKeyBytes == crypto_kdf_KEYBYTES);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);
static_assert(Sealer::kOverhead == 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                                       crypto_aead_xchacha20poly1305_ietf_ABYTES);

// crypto_kdf contexts are exactly 8 characters; one per use of the master key.
constexpr char kSealContext[crypto_kdf_CONTEXTBYTES + 1] = "shpseal1";
constexpr char kIndexContext[crypto_kdf_CONTEXTBYTES + 1] = "shpbidx1";
constexpr std::uint64_t kSealSubkeyId = 1;

constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

//! The associated data actually authenticated: the version byte, then the caller's.
std::string full_ad(std::uint8_t version, std::string_view ad) {
  std::string out(1, static_cast<char>(version));
  out.append(ad);
  return out;
}

Error sealed_invalid() {
  return make_error(ErrorKind::internal, "sealed_invalid",
                    "加密数据无法解密：数据已损坏、被改动或密钥不符");
}

}  // namespace

Sealer::Sealer(SecretBytes master)
    : seal_key_(crypto_aead_xchacha20poly1305_ietf_KEYBYTES), master_(std::move(master)) {
  crypto_kdf_derive_from_key(seal_key_.data(), seal_key_.size(), kSealSubkeyId, kSealContext,
                             master_.data());
}

Result<Sealer> Sealer::open_or_create(const std::filesystem::path& key_file) {
  SHENPI_ASSIGN(SecretBytes master, load_or_create_key_file(key_file, kKeyBytes));
  return Sealer(std::move(master));
}

Result<Sealer> Sealer::from_key(std::string_view key) {
  if (key.size() != kKeyBytes) {
    return make_error(ErrorKind::invalid_input, "key_size", "密钥长度应为32字节");
  }
  SecretBytes master(kKeyBytes);
  std::memcpy(master.data(), key.data(), kKeyBytes);
  return Sealer(std::move(master));
}

std::string Sealer::seal(std::string_view plaintext, std::string_view associated_data) const {
  const std::string ad = full_ad(kKeyVersion, associated_data);
  std::string out(1 + kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  p[0] = kKeyVersion;
  randombytes_buf(p + 1, kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      p + 1 + kNonceBytes, &written, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
      p + 1, seal_key_.data());
  out.resize(1 + kNonceBytes + written);
  return out;
}

Result<std::string> Sealer::open(std::string_view sealed, std::string_view associated_data) const {
  if (sealed.empty()) return sealed_invalid();
  const auto version = static_cast<std::uint8_t>(sealed[0]);
  if (version != kKeyVersion) {
    return make_error(ErrorKind::internal, "sealed_unknown_version",
                      "加密数据使用了未知的密钥版本 " + std::to_string(version));
  }
  if (sealed.size() < kOverhead) return sealed_invalid();
  const std::string ad = full_ad(version, associated_data);
  const auto* p = reinterpret_cast<const unsigned char*>(sealed.data());
  const std::size_t cipher_len = sealed.size() - 1 - kNonceBytes;
  std::string plain(cipher_len - kTagBytes, '\0');
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr, p + 1 + kNonceBytes,
          cipher_len, reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), p + 1,
          seal_key_.data()) != 0) {
    return sealed_invalid();
  }
  plain.resize(plain_len);
  return plain;
}

std::string Sealer::blind_index(std::string_view value, std::string_view purpose) const {
  // crypto_kdf takes a 64-bit subkey id: the first 8 bytes of an unkeyed BLAKE2b of the
  // purpose name. Purposes are a handful of fixed names, so 64 bits cannot collide in
  // practice, and the id needs no registry that code and data could disagree on.
  unsigned char purpose_hash[crypto_generichash_BYTES_MIN];
  crypto_generichash(purpose_hash, sizeof purpose_hash,
                     reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(),
                     nullptr, 0);
  std::uint64_t subkey_id = 0;
  for (int i = 0; i < 8; ++i) subkey_id = (subkey_id << 8) | purpose_hash[i];
  // A stack buffer wiped after use: lookups are frequent, and a guarded allocation costs
  // several system calls each time.
  unsigned char index_key[crypto_generichash_KEYBYTES];
  crypto_kdf_derive_from_key(index_key, sizeof index_key, subkey_id, kIndexContext, master_.data());
  unsigned char mac[crypto_generichash_BYTES];
  crypto_generichash(mac, sizeof mac, reinterpret_cast<const unsigned char*>(value.data()),
                     value.size(), index_key, sizeof index_key);
  sodium_memzero(index_key, sizeof index_key);
  return to_hex(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

}  // namespace shenpi::crypto
