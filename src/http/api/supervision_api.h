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
#include <memory>

#include "app/supervision_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"

namespace shenpi::http::api {

void register_supervision_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                              std::shared_ptr<app::SupervisionService> supervision);

}  // namespace shenpi::http::api
