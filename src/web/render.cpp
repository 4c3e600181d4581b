#include "web/render.h"

#include <array>

#include <boost/json.hpp>

#include "app/authorization.h"
#include "web/static_files.h"

namespace shenpi::web {

namespace json = boost::json;

TemplateEngine& templates() {
  static TemplateEngine engine(TemplateEngine::embedded_loader());
  return engine;
}

namespace {

json::object site_context(std::string_view site_name) {
  const auto& files = StaticFiles::instance();
  json::object site;
  site["name"] = site_name;
  site["css"] = files.url("site.css");
  site["print_css"] = files.url("print.css");
  site["favicon"] = files.url("favicon.svg");
  return site;
}

json::array nav_context(Nav current) {
  struct Entry {
    Nav nav;
    std::string_view label;
    std::string_view href;
  };
  static constexpr std::array<Entry, 4> kEntries{{
      {Nav::home, "首页", "/"},
      {Nav::guide, "办事指南", "/search"},
      {Nav::departments, "部门", "/departments"},
      {Nav::bundles, "并联审批", "/bundles"},
  }};
  json::array nav;
  for (const auto& e : kEntries) {
    nav.push_back(
        json::object{{"label", e.label}, {"href", e.href}, {"current", e.nav == current}});
  }
  return nav;
}

}  // namespace

json::object account_header(const app::Principal& who) {
  using app::Permission;
  const auto may = [&](Permission p) { return app::require(who, p, "").ok(); };
  const auto holds = [&](std::initializer_list<std::string_view> roles) {
    for (const app::RoleGrant& g : who.roles) {
      for (std::string_view r : roles) {
        if (g.role == r) return true;
      }
    }
    return false;
  };
  json::array links;
  const auto link = [&](std::string_view label, std::string_view href) {
    links.push_back(json::object{{"label", label}, {"href", href}});
  };
  if (who.kind != app::AccountKind::staff) {
    link("我的办件", "/my/cases");
    link("消息", "/inbox");
  } else if (who.trained) {
    // Untrained staff may only read their training status: no links but the inbox.
    if (may(Permission::case_read)) link("工作台", "/work");
    link("消息", "/inbox");
    const bool overseer =
        may(Permission::supervise) || (holds({"centre_admin"}) && may(Permission::case_read));
    if (overseer) {
      link("电子监察", "/supervision");
    } else if (holds({"business_lead", "dept_admin"})) {
      link("警示处理", "/supervision/warnings");
    }
    if (overseer || holds({"business_lead"})) link("绩效评估", "/supervision/performance");
    if (may(Permission::staff_manage)) link("人员管理", "/admin/staff");
    if (may(Permission::audit_read)) link("审计日志", "/admin/audit");
    if (may(Permission::calendar_edit)) link("节假日设置", "/admin/calendar");
  } else {
    link("消息", "/inbox");
  }
  const bool has_links = !links.empty();
  return json::object{{"name", who.name},
                      {"csrf_token", who.csrf_token},
                      {"has_links", has_links},
                      {"links", std::move(links)}};
}

Result<std::string> render_page(const PageSpec& spec, json::object context) {
  json::object site = site_context(spec.site_name);
  context["site"] = site;
  SHENPI_ASSIGN(std::string content,
                templates().render(spec.template_name, json::value(std::move(context))));
  json::object frame;
  frame["site"] = std::move(site);
  frame["title"] = spec.title;
  frame["nav"] = nav_context(spec.nav);
  frame["content"] = std::move(content);
  frame["account"] = spec.account;
  return templates().render(spec.frame == Frame::print ? "print_layout" : "layout",
                            json::value(std::move(frame)));
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace shenpi::web
