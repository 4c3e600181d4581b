#include "web/calendar_pages.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "app/authorization.h"
#include "http/form.h"
#include "web/page_failure.h"
#include "web/render.h"

namespace shenpi::web {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

std::string_view weekday_label(const core::Date& d) {
  static constexpr std::string_view kNames[] = {"星期一", "星期二", "星期三", "星期四",
                                                "星期五", "星期六", "星期日"};
  return kNames[d.weekday() - 1];
}

std::string dates_text(const std::vector<core::Date>& dates) {
  std::string out;
  for (const core::Date& d : dates) out += d.iso() + "\n";
  return out;
}

json::array dates_rows(const std::vector<core::Date>& dates) {
  json::array out;
  for (const core::Date& d : dates) {
    out.push_back(json::object{{"date", d.iso()}, {"weekday", weekday_label(d)}});
  }
  return out;
}

std::optional<int> parse_year(std::string_view s) {
  int y = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), y);
  if (s.size() != 4 || ec != std::errc() || p != s.data() + s.size() || y < 1000) {
    return std::nullopt;
  }
  return y;
}

struct State {
  CalendarPagesDeps deps;

  static Response no_store(Response r) {
    r.header("Cache-Control", "no-store");
    return r;
  }

  Response fail(const Error& e, const Request& req) const {
    return page_failure(req, e, deps.options.site_name, "/admin/calendar");
  }

  struct FormEcho {
    std::string year, days_off, make_up_days;
  };

  Response page(const app::Principal& who, int year, const std::optional<FormEcho>& echo,
                const std::vector<Error>& errors, int status, const Request& req) const {
    const auto cal = deps.calendar->calendar();
    json::object ctx;
    ctx["csrf_token"] = who.csrf_token;
    ctx["year"] = echo ? echo->year : std::to_string(year);
    // The years with a schedule, plus the one shown and the next (to enter it early).
    std::vector<int> years = cal->years();
    for (int y : {year, year + 1}) {
      if (std::find(years.begin(), years.end(), y) == years.end()) years.push_back(y);
    }
    std::sort(years.begin(), years.end());
    json::array links;
    for (int y : years) {
      links.push_back(json::object{{"year", y},
                                   {"href", "/admin/calendar?year=" + std::to_string(y)},
                                   {"current", y == year}});
    }
    ctx["years"] = std::move(links);
    const core::YearSchedule* s = cal->schedule(year);
    ctx["has_schedule"] = s != nullptr;
    if (s != nullptr) {
      ctx["stored"] = deps.calendar->stored(year);
      ctx["days_off"] = dates_rows(s->days_off);
      ctx["make_up_days"] = dates_rows(s->make_up_days);
      ctx["off_count"] = s->days_off.size();
      ctx["make_up_count"] = s->make_up_days.size();
    }
    if (echo) {
      ctx["form"] =
          json::object{{"days_off", echo->days_off}, {"make_up_days", echo->make_up_days}};
    } else if (s != nullptr) {
      ctx["form"] = json::object{{"days_off", dates_text(s->days_off)},
                                 {"make_up_days", dates_text(s->make_up_days)}};
    }
    const auto rctx = deps.auth->context(req);
    if (auto reminder = deps.calendar->missing_year_reminder(rctx.today)) {
      ctx["reminder"] = *reminder;
    }
    if (req.query_param("saved") && errors.empty()) ctx["saved"] = true;
    for (const Error& e : errors) {
      if (!ctx.contains("error")) ctx["error"] = e.message;
      if (!e.field.empty() && !ctx.contains(e.field + "_error")) {
        ctx[e.field + "_error"] = e.message;
      }
    }
    PageSpec spec{deps.options.site_name, "calendar_admin", "节假日设置", Nav::none, Frame::site};
    spec.account = account_header(who);
    auto html = render_page(spec, std::move(ctx));
    if (!html) return fail(html.error(), req);
    return no_store(Response::html(status, std::move(*html)));
  }

  Response get(const Request& req) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    const auto ctx = deps.auth->context(req);
    if (auto r = deps.calendar->authorize_edit(*who, "calendar.view", ctx); !r) {
      return fail(r.error(), req);
    }
    int year = 0;
    if (const auto d = core::Date::parse(ctx.today)) year = d->year;
    if (const auto q = req.query_param("year"); q && !q->empty()) {
      const auto y = parse_year(*q);
      if (!y) {
        return fail(
            make_error(ErrorKind::invalid_input, "bad_parameter", "年份应为四位数字", "year"), req);
      }
      year = *y;
    }
    return page(*who, year, std::nullopt, {}, 200, req);
  }

  Response post(const Request& req) const {
    auto who = deps.auth->authenticate(req, true, http::api::CsrfSource::header_or_form);
    if (!who) return fail(who.error(), req);
    auto body = http::form_body(req);
    if (!body) return fail(body.error(), req);
    const auto ctx = deps.auth->context(req);
    FormEcho echo{body->value("year"), body->value("days_off"), body->value("make_up_days")};
    int shown_year = 0;
    if (const auto d = core::Date::parse(ctx.today)) shown_year = d->year;
    std::vector<Error> errors;
    core::YearSchedule s;
    if (const auto y = parse_year(echo.year)) {
      s.year = *y;
      shown_year = *y;
    } else {
      errors.push_back(make_error(ErrorKind::invalid_input, "bad_year",
                                  "请填写四位数字的年份，如 2026", "year"));
    }
    auto off = parse_date_list(echo.days_off, "days_off");
    if (off)
      s.days_off = std::move(*off);
    else
      errors.push_back(off.error());
    auto make_up = parse_date_list(echo.make_up_days, "make_up_days");
    if (make_up)
      s.make_up_days = std::move(*make_up);
    else
      errors.push_back(make_up.error());
    if (errors.empty()) {
      auto done = deps.calendar->put_year(*who, s, ctx);
      if (done) {
        return no_store(
            Response::redirect("/admin/calendar?year=" + std::to_string(s.year) + "&saved=1"));
      }
      const Error& e = done.error();
      if (e.kind != ErrorKind::invalid_input) return fail(e, req);
      errors.push_back(e);
    } else if (auto r = deps.calendar->authorize_edit(*who, "calendar.put_year", ctx); !r) {
      // Only those who may edit learn what was wrong with the form.
      return fail(r.error(), req);
    }
    return page(*who, shown_year, echo, errors, 400, req);
  }
};

}  // namespace

Result<std::vector<core::Date>> parse_date_list(std::string_view text, const std::string& field) {
  std::vector<core::Date> out;
  std::string token;
  std::size_t index = 0;
  const auto flush = [&]() -> Result<void> {
    if (token.empty()) return ok_result();
    ++index;
    const auto d = core::Date::parse(token);
    if (!d) {
      return make_error(ErrorKind::invalid_input, "bad_date",
                        "第 " + std::to_string(index) + " 项“" + token.substr(0, 32) +
                            "”不是 YYYY-MM-DD 格式的有效日期",
                        field);
    }
    out.push_back(*d);
    token.clear();
    return ok_result();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // Separators: ASCII blanks and commas, and the full-width 、 and ， (3 bytes each).
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ';') {
      SHENPI_TRY(flush());
    } else if (text.substr(i, 3) == "、" || text.substr(i, 3) == "，") {
      SHENPI_TRY(flush());
      i += 2;
    } else {
      token += c;
    }
  }
  SHENPI_TRY(flush());
  return out;
}

void register_calendar_pages(http::Router& router, CalendarPagesDeps deps) {
  auto state = std::make_shared<const State>(State{std::move(deps)});
  const std::string access(app::to_string(app::Permission::calendar_edit));
  http::RouteOptions get_options;
  get_options.access = access;
  router.add(
      "GET", "/admin/calendar", [state](Request& req) { return state->get(req); }, get_options);
  http::RouteOptions post_options;
  post_options.max_body = http::kFormBodyLimit;
  post_options.access = access;
  router.add(
      "POST", "/admin/calendar", [state](Request& req) { return state->post(req); }, post_options);
}

}  // namespace shenpi::web
