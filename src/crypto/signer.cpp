#include "crypto/signer.h"

#include <sodium.h>

#include "crypto/key_file.h"

namespace shenpi::crypto {
namespace {

static_assert(Signer::kSeedBytes == crypto_sign_SEEDBYTES);
static_assert(Signer::kPublicKeyBytes == crypto_sign_PUBLICKEYBYTES);
static_assert(Signer::kSignatureBytes == crypto_sign_BYTES);

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Signer::Signer(SecretBytes secret_key, std::string public_key)
    : secret_key_(std::move(secret_key)), public_key_(std::move(public_key)) {}

Result<Signer> Signer::from_seed(std::string_view seed) {
  if (seed.size() != kSeedBytes) {
    return make_error(ErrorKind::invalid_input, "key_size", "签名种子长度应为32字节");
  }
  ensure_sodium();
  SecretBytes secret(crypto_sign_SECRETKEYBYTES);
  std::string pk(kPublicKeyBytes, '\0');
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(pk.data()), secret.data(),
                           bytes_of(seed));
  return Signer(std::move(secret), std::move(pk));
}

Result<Signer> Signer::open_or_create(const std::filesystem::path& key_file) {
  SHENPI_ASSIGN(SecretBytes seed, load_or_create_key_file(key_file, kSeedBytes));
  return from_seed(seed.view());
}

std::string Signer::sign(std::string_view bytes) const {
  std::string sig(kSignatureBytes, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr, bytes_of(bytes),
                       bytes.size(), secret_key_.data());
  return sig;
}

bool Signer::verify(std::string_view bytes, std::string_view signature,
                    std::string_view public_key) {
  if (signature.size() != kSignatureBytes || public_key.size() != kPublicKeyBytes) return false;
  ensure_sodium();
  return crypto_sign_verify_detached(bytes_of(signature), bytes_of(bytes), bytes.size(),
                                     bytes_of(public_key)) == 0;
}

std::string Signer::public_key_hex() const { return to_hex(public_key_); }

std::string sha256(std::string_view bytes) {
  ensure_sodium();
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()), bytes_of(bytes), bytes.size());
  return out;
}

std::string sha256_hex(std::string_view bytes) { return to_hex(sha256(bytes)); }

}  // namespace shenpi::crypto
