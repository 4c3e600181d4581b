#pragma once
// Ed25519 signatures for the audit trail's checkpoints (and anything else that must be
// provably ours), plus SHA-256 for its hash chain.
//
// The key pair lives in one 0600 file holding the 32-byte Ed25519 seed; the key pair is
// derived from it at load. The public key is published (hex) with each checkpoint so an
// auditor can verify with it alone.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/secure_bytes.h"

namespace shenpi::crypto {

class Signer {
 public:
  static constexpr std::size_t kSeedBytes = 32;
  static constexpr std::size_t kPublicKeyBytes = 32;
  static constexpr std::size_t kSignatureBytes = 64;

  //! Loads the seed at `key_file`, creating it on first use (see load_or_create_key_file:
  //! mode 0600; a file readable by group or others is refused).
  static Result<Signer> open_or_create(const std::filesystem::path& key_file);

  //! A signer from a 32-byte seed (tests). invalid_input when the seed is not 32 bytes.
  static Result<Signer> from_seed(std::string_view seed);

  //! The 64-byte detached signature of `bytes`.
  std::string sign(std::string_view bytes) const;

  //! True when `signature` (64 bytes) is a valid signature of `bytes` under the raw
  //! 32-byte `public_key`; false for anything else, including wrong sizes.
  static bool verify(std::string_view bytes, std::string_view signature,
                     std::string_view public_key);

  //! The raw 32-byte public key, and its 64-character lower-case hex form.
  std::string public_key() const { return public_key_; }
  std::string public_key_hex() const;

 private:
  Signer(SecretBytes secret_key, std::string public_key);
  SecretBytes secret_key_;  //!< libsodium's 64-byte form (seed and public key)
  std::string public_key_;
};

//! SHA-256 of `bytes`: the raw 32 bytes, and 64 lower-case hex characters.
std::string sha256(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);

}  // namespace shenpi::crypto
