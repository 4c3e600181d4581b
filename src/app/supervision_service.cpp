#include "app/supervision_service.h"

#include <algorithm>
#include <chrono>

#include <boost/json.hpp>

#include "app/authorization.h"
#include "app/denial_audit.h"
#include "core/calendar/date.h"
#include "core/supervision/warning_rules.h"

namespace shenpi::app {
namespace {

namespace json = boost::json;

// Random bytes drawn from `source` a few kilobytes at a time and handed out in slices.
// Not shared between threads: one per pass.
class RandomPool {
 public:
  explicit RandomPool(const std::function<std::string(std::size_t)>& source) : source_(source) {}
  //! The next `n` bytes (n at most kRefill).
  std::string take(std::size_t n) {
    if (used_ + n > bytes_.size()) {
      bytes_ = source_(kRefill);
      used_ = 0;
      if (bytes_.size() < n) return source_(n);  // a source that gives less than asked
    }
    std::string out = bytes_.substr(used_, n);
    used_ += n;
    return out;
  }

 private:
  static constexpr std::size_t kRefill = 4096;
  const std::function<std::string(std::size_t)>& source_;
  std::string bytes_;
  std::size_t used_ = 0;
};

// Candidates read at a time: each read walks every due index entry (see
// SupervisionRepository), so the fewer reads the better; 20,000 case numbers are well
// under a megabyte.
constexpr int kCandidateChunk = 20000;

// How far before the last pass's start a later pass looks for changed cases. A change is
// stamped with its request's time and committed a little later: one stamped before that
// start may have committed after the last pass read its candidates. Two minutes is far
// beyond a request's life (its timeout is 30 s). A case missed even so is still examined
// when due, and on the next day's first pass.
constexpr std::chrono::milliseconds kChangeMargin{120000};

bool holds_role(const Principal& who, std::string_view role) {
  return std::any_of(who.roles.begin(), who.roles.end(),
                     [&](const RoleGrant& g) { return g.role == role; });
}

}  // namespace

std::string warning_to_json(const Warning& w) {
  return json::serialize(json::object{{"id", w.id},
                                      {"case_number", w.case_number},
                                      {"department", w.department_code},
                                      {"department_name", w.department_name},
                                      {"rule", core::to_string(w.rule)},
                                      {"rule_label", core::label(w.rule)},
                                      {"part_seq", w.part_seq},
                                      {"task_id", w.task_id},
                                      {"days_late", w.days_late},
                                      {"legal_days_late", w.legal_days_late},
                                      {"due_on", w.due_on},
                                      {"state", core::to_string(w.state)},
                                      {"first_seen_on", w.first_seen_on},
                                      {"last_seen_on", w.last_seen_on}});
}

SupervisionService::SupervisionService(SupervisionDeps deps) : d_(std::move(deps)) {
  d_.batch = std::max(1, d_.batch);
}

Result<PassReport> SupervisionService::run_pass(std::string_view today_text,
                                                const BetweenBatches& between) {
  const auto today = core::Date::parse(today_text);
  if (!today) {
    return make_error(ErrorKind::invalid_input, "bad_date", "日期应为 YYYY-MM-DD", "at");
  }
  PassReport report;
  report.today = today->iso();
  // One calendar snapshot for the whole pass: every case is judged by the same schedule.
  const std::shared_ptr<const core::WorkingCalendar> cal = d_.calendar->calendar();
  const core::ClockPolicy policy = d_.clock_policy;
  const core::Date day = *today;
  const EvaluateCase evaluate =
      [&cal, policy, day](const SupervisedCase& sc) -> Result<std::vector<core::WarningFinding>> {
    return core::supervise_case(sc.c, sc.events, *cal, day, policy);
  };
  // Outbox event ids from one pool per pass: a system call per event is what a first pass
  // over thousands of late cases would otherwise spend its time in.
  RandomPool ids(d_.random_bytes);
  const AnnounceWarning announce = [this, &ids](const Warning& w,
                                                const std::vector<std::string>& leads) {
    return this->announce(w, leads, ids.take(12));
  };

  CandidateRequest want;
  want.today = report.today;
  want.limit = kCandidateChunk;
  const std::int64_t started_ms = d_.now_unix_ms ? d_.now_unix_ms() : 0;
  if (d_.changed_within_days > 0) {
    want.changed_since = today->plus_days(-d_.changed_within_days).iso();
    std::lock_guard<std::mutex> lock(cursor_mu_);
    if (cursor_day_ == report.today && cursor_ms_ > kChangeMargin.count()) {
      want.changed_since_ms = cursor_ms_ - kChangeMargin.count();
    }
  }
  BatchRequest req;
  req.today = report.today;
  const std::size_t batch = static_cast<std::size_t>(std::min(d_.batch, 1000));
  std::chrono::nanoseconds writing{0};
  for (;;) {
    SHENPI_ASSIGN(std::vector<std::string> candidates, d_.repo->due_cases(want));
    for (std::size_t from = 0; from < candidates.size(); from += batch) {
      const auto first = candidates.begin() + static_cast<std::ptrdiff_t>(from);
      req.numbers.assign(
          first, first + static_cast<std::ptrdiff_t>(std::min(batch, candidates.size() - from)));
      const auto batch_began = std::chrono::steady_clock::now();
      SHENPI_ASSIGN(BatchResult b, d_.repo->run_batch(req, evaluate, announce));
      const auto took = std::chrono::steady_clock::now() - batch_began;
      writing += took;
      ++report.batches;
      report.examined += b.examined;
      report.updated += b.updated;
      for (Warning& w : b.created) report.created.push_back(std::move(w));
      if (between && !between(took)) {
        report.stopped = true;
        break;
      }
    }
    if (report.stopped || candidates.size() < static_cast<std::size_t>(want.limit)) break;
    want.after = candidates.back();
  }
  report.writing_ms = std::chrono::duration_cast<std::chrono::milliseconds>(writing).count();
  if (started_ms > 0 && !report.stopped) {
    std::lock_guard<std::mutex> lock(cursor_mu_);
    cursor_day_ = report.today;
    cursor_ms_ = started_ms;
  }
  return report;
}

Result<WarningAnnouncement> SupervisionService::announce(const Warning& w,
                                                         const std::vector<std::string>& leads,
                                                         std::string_view id_bytes) {
  const std::int64_t now_ms = d_.now_unix_ms ? d_.now_unix_ms() : 0;
  AuditEvent e;
  e.at_unix_ms = now_ms;
  e.actor_name = "system";
  e.role = "system";
  e.department_code = w.department_code;
  e.action = "supervision.warning";
  e.object_type = "case";
  e.object_id = w.case_number;
  e.outcome = "success";
  e.after_json = warning_to_json(w);
  WarningAnnouncement a;
  SHENPI_ASSIGN(a.audit, d_.audit->plan(e));

  OutboxEvent& ev = a.event;
  ev.event_id = new_event_id(now_ms / 1000, id_bytes);
  ev.topic = std::string(kWarningTopic);
  ev.case_number = w.case_number;
  ev.department_code = w.department_code;
  std::string reason = std::string("电子监察警示：") + std::string(core::label(w.rule));
  if (w.days_late > 0) reason += "，超期 " + std::to_string(w.days_late) + " 个工作日";
  ev.payload_json = json::serialize(json::object{{"number", w.case_number},
                                                 {"rule", core::to_string(w.rule)},
                                                 {"rule_label", core::label(w.rule)},
                                                 {"days_late", w.days_late},
                                                 {"state_label", "电子监察警示"},
                                                 {"department_name", w.department_name},
                                                 {"reason", reason}});
  ev.recipients = leads;
  ev.created_at = now_ms / 1000;
  return a;
}

Result<void> SupervisionService::record_denial(const Principal& who, const Error& why,
                                               const RequestContext& ctx) {
  return d_.audit->record(denial_event(who, "supervision.warnings", "warning", "", why, ctx));
}

Result<std::vector<Warning>> SupervisionService::warnings(const Principal& who,
                                                          const WarningQuery& q,
                                                          const RequestContext& ctx) {
  WarningFilter f;
  f.department = q.department;
  f.case_number = q.case_number;
  f.limit = std::clamp(q.limit, 1, 5000);
  if (!q.state.empty()) {
    f.state = core::parse_warning_state(q.state);
    if (!f.state) {
      return make_error(ErrorKind::invalid_input, "bad_state",
                        "state 应为 open、acknowledged 或 closed", "state");
    }
  }

  // The centre and the supervision bureau see the whole city.
  const bool city_wide =
      who.system || require(who, Permission::supervise, "").ok() ||
      (holds_role(who, "centre_admin") && require(who, Permission::case_read, "").ok());
  if (!city_wide) {
    // A department's own staff who read its cases, and its administrators (who answer
    // for its warnings, 说明情况, without reading cases), see that department's warnings.
    std::vector<std::string> depts;
    for (const RoleGrant& g : who.roles) {
      const bool sees = require(who, Permission::case_read, g.department_code).ok() ||
                        may_acknowledge(who, g.department_code);
      if (sees && std::find(depts.begin(), depts.end(), g.department_code) == depts.end()) {
        depts.push_back(g.department_code);
      }
    }
    if (depts.empty()) {
      Result<void> allowed = require(who, Permission::case_read, "");
      Error e = allowed.ok()
                    ? make_error(ErrorKind::forbidden, "no_department", "没有可查看警示信息的单位")
                    : allowed.take_error();
      SHENPI_TRY(record_denial(who, e, ctx));
      return e;
    }
    if (!q.department.empty() &&
        std::find(depts.begin(), depts.end(), q.department) == depts.end()) {
      Error e = make_error(ErrorKind::forbidden, "department_out_of_scope",
                           "只能查看本单位的警示信息", "dept");
      SHENPI_TRY(record_denial(who, e, ctx));
      return e;
    }
    f.departments = std::move(depts);
  }
  return d_.repo->warnings(f);
}

// ---- handling a warning (说明情况, 办结) ----

namespace {

bool holds_role_in(const Principal& who, std::string_view role, std::string_view department) {
  return std::any_of(who.roles.begin(), who.roles.end(), [&](const RoleGrant& g) {
    return g.role == role && g.department_code == department;
  });
}

// The number of UTF-8 code points (continuation bytes not counted).
std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string_view trimmed(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

bool SupervisionService::may_acknowledge(const Principal& who, std::string_view department) {
  if (who.system || who.kind != AccountKind::staff || !who.trained || department.empty()) {
    return false;
  }
  return holds_role_in(who, "business_lead", department) ||
         holds_role_in(who, "dept_admin", department);
}

bool SupervisionService::may_close(const Principal& who) {
  return who.system || require(who, Permission::supervise, "").ok() ||
         (holds_role(who, "centre_admin") && require(who, Permission::case_read, "").ok());
}

Result<void> SupervisionService::record_handling_denial(const Principal& who,
                                                        std::string_view action, const Error& why,
                                                        std::int64_t id,
                                                        const RequestContext& ctx) {
  return d_.audit->record(denial_event(who, std::string(action), "warning",
                                       id > 0 ? std::to_string(id) : std::string(), why, ctx));
}

Result<Warning> SupervisionService::warning(const Principal& who, std::int64_t id,
                                            const RequestContext& ctx) {
  // Only staff at work (and the system) read warnings: applicants and untrained staff are
  // refused before anything is looked up.
  if (!who.system && (who.kind != AccountKind::staff || !who.trained)) {
    Result<void> allowed = require(who, Permission::case_read, "");
    Error e = allowed.ok()
                  ? make_error(ErrorKind::forbidden, "permission_denied", "您无权进行此操作")
                  : allowed.take_error();
    SHENPI_TRY(record_handling_denial(who, "supervision.warnings", e, id, ctx));
    return e;
  }
  const Error not_found = make_error(ErrorKind::not_found, "warning_not_found", "警示不存在");
  if (id <= 0) return not_found;
  SHENPI_ASSIGN(std::optional<Warning> w, d_.repo->find_warning(id));
  if (!w) return not_found;
  const bool visible = may_close(who) ||
                       require(who, Permission::case_read, w->department_code).ok() ||
                       may_acknowledge(who, w->department_code);
  if (!visible) return not_found;
  return std::move(*w);
}

Result<Warning> SupervisionService::acknowledge(const Principal& who, std::int64_t id,
                                                std::string_view note, const RequestContext& ctx) {
  return handle(who, id, note, false, ctx);
}

Result<Warning> SupervisionService::close(const Principal& who, std::int64_t id,
                                          std::string_view note, const RequestContext& ctx) {
  return handle(who, id, note, true, ctx);
}

Result<Warning> SupervisionService::handle(const Principal& who, std::int64_t id,
                                           std::string_view note_text, bool close,
                                           const RequestContext& ctx) {
  const std::string_view action =
      close ? "supervision.warning_close" : "supervision.warning_acknowledge";
  SHENPI_ASSIGN(Warning current, warning(who, id, ctx));
  if (close ? !may_close(who) : !may_acknowledge(who, current.department_code)) {
    Error e = close ? make_error(ErrorKind::forbidden, "not_overseer",
                                 "只有政务服务中心或监察部门可以办结警示")
                    : make_error(ErrorKind::forbidden, "not_department_lead",
                                 "只有被警示部门的业务负责人或单位管理员可以说明情况");
    SHENPI_TRY(record_handling_denial(who, action, e, id, ctx));
    return e;
  }
  const std::string note(trimmed(note_text));
  if (note.empty()) {
    return make_error(ErrorKind::invalid_input, "note_required",
                      close ? "请填写办结意见" : "请填写情况说明", "note");
  }
  if (code_points(note) > kMaxNoteChars) {
    return make_error(ErrorKind::invalid_input, "note_too_long",
                      "说明不能超过 " + std::to_string(kMaxNoteChars) + " 个字", "note");
  }

  std::string role;
  if (who.system) {
    role = "system";
  } else if (close) {
    for (std::string_view r : {"supervisor", "leading_group", "centre_admin"}) {
      if (holds_role(who, r)) {
        role = std::string(r);
        break;
      }
    }
  } else {
    role = holds_role_in(who, "business_lead", current.department_code) ? "business_lead"
                                                                        : "dept_admin";
  }
  const PlanWarningAudit plan = [&](const Warning& before,
                                    const Warning& after) -> Result<AuditAppend> {
    AuditEvent e;
    e.at_unix_ms = ctx.now * 1000;
    e.actor_id = who.system ? "" : who.account_id;
    e.actor_name = who.system ? "system" : (who.username.empty() ? who.name : who.username);
    e.role = role;
    e.department_code = close ? who.department_code : after.department_code;
    e.address = ctx.address;
    e.request_id = ctx.request_id;
    e.action = std::string(action);
    e.object_type = "warning";
    e.object_id = std::to_string(after.id);
    e.outcome = "success";
    e.before_json = json::serialize(json::object{{"state", core::to_string(before.state)}});
    json::value a = json::parse(warning_to_json(after));
    a.as_object()["note"] = note;
    a.as_object()["on"] = ctx.today;
    e.after_json = json::serialize(a);
    return d_.audit->plan(e);
  };
  const std::vector<core::WarningState> from{core::WarningState::open,
                                             core::WarningState::acknowledged};
  return d_.repo->change_warning_state(
      id, from, close ? core::WarningState::closed : core::WarningState::acknowledged, plan);
}

}  // namespace shenpi::app
