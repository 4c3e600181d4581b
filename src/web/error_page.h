#pragma once
// Error pages in Chinese for page routes (the API answers with JSON instead, see
// http::json_error). Each shows the request id so that a citizen can quote it to support.
#include <string_view>

#include "core/result.h"
#include "http/message.h"

namespace shenpi::web {

//! The HTML error page for error: status from http::status_for(error.kind); 404 reads
//! 页面不存在 (or 未找到该事项 / 未找到该单位 for those codes), 500 and 503 read 系统繁忙.
//! For 4xx the error's message is shown, so it must be Simplified Chinese; internal
//! messages are never shown. Cache-Control: no-store. Never fails: when the templates
//! cannot render, a minimal built-in page is returned.
http::Response html_error(const Error& error, const http::Request& request);

//! The same with the site name of WebOptions.
http::Response html_error(const Error& error, const http::Request& request,
                          std::string_view site_name);

}  // namespace shenpi::web
