#pragma once
// The applicant-facing identity pages (server-rendered, zh-CN, no JavaScript needed):
//
//   GET  /register?kind=person|organisation   registration form (个人 / 法人)
//   POST /register                            registers, signs in, 303 → /account
//   GET  /login?next=/path                    sign-in form
//   POST /login                               signs in, 303 → next (local paths only)
//   POST /logout                              signs out, 303 → /
//   GET  /account                             我的账户 (303 → /login when signed out)
//   POST /account/password                    change password
//   POST /account/sessions/{id}/end           end one of one's sessions
//
// None of these pages is cached (Cache-Control: no-store): they are the only pages whose
// header names the signed-in user. Every POST form carries a hidden csrf_token: the
// session's token once signed in (checked by SessionAuth, CsrfSource::header_or_form), and
// before that a double-submit token that must equal the shenpi_csrf cookie (HttpOnly,
// SameSite=Strict). A missing or wrong token gets a 403 page. Handlers are thin: parse
// the form, call AccountService (which audits), render.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "app/catalogue_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "web/pages.h"

namespace shenpi::web {

//! The double-submit cookie of the forms used before a session exists.
inline constexpr std::string_view kPreSessionCsrfCookie = "shenpi_csrf";

class AccountPages {
 public:
  //! `catalogue` (may be null) names the departments of staff roles; `random_bytes(n)`
  //! returns n bytes from a cryptographic generator.
  AccountPages(std::shared_ptr<const http::api::SessionAuth> auth,
               std::shared_ptr<app::CatalogueService> catalogue,
               std::function<std::string(std::size_t)> random_bytes, WebOptions options = {});

  //! Adds the routes above. The handlers share ownership of this object's state.
  void register_routes(http::Router& router);

  //! True for a redirect target that stays on this site: a path starting with a single
  //! '/', without backslashes or control characters (never "//host" or "https://…").
  static bool safe_next(std::string_view next);

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace shenpi::web
