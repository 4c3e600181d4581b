#pragma once
// Rectification notices (整改通知) in the JSON API (issue 5):
//   POST /api/v1/supervision/notices             issue (centre, bureau): {"department",
//        "subject","body","reply_days","cases":[…],"warnings":[…]} → 201 {"notice":{…}}
//   GET  /api/v1/supervision/notices?dept=&status=&from=&to=  → {"notices":[…]}
//   POST /api/v1/supervision/notices/{id}/reply  the department's business lead:
//        {"reply"} → {"notice":{…}}
// The notice JSON: app::notice_to_json. Writes need the session's CSRF token in the
// X-CSRF-Token header.
#include <memory>

#include "app/rectification_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"

namespace shenpi::http::api {

void register_rectification_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                                std::shared_ptr<app::RectificationService> notices);

}  // namespace shenpi::http::api
