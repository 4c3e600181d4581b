#include "web/performance_pages.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "core/calendar/date.h"
#include "http/api/api_util.h"
#include "web/page_failure.h"
#include "web/render.h"
#include "web/static_files.h"

namespace shenpi::web {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

// A sortable column: its query key, its header and how it orders figures.
struct Column {
  const char* key;
  const char* label;
  std::function<double(const core::PerformanceFigures&)> value;
};

const std::vector<Column>& figure_columns() {
  using F = core::PerformanceFigures;
  static const std::vector<Column> columns = {
      {"received", "收件", [](const F& f) { return f.received; }},
      {"accepted", "受理", [](const F& f) { return f.accepted; }},
      {"decided", "办结", [](const F& f) { return f.decided; }},
      {"on_time", "按时", [](const F& f) { return f.on_time; }},
      {"late", "超期", [](const F& f) { return f.late; }},
      {"rate", "按时率", [](const F& f) { return f.on_time_rate(); }},
      {"average", "平均用时（工作日）", [](const F& f) { return f.average_days; }},
      {"p90", "90%用时（工作日）", [](const F& f) { return f.p90_days; }},
      {"suspensions", "特别程序", [](const F& f) { return f.suspensions; }},
      {"extensions", "延期", [](const F& f) { return f.extensions; }},
      {"warnings", "警示", [](const F& f) { return f.warnings; }},
      {"complaints", "投诉属实", [](const F& f) { return f.complaints_upheld; }},
  };
  return columns;
}

std::string fixed(double v, const char* format) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string rate_text(const core::PerformanceFigures& f) {
  return f.decided == 0 ? "—" : fixed(std::round(f.on_time_rate() * 1000.0) / 10.0, "%.1f%%");
}

std::string ratings_text(const core::PerformanceFigures& f) {
  std::string out;
  const auto& levels = core::rating_levels();
  for (std::size_t i = 0; i < levels.size() && i < core::kRatingLevels; ++i) {
    if (!out.empty()) out += "，";
    out += std::string(core::label(levels[i])) + " " + std::to_string(f.ratings[i]);
  }
  return out;
}

json::array cells(const core::PerformanceFigures& f) {
  const bool any = f.decided > 0;
  return json::array{std::to_string(f.received),
                     std::to_string(f.accepted),
                     std::to_string(f.decided),
                     std::to_string(f.on_time),
                     std::to_string(f.late),
                     rate_text(f),
                     any ? fixed(std::round(f.average_days * 10.0) / 10.0, "%.1f") : "—",
                     any ? std::to_string(f.p90_days) : "—",
                     std::to_string(f.suspensions),
                     std::to_string(f.extensions),
                     std::to_string(f.warnings),
                     std::to_string(f.complaints_upheld)};
}

std::string chinese(const core::Date& d) {
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
         "日";
}

struct State {
  PerformancePagesDeps deps;

  static Response no_store(Response r) {
    r.header("Cache-Control", "no-store");
    return r;
  }

  // Only GET (and HEAD) routes here: after signing in, the person comes back to the
  // page itself, whatever the method.
  Response fail(const Error& e, const Request& req) const {
    return page_failure(req, e, deps.options.site_name, req.target);
  }

  Result<Response> get_page(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    const app::RequestContext ctx = deps.auth->context(req);
    app::PerformanceQuery q;
    q.from = std::string(req.query_param("from").value_or(""));
    q.to = std::string(req.query_param("to").value_or(""));
    q.department = std::string(req.query_param("dept").value_or(""));
    // Default: this month up to today.
    if (q.to.empty()) q.to = ctx.today;
    if (q.from.empty() && q.to.size() >= 7) q.from = q.to.substr(0, 7) + "-01";
    std::string sort(req.query_param("sort").value_or("name"));
    const auto& columns = figure_columns();
    const auto col = std::find_if(columns.begin(), columns.end(),
                                  [&](const Column& c) { return sort == c.key; });
    if (col == columns.end()) sort = "name";
    std::string order(req.query_param("order").value_or(sort == "name" ? "asc" : "desc"));
    if (order != "asc" && order != "desc") order = "asc";

    Result<app::PerformanceView> got = deps.performance->figures(who, q, ctx);
    if (!got.ok() && got.error().kind != ErrorKind::invalid_input) return got.take_error();

    json::object c;
    c["cases_css"] = StaticFiles::instance().url("cases.css");
    c["from"] = q.from;
    c["to"] = q.to;
    c["sort"] = sort;
    c["order"] = order;
    int status = 200;
    app::PerformanceView view;
    if (!got.ok()) {
      c["error"] = got.error().message;
      status = 400;
    } else {
      view = std::move(got).value();
      c["from_label"] = chinese(view.report.from);
      c["to_label"] = chinese(view.report.to);
    }
    c["city_wide"] = view.city_wide;
    c["month_label"] = q.from.size() >= 7
                           ? q.from.substr(0, 4) + "年" +
                                 std::to_string(std::atoi(q.from.substr(5, 2).c_str())) + "月"
                           : std::string();
    c["report_url"] = "/supervision/performance/report.pdf?month=" + q.from.substr(0, 7);
    if (view.city_wide && got.ok()) {
      const auto& f = view.report.city;
      c["city"] = json::object{{"received", f.received},
                               {"accepted", f.accepted},
                               {"decided", f.decided},
                               {"on_time", f.on_time},
                               {"late", f.late},
                               {"rate", rate_text(f)},
                               {"average", fixed(std::round(f.average_days * 10.0) / 10.0, "%.1f")},
                               {"p90", f.p90_days},
                               {"suspensions", f.suspensions},
                               {"extensions", f.extensions},
                               {"warnings", f.warnings},
                               {"complaints", f.complaints_upheld},
                               {"ratings", ratings_text(f)}};
    }

    // Sorting by the chosen column, ties by name (stable, predictable).
    auto departments = view.report.departments;
    const bool desc = order == "desc";
    std::stable_sort(
        departments.begin(), departments.end(),
        [&](const core::DepartmentPerformance& a, const core::DepartmentPerformance& b) {
          if (col != columns.end()) {
            const double va = col->value(a.figures), vb = col->value(b.figures);
            if (va != vb) return desc ? va > vb : va < vb;
            return a.department_name < b.department_name;
          }
          return desc ? a.department_name > b.department_name
                      : a.department_name < b.department_name;
        });

    auto link = [&](const std::string& key, const std::string& ord) {
      std::string u =
          "/supervision/performance?from=" + url_encode(q.from) + "&to=" + url_encode(q.to);
      if (!q.department.empty()) u += "&dept=" + url_encode(q.department);
      return u + "&sort=" + key + "&order=" + ord + "#by-department";
    };
    json::array header;
    auto add_header = [&](const std::string& key, const std::string& label) {
      const bool current = key == sort;
      // A click on the current column reverses it; on another, numbers start highest first.
      const std::string next = current ? (desc ? "asc" : "desc") : (key == "name" ? "asc" : "desc");
      json::object h{{"label", label}, {"url", link(key, next)}};
      if (current) {
        h["aria_sort"] = desc ? "descending" : "ascending";
        h["arrow"] = desc ? "▼" : "▲";
      }
      header.push_back(std::move(h));
    };
    add_header("name", "单位");
    for (const Column& column : columns) add_header(column.key, column.label);
    c["columns"] = std::move(header);
    json::array item_headers{"事项"};
    for (const Column& column : columns) item_headers.push_back(json::string(column.label));
    c["item_headers"] = std::move(item_headers);

    json::array rows;
    json::array options;
    for (const auto& d : departments) {
      json::array items;
      for (const auto& it : view.report.items) {
        if (it.department_code != d.department_code) continue;
        items.push_back(json::object{{"name", it.item_name.empty() ? it.item_code : it.item_name},
                                     {"cells", cells(it.figures)}});
      }
      const std::string name = d.department_name.empty() ? d.department_code : d.department_name;
      rows.push_back(json::object{{"code", d.department_code},
                                  {"name", name},
                                  {"late", d.figures.late > 0},
                                  {"cells", cells(d.figures)},
                                  {"items", std::move(items)}});
    }
    for (const auto& d : view.report.departments) {
      options.push_back(
          json::object{{"code", d.department_code},
                       {"name", d.department_name.empty() ? d.department_code : d.department_name},
                       {"selected", d.department_code == q.department}});
    }
    c["has_departments"] = !rows.empty();
    c["departments"] = std::move(rows);
    c["department_options"] = std::move(options);

    PageSpec spec{deps.options.site_name, "performance", "绩效评估", Nav::none, Frame::site};
    spec.account = account_header(who);
    SHENPI_ASSIGN(std::string html, render_page(spec, std::move(c)));
    return no_store(Response::html(status, std::move(html)));
  }

  Result<Response> get_report(const Request& req) const {
    SHENPI_ASSIGN(app::Principal who, deps.auth->authenticate(req, false));
    const app::RequestContext ctx = deps.auth->context(req);
    std::string month(req.query_param("month").value_or(""));
    if (month.empty() && ctx.today.size() >= 7) month = ctx.today.substr(0, 7);
    SHENPI_ASSIGN(app::PerformanceView view, deps.performance->monthly(who, month, ctx));
    const std::string label = std::to_string(view.report.from.year) + "年" +
                              std::to_string(view.report.from.month) + "月";
    SHENPI_ASSIGN(std::string pdf, deps.render_report(view.report, label, ctx.today));
    Response r;
    r.status = 200;
    r.content_type = "application/pdf";
    r.body = std::move(pdf);
    r.header("Content-Disposition", "inline; filename=\"performance-" + month +
                                        ".pdf\"; filename*=UTF-8''" +
                                        url_encode("绩效月报-" + month + ".pdf"));
    r.header("Cache-Control", "private, no-store");
    r.header("X-Content-Type-Options", "nosniff");
    return r;
  }
};

}  // namespace

void register_performance_pages(http::Router& router, PerformancePagesDeps deps) {
  auto state = std::make_shared<const State>(State{std::move(deps)});
  const auto add = [&](const char* pattern, Result<Response> (State::*fn)(const Request&) const) {
    http::RouteOptions options;
    // Listed as the bureau's; the use case also lets the centre (and, for the figures, a
    // department's business lead) in, and decides the scope.
    options.access = "supervise";
    router.add(
        "GET", pattern,
        [state, fn](Request& req) -> Response {
          Result<Response> r = ((*state).*fn)(req);
          if (!r.ok()) return state->fail(r.error(), req);
          return std::move(r).value();
        },
        options);
  };
  add("/supervision/performance", &State::get_page);
  add("/supervision/performance/report.pdf", &State::get_report);
}

}  // namespace shenpi::web
