// libFuzzer harness: the JSON documents read from outside (staff-authored catalogue
// entries and form definitions, State Council calendar schedules, stored case documents,
// stored string lists). The first byte chooses the reader, the rest is the JSON text.
// Contract: each is a value or an invalid_input error, never a crash; what reads back is
// written again without error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/calendar_json.h"
#include "app/case_json.h"
#include "app/catalogue_json.h"
#include "core/calendar/working_calendar.h"
#include "core/catalogue/validate.h"

namespace {

template <typename T>
bool failed_cleanly(const shenpi::Result<T>& r) {
  return !r && r.error().kind == shenpi::ErrorKind::invalid_input;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const unsigned selector = data[0] % 5;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  namespace app = shenpi::app;

  if (selector == 0) {  // a stored case document
    auto c = app::case_from_json(text);
    if (!c) {
      if (!failed_cleanly(c)) __builtin_trap();
      return 0;
    }
    if (!app::case_from_json(app::case_to_json(*c))) __builtin_trap();
    return 0;
  }
  if (selector == 1) {  // a calendar schedule upload
    auto s = app::year_schedule_from_text(text);
    if (!s) {
      if (!failed_cleanly(s)) __builtin_trap();
      return 0;
    }
    if (shenpi::core::validate_schedule(*s)) {
      shenpi::core::WorkingCalendar cal;
      cal.set_year(*s);
      const shenpi::core::Date from{s->year, 1, 1};
      (void)cal.add_working_days_provisional(from, 400);
      (void)cal.working_days_between_provisional(from, shenpi::core::Date{s->year, 12, 31});
    }
    (void)boost::json::serialize(app::to_json(*s));
    return 0;
  }
  if (selector == 4) {  // a stored list of strings
    auto l = app::strings_from_json_text(text);
    if (l) (void)app::strings_to_json_text(*l);
    return 0;
  }

  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 32;
  const boost::json::value v = boost::json::parse(text, ec, {}, opts);
  if (ec) return 0;
  if (selector == 2) {  // a form definition
    auto f = app::form_from_json(v);
    if (!f) {
      if (!failed_cleanly(f)) __builtin_trap();
      return 0;
    }
    (void)boost::json::serialize(app::to_json(*f));
    return 0;
  }
  auto item = app::item_version_from_json(v);  // a catalogue item version
  if (!item) {
    if (!failed_cleanly(item)) __builtin_trap();
    return 0;
  }
  (void)shenpi::core::validate_item_version(*item);
  (void)boost::json::serialize(app::to_json(*item));
  return 0;
}
