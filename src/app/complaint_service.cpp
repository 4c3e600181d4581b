#include "app/complaint_service.h"

#include <boost/json.hpp>

#include <algorithm>

#include "app/authorization.h"
#include "core/calendar/date.h"
#include "core/identity/masking.h"

namespace shenpi::app {
namespace {

namespace json = boost::json;

// Compares without stopping at the first difference.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// Tracking codes: 10 characters of an alphabet without look-alikes (no 0/O, 1/I), 50 bits.
constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
constexpr std::size_t kCodeLength = 10;

// What people type: upper-cased, blanks and hyphens dropped.
std::string normalise_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out += c;
  }
  return out;
}

std::string compact(std::string_view iso) {
  std::string out;
  for (const char c : iso) {
    if (c != '-') out += c;
  }
  return out;
}

bool holds_role(const Principal& who, std::string_view role) {
  if (!who.trained) return false;
  return std::any_of(who.roles.begin(), who.roles.end(),
                     [&](const RoleGrant& g) { return g.role == role; });
}

Error not_found() {
  return make_error(ErrorKind::not_found, "complaint_not_found", "投诉不存在或查询码不正确");
}

}  // namespace

ComplaintService::ComplaintService(ComplaintServiceDeps deps) : d_(std::move(deps)) {}

bool ComplaintService::is_bureau(const Principal& who) {
  return !who.system && require(who, Permission::supervise, "").ok();
}

bool ComplaintService::is_centre(const Principal& who) { return holds_role(who, "centre_admin"); }

std::string ComplaintService::due_from(std::string_view today) const {
  const auto day = core::Date::parse(today);
  if (!day) return {};
  return d_.calendar->calendar()
      ->add_working_days_provisional(*day, d_.answer_limit_working_days)
      .date.iso();
}

ComplaintService::Access ComplaintService::access(const std::optional<Principal>& who,
                                                  const ComplaintRecord& r,
                                                  std::string_view tracking_code) const {
  Access a;
  if (who) {
    a.bureau = is_bureau(*who);
    a.centre = !a.bureau && is_centre(*who) && !core::complaint_bureau_only(r.c);
    a.complainant = !r.c.account_id.empty() && who->account_id == r.c.account_id;
  }
  if (!a.complainant && !tracking_code.empty()) {
    a.complainant = same_secret(d_.sha256_hex(normalise_code(tracking_code)), r.c.tracking_hash);
  }
  return a;
}

ComplaintView ComplaintService::to_view(const StoredComplaint& s, const Access& a) const {
  ComplaintView v;
  v.c = s.record.c;
  v.events = s.events;
  v.bureau = a.bureau;
  v.complainant = a.complainant;
  auto phone = d_.open(s.record.phone_sealed, complaint_phone_associated_data(v.c.number));
  v.c.contact_phone = phone.ok() ? std::move(phone).value() : std::string();
  if (!a.bureau && !a.complainant) {
    v.c.contact_phone = core::mask_phone(v.c.contact_phone);
    v.c.contact_name = core::mask_name(v.c.contact_name);
  }
  // The findings are the bureau's working notes; the complainant reads the answer.
  if (!a.bureau) v.c.findings.clear();
  v.c.tracking_hash.clear();
  return v;
}

Result<AuditAppend> ComplaintService::audit_of(const std::optional<Principal>& who,
                                               std::string_view action, const core::Complaint& c,
                                               const RequestContext& ctx) const {
  AuditEvent a;
  a.at_unix_ms = ctx.now * 1000;
  if (who) {
    a.actor_id = who->account_id;
    a.actor_name = who->username.empty() ? who->name : who->username;
  } else {
    a.actor_name = "匿名投诉人";
  }
  a.role = who && is_bureau(*who) ? "supervisor" : "complainant";
  a.address = ctx.address;
  a.request_id = ctx.request_id;
  a.action = std::string(action);
  a.object_type = "complaint";
  a.object_id = c.number;
  a.outcome = "success";
  // Never the content or the contact details: the trail is read by security officers.
  a.after_json = json::serialize(json::object{{"state", core::to_string(c.state)},
                                              {"subject", core::to_string(c.subject)},
                                              {"assignee_id", c.assignee_id},
                                              {"outcome", core::to_string(c.outcome)},
                                              {"due_on", c.due_on}});
  return d_.audit->plan(a);
}

OutboxEvent ComplaintService::event_of(std::string_view topic, const core::Complaint& c,
                                       std::vector<std::string> recipients,
                                       const RequestContext& ctx) const {
  OutboxEvent ev;
  ev.event_id = new_event_id(ctx.now, d_.random_bytes(12));
  ev.topic = std::string(topic);
  // No case number and no department: the department complained about must not learn of
  // the complaint through its inbox or the event feed.
  ev.payload_json = json::serialize(
      json::object{{"number", c.number},
                   {"item_name", "投诉（" + std::string(core::label(c.subject)) + "）"},
                   {"state", core::to_string(c.state)},
                   {"state_label", "投诉" + std::string(core::label(c.state))}});
  ev.recipients = std::move(recipients);
  ev.created_at = ctx.now;
  return ev;
}

Result<FiledComplaint> ComplaintService::file(const std::optional<Principal>& who,
                                              const core::ComplaintInput& input,
                                              const RequestContext& ctx) {
  SHENPI_ASSIGN(core::Complaint c, core::new_complaint(input));
  if (c.subject == core::ComplaintSubject::case_matter || !c.case_number.empty()) {
    SHENPI_ASSIGN(auto facts, d_.find_case(c.case_number));
    if (!facts) {
      return make_error(ErrorKind::invalid_input, "case_not_found", "办件编号不存在，请核对",
                        "case_number");
    }
    if (c.department_code.empty()) {
      c.department_code = facts->department_code;
      c.department_name = facts->department_name;
    }
  }
  if (!c.department_code.empty() && c.department_name.empty()) {
    SHENPI_ASSIGN(auto name, d_.repo->department_name(c.department_code));
    if (!name) {
      return make_error(ErrorKind::invalid_input, "department_not_found", "所选单位不存在",
                        "department_code");
    }
    c.department_name = *name;
  }
  if (who) c.account_id = who->account_id;
  c.filed_on = ctx.today;
  c.due_on = due_from(ctx.today);

  std::string code;
  const std::string bytes = d_.random_bytes(kCodeLength);
  for (const char b : bytes)
    code += kCodeAlphabet[static_cast<unsigned char>(b) % kCodeAlphabet.size()];
  c.tracking_hash = d_.sha256_hex(code);

  SHENPI_ASSIGN(auto bureau, d_.repo->role_holders("supervisor", ""));
  std::vector<std::string> recipients;
  for (const auto& [id, name] : bureau) recipients.push_back(id);

  const std::string phone = c.contact_phone;
  auto build = [&](const std::string& number) -> Result<ComplaintCommit> {
    ComplaintCommit commit;
    commit.record.c = c;
    commit.record.c.number = number;
    commit.record.c.version = 1;
    commit.record.c.contact_phone.clear();
    commit.record.phone_sealed = d_.seal(phone, complaint_phone_associated_data(number));
    commit.event.at_unix_ms = ctx.now * 1000;
    commit.event.on = ctx.today;
    commit.event.actor_id = c.account_id;
    commit.event.actor_name = "投诉人";
    commit.event.actor_role = "complainant";
    commit.event.action = "created";
    commit.event.to_state = std::string(core::to_string(c.state));
    commit.outbox.push_back(event_of("complaint.submitted", commit.record.c, recipients, ctx));
    SHENPI_ASSIGN(AuditAppend plan, audit_of(who, "complaint.file", commit.record.c, ctx));
    commit.audit = std::move(plan);
    commit.now_ms = ctx.now * 1000;
    return commit;
  };
  SHENPI_ASSIGN(std::string number, d_.repo->create(compact(ctx.today), build));
  return FiledComplaint{number, code, c.due_on, 1};
}

Result<ComplaintView> ComplaintService::view(const std::optional<Principal>& who,
                                             std::string_view number,
                                             std::string_view tracking_code,
                                             const RequestContext& ctx) {
  SHENPI_ASSIGN(auto stored, d_.repo->find(number));
  if (!stored) return not_found();
  const Access a = access(who, stored->record, tracking_code);
  if (!a.bureau && !a.centre && !a.complainant) return not_found();
  ComplaintView v = to_view(*stored, a);
  core::ComplaintActor actor{who ? who->account_id : std::string(), who ? who->name : std::string(),
                             a.bureau, a.complainant};
  v.allowed_actions = core::allowed_complaint_actions(stored->record.c, actor);
  v.overdue = core::complaint_overdue(stored->record.c, ctx.today);
  return v;
}

Result<std::vector<core::Complaint>> ComplaintService::list(
    const Principal& who, std::optional<core::ComplaintState> state) {
  ComplaintFilter f;
  f.state = state;
  if (is_bureau(who)) {
    // every complaint
  } else if (is_centre(who)) {
    f.include_staff_subjects = false;
  } else {
    if (who.account_id.empty()) return std::vector<core::Complaint>{};
    f.account_id = who.account_id;
  }
  SHENPI_ASSIGN(auto rows, d_.repo->list(f));
  for (core::Complaint& c : rows) {
    c.tracking_hash.clear();
    c.contact_phone.clear();
    if (!is_bureau(who)) c.findings.clear();
  }
  return rows;
}

Result<std::vector<std::pair<std::string, std::string>>> ComplaintService::supervisors(
    const Principal& who) {
  if (!is_bureau(who)) {
    return make_error(ErrorKind::forbidden, "permission_denied", "仅监察机关可以分派投诉");
  }
  return d_.repo->role_holders("supervisor", "");
}

Result<ComplaintView> ComplaintService::act(const std::optional<Principal>& who,
                                            std::string_view number, std::string_view tracking_code,
                                            core::ComplaintActionInput input,
                                            std::int64_t expected_version,
                                            const RequestContext& ctx) {
  SHENPI_ASSIGN(auto stored, d_.repo->find(number));
  if (!stored) return not_found();
  const Access a = access(who, stored->record, tracking_code);
  if (!a.bureau && !a.centre && !a.complainant) return not_found();
  if (stored->record.c.version != expected_version) {
    return make_error(ErrorKind::precondition, "stale_version", "投诉已被他人更新，请刷新后重试");
  }
  std::vector<std::string> recipients;
  if (input.action == core::ComplaintAction::assign && a.bureau) {
    SHENPI_ASSIGN(auto bureau, d_.repo->role_holders("supervisor", ""));
    const auto it = std::find_if(bureau.begin(), bureau.end(),
                                 [&](const auto& p) { return p.first == input.assignee_id; });
    if (it == bureau.end()) {
      return make_error(ErrorKind::invalid_input, "assignee_not_supervisor",
                        "承办人须为监察机关工作人员", "assignee_id");
    }
    input.assignee_name = it->second;
    recipients.push_back(it->first);
  }
  core::ComplaintActor actor{who ? who->account_id : std::string(),
                             who ? (who->name.empty() ? who->username : who->name) : "投诉人",
                             a.bureau, a.complainant};
  // A bureau member acting on their own complaint acts as its complainant when the
  // action is the complainant's.
  if (input.action == core::ComplaintAction::confirm ||
      input.action == core::ComplaintAction::dispute) {
    actor.bureau = false;
    if (!who || !a.complainant || stored->record.c.account_id != who->account_id) {
      actor.id = {};
      actor.name = "投诉人";
    }
  }
  SHENPI_ASSIGN(
      core::ComplaintTransition t,
      core::apply_complaint_action(stored->record.c, input, actor, ctx.today, due_from(ctx.today)));
  t.event.at_unix_ms = ctx.now * 1000;
  const core::Complaint& c = t.after;
  std::string topic;
  switch (input.action) {
    case core::ComplaintAction::assign:
      topic = "complaint.assigned";
      break;
    case core::ComplaintAction::answer:
      topic = "complaint.answered";
      if (!c.account_id.empty()) recipients.push_back(c.account_id);
      break;
    case core::ComplaintAction::confirm:
      topic = "complaint.confirmed";
      if (!c.assignee_id.empty()) recipients.push_back(c.assignee_id);
      break;
    case core::ComplaintAction::dispute: {
      topic = "complaint.disputed";
      SHENPI_ASSIGN(auto bureau, d_.repo->role_holders("supervisor", ""));
      for (const auto& [id, name] : bureau) recipients.push_back(id);
      break;
    }
  }

  ComplaintCommit commit;
  commit.record.c = c;
  commit.record.c.version = expected_version + 1;
  commit.record.phone_sealed = stored->record.phone_sealed;
  commit.expected_version = expected_version;
  commit.event = t.event;
  if (!recipients.empty())
    commit.outbox.push_back(event_of(topic, commit.record.c, recipients, ctx));
  SHENPI_ASSIGN(AuditAppend plan,
                audit_of(who, "complaint." + std::string(core::to_string(input.action)),
                         commit.record.c, ctx));
  commit.audit = std::move(plan);
  commit.now_ms = ctx.now * 1000;
  SHENPI_TRY(d_.repo->update(commit));
  return view(who, number, tracking_code, ctx);
}

}  // namespace shenpi::app
