#pragma once
// The rating pages (好差评; server-rendered, zh-CN, no JavaScript, never cached):
//
//   GET  /my/cases/{number}/rating   评价: the applicant's form after delivery, or the rating
//   POST /my/cases/{number}/rating   rates (five levels, optional comment), 303 back
//   GET  /work/follow-ups            差评整改: business leads (their departments), the centre
//                                    and the bureau (all)
//   GET  /work/follow-ups/{id}       one follow-up with its forms
//   POST /work/follow-ups/{id}       callback / appeal (business lead), decide_appeal (centre)
//
// Signed in only (303 /login otherwise); forms carry the session's csrf_token.
#include <memory>

#include "app/rating_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "web/pages.h"

namespace shenpi::web {

struct RatingPagesDeps {
  std::shared_ptr<const http::api::SessionAuth> auth;
  std::shared_ptr<app::RatingService> ratings;
  WebOptions options;
};

void register_rating_pages(http::Router& router, RatingPagesDeps deps);

}  // namespace shenpi::web
