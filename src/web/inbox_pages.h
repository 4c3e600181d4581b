#pragma once
// The notification pages (server-rendered, zh-CN, no JavaScript, never cached):
//
//   GET  /inbox                      站内消息: the signed-in user's messages, newest first,
//                                    unread ones marked, each with a 标为已读 button
//   POST /inbox/{id}/read            marks one message read, 303 → /inbox
//   GET  /account/notifications      通知设置: email address and the email switch
//   POST /account/notifications      saves them (the address sealed at rest), 303 back
//
// Authentication through http::api::SessionAuth (forms carry csrf_token); not signed in
// → 303 /login?next=…, staff without valid training → 303 /training.
#include <memory>

#include "app/inbox_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "web/pages.h"

namespace shenpi::web {

struct InboxPagesDeps {
  std::shared_ptr<const http::api::SessionAuth> auth;
  std::shared_ptr<app::InboxService> inbox;
  WebOptions options;
};

//! Adds the routes above to `router`; the handlers share ownership of `deps`.
void register_inbox_pages(http::Router& router, InboxPagesDeps deps);

}  // namespace shenpi::web
