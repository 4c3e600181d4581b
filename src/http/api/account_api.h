#pragma once
// POST /api/v1/accounts: registration of natural and legal persons (documented in
// openapi.json).
#include <memory>

#include "http/api/session_auth.h"
#include "http/router.h"

namespace shenpi::http::api {

void register_account_api(Router& router, std::shared_ptr<const SessionAuth> auth);

}  // namespace shenpi::http::api
