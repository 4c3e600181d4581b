#pragma once
// The cryptographic pieces the account use cases need, as plain functions, so that
// src/app stays free of libsodium and OpenSSL. src/main wires them to src/crypto
// (Sealer, PasswordHasher, totp, sha256); unit tests pass simple fakes.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace shenpi::app {

struct AccountCrypto {
  //! `n` bytes from a CSPRNG.
  std::function<std::string(std::size_t n)> random_bytes;
  //! SHA-256 of the bytes, 64 lower-case hex characters.
  std::function<std::string(std::string_view bytes)> sha256_hex;

  //! Sealer::seal / open / blind_index (see crypto/sealer.h).
  std::function<std::string(std::string_view plaintext, std::string_view associated)> seal;
  std::function<Result<std::string>(std::string_view sealed, std::string_view associated)> open;
  std::function<std::string(std::string_view value, std::string_view purpose)> blind_index;

  //! PasswordHasher::hash / verify / verify_dummy / needs_rehash.
  std::function<Result<std::string>(std::string_view password)> hash_password;
  std::function<Result<bool>(std::string_view stored_hash, std::string_view password)>
      verify_password;
  std::function<Result<void>(std::string_view password)> verify_dummy;
  std::function<bool(std::string_view stored_hash)> needs_rehash;

  //! A fresh TOTP secret (raw bytes), its base32 text and otpauth URI, and totp::verify
  //! with a window of ±1 step.
  std::function<std::string()> totp_secret;
  std::function<std::string(std::string_view bytes)> base32;
  std::function<std::string(std::string_view account, std::string_view secret)> otpauth_uri;
  std::function<Result<std::int64_t>(std::string_view secret, std::string_view code,
                                     std::int64_t now, std::optional<std::int64_t> last_step)>
      totp_verify;
};

}  // namespace shenpi::app
