#pragma once
// Shared plumbing of the crypto layer: libsodium start-up, secret buffers that live in
// guarded, locked memory, random bytes and hex. Byte strings are std::string throughout
// (the store's Blob holds std::string too).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace shenpi::crypto {

//! Initialises libsodium once per process; safe to call from any thread, any number of
//! times. Every entry point of this layer calls it, so callers never need to. A libsodium
//! that cannot start (no entropy source) aborts the process: nothing here can be trusted
//! without it.
void ensure_sodium();

//! A fixed-size secret in memory from sodium_malloc: guard pages around it, locked out of
//! swap where the system allows, wiped when freed. Move-only.
class SecretBytes {
 public:
  //! Allocates `size` bytes (contents unspecified). Aborts when memory cannot be had, as
  //! operator new would.
  explicit SecretBytes(std::size_t size);
  unsigned char* data() { return data_.get(); }
  const unsigned char* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  //! The bytes as a view, e.g. to compare in tests. Do not copy them around needlessly.
  std::string_view view() const { return {reinterpret_cast<const char*>(data_.get()), size_}; }

 private:
  struct Free {
    void operator()(unsigned char* p) const;
  };
  std::unique_ptr<unsigned char, Free> data_;
  std::size_t size_ = 0;
};

//! `n` bytes from the operating system's CSPRNG.
std::string random_bytes(std::size_t n);

//! Lower-case hex of `bytes`.
std::string to_hex(std::string_view bytes);

//! Bytes of a hex string (either case); nullopt when the length is odd or a character is
//! not a hex digit.
std::optional<std::string> from_hex(std::string_view hex);

}  // namespace shenpi::crypto
