#pragma once
// What a server-rendered page answers when the use case behind it fails. Every page file
// (cases, work, staff, calendar, complaints, ratings, inbox, performance, supervision)
// answers a failure through this one function, so that a person who is not signed in, or
// a staff member whose training has lapsed, meets the same redirect on every page.
#include <string_view>

#include "core/result.h"
#include "http/message.h"

namespace shenpi::web {

//! The response of a page whose use case failed with `error`:
//!  - kind unauthenticated → 303 to /login?next=<url-encoded target>, where the target is
//!    the request's own target (path and query) for GET and `next_on_post` for any other
//!    method (a form post cannot be replayed by a redirect, so the person is led back to
//!    the page the form is on);
//!  - kind forbidden with code "training_required" (staff without a valid training
//!    record, Art. 20) → 303 to /training;
//!  - anything else → the Chinese error page of html_error with `site_name`, its status
//!    from http::status_for(error.kind); an internal or unavailable error is logged with
//!    the request id first (http::report_error), its message never shown.
//! Every answer carries Cache-Control: no-store. Never fails.
http::Response page_failure(const http::Request& request, const Error& error,
                            std::string_view site_name, std::string_view next_on_post);

}  // namespace shenpi::web
