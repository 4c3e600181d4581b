// libFuzzer harness: the template renderer (src/web/template/template.h). Input layout:
// one selector byte, then
//   selector even: a template source, a NUL byte, a JSON value. The source is parsed and
//     rendered against a fixed small context (sources are ours, not outside input, and
//     nested sections over long arrays are exponential by design); the partial "loop"
//     includes itself, so recursion must end in the template_depth error, not a stack
//     overflow. The JSON value is then rendered through {{x}}.
//   selector odd: a JSON context rendered through one of the application's own templates
//     (chosen by the next byte), as a page handler would with hostile data in it.
// Contract: a page or a clean error, never a crash; {{x}} never lets markup through.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "web/template/template.h"

namespace {

boost::json::value parse_context(std::string_view text) {
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 32;
  boost::json::value v = boost::json::parse(text, ec, {}, opts);
  if (ec) return boost::json::value(boost::json::string(text));  // text as the context
  return v;
}

constexpr std::array<std::string_view, 32> kPages = {"account_home",
                                                     "account_login",
                                                     "account_register",
                                                     "apply",
                                                     "apply_form",
                                                     "audit_search",
                                                     "bundle",
                                                     "case_clock",
                                                     "case_detail",
                                                     "case_rating",
                                                     "case_timeline",
                                                     "complaint_detail",
                                                     "complaint_list",
                                                     "complaint_new",
                                                     "complaint_track",
                                                     "department",
                                                     "error",
                                                     "follow_up_detail",
                                                     "form_fields",
                                                     "guide",
                                                     "guide_print",
                                                     "home",
                                                     "inbox",
                                                     "item_list",
                                                     "my_cases",
                                                     "notification_settings",
                                                     "search",
                                                     "staff_admin",
                                                     "staff_training",
                                                     "verify_form",
                                                     "verify_result",
                                                     "calendar_admin"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 1) {
    static shenpi::web::TemplateEngine pages(shenpi::web::TemplateEngine::embedded_loader());
    const std::string_view name = kPages[static_cast<unsigned char>(in[0]) % kPages.size()];
    (void)pages.render(name, parse_context(in.substr(1)));
    return 0;
  }

  const std::size_t nul = in.find('\0');
  const std::string_view source = in.substr(0, nul);
  const std::string_view context_text =
      nul == std::string_view::npos ? std::string_view() : in.substr(nul + 1);
  static shenpi::web::TemplateEngine engine(
      [](std::string_view name) -> std::optional<std::string> {
        if (name == "loop") return std::string("{{#a}}{{> loop}}{{/a}}");
        if (name == "item") return std::string("<li>{{name}}</li>");
        return std::nullopt;
      });
  static const boost::json::value fixed = boost::json::parse(
      R"({"a": {"a": true, "name": "<b>&'\"", "n": 0}, "b": [{"name": "一"}], "c": "",
          "d": null, "e": [], "f": false, "g": 1.5, "name": "x"})");
  if (auto tpl = shenpi::web::parse_template(source, "fuzz")) {
    (void)engine.render(**tpl, fixed);
  } else if (tpl.error().code != "template_syntax") {
    __builtin_trap();
  }

  // Escaping: whatever the value, {{x}} produces no markup characters.
  boost::json::object obj;
  obj["x"] = parse_context(context_text);
  static const auto escaped = *shenpi::web::parse_template("{{x}}", "escape");
  auto out = engine.render(*escaped, obj);
  if (!out || out->find_first_of("<>\"'") != std::string::npos) __builtin_trap();
  (void)engine.render(**shenpi::web::parse_template("{{> loop}}", "loop"), fixed);
  return 0;
}
