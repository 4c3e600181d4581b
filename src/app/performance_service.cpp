#include "app/performance_service.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "app/authorization.h"
#include "app/denial_audit.h"
#include "core/calendar/date.h"

namespace shenpi::app {
namespace {

namespace json = boost::json;

constexpr int kMaxPeriodDays = 366;

bool holds_role(const Principal& who, std::string_view role) {
  return std::any_of(who.roles.begin(), who.roles.end(),
                     [&](const RoleGrant& g) { return g.role == role; });
}

// The service centre, the supervision bureau and the leading group see the whole city.
bool sees_city(const Principal& who) {
  return who.system || require(who, Permission::supervise, "").ok() ||
         (holds_role(who, "centre_admin") && require(who, Permission::case_read, "").ok());
}

// The departments whose business lead `who` is (trained, so that require() passes).
std::vector<std::string> led_departments(const Principal& who) {
  std::vector<std::string> out;
  for (const RoleGrant& g : who.roles) {
    if (g.role != "business_lead") continue;
    if (!require(who, Permission::case_read, g.department_code).ok()) continue;
    if (std::find(out.begin(), out.end(), g.department_code) == out.end()) {
      out.push_back(g.department_code);
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::optional<std::pair<std::string, std::string>> month_bounds(std::string_view month) {
  if (month.size() != 7 || month[4] != '-') return std::nullopt;
  const auto first = core::Date::parse(std::string(month) + "-01");
  if (!first) return std::nullopt;
  core::Date next = *first;
  next.month += 1;
  if (next.month > 12) {
    next.month = 1;
    next.year += 1;
  }
  return std::make_pair(first->iso(), next.plus_days(-1).iso());
}

PerformanceService::PerformanceService(PerformanceDeps deps) : d_(std::move(deps)) {}

Result<void> PerformanceService::record_denial(const Principal& who, const Error& why,
                                               const RequestContext& ctx) {
  if (!d_.audit) return {};
  return d_.audit->record(denial_event(who, "performance.read", "performance", "", why, ctx));
}

Result<PerformanceView> PerformanceService::figures(const Principal& who, const PerformanceQuery& q,
                                                    const RequestContext& ctx) {
  const auto from = core::Date::parse(q.from);
  if (!from) {
    return make_error(ErrorKind::invalid_input, "bad_date", "from 应为 YYYY-MM-DD 格式的日期",
                      "from");
  }
  const auto to = core::Date::parse(q.to);
  if (!to) {
    return make_error(ErrorKind::invalid_input, "bad_date", "to 应为 YYYY-MM-DD 格式的日期", "to");
  }
  if (*to < *from || core::calendar_days_between(*from, *to) >= kMaxPeriodDays) {
    return make_error(ErrorKind::invalid_input, "bad_period",
                      "统计期间应为起始日至截止日，且不超过一年", "to");
  }

  PerformanceView view;
  view.city_wide = sees_city(who);
  std::vector<std::string> scope;
  if (!view.city_wide) {
    scope = led_departments(who);
    if (scope.empty()) {
      // Staff without valid training are sent to training first (Art. 20).
      Result<void> trained = require(who, Permission::case_read, "");
      Error e = !trained.ok() && trained.error().code == "training_required"
                    ? trained.take_error()
                    : make_error(ErrorKind::forbidden, "permission_denied",
                                 "只有监察机关、政务服务中心和各单位业务负责人可以查看绩效统计");
      SHENPI_TRY(record_denial(who, e, ctx));
      return e;
    }
    if (!q.department.empty() && !contains(scope, q.department)) {
      Error e = make_error(ErrorKind::forbidden, "department_out_of_scope",
                           "只能查看本单位的绩效统计", "dept");
      SHENPI_TRY(record_denial(who, e, ctx));
      return e;
    }
  }

  SHENPI_ASSIGN(core::PerformanceInput input,
                d_.repo->read_period(from->iso(), to->iso(), d_.max_cases));
  input.from = *from;
  input.to = *to;
  const auto calendar = d_.calendar->calendar();
  view.report = core::aggregate_performance(input, *calendar, d_.clock_policy);

  // Filter to the scope and the query.
  auto wanted_dept = [&](const std::string& code) {
    if (!q.department.empty() && code != q.department) return false;
    return view.city_wide || contains(scope, code);
  };
  std::erase_if(view.report.departments, [&](const core::DepartmentPerformance& d) {
    return !wanted_dept(d.department_code);
  });
  std::erase_if(view.report.items, [&](const core::ItemPerformance& i) {
    return !wanted_dept(i.department_code) || (!q.item.empty() && i.item_code != q.item);
  });
  if (!q.item.empty()) {
    // Only the departments that handle the item.
    std::erase_if(view.report.departments, [&](const core::DepartmentPerformance& d) {
      return std::none_of(
          view.report.items.begin(), view.report.items.end(),
          [&](const core::ItemPerformance& i) { return i.department_code == d.department_code; });
    });
  }
  if (!view.city_wide) view.report.city = core::PerformanceFigures{};
  return view;
}

Result<PerformanceView> PerformanceService::monthly(const Principal& who, std::string_view month,
                                                    const RequestContext& ctx) {
  const auto bounds = month_bounds(month);
  if (!bounds) {
    return make_error(ErrorKind::invalid_input, "bad_month", "month 应为 YYYY-MM 格式的月份",
                      "month");
  }
  if (!sees_city(who)) {
    Error e = make_error(ErrorKind::forbidden, "permission_denied",
                         "月度绩效报告仅供领导小组、监察机关和政务服务中心查阅");
    SHENPI_TRY(record_denial(who, e, ctx));
    return e;
  }
  PerformanceQuery q;
  q.from = bounds->first;
  q.to = bounds->second;
  return figures(who, q, ctx);
}

}  // namespace shenpi::app
