#include "http/form.h"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>

namespace shenpi::http {

std::optional<std::string_view> Form::get(std::string_view name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string Form::value(std::string_view name) const { return std::string(get(name).value_or("")); }

bool is_form(const Request& req) {
  const std::string_view type = req.header("Content-Type").value_or("");
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  if (type.size() < kForm.size() || !iequals(type.substr(0, kForm.size()), kForm)) return false;
  // Parameters (e.g. "; charset=UTF-8") may follow; another type sharing the prefix may not.
  return type.size() == kForm.size() || type[kForm.size()] == ';' || type[kForm.size()] == ' ';
}

Result<Form> parse_form(std::string_view body) {
  Form form;
  if (body.empty()) return form;
  // Boost.URL 1.81 parse_query rebuilds its input from data() alone, i.e. up to the next
  // NUL (boostorg/url#757): on a view that is not NUL-terminated right after its end it
  // reads past it and parses bytes the caller never passed. Parse a terminated copy.
  const std::string terminated(body);
  auto parsed = boost::urls::parse_query(terminated);
  if (!parsed) {
    return make_error(ErrorKind::invalid_input, "bad_form", "表单数据格式有误，请刷新页面后重试");
  }
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (const auto& p : *parsed) {
    if (p.key.empty() && !p.has_value) continue;  // "a=1&&b=2"
    form.fields.emplace_back(p.key.decode(opts), p.has_value ? p.value.decode(opts) : "");
  }
  return form;
}

Result<Form> form_body(const Request& req) {
  if (!is_form(req)) {
    return make_error(ErrorKind::invalid_input, "bad_form", "请通过页面上的表单提交");
  }
  return parse_form(req.body);
}

}  // namespace shenpi::http
