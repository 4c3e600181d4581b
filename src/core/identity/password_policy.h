#pragma once
// Password rules in the manner of NIST SP 800-63B §5.1.1: a length range and a
// blocklist, no composition rules (no "must contain a digit"), no forced expiry.
//
// The blocklist is data (data/security/common-passwords.txt, embedded in the binary);
// the composition root reads it and builds the policy once, so core stays free of I/O.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/result.h"

namespace shenpi::core {

class PasswordPolicy {
 public:
  static constexpr std::size_t kMinLength = 8;    //!< code points
  static constexpr std::size_t kMaxLength = 128;  //!< code points

  //! A policy refusing the given passwords (compared ASCII-case-insensitively).
  explicit PasswordPolicy(const std::unordered_set<std::string>& common);

  //! Builds the blocklist from text with one password per line; CR/LF line ends, blank
  //! lines and surrounding blanks are ignored.
  static PasswordPolicy from_text(std::string_view common_list);

  //! Checks a new password. `personal` holds what the user is known by (login, ID
  //! number, credit code, name); a password equal to any of them, ignoring ASCII case, is
  //! refused. On failure returns invalid_input naming `field` with codes
  //! password_encoding (not UTF-8 or contains control characters), password_too_short,
  //! password_too_long, password_common or password_personal.
  Result<void> check(std::string_view password, const std::vector<std::string_view>& personal = {},
                     std::string field = "password") const;

  //! True when the password is on the blocklist (ignoring ASCII case).
  bool is_common(std::string_view password) const;

  //! Number of distinct entries on the blocklist.
  std::size_t common_count() const { return common_.size(); }

 private:
  std::unordered_set<std::string> common_;  //!< lower-cased
};

}  // namespace shenpi::core
