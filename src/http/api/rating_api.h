#pragma once
// The JSON API of ratings (好差评):
//
//   GET  /api/v1/cases/{number}/rating        {"rating": {…}|null, "can_rate", "window_ends"}
//   POST /api/v1/cases/{number}/rating        {"level","comment"} the applicant rates → 201
//   GET  /api/v1/ratings/follow-ups           {"follow_ups":[…]} 差评 follow-ups the caller
//                                             handles (business lead) or oversees (centre, bureau)
//   POST /api/v1/ratings/{id}/follow-up       {"action","version",…} callback / appeal /
//                                             decide_appeal
#include <boost/json/object.hpp>

#include <memory>

#include "app/rating_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"

namespace shenpi::http::api {

void register_rating_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                         std::shared_ptr<app::RatingService> ratings);

//! The JSON of a rating (shared with the pages' tests).
boost::json::object rating_json(const core::Rating& r);

}  // namespace shenpi::http::api
