#pragma once
// Who sent a request: the one place that reads the session cookie and enforces the CSRF
// rule, for every route that needs a signed-in user (the JSON API and, later, pages).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/account_service.h"
#include "http/message.h"

namespace shenpi::http::api {

inline constexpr std::string_view kSessionCookie = "shenpi_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
//! The hidden field of HTML forms that carries the CSRF token.
inline constexpr std::string_view kCsrfField = "csrf_token";

//! Where a write may carry its CSRF token.
enum class CsrfSource {
  header,          //!< only the X-CSRF-Token header (the JSON API)
  header_or_form,  //!< the header, or the csrf_token field of an urlencoded form body (pages)
};

//! The value of cookie `name` in the request's Cookie headers, or nullopt.
std::optional<std::string> cookie(const Request& req, std::string_view name);

//! The Set-Cookie value that stores `token` for the browser session: HttpOnly,
//! SameSite=Lax, Path=/, and Secure when the request came over TLS. An empty token
//! clears the cookie (Max-Age=0).
std::string session_cookie(const Request& req, std::string_view token);

class SessionAuth {
 public:
  SessionAuth(std::shared_ptr<app::AccountService> accounts, std::function<std::int64_t()> now_unix,
              std::function<std::string()> today);

  //! The principal of the request's session cookie: unauthenticated "not_signed_in"
  //! without a live session. When `write` (any method but GET/HEAD), the header
  //! X-CSRF-Token must equal the session's CSRF token, else forbidden "csrf_token_invalid"
  //! (and an audit entry).
  Result<app::Principal> authenticate(const Request& req, bool write) const;
  //! The same, but with `CsrfSource::header_or_form` a write whose body is
  //! application/x-www-form-urlencoded may carry the token in its csrf_token field instead
  //! of the header (HTML forms cannot set headers).
  Result<app::Principal> authenticate(const Request& req, bool write, CsrfSource source) const;

  //! The use-case context of a request: now, today, address, user agent, request id.
  app::RequestContext context(const Request& req) const;

  app::AccountService& accounts() const { return *accounts_; }

 private:
  std::shared_ptr<app::AccountService> accounts_;
  std::function<std::int64_t()> now_unix_;
  std::function<std::string()> today_;
};

}  // namespace shenpi::http::api
