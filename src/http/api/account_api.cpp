#include "http/api/account_api.h"

#include <optional>

#include "http/api/api_util.h"
#include "http/api/session_api.h"

namespace shenpi::http::api {

namespace json = boost::json;

void register_account_api(Router& router, std::shared_ptr<const SessionAuth> auth) {
  RouteOptions limits;
  limits.max_body = kAccountBodyLimit;
  limits.name = "/api/v1/accounts";
  limits.access = "public";
  router.add(
      "POST", "/api/v1/accounts", json_api([auth](Request& req) -> Result<Response> {
        SHENPI_ASSIGN(json::object body, object_body(req));
        SHENPI_ASSIGN(std::string kind, string_field(body, "kind", "kind"));
        const app::RequestContext ctx = auth->context(req);
        // Window registration with a check-digit override: only a signed-in staff member
        // (with X-CSRF-Token) may give a reason; anyone else is checked strictly.
        app::WindowRegistration window;
        std::optional<app::Principal> staff;
        if (const json::value* reason = body.if_contains("check_override_reason");
            reason != nullptr && !reason->is_null()) {
          SHENPI_ASSIGN(window.check_override_reason,
                        string_field(body, "check_override_reason", "check_override_reason"));
          Result<app::Principal> who = auth->authenticate(req, true);
          if (!who.ok() && who.error().kind != ErrorKind::unauthenticated) return who.take_error();
          if (who.ok() && who->kind == app::AccountKind::staff) {
            staff = std::move(who).value();
            window.staff = &*staff;
          }
        }
        Result<app::AccountSummary> created = make_error(
            ErrorKind::invalid_input, "bad_kind", "kind 应为 person 或 organisation", "kind");
        if (kind == "person") {
          app::PersonRegistration r;
          SHENPI_ASSIGN(r.name, string_field(body, "name", "name"));
          SHENPI_ASSIGN(r.id_number, string_field(body, "id_number", "id_number"));
          SHENPI_ASSIGN(r.mobile, string_field(body, "mobile", "mobile"));
          SHENPI_ASSIGN(r.password, string_field(body, "password", "password"));
          created = auth->accounts().register_person(r, ctx, window);
        } else if (kind == "organisation") {
          app::OrganisationRegistration r;
          SHENPI_ASSIGN(r.name, string_field(body, "name", "name"));
          SHENPI_ASSIGN(r.credit_code, string_field(body, "credit_code", "credit_code"));
          SHENPI_ASSIGN(r.representative, string_field(body, "representative", "representative"));
          const json::value* agent = body.if_contains("agent");
          if (agent != nullptr && !agent->is_null()) {
            if (!agent->is_object()) {
              return make_error(ErrorKind::invalid_input, "bad_field", "agent 应为对象", "agent");
            }
            SHENPI_ASSIGN(r.agent_name, string_field(agent->as_object(), "name", "agent.name"));
            SHENPI_ASSIGN(r.agent_id_number,
                          string_field(agent->as_object(), "id_number", "agent.id_number"));
          }
          SHENPI_ASSIGN(r.mobile, string_field(body, "mobile", "mobile"));
          SHENPI_ASSIGN(r.password, string_field(body, "password", "password"));
          created = auth->accounts().register_organisation(r, ctx, window);
        }
        if (!created.ok()) return created.take_error();
        Response res =
            private_json(201, json::object{{"id", created->id},
                                           {"kind", app::to_string(created->kind)},
                                           {"name", created->name},
                                           {"login", created->login_masked},
                                           {"check_overridden", created->check_overridden}});
        res.header("Location", "/api/v1/session");
        return res;
      }),
      limits);
}

}  // namespace shenpi::http::api
