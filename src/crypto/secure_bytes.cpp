#include "crypto/secure_bytes.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace shenpi::crypto {

void ensure_sodium() {
  // sodium_init is itself idempotent; the static makes the first caller do the work and
  // the others wait for it (thread-safe static initialisation).
  static const int rc = sodium_init();
  if (rc < 0) {
    std::fputs("shenpi: libsodium could not be initialised\n", stderr);
    std::abort();
  }
}

void SecretBytes::Free::operator()(unsigned char* p) const { sodium_free(p); }

SecretBytes::SecretBytes(std::size_t size) : size_(size) {
  ensure_sodium();
  data_.reset(static_cast<unsigned char*>(sodium_malloc(size == 0 ? 1 : size)));
  if (!data_) {
    std::fputs("shenpi: out of memory for a secret\n", stderr);
    std::abort();
  }
}

std::string random_bytes(std::size_t n) {
  ensure_sodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0F]);
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

}  // namespace shenpi::crypto
