#pragma once
// The e-supervision API (电子监察; documented in openapi.json):
//
//   GET /api/v1/supervision/warnings?dept=&state=&case=&limit=
//     → {"warnings":[{"id","case_number","department","department_name","rule",
//        "rule_label","part_seq","task_id","days_late","legal_days_late","due_on","state",
//        "first_seen_on","last_seen_on"}]}, most days late first.
//     The service centre and the supervision bureau see every department's warnings; a
//     department's staff with case_read see their own department's only (403 for another
//     `dept`); applicants and staff without case_read get 403.
//
//   POST /api/v1/supervision/warnings/{id}/acknowledge  {"note"}  → 200 {"warning":{…}}
//     the department's business lead or administrator explains the warning (说明情况):
//     open → acknowledged. 403 not_department_lead for anyone else who may see it, 404
//     for a warning the caller may not see, 400 note_required / note_too_long, 409
//     warning_closed.
//   POST /api/v1/supervision/warnings/{id}/close  {"note"}  → 200 {"warning":{…}}
//     the service centre or the supervision bureau closes it (办结): 403 not_overseer,
//     otherwise as above. Each change is audited with its note in its transaction.
#include <memory>

#include "app/supervision_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"

namespace shenpi::http::api {

void register_supervision_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                              std::shared_ptr<app::SupervisionService> supervision);

}  // namespace shenpi::http::api
