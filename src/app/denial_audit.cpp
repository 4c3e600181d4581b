#include "app/denial_audit.h"

#include <utility>

#include <boost/json.hpp>

namespace shenpi::app {

AuditEvent denial_event(const Principal& who, std::string action, std::string object_type,
                        std::string object_id, const Error& why, const RequestContext& ctx) {
  AuditEvent e;
  e.at_unix_ms = ctx.now * 1000;
  e.actor_id = who.system ? "" : who.account_id;
  e.actor_name = who.system ? "system" : (who.username.empty() ? who.name : who.username);
  e.role = who.roles.empty() ? (who.kind == AccountKind::staff ? "staff" : "applicant")
                             : who.roles.front().role;
  e.department_code = who.department_code;
  e.address = ctx.address;
  e.request_id = ctx.request_id;
  e.action = std::move(action);
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.outcome = "denied";
  e.after_json = boost::json::serialize(boost::json::object{{"reason", why.code}});
  return e;
}

}  // namespace shenpi::app
