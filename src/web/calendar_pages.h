#pragma once
// The service centre's calendar page (centre_admin, Permission::calendar_edit),
// server-rendered, zh-CN, no JavaScript, never cached:
//
//   GET  /admin/calendar?year=YYYY   the year's days off and make-up working days (default:
//                                    this year), the missing-year reminder, and a form to
//                                    replace them (textarea lists of dates)
//   POST /admin/calendar             replaces the year (fields year, days_off,
//                                    make_up_days, csrf_token); 303 back to the page on
//                                    success, the form again with the error beside its
//                                    field otherwise
//
// Authentication and CSRF as in staff_pages.h: not signed in → 303 /login?next=…; staff
// without valid training → 303 /training; without the permission → 403 page.
#include <memory>

#include "app/calendar_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "web/pages.h"

namespace shenpi::web {

struct CalendarPagesDeps {
  std::shared_ptr<const http::api::SessionAuth> auth;
  std::shared_ptr<app::CalendarService> calendar;
  WebOptions options;
};

//! Adds the routes above to `router`; the handlers share ownership of `deps`.
void register_calendar_pages(http::Router& router, CalendarPagesDeps deps);

//! Splits a textarea of dates (one per line, or separated by commas, 、 or blanks) into
//! dates. invalid_input naming `field` and the first bad entry otherwise.
Result<std::vector<core::Date>> parse_date_list(std::string_view text, const std::string& field);

}  // namespace shenpi::web
