#include "web/error_page.h"

#include <boost/json.hpp>

#include "http/error_mapping.h"
#include "web/render.h"
#include "web/template/template.h"

namespace shenpi::web {

namespace json = boost::json;

namespace {

constexpr std::string_view kDefaultSiteName = "潮州市网上行政审批系统";

std::string_view heading_for(const Error& error, int status) {
  if (status == 404) {
    if (error.code == "item_not_found") return "未找到该事项";
    if (error.code == "department_not_found") return "未找到该单位";
    if (error.code == "bundle_not_found") return "未找到该并联审批事项";
    return "页面不存在";
  }
  if (status >= 500) return "系统繁忙";
  if (status == 400) return "请求有误";
  if (status == 403 || status == 401) return "无权访问";
  if (status == 429) return "访问过于频繁";
  return "无法完成请求";
}

std::string_view default_message(int status) {
  if (status == 404) return "您访问的页面不存在或已调整，请返回首页或搜索事项。";
  if (status >= 500) return "系统繁忙，请稍后再试。";
  if (status == 429) return "访问过于频繁，请稍后再试。";
  return "请检查后重试。";
}

}  // namespace

http::Response html_error(const Error& error, const http::Request& request) {
  return html_error(error, request, kDefaultSiteName);
}

http::Response html_error(const Error& error, const http::Request& request,
                          std::string_view site_name) {
  const int status = http::status_for(error.kind);
  const std::string_view heading = heading_for(error, status);
  // Internal and dependency failures never show their message: it may name tables or
  // files. The request id lets support find the log line instead.
  const bool show_message = status < 500 && !error.message.empty();
  const std::string message(show_message ? std::string_view(error.message)
                                         : default_message(status));

  json::object ctx;
  ctx["status"] = status;
  ctx["heading"] = heading;
  ctx["message"] = message;
  ctx["request_id"] = request.request_id;
  ctx["not_found"] = status == 404;
  auto body = render_page(
      PageSpec{site_name, "error", std::string(heading), Nav::none, Frame::site}, std::move(ctx));
  http::Response r;
  if (body) {
    r = http::Response::html(status, std::move(*body));
  } else {
    // The templates are embedded and tested, so this is a bug; still answer in Chinese.
    std::string html = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>";
    append_html_escaped(html, heading);
    html += "</title></head><body><main><h1>";
    append_html_escaped(html, heading);
    html += "</h1><p>";
    append_html_escaped(html, message);
    html += "</p><p>请求编号：";
    append_html_escaped(html, request.request_id);
    html += "</p><p><a href=\"/\">返回首页</a></p></main></body></html>";
    r = http::Response::html(status, std::move(html));
  }
  r.header("Cache-Control", "no-store");
  return r;
}

}  // namespace shenpi::web
