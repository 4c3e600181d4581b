#include "http/api/api_util.h"

namespace shenpi::http::api {

Result<boost::json::object> object_body(const Request& req) {
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 8;
  boost::json::value v = boost::json::parse(req.body, ec, {}, opts);
  if (ec || !v.is_object()) {
    return make_error(ErrorKind::invalid_input, "bad_json", "请求体应为 JSON 对象");
  }
  return std::move(v.as_object());
}

Result<std::string> string_field(const boost::json::object& o, std::string_view key,
                                 std::string_view field) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) {
    return make_error(ErrorKind::invalid_input, "bad_field",
                      "字段 " + std::string(field) + " 应为字符串", std::string(field));
  }
  return std::string(v->as_string());
}

Response private_json(int status, const boost::json::value& v) {
  Response r = Response::json(status, boost::json::serialize(v));
  r.header("Cache-Control", "no-store");
  return r;
}

}  // namespace shenpi::http::api
