#include "http/api/session_auth.h"

#include <utility>

#include "http/form.h"

namespace shenpi::http::api {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Compares without stopping at the first difference, so the time taken does not tell how
// much of a guessed token was right.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace

std::optional<std::string> cookie(const Request& req, std::string_view name) {
  for (const auto& [key, value] : req.headers) {
    if (!iequals(key, "Cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      std::string_view pair = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (trim(pair.substr(0, eq)) == name) return std::string(trim(pair.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

std::string session_cookie(const Request& req, std::string_view token) {
  std::string c =
      std::string(kSessionCookie) + "=" + std::string(token) + "; HttpOnly; SameSite=Lax; Path=/";
  if (token.empty()) c += "; Max-Age=0";
  if (req.tls) c += "; Secure";
  return c;
}

SessionAuth::SessionAuth(std::shared_ptr<app::AccountService> accounts,
                         std::function<std::int64_t()> now_unix, std::function<std::string()> today)
    : accounts_(std::move(accounts)), now_unix_(std::move(now_unix)), today_(std::move(today)) {}

app::RequestContext SessionAuth::context(const Request& req) const {
  app::RequestContext ctx;
  ctx.now = now_unix_();
  ctx.today = today_();
  ctx.address = req.remote;
  ctx.user_agent = std::string(req.header("User-Agent").value_or(""));
  ctx.request_id = req.request_id;
  return ctx;
}

Result<app::Principal> SessionAuth::authenticate(const Request& req, bool write) const {
  return authenticate(req, write, CsrfSource::header);
}

Result<app::Principal> SessionAuth::authenticate(const Request& req, bool write,
                                                 CsrfSource source) const {
  const std::optional<std::string> token = cookie(req, kSessionCookie);
  if (!token) return make_error(ErrorKind::unauthenticated, "not_signed_in", "请先登录");
  const app::RequestContext ctx = context(req);
  SHENPI_ASSIGN(app::Principal p, accounts_->validate_session(*token, ctx));
  if (write) {
    std::optional<std::string> sent;
    if (auto h = req.header(kCsrfHeader)) sent = std::string(*h);
    if (!sent && source == CsrfSource::header_or_form && is_form(req)) {
      // A body that does not parse simply carries no token.
      if (Result<Form> form = parse_form(req.body); form.ok()) {
        if (auto f = form->get(kCsrfField)) sent = std::string(*f);
      }
    }
    if (!sent || sent->empty() || !same_secret(*sent, p.csrf_token)) {
      SHENPI_TRY(
          accounts_->record_denial(p, req.method + " " + req.path, "csrf_token_invalid", ctx));
      return make_error(ErrorKind::forbidden, "csrf_token_invalid",
                        "请求缺少有效的 CSRF 令牌，请刷新页面后重试");
    }
  }
  return p;
}

}  // namespace shenpi::http::api
