#include "http/api/calendar_api.h"

#include <boost/json.hpp>
#include <charconv>
#include <string>

#include "app/calendar_json.h"
#include "http/api/api_util.h"

namespace shenpi::http::api {
namespace {

namespace json = boost::json;

// Bounds that keep every answer a four-digit-year date and every count quick.
constexpr int kMinYear = 1000;
constexpr int kMaxYear = 9000;
constexpr int kMaxDays = 3660;       // add: about ten years of working days is plenty
constexpr int kMaxSpanDays = 36600;  // between: a century of calendar days

Response ok_json(const json::value& v) {
  Response r = Response::json(200, json::serialize(v));
  // Public and cheap; an edit by the centre shows within a minute.
  r.header("Cache-Control", "public, max-age=60");
  return r;
}

Error bad_parameter(std::string name, std::string message) {
  return make_error(ErrorKind::invalid_input, "bad_parameter", std::move(message), std::move(name));
}

Result<core::Date> date_param(const Request& req, const char* name) {
  const auto v = req.query_param(name);
  if (!v || v->empty()) {
    return bad_parameter(name, std::string("缺少参数 ") + name + "（YYYY-MM-DD）");
  }
  const auto d = core::Date::parse(*v);
  if (!d || d->year < kMinYear || d->year > kMaxYear) {
    return bad_parameter(name, std::string("参数 ") + name + " 应为 YYYY-MM-DD 格式的有效日期");
  }
  return *d;
}

Result<int> int_value(std::string_view s, const std::string& name, int min, int max,
                      const std::string& message) {
  int out = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || out < min || out > max) {
    return bad_parameter(name, message);
  }
  return out;
}

}  // namespace

void register_calendar_api(Router& router, std::shared_ptr<app::CalendarService> calendar) {
  RouteOptions pub;
  pub.access = "public";
  // add and between first: the router takes the first pattern that matches, and
  // /calendar/{year} would match them too.
  router.add("GET", "/api/v1/calendar/add", json_api([calendar](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(const core::Date from, date_param(req, "from"));
               const auto days_text = req.query_param("days");
               SHENPI_ASSIGN(
                   const int days,
                   int_value(days_text.value_or(""), "days", 0, kMaxDays,
                             "参数 days 应为 0 到 " + std::to_string(kMaxDays) + " 之间的整数"));
               const auto r = calendar->calendar()->add_working_days_provisional(from, days);
               return ok_json(json::object{{"from", from.iso()},
                                           {"days", days},
                                           {"date", r.date.iso()},
                                           {"provisional", r.provisional}});
             }),
             pub);

  router.add("GET", "/api/v1/calendar/between",
             json_api([calendar](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(const core::Date from, date_param(req, "from"));
               SHENPI_ASSIGN(const core::Date to, date_param(req, "to"));
               if (core::calendar_days_between(from, to) > kMaxSpanDays) {
                 return bad_parameter("to", "起止日期相隔不能超过 100 年");
               }
               const auto r = calendar->calendar()->working_days_between_provisional(from, to);
               return ok_json(json::object{{"from", from.iso()},
                                           {"to", to.iso()},
                                           {"working_days", r.days},
                                           {"provisional", r.provisional}});
             }),
             pub);

  router.add("GET", "/api/v1/calendar/{year}",
             json_api([calendar](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(const int year, int_value(req.param("year"), "year", 1, 9999,
                                                       "年份应为 1 到 9999 之间的整数"));
               SHENPI_ASSIGN(const core::YearSchedule s, calendar->year(year));
               json::object o = app::to_json(s).as_object();
               o["stored"] = calendar->stored(year);
               return ok_json(o);
             }),
             pub);
}

}  // namespace shenpi::http::api
