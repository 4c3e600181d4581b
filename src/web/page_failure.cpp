#include "web/page_failure.h"

#include <string>

#include "http/error_mapping.h"
#include "web/error_page.h"
#include "web/render.h"

namespace shenpi::web {

namespace {

http::Response see_other_no_store(std::string location) {
  http::Response r = http::Response::redirect(std::move(location), 303);
  r.header("Cache-Control", "no-store");
  return r;
}

}  // namespace

http::Response page_failure(const http::Request& request, const Error& error,
                            std::string_view site_name, std::string_view next_on_post) {
  if (error.kind == ErrorKind::unauthenticated) {
    const std::string_view next =
        request.method == "GET" ? std::string_view(request.target) : next_on_post;
    return see_other_no_store("/login?next=" + url_encode(next));
  }
  if (error.kind == ErrorKind::forbidden && error.code == "training_required") {
    return see_other_no_store("/training");
  }
  http::report_error(request, error);
  return html_error(error, request, site_name);
}

}  // namespace shenpi::web
