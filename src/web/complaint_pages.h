#pragma once
// The complaint pages (投诉, Art. 13; server-rendered, zh-CN, no JavaScript, never cached):
//
//   GET  /complaints/new?case=NUMBER    投诉: the form (anyone; signed in or not)
//   POST /complaints                    files it; shows the number and the tracking code once
//   GET  /complaints/track              查询投诉: number + tracking code form
//   POST /complaints/track              shows the complaint to the holder of the code (POST,
//                                       so that the code never appears in a URL or a log)
//   GET  /complaints/{number}           one complaint, for the signed-in complainant, the
//                                       supervision bureau and the centre
//   POST /complaints/{number}/actions   assign / answer (bureau), confirm / dispute
//                                       (complainant, signed in or with the code)
//   GET  /my/complaints                 我的投诉 (signed in)
//   GET  /supervision/complaints        投诉处理 (bureau: all; centre: not about a person)
//
// Every form carries csrf_token: the session's once signed in, before that the
// double-submit token of the shenpi_csrf cookie (as the login and registration forms).
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "app/catalogue_service.h"
#include "app/complaint_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "web/pages.h"

namespace shenpi::web {

struct ComplaintPagesDeps {
  std::shared_ptr<const http::api::SessionAuth> auth;
  std::shared_ptr<app::ComplaintService> complaints;
  std::shared_ptr<app::CatalogueService> catalogue;  //!< the departments to choose from
  std::function<std::string(std::size_t)> random_bytes;
  WebOptions options;
};

void register_complaint_pages(http::Router& router, ComplaintPagesDeps deps);

}  // namespace shenpi::web
