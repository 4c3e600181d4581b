#pragma once
// Rendering a page: its template (src/web/templates/NAME.html) inside the site layout,
// with the site name, the navigation and the versioned static asset URLs.
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "app/principal.h"
#include "core/result.h"
#include "web/template/template.h"

namespace shenpi::web {

//! The process-wide engine over the embedded templates (parsed once, cached).
TemplateEngine& templates();

//! Which navigation entry is the current page (aria-current="page").
enum class Nav { none, home, guide, departments, bundles };

//! How a page is framed.
enum class Frame {
  site,   //!< layout.html: header with navigation, footer
  print,  //!< print_layout.html: no navigation, print stylesheet for every medium
};

struct PageSpec {
  std::string_view site_name;
  std::string_view template_name;  //!< e.g. "guide"
  std::string title;               //!< the <title> before " - site name"
  Nav nav = Nav::none;
  Frame frame = Frame::site;
  //! Who is signed in, for the header: {"name", "csrf_token"} and optionally "links" (see
  //! account_header), or null for the generic header (登录 / 我的账户). Only never-cached
  //! pages (the account pages) may set it: cached public pages are shared by everyone.
  boost::json::value account;
};

//! The header of a page for `who`: {"name", "csrf_token", "links":[{"label","href"}]},
//! the links to their own areas by what they may do (the routes' own checks still
//! decide): applicants 我的办件 and 消息; staff who read cases 工作台; every staff member
//! 消息; the service centre and the supervision bureau 电子监察 (the dashboard); a
//! department's business lead or administrator 警示处理; the centre, the bureau and
//! business leads 绩效评估; account, audit and calendar administrators their pages.
//! Personalised: only for never-cached pages.
boost::json::object account_header(const app::Principal& who);

//! Renders spec.template_name against context (which gains a "site" member) and wraps the
//! result in the frame. Errors come from the template engine.
Result<std::string> render_page(const PageSpec& spec, boost::json::object context);

//! Percent-encodes everything but RFC 3986 unreserved characters, for a query value or a
//! path segment.
std::string url_encode(std::string_view text);

}  // namespace shenpi::web
