// libFuzzer harness: an HTML form post (application/x-www-form-urlencoded) read against a
// form definition and validated, as the application pages do: http::parse_form →
// app::form_data_from_fields → core::validate_form (draft and submit), then the display
// text of every value. Contract: malformed bodies are invalid_input; everything else
// validates to data and errors without crashing, and the normalised data validates again
// with the same outcome (normalisation is stable).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/form_data_json.h"
#include "core/forms/form_validate.h"
#include "form_definition.h"
#include "http/form.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto form = shenpi::http::parse_form(body);
  if (!form) {
    if (form.error().kind != shenpi::ErrorKind::invalid_input) __builtin_trap();
    return 0;
  }
  (void)form->get("csrf_token");
  const auto& fields = shenpi::fuzz::form_definition();
  const shenpi::core::FormData posted = shenpi::app::form_data_from_fields(fields, form->fields);
  shenpi::core::FormCheck check;
  check.today = "2026-06-30";
  check.upload_ok = [](std::string_view id) { return id.size() == 8; };
  for (auto mode : {shenpi::core::FormMode::draft, shenpi::core::FormMode::submit}) {
    const auto result = shenpi::core::validate_form(fields, posted, mode, check);
    const auto again = shenpi::core::validate_form(fields, result.data, mode, check);
    if (again.data != result.data) __builtin_trap();
    for (const auto& f : fields) {
      auto it = result.data.find(f.name);
      if (it != result.data.end()) (void)shenpi::core::display_value(f, it->second);
      (void)shenpi::core::condition_note(fields, f);
    }
  }
  return 0;
}
