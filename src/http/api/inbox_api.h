#pragma once
// The notification API (documented in openapi.json):
//
//   GET  /api/v1/inbox                    the caller's messages, newest first, and the
//                                         unread count: {"messages":[…],"unread"}
//   POST /api/v1/inbox/{id}/read          marks one read (X-CSRF-Token) → 204
//   GET  /api/v1/events?after=&limit=     the event feed by cursor (audit_read, or the
//                                         system): {"events":[…],"next"}; pass `next` as
//                                         `after` to continue. Receivers de-duplicate by
//                                         event_id.
#include <memory>

#include "app/inbox_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"

namespace shenpi::http::api {

void register_inbox_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                        std::shared_ptr<app::InboxService> inbox);

}  // namespace shenpi::http::api
