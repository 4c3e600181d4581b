#pragma once
// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, HMAC-SHA1), the second
// factor of every staff login, and the base32 (RFC 4648) text form authenticator apps use.
//
// Times are Unix seconds passed in by the caller: nothing here reads a clock.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace shenpi::crypto {

//! RFC 4648 base32 (A–Z, 2–7) without '=' padding.
std::string base32_encode(std::string_view bytes);

//! Decodes base32 in either case, ignoring spaces, hyphens and trailing '=' (as people
//! copy them). nullopt for any other character or an impossible length.
std::optional<std::string> base32_decode(std::string_view text);

namespace totp {

inline constexpr int kStepSeconds = 30;
inline constexpr int kDigits = 6;
inline constexpr std::size_t kSecretBytes = 20;  //!< 160 bits, RFC 4226 §4 R6
inline constexpr std::string_view kIssuer = "潮州市网上行政审批系统";

//! A fresh random shared secret of kSecretBytes bytes.
std::string generate_secret();

//! The time step (counter) that `unix_time` falls in: floor(unix_time / 30); 0 for
//! times before 1970.
std::int64_t step_at(std::int64_t unix_time);

//! The code for counter `step`, `digits` long (1–9; 6 in the apps, 8 in the RFC
//! vectors), zero-padded.
std::string code_for_step(std::string_view secret, std::int64_t step, int digits = kDigits);

//! The code an authenticator app shows at `unix_time`.
std::string code_at(std::string_view secret, std::int64_t unix_time, int digits = kDigits);

//! Checks `code` (blanks ignored, e.g. "123 456") against the steps from `window` before
//! to `window` after the one of `unix_time`, comparing in constant time. Returns the
//! matched step, which the caller stores and passes back as `last_used_step` next time:
//! any step at or before it is refused (code "totp_replayed"), so an observed code cannot
//! be used again. A wrong code gives "totp_invalid". Both errors are unauthenticated.
Result<std::int64_t> verify(std::string_view secret, std::string_view code, std::int64_t unix_time,
                            int window, std::optional<std::int64_t> last_used_step,
                            int digits = kDigits);

//! The otpauth:// key URI for enrolment (what the QR code holds), e.g.
//! otpauth://totp/%E6%BD%AE…:zhangsan?secret=BASE32&issuer=%E6%BD%AE…&algorithm=SHA1&digits=6&period=30
//! Issuer and account are percent-encoded UTF-8.
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace totp
}  // namespace shenpi::crypto
