#include "http/api/session_api.h"

#include "http/api/api_util.h"

namespace shenpi::http::api {

namespace json = boost::json;

json::object principal_json(const app::Principal& p, const std::string& login_masked) {
  json::array roles;
  for (const app::RoleGrant& g : p.roles) {
    roles.push_back(json::object{{"role", g.role}, {"department", g.department_code}});
  }
  json::object o{{"id", p.account_id},
                 {"kind", app::to_string(p.kind)},
                 {"name", p.name},
                 {"login", login_masked},
                 {"roles", std::move(roles)}};
  if (p.kind == app::AccountKind::staff) {
    o["username"] = p.username;
    o["department"] = p.department_code;
    o["trained"] = p.trained;
    o["training_valid_until"] = p.training_valid_until;
  }
  return o;
}

namespace {

Result<json::object> who_json(const SessionAuth& auth, const app::Principal& p) {
  SHENPI_ASSIGN(app::AccountSummary s, auth.accounts().summary(p));
  return json::object{{"account", principal_json(p, s.login_masked)}, {"csrf_token", p.csrf_token}};
}

}  // namespace

void register_session_api(Router& router, std::shared_ptr<const SessionAuth> auth) {
  RouteOptions limits;
  limits.max_body = kAccountBodyLimit;
  limits.access = "signed_in";
  RouteOptions login_limits = limits;
  login_limits.access = "public";
  RouteOptions read;
  read.access = "signed_in";

  router.add("POST", "/api/v1/session", json_api([auth](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(json::object body, object_body(req));
               app::LoginRequest login;
               SHENPI_ASSIGN(login.login, string_field(body, "login", "login"));
               SHENPI_ASSIGN(login.password, string_field(body, "password", "password"));
               SHENPI_ASSIGN(login.totp, string_field(body, "totp", "totp"));
               std::int64_t retry_after = 0;
               Result<app::SignedIn> in =
                   auth->accounts().login(login, auth->context(req), &retry_after);
               if (!in.ok()) {
                 Response r = json_error(in.error());
                 if (in.error().kind == ErrorKind::rate_limited && retry_after > 0) {
                   r.header("Retry-After", std::to_string(retry_after));
                 }
                 return r;
               }
               SHENPI_ASSIGN(json::object who, who_json(*auth, in->principal));
               Response r = private_json(200, who);
               r.header("Set-Cookie", session_cookie(req, in->token));
               return r;
             }),
             login_limits);

  // Certificate login (Art. 21 身份认证(CA)): the subject of the client certificate the
  // server verified, plus the password or a TOTP code. Without a verified certificate the
  // use case fails like any wrong credential (401), and is throttled and audited alike.
  router.add(
      "POST", "/api/v1/session/certificate", json_api([auth](Request& req) -> Result<Response> {
        SHENPI_ASSIGN(json::object body, object_body(req));
        const bool use_totp = body.contains("totp");
        SHENPI_ASSIGN(std::string secret, use_totp ? string_field(body, "totp", "totp")
                                                   : string_field(body, "password", "password"));
        std::int64_t retry_after = 0;
        Result<app::SignedIn> in = auth->accounts().login_with_certificate(
            req.client_cert_subject, secret, use_totp, auth->context(req), &retry_after);
        if (!in.ok()) {
          Response r = json_error(in.error());
          if (in.error().kind == ErrorKind::rate_limited && retry_after > 0) {
            r.header("Retry-After", std::to_string(retry_after));
          }
          return r;
        }
        SHENPI_ASSIGN(json::object who, who_json(*auth, in->principal));
        Response r = private_json(200, who);
        r.header("Set-Cookie", session_cookie(req, in->token));
        return r;
      }),
      login_limits);

  router.add("GET", "/api/v1/session", json_api([auth](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal p, auth->authenticate(req, false));
               SHENPI_ASSIGN(json::object who, who_json(*auth, p));
               return private_json(200, who);
             }),
             read);

  router.add("DELETE", "/api/v1/session", json_api([auth](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal p, auth->authenticate(req, true));
               SHENPI_TRY(auth->accounts().logout(p, auth->context(req)));
               Response r;
               r.status = 204;
               r.header("Set-Cookie", session_cookie(req, ""));
               r.header("Cache-Control", "no-store");
               return r;
             }),
             limits);

  router.add("GET", "/api/v1/account/sessions", json_api([auth](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal p, auth->authenticate(req, false));
               SHENPI_ASSIGN(auto sessions, auth->accounts().sessions(p, auth->context(req)));
               json::array out;
               for (const app::SessionInfo& s : sessions) {
                 out.push_back(json::object{{"id", s.id},
                                            {"created_at", s.created_at},
                                            {"last_seen_at", s.last_seen_at},
                                            {"address", s.address},
                                            {"user_agent", s.user_agent},
                                            {"current", s.current}});
               }
               return private_json(200, json::object{{"sessions", std::move(out)}});
             }),
             read);

  router.add("DELETE", "/api/v1/account/sessions/{id}",
             json_api([auth](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(app::Principal p, auth->authenticate(req, true));
               SHENPI_TRY(auth->accounts().end_session(p, req.param("id"), auth->context(req)));
               Response r;
               r.status = 204;
               return r;
             }),
             limits);

  router.add(
      "POST", "/api/v1/account/password", json_api([auth](Request& req) -> Result<Response> {
        SHENPI_ASSIGN(app::Principal p, auth->authenticate(req, true));
        SHENPI_ASSIGN(json::object body, object_body(req));
        SHENPI_ASSIGN(std::string current,
                      string_field(body, "current_password", "current_password"));
        SHENPI_ASSIGN(std::string replacement, string_field(body, "password", "password"));
        SHENPI_TRY(auth->accounts().change_password(p, current, replacement, auth->context(req)));
        Response r;
        r.status = 204;
        return r;
      }),
      limits);
}

}  // namespace shenpi::http::api
