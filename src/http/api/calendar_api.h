#pragma once
// JSON API of the working-day calendar (public; documented in openapi.json):
//
//   GET /api/v1/calendar/add?from=YYYY-MM-DD&days=N
//       → {"from","days","date","provisional"}: the N-th working day after `from`
//   GET /api/v1/calendar/between?from=YYYY-MM-DD&to=YYYY-MM-DD
//       → {"from","to","working_days","provisional"}: working days in (from, to]
//   GET /api/v1/calendar/{year}
//       → {"year","days_off","make_up_days","stored"}; 404 calendar_year_missing
//
// Unlike the CLI, add and between answer for a year without schedule too, counting
// Monday–Friday there, with "provisional": true. Bad input: 400 with error.field.
#include <memory>

#include "app/calendar_service.h"
#include "http/router.h"

namespace shenpi::http::api {

void register_calendar_api(Router& router, std::shared_ptr<app::CalendarService> calendar);

}  // namespace shenpi::http::api
