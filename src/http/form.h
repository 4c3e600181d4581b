#pragma once
// HTML form bodies (application/x-www-form-urlencoded): percent-decoding and '+' as space,
// as browsers send them. Used by the page routes that accept POSTed forms and by
// SessionAuth, which reads the form's csrf_token.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace shenpi::http {

//! Page routes that take forms accept at most this many bytes of body.
inline constexpr std::size_t kFormBodyLimit = 16 * 1024;

class Form {
 public:
  //! The first value of field `name`, or nullopt when absent.
  std::optional<std::string_view> get(std::string_view name) const;
  //! The first value of field `name`, or "" when absent.
  std::string value(std::string_view name) const;

  std::vector<std::pair<std::string, std::string>> fields;  //!< decoded, in order
};

//! True when the request's Content-Type is application/x-www-form-urlencoded.
bool is_form(const Request& req);

//! Parses an urlencoded body. invalid_input "bad_form" for malformed percent-escapes.
Result<Form> parse_form(std::string_view body);

//! The request's body as a form: invalid_input "bad_form" when the Content-Type is not
//! application/x-www-form-urlencoded or the body does not parse.
Result<Form> form_body(const Request& req);

}  // namespace shenpi::http
