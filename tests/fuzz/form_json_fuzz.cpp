// libFuzzer harness: the `data` object of POST /api/v1/applications and PUT …/draft: a
// JSON text → app::form_data_from_json → core::validate_form against a form definition,
// and the round trip form_data_from_json(form_data_to_json(d)) == d the header promises.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/form_data_json.h"
#include "core/forms/form_validate.h"
#include "form_definition.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 32;  // the server's request parser limit is of the same order
  const boost::json::value v = boost::json::parse(text, ec, {}, opts);
  if (ec) return 0;
  auto form_data = shenpi::app::form_data_from_json(v);
  if (!form_data) {
    if (form_data.error().kind != shenpi::ErrorKind::invalid_input) __builtin_trap();
    return 0;
  }
  auto round = shenpi::app::form_data_from_json(shenpi::app::form_data_to_json(*form_data));
  if (!round || *round != *form_data) __builtin_trap();

  const auto& fields = shenpi::fuzz::form_definition();
  shenpi::core::FormCheck check;
  check.today = "2026-06-30";
  for (auto mode : {shenpi::core::FormMode::draft, shenpi::core::FormMode::submit}) {
    const auto result = shenpi::core::validate_form(fields, *form_data, mode, check);
    for (const auto& e : result.errors) {
      if (e.kind != shenpi::ErrorKind::invalid_input || e.field.empty()) __builtin_trap();
    }
    (void)boost::json::serialize(shenpi::app::form_data_to_json(result.data));
  }
  return 0;
}
