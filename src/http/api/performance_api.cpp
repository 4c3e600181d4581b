#include "http/api/performance_api.h"

#include <cmath>
#include <string>

#include "http/api/api_util.h"

namespace shenpi::http::api {
namespace {

namespace json = boost::json;

std::string text_param(const Request& req, std::string_view name) {
  const auto v = req.query_param(name);
  return v ? std::string(*v) : std::string();
}

// Rounded for display: one decimal for days, three for the share.
double rounded(double v, double scale) { return std::round(v * scale) / scale; }

}  // namespace

json::object performance_figures_json(const core::PerformanceFigures& f) {
  json::object ratings;
  const auto& levels = core::rating_levels();
  for (std::size_t i = 0; i < levels.size() && i < core::kRatingLevels; ++i) {
    ratings[core::to_string(levels[i])] = f.ratings[i];
  }
  return json::object{{"received", f.received},
                      {"accepted", f.accepted},
                      {"decided", f.decided},
                      {"approved", f.approved},
                      {"on_time", f.on_time},
                      {"late", f.late},
                      {"on_time_rate", rounded(f.on_time_rate(), 1000.0)},
                      {"average_days", rounded(f.average_days, 10.0)},
                      {"p90_days", f.p90_days},
                      {"suspensions", f.suspensions},
                      {"extensions", f.extensions},
                      {"warnings", f.warnings},
                      {"complaints_upheld", f.complaints_upheld},
                      {"ratings", std::move(ratings)},
                      {"provisional", f.provisional}};
}

json::object performance_view_json(const app::PerformanceView& v) {
  json::array departments;
  for (const auto& d : v.report.departments) {
    departments.push_back(json::object{{"department", d.department_code},
                                       {"department_name", d.department_name},
                                       {"figures", performance_figures_json(d.figures)}});
  }
  json::array items;
  for (const auto& i : v.report.items) {
    items.push_back(json::object{{"item", i.item_code},
                                 {"item_name", i.item_name},
                                 {"department", i.department_code},
                                 {"department_name", i.department_name},
                                 {"figures", performance_figures_json(i.figures)}});
  }
  json::object out{
      {"from", v.report.from.iso()}, {"to", v.report.to.iso()}, {"city_wide", v.city_wide}};
  if (v.city_wide) {
    out["city"] = performance_figures_json(v.report.city);
  } else {
    out["city"] = nullptr;
  }
  out["departments"] = std::move(departments);
  out["items"] = std::move(items);
  return out;
}

void register_performance_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                              std::shared_ptr<app::PerformanceService> performance) {
  RouteOptions read;
  // Listed as the bureau's; the use case also lets the centre and a department's business
  // lead in, and decides the scope (city-wide or own department).
  read.access = "supervise";
  router.add(
      "GET", "/api/v1/performance", json_api([auth, performance](Request& req) -> Result<Response> {
        SHENPI_ASSIGN(app::Principal who, auth->authenticate(req, false));
        app::PerformanceQuery q;
        q.from = text_param(req, "from");
        q.to = text_param(req, "to");
        q.department = text_param(req, "dept");
        q.item = text_param(req, "item");
        SHENPI_ASSIGN(app::PerformanceView view, performance->figures(who, q, auth->context(req)));
        return private_json(200, performance_view_json(view));
      }),
      read);
}

}  // namespace shenpi::http::api
