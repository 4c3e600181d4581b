#include "web/pages.h"

#include <charconv>

#include <boost/json.hpp>

#include "web/error_page.h"
#include "web/page_cache.h"
#include "web/pages/view_models.h"
#include "web/render.h"
#include "web/static_files.h"

namespace shenpi::web {

namespace json = boost::json;

namespace {

enum class Page { home, search, directory, department, guide, print, bundles, bundle };

// Browsers may reuse a page for a minute without asking; after that they revalidate
// with If-None-Match and usually get a 304.
constexpr std::string_view kPageCacheControl = "public, max-age=60";
constexpr std::string_view kHtml = "text/html; charset=utf-8";
constexpr int kPageSize = 20;
// Page numbers shown on either side of the current one in the pagination bar.
constexpr int kPageWindow = 2;

struct Rendered {
  int status = 200;
  std::string body;
};

// ---- search parameters -----------------------------------------------------------------

struct SearchParams {
  std::string q;
  std::string dept;
  std::string audience;  // "", or a to_string(Audience) name
  int page = 1;
};

// Trims ASCII white space and the ideographic space U+3000 that Chinese input methods type.
std::string_view trim_query(std::string_view s) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  bool changed = true;
  while (changed) {
    changed = false;
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
      s.remove_prefix(1);
      changed = true;
    }
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
      s.remove_suffix(1);
      changed = true;
    }
    if (s.substr(0, 3) == kIdeographicSpace) {
      s.remove_prefix(3);
      changed = true;
    }
    if (s.size() >= 3 && s.substr(s.size() - 3) == kIdeographicSpace) {
      s.remove_suffix(3);
      changed = true;
    }
  }
  return s;
}

// The parameters as typed, kept even when one is bad, so the form can show them again.
struct SearchRequest {
  SearchParams params;
  std::optional<Error> error;
};

SearchRequest parse_search(const http::Request& req) {
  SearchRequest out;
  SearchParams& p = out.params;
  p.q = std::string(trim_query(req.query_param("q").value_or("")));
  p.dept = std::string(trim_query(req.query_param("dept").value_or("")));
  p.audience = std::string(req.query_param("audience").value_or(""));
  if (!p.audience.empty() && !core::parse_audience(p.audience)) {
    out.error = make_error(ErrorKind::invalid_input, "bad_parameter",
                           "服务对象参数无效，请选择个人或法人", "audience");
    p.audience.clear();
  }
  const std::string_view page = req.query_param("page").value_or("");
  if (!page.empty()) {
    int n = 0;
    auto [ptr, ec] = std::from_chars(page.data(), page.data() + page.size(), n);
    if (ec != std::errc() || ptr != page.data() + page.size() || n < 1) {
      if (!out.error)
        out.error =
            make_error(ErrorKind::invalid_input, "bad_parameter", "页码必须是正整数", "page");
    } else {
      p.page = n;
    }
  }
  return out;
}

// The URL of a search at page (the page parameter left out for page 1).
std::string search_url(const SearchParams& p, int page) {
  std::string url = "/search";
  char sep = '?';
  auto add = [&](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    url += sep;
    url += name;
    url += '=';
    url += url_encode(value);
    sep = '&';
  };
  add("q", p.q);
  add("dept", p.dept);
  add("audience", p.audience);
  if (page > 1) add("page", std::to_string(page));
  return url;
}

// ---- cache keys --------------------------------------------------------------------------

// The cache key of a page request, or nullopt when the page is not cached. Keys are built
// from the parameters the page reads, never from the raw target: extra or reordered query
// parameters cannot multiply the entries.
std::optional<std::string> cache_key(Page page, const http::Request& req) {
  switch (page) {
    case Page::home:
      return std::string("/");
    case Page::directory:
      return std::string("/departments");
    case Page::bundles:
      return std::string("/bundles");
    case Page::department:
      return "/departments/" + std::string(req.param("code"));
    case Page::guide:
      return "/items/" + std::string(req.param("code"));
    case Page::print:
      return "/items/" + std::string(req.param("code")) + "/print";
    case Page::bundle:
      return "/bundles/" + std::string(req.param("code"));
    case Page::search: {
      auto s = parse_search(req);
      if (s.error) return std::nullopt;
      // Free-text searches are endless: only their first page is worth keeping.
      if (!s.params.q.empty() && s.params.page != 1) return std::nullopt;
      return search_url(s.params, s.params.page);
    }
  }
  return std::nullopt;
}

json::array pagination(const SearchParams& p, int total_pages) {
  json::array pages;
  int last_shown = 0;
  for (int n = 1; n <= total_pages; ++n) {
    const bool show =
        n == 1 || n == total_pages || (n >= p.page - kPageWindow && n <= p.page + kPageWindow);
    if (!show) continue;
    if (last_shown && n > last_shown + 1) pages.push_back(json::object{{"gap", true}});
    pages.push_back(
        json::object{{"number", n}, {"url", search_url(p, n)}, {"current", n == p.page}});
    last_shown = n;
  }
  return pages;
}

}  // namespace

struct Pages::State {
  std::shared_ptr<app::CatalogueService> service;
  WebOptions options;
  // Pages with a bounded set of keys (one per item, department, bundle) and searches,
  // whose keys are endless, are kept apart so a flood of searches cannot push item pages out.
  PageCache pages{5000};
  PageCache searches{1000};

  PageCache& cache_for(Page page) { return page == Page::search ? searches : pages; }

  std::int64_t refresh() {
    auto g = service->generation();
    if (!g) return PageCache::kUnknown;
    pages.set_generation(*g);
    searches.set_generation(*g);
    return *g;
  }

  Result<std::string> page(std::string_view tpl, std::string title, Nav nav, json::object ctx,
                           Frame frame = Frame::site) {
    return render_page(PageSpec{options.site_name, tpl, std::move(title), nav, frame},
                       std::move(ctx));
  }

  Result<Rendered> render(Page page, const http::Request& req);
  Result<Rendered> home();
  Result<Rendered> search(const http::Request& req);
  Result<Rendered> directory();
  Result<Rendered> department(const std::string& code);
  Result<Rendered> guide(const std::string& code, bool print);
  Result<Rendered> bundles();
  Result<Rendered> bundle(const std::string& code);

  http::Response handle(Page page, const http::Request& req);
  std::optional<http::Response> fast(Page page, const http::Request& req);
};

Result<Rendered> Pages::State::render(Page page, const http::Request& req) {
  switch (page) {
    case Page::home:
      return home();
    case Page::search:
      return search(req);
    case Page::directory:
      return directory();
    case Page::department:
      return department(std::string(req.param("code")));
    case Page::guide:
      return guide(std::string(req.param("code")), false);
    case Page::print:
      return guide(std::string(req.param("code")), true);
    case Page::bundles:
      return bundles();
    case Page::bundle:
      return bundle(std::string(req.param("code")));
  }
  return make_error(ErrorKind::internal, "unknown_page", "unknown page kind");
}

Result<Rendered> Pages::State::home() {
  SHENPI_ASSIGN(auto regions, service->regions());
  SHENPI_ASSIGN(auto departments, service->departments());
  SHENPI_ASSIGN(auto bundle_list, service->bundles());
  const auto index = index_departments(departments);
  json::object ctx;
  ctx["directory"] = directory_context(regions, departments);
  json::array bundle_rows;
  for (const auto& b : bundle_list) bundle_rows.push_back(bundle_context(b, index));
  ctx["has_bundles"] = !bundle_rows.empty();
  ctx["bundles"] = std::move(bundle_rows);
  SHENPI_ASSIGN(auto body, page("home", "首页", Nav::home, std::move(ctx)));
  return Rendered{200, std::move(body)};
}

Result<Rendered> Pages::State::search(const http::Request& req) {
  SearchRequest request = parse_search(req);
  SearchParams& p = request.params;
  SHENPI_ASSIGN(auto departments, service->departments());
  const auto index = index_departments(departments);
  if (!request.error && !p.dept.empty() && !index.count(p.dept)) {
    request.error =
        make_error(ErrorKind::invalid_input, "bad_parameter", "未找到所选单位，请重新选择", "dept");
  }

  std::optional<core::ItemPage> result;
  if (!request.error) {
    core::ItemQuery query;
    query.text = p.q;
    query.department_code = p.dept;
    if (!p.audience.empty()) query.audience = core::parse_audience(p.audience);
    query.page = p.page;
    query.page_size = kPageSize;
    auto r = service->search(std::move(query));
    if (r) {
      result = std::move(*r);
    } else if (r.error().kind == ErrorKind::invalid_input) {
      request.error = r.take_error();
    } else {
      return r.take_error();
    }
  }

  json::object ctx;
  ctx["q"] = p.q;
  json::array dept_options;
  for (const auto& d : departments) {
    if (d.kind != core::DepartmentKind::approval) continue;
    dept_options.push_back(
        json::object{{"code", d.code}, {"name", d.name}, {"selected", d.code == p.dept}});
  }
  ctx["departments"] = std::move(dept_options);
  json::array audiences;
  audiences.push_back(
      json::object{{"value", ""}, {"label", "全部"}, {"selected", p.audience.empty()}});
  audiences.push_back(
      json::object{{"value", "person"}, {"label", "个人"}, {"selected", p.audience == "person"}});
  audiences.push_back(json::object{
      {"value", "organisation"}, {"label", "法人"}, {"selected", p.audience == "organisation"}});
  ctx["audiences"] = std::move(audiences);

  std::string heading = "事项搜索";
  if (!p.q.empty()) {
    heading = "“" + p.q + "”的搜索结果";
  } else if (auto it = index.find(p.dept); !p.dept.empty() && it != index.end()) {
    heading = it->second.name + "的办理事项";
  } else if (p.audience == "person") {
    heading = "个人办事";
  } else if (p.audience == "organisation") {
    heading = "法人办事";
  }
  ctx["heading"] = heading;

  if (request.error) {
    ctx["error"] = request.error->message;
    ctx["error_field"] = request.error->field;
    SHENPI_ASSIGN(auto body, page("search", "搜索条件有误", Nav::guide, std::move(ctx)));
    return Rendered{400, std::move(body)};
  }

  const core::ItemPage& items = *result;
  json::array rows;
  for (const auto& s : items.items) rows.push_back(summary_context(s));
  const int total_pages = items.total == 0 ? 1 : (items.total + kPageSize - 1) / kPageSize;
  ctx["searched"] = true;
  ctx["total"] = items.total;
  ctx["has_items"] = !rows.empty();
  ctx["items"] = std::move(rows);
  ctx["page"] = p.page;
  ctx["total_pages"] = total_pages;
  ctx["paginated"] = total_pages > 1;
  if (total_pages > 1) ctx["pages"] = pagination(p, total_pages);
  if (p.page > 1) ctx["prev_url"] = search_url(p, std::min(p.page - 1, total_pages));
  if (p.page < total_pages) ctx["next_url"] = search_url(p, p.page + 1);
  if (items.total == 0) {
    ctx["empty_message"] =
        p.q.empty() ? std::string("未找到符合条件的事项") : "未找到与“" + p.q + "”相关的事项";
  } else if (items.items.empty()) {
    ctx["empty_message"] =
        "第 " + std::to_string(p.page) + " 页没有事项，共 " + std::to_string(total_pages) + " 页";
  }
  SHENPI_ASSIGN(auto body, page("search", heading, Nav::guide, std::move(ctx)));
  return Rendered{200, std::move(body)};
}

Result<Rendered> Pages::State::directory() {
  SHENPI_ASSIGN(auto regions, service->regions());
  SHENPI_ASSIGN(auto departments, service->departments());
  json::object ctx;
  ctx["directory"] = directory_context(regions, departments);
  SHENPI_ASSIGN(auto body, page("departments", "部门", Nav::departments, std::move(ctx)));
  return Rendered{200, std::move(body)};
}

Result<Rendered> Pages::State::department(const std::string& code) {
  SHENPI_ASSIGN(auto dept, service->department_page(code));
  std::string title = dept.department.name;
  SHENPI_ASSIGN(auto body,
                page("department", std::move(title), Nav::departments, department_context(dept)));
  return Rendered{200, std::move(body)};
}

Result<Rendered> Pages::State::guide(const std::string& code, bool print) {
  SHENPI_ASSIGN(auto g, service->guide(code));
  std::string title = g.item.name + " - 办事指南";
  SHENPI_ASSIGN(auto body, print ? page("guide_print", std::move(title), Nav::none,
                                        guide_context(g), Frame::print)
                                 : page("guide", std::move(title), Nav::guide, guide_context(g)));
  return Rendered{200, std::move(body)};
}

Result<Rendered> Pages::State::bundles() {
  SHENPI_ASSIGN(auto list, service->bundles());
  SHENPI_ASSIGN(auto departments, service->departments());
  const auto index = index_departments(departments);
  json::array rows;
  for (const auto& b : list) rows.push_back(bundle_context(b, index));
  json::object ctx;
  ctx["has_bundles"] = !rows.empty();
  ctx["bundles"] = std::move(rows);
  SHENPI_ASSIGN(auto body, page("bundles", "并联审批", Nav::bundles, std::move(ctx)));
  return Rendered{200, std::move(body)};
}

Result<Rendered> Pages::State::bundle(const std::string& code) {
  SHENPI_ASSIGN(auto list, service->bundles());
  const core::Bundle* found = nullptr;
  for (const auto& b : list) {
    if (b.code == code) found = &b;
  }
  if (!found)
    return make_error(ErrorKind::not_found, "bundle_not_found", "未找到该并联审批事项", "code");
  SHENPI_ASSIGN(auto departments, service->departments());
  const auto index = index_departments(departments);
  json::array items;
  for (const auto& item_code : found->item_codes) {
    auto g = service->guide(item_code);
    if (!g) {
      if (g.error().kind != ErrorKind::not_found) return g.take_error();
      // An item of the bundle without a published version: named by its code only.
      items.push_back(json::object{{"code", item_code}, {"name", item_code}, {"published", false}});
      continue;
    }
    json::object row;
    row["code"] = item_code;
    row["name"] = g->item.name;
    row["url"] = item_url(item_code);
    row["published"] = true;
    row["department_name"] = g->department.name;
    row["department_url"] = department_url(g->department.code);
    row["type_label"] = core::label(g->item.type);
    row["promised_limit_days"] = g->item.promised_limit_days;
    items.push_back(std::move(row));
  }
  json::object ctx;
  ctx["bundle"] = bundle_context(*found, index);
  ctx["items"] = std::move(items);
  SHENPI_ASSIGN(auto body,
                page("bundle", found->name + " - 并联审批", Nav::bundles, std::move(ctx)));
  return Rendered{200, std::move(body)};
}

http::Response Pages::State::handle(Page kind, const http::Request& req) {
  // Read the generation before rendering: an entry is then never labelled newer than the
  // data it was rendered from, so a publish during rendering cannot hide behind it.
  const std::int64_t generation = refresh();
  auto rendered = render(kind, req);
  if (!rendered) return html_error(rendered.error(), req, options.site_name);
  if (rendered->status != 200) {
    auto r = http::Response::html(rendered->status, std::move(rendered->body));
    r.header("Cache-Control", "no-store");
    return r;
  }
  const auto key = cache_key(kind, req);
  if (!key || generation == PageCache::kUnknown) {
    auto r = http::Response::html(200, std::move(rendered->body));
    r.header("Cache-Control", std::string(kPageCacheControl));
    return r;
  }
  auto entry = CachedPage::make(generation, std::string(kHtml), std::string(kPageCacheControl),
                                std::move(rendered->body));
  cache_for(kind).put(*key, entry);
  return entry->respond(req);
}

std::optional<http::Response> Pages::State::fast(Page kind, const http::Request& req) {
  const auto key = cache_key(kind, req);
  if (!key) return std::nullopt;
  auto entry = cache_for(kind).get(*key);
  if (!entry) return std::nullopt;
  return entry->respond(req);
}

Pages::Pages(std::shared_ptr<app::CatalogueService> service, WebOptions options)
    : state_(std::make_shared<State>()) {
  state_->service = std::move(service);
  state_->options = std::move(options);
}

void Pages::register_routes(http::Router& router) {
  struct PageRoute {
    std::string_view pattern;
    Page page;
  };
  static constexpr PageRoute kRoutes[] = {
      {"/", Page::home},
      {"/search", Page::search},
      {"/departments", Page::directory},
      {"/departments/{code}", Page::department},
      {"/items/{code}", Page::guide},
      {"/items/{code}/print", Page::print},
      {"/bundles", Page::bundles},
      {"/bundles/{code}", Page::bundle},
  };
  for (const auto& route : kRoutes) {
    http::RouteOptions opts;
    opts.access = "public";
    const Page page = route.page;
    opts.fast = [state = state_, page](const http::Request& req) { return state->fast(page, req); };
    router.add(
        "GET", std::string(route.pattern),
        [state = state_, page](http::Request& req) { return state->handle(page, req); },
        std::move(opts));
  }

  // Static files never touch the database, so the fast path always answers.
  auto serve_static = [](const http::Request& req) {
    return StaticFiles::instance().serve(req, req.param("name"));
  };
  http::RouteOptions static_opts;
  static_opts.access = "public";
  static_opts.fast = [serve_static](const http::Request& req) -> std::optional<http::Response> {
    return serve_static(req);
  };
  router.add(
      "GET", "/static/{name...}", [serve_static](http::Request& req) { return serve_static(req); },
      std::move(static_opts));

  auto serve_icon = [](const http::Request& req) {
    return StaticFiles::instance().serve(req, "favicon.svg");
  };
  http::RouteOptions icon_opts;
  icon_opts.access = "public";
  icon_opts.fast = [serve_icon](const http::Request& req) -> std::optional<http::Response> {
    return serve_icon(req);
  };
  router.add(
      "GET", "/favicon.ico", [serve_icon](http::Request& req) { return serve_icon(req); },
      std::move(icon_opts));
}

void Pages::refresh_generation() { state_->refresh(); }

std::size_t Pages::cached_pages() const { return state_->pages.size() + state_->searches.size(); }

}  // namespace shenpi::web
