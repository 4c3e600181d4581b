#include "crypto/totp.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "crypto/secure_bytes.h"

namespace shenpi::crypto {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int base32_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

//! Percent-encodes everything but RFC 3986 unreserved characters.
std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

Error totp_error(std::string code) {
  return make_error(ErrorKind::unauthenticated, std::move(code), "动态验证码不正确或已使用",
                    "totp");
}

}  // namespace

std::string base32_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t symbols = 0;
  for (char c : text) {
    if (c == ' ' || c == '-') continue;
    const int v = base32_value(c);
    if (v < 0) return std::nullopt;
    ++symbols;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  // Whole bytes end after 0, 2, 4, 5 or 7 symbols of a group of 8; 1, 3 or 6 cannot occur.
  const std::size_t rest = symbols % 8;
  if (rest == 1 || rest == 3 || rest == 6) return std::nullopt;
  return out;
}

namespace totp {

std::string generate_secret() { return random_bytes(kSecretBytes); }

std::int64_t step_at(std::int64_t unix_time) {
  return unix_time < 0 ? 0 : unix_time / kStepSeconds;
}

std::string code_for_step(std::string_view secret, std::int64_t step, int digits) {
  if (digits < 1) digits = 1;
  if (digits > 9) digits = 9;
  std::array<unsigned char, 8> counter{};
  auto c = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<unsigned char>(c & 0xFF);
    c >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), counter.data(),
           counter.size(), mac.data(), &mac_len) == nullptr ||
      mac_len < 20) {
    return std::string(static_cast<std::size_t>(digits), 'x');  // never equals a code
  }
  // Dynamic truncation (RFC 4226 §5.3).
  const unsigned offset = mac[mac_len - 1] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::string code_at(std::string_view secret, std::int64_t unix_time, int digits) {
  return code_for_step(secret, step_at(unix_time), digits);
}

Result<std::int64_t> verify(std::string_view secret, std::string_view code, std::int64_t unix_time,
                            int window, std::optional<std::int64_t> last_used_step, int digits) {
  std::string given;
  for (char c : code) {
    if (c != ' ') given.push_back(c);
  }
  if (given.size() != static_cast<std::size_t>(digits) || secret.empty()) {
    return totp_error("totp_invalid");
  }
  if (window < 0) window = 0;
  const std::int64_t now = step_at(unix_time);
  std::optional<std::int64_t> fresh;
  bool replayed = false;
  // Every step in the window is computed and compared, matched or not, so the time taken
  // says nothing about which step (if any) matched.
  for (std::int64_t step = now - window; step <= now + window; ++step) {
    if (step < 0) continue;
    const std::string expected = code_for_step(secret, step, digits);
    const bool match = expected.size() == given.size() &&
                       CRYPTO_memcmp(expected.data(), given.data(), given.size()) == 0;
    if (!match) continue;
    if (last_used_step && step <= *last_used_step) {
      replayed = true;
    } else if (!fresh) {
      fresh = step;
    }
  }
  if (fresh) return *fresh;
  return totp_error(replayed ? "totp_replayed" : "totp_invalid");
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret) {
  const std::string enc_issuer = percent_encode(issuer);
  return "otpauth://totp/" + enc_issuer + ":" + percent_encode(account) +
         "?secret=" + base32_encode(secret) + "&issuer=" + enc_issuer +
         "&algorithm=SHA1&digits=" + std::to_string(kDigits) +
         "&period=" + std::to_string(kStepSeconds);
}

}  // namespace totp
}  // namespace shenpi::crypto
