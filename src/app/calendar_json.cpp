#include "app/calendar_json.h"

#include <string>

#include <boost/json.hpp>

namespace shenpi::app {
namespace {

namespace json = boost::json;

Error bad(std::string field, std::string message) {
  return make_error(ErrorKind::invalid_input, "bad_schedule", std::move(message), std::move(field));
}

json::array dates_to_json(const std::vector<core::Date>& dates) {
  json::array out;
  out.reserve(dates.size());
  for (const core::Date& d : dates) out.emplace_back(d.iso());
  return out;
}

Result<std::vector<core::Date>> dates_from_json(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return bad(key, std::string("缺少 ") + key);
  if (!v->is_array()) return bad(key, std::string(key) + " 应为日期数组");
  std::vector<core::Date> out;
  std::size_t i = 0;
  for (const json::value& e : v->as_array()) {
    const std::string field = std::string(key) + "[" + std::to_string(i++) + "]";
    if (!e.is_string()) return bad(field, field + " 应为 YYYY-MM-DD 格式的日期");
    auto d = core::Date::parse(std::string_view(e.as_string()));
    if (!d) {
      return bad(field, field + " 不是有效日期：" + std::string(e.as_string()));
    }
    out.push_back(*d);
  }
  return out;
}

}  // namespace

json::value to_json(const core::YearSchedule& s) {
  return json::object{{"year", s.year},
                      {"days_off", dates_to_json(s.days_off)},
                      {"make_up_days", dates_to_json(s.make_up_days)}};
}

Result<core::YearSchedule> year_schedule_from_json(const json::value& v) {
  if (!v.is_object()) return bad("", "节假日安排应为 JSON 对象");
  const json::object& o = v.as_object();
  core::YearSchedule s;
  const json::value* year = o.if_contains("year");
  if (year == nullptr || !year->is_int64() || year->as_int64() < 1 || year->as_int64() > 9999) {
    return bad("year", "year 应为 1 到 9999 之间的整数");
  }
  s.year = static_cast<int>(year->as_int64());
  SHENPI_ASSIGN(s.days_off, dates_from_json(o, "days_off"));
  SHENPI_ASSIGN(s.make_up_days, dates_from_json(o, "make_up_days"));
  return s;
}

Result<core::YearSchedule> year_schedule_from_text(std::string_view text) {
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 8;
  json::value v = json::parse(text, ec, {}, opts);
  if (ec) {
    return make_error(ErrorKind::invalid_input, "bad_json", "不是有效的 JSON：" + ec.message());
  }
  return year_schedule_from_json(v);
}

}  // namespace shenpi::app
