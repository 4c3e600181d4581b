#pragma once
// The audit entry of a refused request (outcome "denied"): who asked, from where, for
// what, and the code of the refusal. Use cases record one for every permission refusal
// so that probing leaves a trace (REQUIREMENTS Art. 24).

#include <string>

#include "app/account_service.h"
#include "app/audit_sink.h"
#include "app/principal.h"
#include "core/result.h"

namespace shenpi::app {

//! The entry for `who` refused `action` on object_type/object_id with `why`; the role is
//! the first granted role (staff / applicant when none), the system principal is "system".
AuditEvent denial_event(const Principal& who, std::string action, std::string object_type,
                        std::string object_id, const Error& why, const RequestContext& ctx);

}  // namespace shenpi::app
