#include "app/rating_service.h"

#include <boost/json.hpp>

#include <algorithm>

#include "app/authorization.h"
#include "core/calendar/date.h"

namespace shenpi::app {
namespace {

namespace json = boost::json;

bool holds(const Principal& who, std::string_view role, std::string_view department) {
  if (!who.trained || who.system) return false;
  return std::any_of(who.roles.begin(), who.roles.end(), [&](const RoleGrant& g) {
    return g.role == role && (department.empty() || g.department_code == department);
  });
}

Error rating_not_found() {
  return make_error(ErrorKind::not_found, "rating_not_found", "评价不存在");
}

}  // namespace

RatingService::RatingService(RatingServiceDeps deps) : d_(std::move(deps)) {}

std::string RatingService::follow_up_due(std::string_view today) const {
  const auto day = core::Date::parse(today);
  if (!day) return {};
  return d_.calendar->calendar()
      ->add_working_days_provisional(*day, d_.policy.follow_up_working_days)
      .date.iso();
}

core::FollowUpActor RatingService::actor_for(const Principal& who, const core::Rating& r) const {
  core::FollowUpActor a;
  a.department_lead = holds(who, "business_lead", r.department_code);
  a.centre = holds(who, "centre_admin", "");
  return a;
}

bool RatingService::may_oversee(const Principal& who) const {
  return holds(who, "centre_admin", "") ||
         (!who.system && require(who, Permission::supervise, "").ok());
}

FollowUpView RatingService::to_view(const Principal& who, const core::Rating& r,
                                    std::string_view today) const {
  FollowUpView v;
  v.rating = r;
  v.overdue = core::follow_up_overdue(r, today);
  const core::FollowUpActor a = actor_for(who, r);
  if (a.department_lead && r.follow_up == core::FollowUpState::open) {
    v.allowed_actions.push_back(core::FollowUpAction::callback);
    if (r.appeal_reason.empty()) v.allowed_actions.push_back(core::FollowUpAction::appeal);
  }
  if (a.centre && r.follow_up == core::FollowUpState::appealed) {
    v.allowed_actions.push_back(core::FollowUpAction::decide_appeal);
  }
  return v;
}

Result<void> RatingService::write_new(core::Rating r, const Principal* who,
                                      const RequestContext& ctx) {
  RatingCommit commit;
  commit.rating = std::move(r);
  commit.now_ms = ctx.now * 1000;
  const core::Rating& x = commit.rating;
  if (core::is_bad(x.level)) {
    SHENPI_ASSIGN(auto leads, d_.repo->role_holders("business_lead", x.department_code));
    if (!leads.empty()) {
      OutboxEvent ev;
      ev.event_id = new_event_id(ctx.now, d_.random_bytes(12));
      ev.topic = "rating.follow_up_opened";
      ev.case_number = x.case_number;
      ev.department_code = x.department_code;
      ev.payload_json = json::serialize(
          json::object{{"number", x.case_number},
                       {"item_name", x.item_name},
                       {"state", "follow_up_open"},
                       {"state_label", "收到差评（" + std::string(core::label(x.level)) +
                                           "），请于 " + x.follow_up_due_on + " 前回访整改"},
                       {"department_name", x.department_name}});
      ev.recipients = std::move(leads);
      ev.created_at = ctx.now;
      commit.outbox.push_back(std::move(ev));
    }
  }
  AuditEvent a;
  a.at_unix_ms = ctx.now * 1000;
  if (who) {
    a.actor_id = who->account_id;
    a.actor_name = who->username.empty() ? who->name : who->username;
    a.role = "applicant";
  } else {
    a.actor_name = "system";
    a.role = "system";
  }
  a.department_code = x.department_code;
  a.address = ctx.address;
  a.request_id = ctx.request_id;
  a.action = x.defaulted ? "rating.default" : "rating.rate";
  a.object_type = "case";
  a.object_id = x.case_number;
  a.outcome = "success";
  a.after_json = json::serialize(json::object{{"level", core::to_string(x.level)},
                                              {"defaulted", x.defaulted},
                                              {"follow_up", core::to_string(x.follow_up)}});
  SHENPI_ASSIGN(AuditAppend plan, d_.audit->plan(a));
  commit.audit = std::move(plan);
  SHENPI_ASSIGN(std::int64_t id, d_.repo->insert(commit));
  (void)id;
  return ok_result();
}

Result<core::Rating> RatingService::rate(const Principal& who, std::string_view number,
                                         std::string_view level_name, std::string_view comment,
                                         const RequestContext& ctx) {
  SHENPI_ASSIGN(core::RatedCase c, d_.rated_case(who, number, ctx));
  const auto parsed = core::parse_rating_level(level_name);
  if (!parsed) {
    return make_error(ErrorKind::invalid_input, "bad_level", "请选择评价等级", "level");
  }
  const core::RatingLevel level = *parsed;
  const auto today = core::Date::parse(ctx.today);
  if (!today) return make_error(ErrorKind::internal, "bad_today", "today is not a date");
  SHENPI_ASSIGN(auto existing, d_.repo->find_by_case(c.number));
  if (existing)
    return make_error(ErrorKind::conflict, "already_rated", "该办件已评价，不能重复评价");
  SHENPI_ASSIGN(core::Rating r, core::applicant_rating(c, who.account_id, level, comment, *today,
                                                       d_.policy, follow_up_due(ctx.today)));
  SHENPI_TRY(write_new(r, &who, ctx));
  SHENPI_ASSIGN(auto stored, d_.repo->find_by_case(c.number));
  if (!stored) return rating_not_found();
  return *stored;
}

Result<CaseRatingView> RatingService::of_case(const Principal& who, std::string_view number,
                                              const RequestContext& ctx) {
  SHENPI_ASSIGN(core::RatedCase c, d_.rated_case(who, number, ctx));
  const auto today = core::Date::parse(ctx.today);
  if (!today) return make_error(ErrorKind::internal, "bad_today", "today is not a date");
  CaseRatingView v;
  v.delivered = c.delivered;
  SHENPI_ASSIGN(v.rating, d_.repo->find_by_case(c.number));
  const auto delivered = core::Date::parse(c.delivered_on);
  if (c.delivered && delivered) {
    v.window_ends = core::rating_window_end(*delivered, d_.policy).iso();
    if (!v.rating) {
      // Default on read: the window ended and no pass has recorded the default yet.
      if (auto def = core::default_rating(c, *today, d_.policy, follow_up_due(ctx.today))) {
        Result<void> w = write_new(*def, nullptr, ctx);
        if (!w.ok() && w.error().code != "already_rated") return w.take_error();
        SHENPI_ASSIGN(v.rating, d_.repo->find_by_case(c.number));
      }
    }
    v.can_rate = !v.rating && who.account_id == c.applicant_account_id &&
                 *today <= core::rating_window_end(*delivered, d_.policy);
  }
  return v;
}

Result<std::vector<FollowUpView>> RatingService::follow_ups(const Principal& who,
                                                            const RequestContext& ctx) {
  RatingFilter f;
  f.bad_only = true;
  if (!may_oversee(who)) {
    for (const RoleGrant& g : who.roles) {
      if (g.role == "business_lead" && who.trained) f.departments.push_back(g.department_code);
    }
    if (f.departments.empty()) return std::vector<FollowUpView>{};
  }
  SHENPI_TRY(record_defaults(ctx));
  SHENPI_ASSIGN(auto rows, d_.repo->list(f));
  std::vector<FollowUpView> out;
  for (const core::Rating& r : rows) out.push_back(to_view(who, r, ctx.today));
  // Those waiting for someone first (open, appealed), then the rest; newest first within.
  std::stable_sort(out.begin(), out.end(), [](const FollowUpView& a, const FollowUpView& b) {
    const auto waiting = [](const core::Rating& r) {
      return r.follow_up == core::FollowUpState::open ||
             r.follow_up == core::FollowUpState::appealed;
    };
    return waiting(a.rating) && !waiting(b.rating);
  });
  return out;
}

Result<FollowUpView> RatingService::follow_up(const Principal& who, std::int64_t rating_id,
                                              const RequestContext& ctx) {
  SHENPI_ASSIGN(auto r, d_.repo->find(rating_id));
  if (!r || r->follow_up == core::FollowUpState::none) return rating_not_found();
  if (!may_oversee(who) && !holds(who, "business_lead", r->department_code)) {
    return rating_not_found();
  }
  return to_view(who, *r, ctx.today);
}

Result<FollowUpView> RatingService::act(const Principal& who, std::int64_t rating_id,
                                        const core::FollowUpInput& input,
                                        std::int64_t expected_version, const RequestContext& ctx) {
  SHENPI_ASSIGN(FollowUpView current, follow_up(who, rating_id, ctx));
  const core::Rating& before = current.rating;
  if (before.version != expected_version) {
    return make_error(ErrorKind::precondition, "stale_version", "该整改已被他人更新，请刷新后重试");
  }
  SHENPI_ASSIGN(core::Rating after,
                core::apply_follow_up(before, input, actor_for(who, before), ctx.today));
  RatingCommit commit;
  commit.rating = after;
  commit.expected_version = expected_version;
  commit.now_ms = ctx.now * 1000;

  std::vector<std::string> recipients;
  std::string label;
  if (input.action == core::FollowUpAction::appeal) {
    SHENPI_ASSIGN(recipients, d_.repo->role_holders("centre_admin", ""));
    label = "差评申诉待裁定";
  } else if (input.action == core::FollowUpAction::decide_appeal) {
    SHENPI_ASSIGN(recipients, d_.repo->role_holders("business_lead", after.department_code));
    label = input.uphold ? "差评申诉成立" : "差评申诉被驳回，请继续回访整改";
  }
  if (!recipients.empty()) {
    OutboxEvent ev;
    ev.event_id = new_event_id(ctx.now, d_.random_bytes(12));
    ev.topic = "rating." + std::string(core::to_string(input.action));
    ev.case_number = after.case_number;
    ev.department_code = after.department_code;
    ev.payload_json = json::serialize(json::object{{"number", after.case_number},
                                                   {"item_name", after.item_name},
                                                   {"state", core::to_string(after.follow_up)},
                                                   {"state_label", label},
                                                   {"department_name", after.department_name}});
    ev.recipients = std::move(recipients);
    ev.created_at = ctx.now;
    commit.outbox.push_back(std::move(ev));
  }
  AuditEvent a;
  a.at_unix_ms = ctx.now * 1000;
  a.actor_id = who.account_id;
  a.actor_name = who.username.empty() ? who.name : who.username;
  a.role = input.action == core::FollowUpAction::decide_appeal ? "centre_admin" : "business_lead";
  a.department_code = after.department_code;
  a.address = ctx.address;
  a.request_id = ctx.request_id;
  a.action = "rating." + std::string(core::to_string(input.action));
  a.object_type = "case";
  a.object_id = after.case_number;
  a.outcome = "success";
  a.before_json = json::serialize(json::object{{"follow_up", core::to_string(before.follow_up)}});
  a.after_json = json::serialize(json::object{{"follow_up", core::to_string(after.follow_up)},
                                              {"appeal_decision", after.appeal_decision}});
  SHENPI_ASSIGN(AuditAppend plan, d_.audit->plan(a));
  commit.audit = std::move(plan);
  SHENPI_TRY(d_.repo->update(commit));
  return follow_up(who, rating_id, ctx);
}

Result<DefaultsReport> RatingService::record_defaults(const RequestContext& ctx, int batch) {
  DefaultsReport report;
  const auto today = core::Date::parse(ctx.today);
  if (!today) return make_error(ErrorKind::invalid_input, "bad_date", "日期应为 YYYY-MM-DD", "at");
  // delivered_on + N < today  ⇔  delivered_on ≤ today − N − 1.
  const std::string by = today->plus_days(-std::max(d_.policy.rate_within_days, 0) - 1).iso();
  const std::string due = follow_up_due(ctx.today);
  for (;;) {
    SHENPI_ASSIGN(auto rows, d_.repo->unrated_delivered(by, batch));
    int written = 0;
    for (const UnratedCase& u : rows) {
      core::RatedCase c{
          u.number,          true,       u.delivered_on, u.applicant_account_id, u.department_code,
          u.department_name, u.item_name};
      auto def = core::default_rating(c, *today, d_.policy, due);
      if (!def) continue;
      Result<void> w = write_new(*def, nullptr, ctx);
      if (!w.ok()) {
        if (w.error().code == "already_rated") continue;  // another node was first
        return w.take_error();
      }
      ++written;
      report.cases.push_back(u.number);
    }
    report.recorded += written;
    if (static_cast<int>(rows.size()) < batch || written == 0) break;
  }
  return report;
}

}  // namespace shenpi::app
