#pragma once
// The JSON form of a year's holiday schedule, shared by the shipped data
// (data/calendar/YYYY.json), `shenpi calendar import`, the API and the store:
//
//   {"year": 2025, "days_off": ["2025-01-01", …], "make_up_days": ["2025-01-26", …]}
//
// Other members (the shipped files carry "source", the notice's number) are ignored.
#include <string_view>

#include <boost/json/value.hpp>

#include "core/calendar/working_calendar.h"
#include "core/result.h"

namespace shenpi::app {

boost::json::value to_json(const core::YearSchedule&);

//! invalid_input with `field` naming the member at fault ("year", "days_off[3]", …) when a
//! member is missing, of the wrong type, or a date is not a real YYYY-MM-DD. Does not
//! check the schedule's consistency: core::validate_schedule does.
Result<core::YearSchedule> year_schedule_from_json(const boost::json::value&);

//! Parses the text of a JSON document, then as above ("bad_json" when it does not parse).
Result<core::YearSchedule> year_schedule_from_text(std::string_view text);

}  // namespace shenpi::app
