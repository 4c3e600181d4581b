#pragma once
// Password storage with argon2id (libsodium crypto_pwhash_str) behind a cap on how many
// hashes run at once.
//
// Each argon2id run takes `memlimit` bytes for its duration; an unbounded login flood
// would otherwise take the server's memory with it. With the defaults (64 MiB, 2 at
// once) hashing never holds more than 128 MiB; callers past the cap wait up to
// `wait_timeout` and then get ErrorKind::rate_limited (HTTP 429), never a crash.
//
// All methods are blocking (tens to hundreds of milliseconds) and thread-safe: call them
// from the worker pool, never from an I/O thread.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace shenpi::crypto {

struct PasswordHasherOptions {
  //! argon2id passes; 3 is libsodium's OPSLIMIT_MODERATE. Tests use 1 (the minimum).
  std::uint64_t opslimit = 3;
  //! argon2id memory in bytes; 64 MiB. Tests use 8192 (the minimum).
  std::size_t memlimit = std::size_t{64} << 20;
  //! At most this many hashes or verifications run at once.
  int max_concurrent = 2;
  //! How long a caller waits for a free slot before being told to retry later.
  std::chrono::milliseconds wait_timeout{3000};
};

class PasswordHasher {
 public:
  //! Longest password accepted, in bytes; longer ones never match and cannot be hashed.
  //! (The policy allows 128 code points, at most 512 bytes.)
  static constexpr std::size_t kMaxPasswordBytes = 1024;

  //! Checks the options against libsodium's limits (invalid_input with code
  //! "hasher_options" otherwise) and makes a hasher.
  static Result<PasswordHasher> create(const PasswordHasherOptions& options = {});

  PasswordHasher(PasswordHasher&&) noexcept;
  PasswordHasher& operator=(PasswordHasher&&) noexcept;
  ~PasswordHasher();

  //! The encoded hash ("$argon2id$v=19$m=…,t=…,p=1$salt$hash", fresh random salt) to
  //! store. Errors: rate_limited ("password_hashing_busy") when no slot freed up in
  //! time, invalid_input ("password_too_long") past kMaxPasswordBytes, unavailable
  //! ("password_hash_failed") when the memory could not be had.
  Result<std::string> hash(std::string_view password) const;

  //! True when `password` matches `stored_hash` (comparison in constant time); false on a
  //! mismatch or a malformed hash. Error only rate_limited, as for hash().
  Result<bool> verify(std::string_view stored_hash, std::string_view password) const;

  //! Does the work of a failed verify() for a login that names no account, so the
  //! response time does not tell whether the account exists. Error as for verify().
  Result<void> verify_dummy(std::string_view password) const;

  //! True when `stored_hash` was made with other parameters than this hasher's (or is
  //! not an argon2id hash at all): rehash the password after the next successful login.
  bool needs_rehash(std::string_view stored_hash) const;

  //! Hashes and verifications running right now, and the most there ever were at once
  //! (for metrics, and for tests proving the cap).
  int in_flight() const;
  int peak_in_flight() const;

  const PasswordHasherOptions& options() const;

 private:
  struct State;
  explicit PasswordHasher(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace shenpi::crypto
