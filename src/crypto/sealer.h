#pragma once
// Personal data sealed at rest (ID numbers, phone numbers, addresses) and found again by
// a keyed blind index. See docs/decisions/0005-personal-data-and-keys.md.
//
// One 32-byte master key in a 0600 file under the data directory. From it, with
// crypto_kdf, a sealing key and one index key per purpose are derived, so that an index
// value reveals nothing about the sealing key and indexes of different purposes cannot
// be joined.
//
// Sealed format (version 1):  [0x01][24-byte random nonce][ciphertext + 16-byte tag]
// XChaCha20-Poly1305 (IETF AEAD); the version byte and the caller's associated data are
// authenticated, so a sealed value moved to another row or column no longer opens.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/secure_bytes.h"

namespace shenpi::crypto {

class Sealer {
 public:
  static constexpr std::uint8_t kKeyVersion = 1;
  static constexpr std::size_t kKeyBytes = 32;
  //! Bytes a sealed value adds to its plaintext: version, nonce and tag.
  static constexpr std::size_t kOverhead = 1 + 24 + 16;

  //! Loads the master key at `key_file`, creating it on first use (see
  //! load_or_create_key_file: mode 0600; a file readable by group or others is refused).
  static Result<Sealer> open_or_create(const std::filesystem::path& key_file);

  //! A sealer over the given 32-byte key (tests, and tools that hold the key already).
  //! invalid_input when the key is not 32 bytes.
  static Result<Sealer> from_key(std::string_view key);

  //! Seals `plaintext`, binding it to `associated_data` (e.g. "account:42:id_number"),
  //! which must be given again to open it. A fresh random nonce each time: sealing the
  //! same value twice gives different bytes (use blind_index to find equal values).
  std::string seal(std::string_view plaintext, std::string_view associated_data) const;

  //! The plaintext of a value sealed by seal() under this key and the same associated
  //! data. Errors (ErrorKind::internal): "sealed_unknown_version" for a key version this
  //! sealer does not hold, "sealed_invalid" when the bytes were changed, truncated, sealed
  //! under another key or other associated data.
  Result<std::string> open(std::string_view sealed, std::string_view associated_data) const;

  //! A deterministic keyed hash of `value` for equality lookups without decrypting,
  //! 64 lower-case hex characters. `purpose` (e.g. "citizen_id", "mobile") selects the
  //! key, so equal values give unrelated indexes under different purposes. Callers
  //! normalise the value first (validate_citizen_id, …) so that equal means equal.
  std::string blind_index(std::string_view value, std::string_view purpose) const;

 private:
  explicit Sealer(SecretBytes master);
  SecretBytes seal_key_;
  SecretBytes master_;  //!< kept to derive index keys per purpose
};

}  // namespace shenpi::crypto
