#pragma once
// The performance figures API (绩效评估, issue 5):
//   GET /api/v1/performance?from=YYYY-MM-DD&to=YYYY-MM-DD&dept=&item=
//     200 {"from","to","city_wide","city": figures | null,
//          "departments": [{"department","department_name", "figures": figures}],
//          "items": [{"item","item_name","department","department_name","figures": figures}]}
//     where figures is {"received","accepted","decided","approved","on_time","late",
//     "on_time_rate","average_days","p90_days","suspensions","extensions","warnings",
//     "complaints_upheld","ratings":{"very_satisfied",…,"very_dissatisfied"},"provisional"}.
//     The supervision bureau, the leading group and the service centre see the whole city;
//     a department's business lead their own department (city is null; 403 for another
//     `dept`); anyone else 403. 400 for a malformed or reversed period, or one longer than
//     366 days. Documented in openapi.json.
#include <memory>

#include <boost/json/object.hpp>

#include "app/performance_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"

namespace shenpi::http::api {

//! The JSON of one set of figures, as above (shared with the pages' tests).
boost::json::object performance_figures_json(const core::PerformanceFigures& f);
//! The JSON of a whole view, as the 200 answer above.
boost::json::object performance_view_json(const app::PerformanceView& v);

void register_performance_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                              std::shared_ptr<app::PerformanceService> performance);

}  // namespace shenpi::http::api
