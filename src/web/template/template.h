#pragma once
// A small Mustache subset rendered against a boost::json::value context.
//
// Supported tags:
//   {{name}}       the value, HTML-escaped (& < > " ')
//   {{{name}}}     the value, raw (also {{&name}})
//   {{a.b.c}}      dotted names: `a` is looked up through the context stack, the rest
//                  strictly inside it
//   {{.}}          the current context value
//   {{#x}}…{{/x}}  section: repeated for each element of an array, rendered once with an
//                  object (or other truthy value) pushed onto the stack
//   {{^x}}…{{/x}}  inverted section: rendered when x is missing or falsy
//   {{> name}}     partial: another template, rendered with the same context stack
//   {{! … }}       comment
//
// Falsy values are: a missing name, null, false, an empty array and an empty string (an
// empty string is falsy here, unlike the Mustache spec, so optional text fields can be
// guarded with a section). Numbers and objects are always truthy. A missing name renders
// as the empty string. Tags alone on a line (sections, comments, partials) do not leave a
// blank line behind. Set-delimiter tags and lambdas are not supported.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/json/value.hpp>

#include "core/result.h"

namespace shenpi::web {

//! Appends text to out with & < > " ' replaced by character references.
void append_html_escaped(std::string& out, std::string_view text);
//! The HTML-escaped copy of text.
std::string html_escape(std::string_view text);

//! A parsed template: immutable, safe to render from several threads at once.
class Template;

//! Parses source. On a syntax error (unclosed tag or section, mismatched close, empty
//! name, unsupported tag) returns invalid_input with code "template_syntax" and a message
//! naming the template and the line.
Result<std::shared_ptr<const Template>> parse_template(std::string_view source,
                                                       std::string_view name = "template");

//! Loads templates by name, parses each once on first use and caches it; thread-safe.
class TemplateEngine {
 public:
  //! Returns the source of the template called name, or nullopt when there is none.
  using Loader = std::function<std::optional<std::string>(std::string_view name)>;

  explicit TemplateEngine(Loader loader);

  //! The loader over embedded resources: "guide" → src/web/templates/guide.html.
  static Loader embedded_loader();

  //! Renders template `name` against context. Errors: not_found ("template_not_found")
  //! for a missing template or partial, invalid_input ("template_syntax") for a template
  //! that does not parse, internal ("template_depth") for partials nested too deep.
  Result<std::string> render(std::string_view name, const boost::json::value& context);

  //! Renders a parsed template (partials still come from this engine's loader).
  Result<std::string> render(const Template& tpl, const boost::json::value& context);

  //! The parsed template, from the cache or freshly loaded and parsed.
  Result<std::shared_ptr<const Template>> get(std::string_view name);

 private:
  Loader loader_;
  std::mutex mu_;  // guards cache_; never held while rendering
  std::unordered_map<std::string, std::shared_ptr<const Template>> cache_;
};

}  // namespace shenpi::web
