#pragma once
// The JSON API of complaints (投诉, Art. 13):
//
//   POST /api/v1/complaints                  file (public; signed in or not) → 201
//        {"number","tracking_code","state","due_on","version"}
//   GET  /api/v1/complaints?state=           the caller's complaints (bureau: all; centre:
//                                            not about a person; others: their own)
//   GET  /api/v1/complaints/{number}         one complaint (bureau, centre, the complainant's
//                                            account; 404 for anyone else)
//   POST /api/v1/complaints/track            {"number","tracking_code"}: the complaint for
//                                            the holder of its tracking code (public; a POST
//                                            keeps the code out of URLs and logs)
//   POST /api/v1/complaints/{number}/actions {"action","version",…} assign / answer /
//                                            confirm / dispute
//
// A signed-in caller's writes need the X-CSRF-Token header; without a session cookie a
// complaint is filed anonymously and followed with its tracking code.
#include <memory>

#include "app/complaint_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"

namespace shenpi::http::api {

void register_complaint_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                            std::shared_ptr<app::ComplaintService> complaints);

//! The principal of the request when it carries a live session, nullopt when it carries
//! none (anonymous). A write with a session but without the right CSRF token fails.
Result<std::optional<app::Principal>> optional_principal(const SessionAuth& auth,
                                                         const Request& req, bool write,
                                                         CsrfSource source);

}  // namespace shenpi::http::api
