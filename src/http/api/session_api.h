#pragma once
// The session API under /api/v1/session (documented in openapi.json): sign in, who am I,
// sign out; and the signed-in user's own sessions and password under /api/v1/account.
#include <boost/json/object.hpp>

#include <memory>

#include "http/api/session_auth.h"
#include "http/router.h"

namespace shenpi::http::api {

//! Largest body accepted by the account and session routes.
inline constexpr std::size_t kAccountBodyLimit = 16 * 1024;

void register_session_api(Router& router, std::shared_ptr<const SessionAuth> auth);

//! The JSON form of a principal: id, kind, name, username, department, roles,
//! trained, training_valid_until (and login, masked, when given).
boost::json::object principal_json(const app::Principal& p, const std::string& login_masked);

}  // namespace shenpi::http::api
