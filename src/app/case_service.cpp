#include "app/case_service.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "app/authorization.h"
#include "app/form_data_json.h"
#include "core/calendar/date.h"
#include "core/documents/document.h"
#include "core/identity/masking.h"

namespace shenpi::app {
namespace json = boost::json;
using core::CaseAction;
using core::CaseState;

struct CaseService::Item {
  core::ItemVersion version;
  core::Department department;
};

struct CaseService::ItemCache {
  static constexpr std::size_t kMaxItems = 2000;  // more than a city's whole catalogue
  std::mutex mu;
  std::int64_t generation = -1;
  std::map<std::string, Item, std::less<>> items;
};

namespace {

Error case_not_found() {
  // The same answer whether the case does not exist or the caller may not know it does,
  // so that case numbers cannot be probed.
  return make_error(ErrorKind::not_found, "case_not_found", "办件不存在");
}

std::string compact_date(std::string_view iso) {
  std::string out;
  for (char ch : iso) {
    if (ch != '-') out.push_back(ch);
  }
  return out;
}

core::Date date_or_epoch(std::string_view iso) {
  return core::Date::parse(iso).value_or(core::Date{});
}

//! The role the principal acts in for a permission in a department, for events and audit.
std::string role_for(const Principal& who, Permission p) {
  if (who.kind != AccountKind::staff) return "applicant";
  if (who.system) return "system";
  switch (p) {
    case Permission::case_accept:
      return "clerk";
    case Permission::case_review:
      return "reviewer";
    case Permission::case_approve:
      return "approver";
    default:
      return "staff";
  }
}

Permission permission_for_role(std::string_view role) {
  if (role == "clerk") return Permission::case_accept;
  if (role == "reviewer") return Permission::case_review;
  if (role == "approver") return Permission::case_approve;
  return Permission::case_read;
}

Permission permission_for_stage(core::TaskStage stage) {
  switch (stage) {
    case core::TaskStage::acceptance:
    case core::TaskStage::delivery:
      return Permission::case_accept;
    case core::TaskStage::review:
    case core::TaskStage::recheck:
      return Permission::case_review;
    case core::TaskStage::decision:
      return Permission::case_approve;
  }
  return Permission::case_read;
}

bool can(const Principal& who, Permission p, std::string_view dept) {
  return require(who, p, dept).ok();
}

//! Suspension and resumption may be started by the reviewer or the approver.
bool can_act(const Principal& who, CaseAction action, std::string_view dept) {
  const std::string_view role = core::required_role(action);
  if (action == CaseAction::suspend || action == CaseAction::resume) {
    return can(who, Permission::case_review, dept) || can(who, Permission::case_approve, dept);
  }
  return can(who, permission_for_role(role), dept);
}

std::vector<std::string> attachment_ids(const std::vector<core::FormField>& fields,
                                        const core::FormData& data) {
  std::vector<std::string> ids;
  for (const core::FormField& f : fields) {
    if (f.type != core::FieldType::attachment) continue;
    auto it = data.find(f.name);
    if (it == data.end()) continue;
    for (const std::string& id : it->second.list) ids.push_back(id);
    if (!it->second.text.empty()) ids.push_back(it->second.text);
  }
  return ids;
}

std::string masked_identity(std::string_view kind, std::string_view id) {
  return kind == "organisation" ? core::mask_credit_code(id) : core::mask_citizen_id(id);
}

}  // namespace

CaseService::CaseService(CaseServiceDeps deps)
    : d_(std::move(deps)), item_cache_(std::make_shared<ItemCache>()) {}

Result<StoredCase> CaseService::load(std::string_view number) {
  SHENPI_ASSIGN(auto found, d_.repo->find(number));
  if (!found) return case_not_found();
  return std::move(*found);
}

bool CaseService::may_view(const Principal& who, const core::Case& c) const {
  if (who.system) return true;
  if (who.kind != AccountKind::staff) return who.account_id == c.applicant_account_id;
  // A draft is the applicant's own until submitted; at the window, also the filing clerk's.
  if (c.state == CaseState::draft) return !c.filed_by_id.empty() && c.filed_by_id == who.account_id;
  if (can(who, Permission::case_read, c.lead_department_code)) return true;
  for (const core::CasePart& p : c.parts) {
    if (can(who, Permission::case_read, p.department_code)) return true;
  }
  return false;
}

core::CaseClocks CaseService::clocks(const core::Case& c, std::string_view today) const {
  auto cal = d_.calendar->calendar();
  return core::evaluate_case_clocks(c, *cal, date_or_epoch(today), d_.clock_policy);
}

Result<void> CaseService::deny(const Principal& who, std::string_view action,
                               std::string_view number, const Error& e, const RequestContext& ctx) {
  AuditEvent ev;
  ev.at_unix_ms = ctx.now * 1000;
  ev.actor_id = who.account_id;
  ev.actor_name = who.username.empty() ? who.name : who.username;
  ev.role = who.kind == AccountKind::staff ? "staff" : "applicant";
  ev.department_code = who.department_code;
  ev.address = ctx.address;
  ev.request_id = ctx.request_id;
  ev.action = "case." + std::string(action);
  ev.object_type = "case";
  ev.object_id = std::string(number);
  ev.outcome = "denied";
  ev.after_json = json::serialize(json::object{{"code", e.code}});
  return d_.audit->record(ev);
}

Result<StoredCase> CaseService::load_for(const Principal& who, std::string_view action,
                                         std::string_view number, const RequestContext& ctx) {
  auto loaded = load(number);
  if (!loaded.ok()) {
    if (loaded.error().kind == ErrorKind::not_found) return hidden(who, action, number, ctx);
    return loaded.error();
  }
  if (!may_view(who, loaded->c)) return hidden(who, action, number, ctx);
  return loaded;
}

Error CaseService::hidden(const Principal& who, std::string_view action, std::string_view number,
                          const RequestContext& ctx) {
  // Someone asked for a case that is not theirs to see: the answer stays "no such case",
  // and the attempt is recorded (Art. 24: reading others' information without authorisation).
  Error e = case_not_found();
  Result<void> noted = deny(who, action, number, e, ctx);
  if (!noted.ok()) return noted.error();
  return e;
}

Result<std::vector<CaseService::Item>> CaseService::items_for(const ApplicationInput& input) {
  const bool window = !input.on_behalf_of.empty();
  std::vector<std::string> codes;
  if (!input.bundle_code.empty()) {
    SHENPI_ASSIGN(auto bundle, d_.catalogue->repository().bundle(input.bundle_code));
    if (!bundle) {
      return make_error(ErrorKind::not_found, "bundle_not_found", "并联审批事项不存在", "bundle");
    }
    codes = bundle->item_codes;
  } else if (!input.item_code.empty()) {
    codes = {input.item_code};
  } else {
    return make_error(ErrorKind::invalid_input, "item_required", "请选择申请的事项", "item");
  }
  // The generation is read first: an item published after it is read at the next one.
  SHENPI_ASSIGN(const std::int64_t generation, d_.catalogue->generation());
  std::vector<Item> out;
  for (const std::string& code : codes) {
    std::optional<Item> item = cached_item(code, generation);
    if (!item) {
      SHENPI_ASSIGN(auto version, d_.catalogue->repository().published_item(code));
      if (!version) {
        return make_error(ErrorKind::not_found, "item_not_found", "事项不存在或未发布",
                          input.bundle_code.empty() ? "item" : "bundle");
      }
      SHENPI_ASSIGN(auto dept, d_.catalogue->repository().department(version->department_code));
      if (!dept)
        return make_error(ErrorKind::internal, "department_missing", "事项的实施单位不存在");
      item = Item{std::move(*version), std::move(*dept)};
      remember_item(code, generation, *item);
    }
    // Items that may not be handled online (Art. 12) are refused everywhere; items offered
    // online only as information or a blank form may still be filed at the window.
    const core::ItemVersion& version = item->version;
    if (!version.offline_reason.empty() ||
        (!window && version.online_level < core::OnlineLevel::pre_review)) {
      return make_error(ErrorKind::conflict, "item_offline",
                        "事项“" + version.name + "”不提供网上申报，请到办理窗口申请",
                        input.bundle_code.empty() ? "item" : "bundle");
    }
    out.push_back(std::move(*item));
  }
  return out;
}

std::optional<CaseService::Item> CaseService::cached_item(std::string_view code,
                                                          std::int64_t generation) {
  std::lock_guard lock(item_cache_->mu);
  if (item_cache_->generation != generation) {
    item_cache_->items.clear();
    item_cache_->generation = generation;
  }
  auto hit = item_cache_->items.find(code);
  if (hit == item_cache_->items.end()) return std::nullopt;
  return hit->second;
}

void CaseService::remember_item(std::string_view code, std::int64_t generation, const Item& item) {
  std::lock_guard lock(item_cache_->mu);
  if (item_cache_->generation == generation && item_cache_->items.size() < ItemCache::kMaxItems) {
    item_cache_->items.emplace(std::string(code), item);
  }
}

Result<std::vector<core::FormField>> CaseService::form_of(const core::Case& c) {
  std::vector<core::FormField> fields;
  std::set<std::string> seen;
  for (const core::CasePart& p : c.parts) {
    SHENPI_ASSIGN(auto v, d_.catalogue->repository().item_version(p.item_version_id));
    if (!v) continue;
    for (const core::FormField& f : v->form) {
      if (seen.insert(f.name).second) fields.push_back(f);
    }
  }
  return fields;
}

Result<CaseCommit> CaseService::commit_for(const Principal& who, const core::CaseTransition& t,
                                           std::int64_t expected_version,
                                           const RequestContext& ctx) {
  CaseCommit commit;
  commit.c = t.after;
  commit.c.version = expected_version + 1;
  commit.expected_version = expected_version;
  commit.events = t.events;
  const core::Case& c = commit.c;
  const auto today = date_or_epoch(ctx.today);

  const core::CaseClocks cl = clocks(c, ctx.today);
  if (cl.overall.running) commit.due_on = cl.overall.state.due.iso();
  for (const core::TaskClock& tc : cl.tasks) {
    commit.task_due_on[tc.task_id] = tc.state.due.iso();
  }

  // The documents the transition issues, signed; stored with the change.
  for (const core::NoticeOrder& n : t.notices) {
    auto kind = core::parse_document_kind(n.kind);
    if (!kind) return make_error(ErrorKind::internal, "notice_kind", "unknown notice " + n.kind);
    const core::CasePart* part =
        n.part_seq >= 0 && static_cast<std::size_t>(n.part_seq) < c.parts.size()
            ? &c.parts[static_cast<std::size_t>(n.part_seq)]
            : nullptr;
    core::DocumentContent d;
    d.kind = *kind;
    d.case_number = c.number;
    d.item_code =
        part ? part->item_code : (c.is_bundle() ? c.bundle_code : c.parts.front().item_code);
    d.item_name =
        part ? part->item_name : (c.is_bundle() ? c.bundle_name : c.parts.front().item_name);
    d.department_code = part ? part->department_code : c.lead_department_code;
    d.department_name = part ? part->department_name : c.lead_department_name;
    d.applicant_name = c.applicant_name;
    d.applicant_id_masked = c.applicant_id_masked;
    d.issued_on = ctx.today;
    d.received_on = c.received_on;
    d.accepted_on = c.accepted_on;
    if (cl.overall.running) d.due_on = cl.overall.state.due.iso();
    // 文号: the department's short name, the kind, the year and the case's own sequence
    // (date + counter), unique without another counter.
    const std::string seq = c.number.size() > 9 ? c.number.substr(c.number.size() - 9) : c.number;
    d.document_number =
        core::make_document_number(d.department_name.empty() ? "审批" : d.department_name, *kind,
                                   today.year, std::stoi(seq.empty() ? "0" : seq));
    switch (*kind) {
      case core::DocumentKind::non_acceptance_decision:
        d.reasons = {c.not_accepted_reason};
        d.where_to_apply = c.where_to_apply;
        break;
      case core::DocumentKind::correction_notice: {
        d.materials = c.correction_materials;
        if (!c.correction_reason.empty()) d.reasons = {c.correction_reason};
        auto cal = d_.calendar->calendar();
        d.correction_due_on =
            cal->add_working_days_provisional(today, core::kAcceptanceLimitDays).date.iso();
        break;
      }
      case core::DocumentKind::approval_decision:
        if (part) d.result_name = part->result_name;
        break;
      case core::DocumentKind::refusal_decision:
        if (part) d.reasons = part->reasons;
        break;
      case core::DocumentKind::suspension_notice:
        if (part && !part->suspensions.empty()) {
          d.procedure = part->suspensions.back().procedure;
          d.days = part->suspensions.back().days;
          d.reasons = {part->suspensions.back().reason};
        }
        break;
      case core::DocumentKind::extension_notice:
        if (part) {
          d.days = part->extension_days;
          d.reasons = {part->extension_reason};
        } else {
          d.days = c.joint_extension_days;
          d.reasons = {c.joint_extension_reason};
        }
        break;
      default:
        break;
    }
    commit.documents.push_back(d_.documents->prepare(std::move(d), ctx.now));
  }

  // One event through the outbox: the applicant's inbox and email, later department systems.
  const core::CaseEvent* last = t.events.empty() ? nullptr : &t.events.back();
  OutboxEvent ev;
  ev.event_id = new_event_id(ctx.now, d_.random_bytes(12));
  ev.topic = t.topic;
  ev.case_number = c.number;
  ev.department_code = last ? last->department_code : c.lead_department_code;
  ev.payload_json = json::serialize(
      json::object{{"number", c.number},
                   {"item_name", c.is_bundle() ? c.bundle_name : c.parts.front().item_name},
                   {"state", core::to_string(c.state)},
                   {"state_label", core::label(c.state)},
                   {"department_name", c.lead_department_name},
                   {"reason", last ? last->reason : std::string()}});
  ev.recipients = {c.applicant_account_id};
  ev.created_at = ctx.now;
  commit.outbox.push_back(std::move(ev));

  AuditEvent a;
  a.at_unix_ms = ctx.now * 1000;
  a.actor_id = who.account_id;
  a.actor_name = who.username.empty() ? who.name : who.username;
  a.role = last ? last->actor_role : "applicant";
  a.department_code = last ? last->department_code : std::string();
  a.address = ctx.address;
  a.request_id = ctx.request_id;
  a.action = "case." + (last ? last->action : std::string("created"));
  a.object_type = "case";
  a.object_id = c.number;
  a.outcome = "success";
  a.after_json =
      json::serialize(json::object{{"state", core::to_string(c.state)}, {"version", c.version}});
  SHENPI_ASSIGN(AuditAppend plan, d_.audit->plan(a));
  commit.audit = std::move(plan);
  return commit;
}

Result<CaseRef> CaseService::apply(const Principal& who, const ApplicationInput& input,
                                   const RequestContext& ctx, std::vector<Error>* field_errors) {
  SHENPI_ASSIGN(std::vector<Item> items, items_for(input));
  const Item& lead = items.front();
  std::string lead_dept = lead.department.code;
  std::string bundle_name;
  int joint_limit = 45;
  if (!input.bundle_code.empty()) {
    SHENPI_ASSIGN(auto bundle, d_.catalogue->repository().bundle(input.bundle_code));
    lead_dept = bundle->lead_department_code;
    bundle_name = bundle->name;
    joint_limit = bundle->joint_limit_days;
  }
  SHENPI_ASSIGN(auto lead_department, d_.catalogue->repository().department(lead_dept));
  if (!lead_department)
    return make_error(ErrorKind::internal, "department_missing", "牵头单位不存在");

  // Who the application is for: the applicant themself, or (window mode, Art. 3) a
  // registered applicant a clerk of the lead department files for.
  std::string owner = who.account_id;
  core::Channel channel = core::Channel::online;
  if (who.kind == AccountKind::staff || !input.on_behalf_of.empty()) {
    if (auto r = require(who, Permission::case_accept, lead_dept); !r.ok()) {
      SHENPI_TRY(deny(who, "apply", "", r.error(), ctx));
      return r.error();
    }
    if (input.on_behalf_of.empty()) {
      return make_error(ErrorKind::invalid_input, "on_behalf_of_required",
                        "窗口代办请填写申请人的身份证号码或统一社会信用代码", "on_behalf_of");
    }
    SHENPI_ASSIGN(auto found, d_.find_applicant(input.on_behalf_of));
    if (!found) {
      return make_error(ErrorKind::not_found, "applicant_not_found",
                        "该证件号码尚未注册，请申请人先注册账户", "on_behalf_of");
    }
    owner = *found;
    channel = core::Channel::window;
  }

  if (!input.idempotency_key.empty()) {
    SHENPI_ASSIGN(auto seen, d_.repo->idempotency(owner, input.idempotency_key));
    if (seen) {
      if (seen->request_hash != input.request_hash) {
        return make_error(ErrorKind::conflict, "idempotency_key_reused",
                          "该 Idempotency-Key 已用于另一个请求");
      }
      SHENPI_ASSIGN(StoredCase s, load(seen->case_number));
      return CaseRef{s.c.number, s.c.state, s.c.version, true};
    }
  }

  // The form: every item's fields, each name once (a bundle shares common fields).
  std::vector<core::FormField> fields;
  std::set<std::string> seen_fields;
  for (const Item& it : items) {
    for (const core::FormField& f : it.version.form) {
      if (seen_fields.insert(f.name).second) fields.push_back(f);
    }
  }
  core::FormCheck check;
  check.today = ctx.today;
  // Materials are the applicant's uploads; at the window, the clerk's scans of them.
  check.upload_ok = [&](std::string_view id) {
    return d_.uploads->owned(owner, {std::string(id)}, "").ok() ||
           (channel == core::Channel::window &&
            d_.uploads->owned(who.account_id, {std::string(id)}, "").ok());
  };
  core::FormResult form = core::validate_form(
      fields, input.data, input.submit ? core::FormMode::submit : core::FormMode::draft, check);
  if (!form.ok()) {
    if (field_errors) *field_errors = form.errors;
    return form.errors.front();
  }

  SHENPI_ASSIGN(ApplicantProfile applicant, d_.applicant_profile(owner));

  core::Case c;
  c.state = CaseState::draft;
  c.bundle_code = input.bundle_code;
  c.bundle_name = bundle_name;
  c.region_code = lead_department->region_code;
  c.lead_department_code = lead_department->code;
  c.lead_department_name = lead_department->name;
  c.joint_limit_days = joint_limit;
  c.applicant_account_id = owner;
  c.applicant_kind = applicant.kind;
  c.applicant_name = applicant.name;
  c.applicant_id_masked = masked_identity(applicant.kind, applicant.id_number);
  c.channel = channel;
  if (channel == core::Channel::window) {
    c.filed_by_id = who.account_id;
    c.filed_by_name = who.name;
  }
  c.data_json = json::serialize(form_data_to_json(form.data));
  c.created_on = ctx.today;
  for (const Item& it : items) {
    core::CasePart p;
    p.seq = static_cast<int>(c.parts.size());
    p.item_code = it.version.item_code;
    p.item_version_id = it.version.id;
    p.item_name = it.version.name;
    p.department_code = it.department.code;
    p.department_name = it.department.name;
    p.result_name = it.version.result_name;
    p.legal_limit_days = it.version.legal_limit_days;
    p.promised_limit_days = it.version.promised_limit_days;
    c.parts.push_back(std::move(p));
  }

  core::CaseActor actor{who.account_id, who.name,
                        channel == core::Channel::window ? "clerk" : "applicant"};
  const std::vector<std::string> uploads = attachment_ids(fields, form.data);
  auto build = [&](const std::string& number) -> Result<CaseCommit> {
    core::Case draft = c;
    draft.number = number;
    core::CaseTransition t;
    if (input.submit) {
      auto cal = d_.calendar->calendar();
      SHENPI_ASSIGN(t, core::submit_case(draft, actor, *cal, ctx.today, ctx.now * 1000));
    } else {
      t.after = draft;
      core::CaseEvent e;
      e.at_unix_ms = ctx.now * 1000;
      e.on = ctx.today;
      e.actor_id = actor.id;
      e.actor_name = actor.name;
      e.actor_role = actor.role;
      e.action = "created";
      e.to_state = "draft";
      t.events.push_back(std::move(e));
      t.topic = "case.draft_saved";
    }
    SHENPI_ASSIGN(CaseCommit commit, commit_for(who, t, 0, ctx));
    commit.upload_ids = uploads;
    if (!input.idempotency_key.empty()) {
      commit.idempotency =
          IdempotencyRecord{owner, input.idempotency_key, input.request_hash, number, ctx.now};
    }
    return commit;
  };
  auto created = d_.repo->create(c.region_code, compact_date(ctx.today), build);
  if (!created.ok()) {
    if (created.error().code == "idempotency_key_taken") {
      // Another request with the same key won the race: answer as it was answered.
      SHENPI_ASSIGN(auto seen, d_.repo->idempotency(owner, input.idempotency_key));
      if (seen && seen->request_hash == input.request_hash) {
        SHENPI_ASSIGN(StoredCase s, load(seen->case_number));
        return CaseRef{s.c.number, s.c.state, s.c.version, true};
      }
      return make_error(ErrorKind::conflict, "idempotency_key_reused",
                        "该 Idempotency-Key 已用于另一个请求");
    }
    return created.error();
  }
  return CaseRef{*created, input.submit ? CaseState::submitted : CaseState::draft, 1, false};
}

Result<CaseRef> CaseService::save_draft(const Principal& who, std::string_view number,
                                        const core::FormData& data, std::int64_t expected_version,
                                        const RequestContext& ctx,
                                        std::vector<Error>* field_errors) {
  SHENPI_ASSIGN(StoredCase s, load(number));
  if (who.account_id != s.c.applicant_account_id && !who.system) return case_not_found();
  if (s.c.version != expected_version) {
    return make_error(ErrorKind::precondition, "stale_version", "办件已被他人更新，请刷新后重试");
  }
  if (s.c.state != CaseState::draft) {
    return make_error(ErrorKind::conflict, "not_a_draft", "已提交的申请不能再修改");
  }
  SHENPI_ASSIGN(auto fields, form_of(s.c));
  core::FormCheck check;
  check.today = ctx.today;
  check.upload_ok = [&](std::string_view id) {
    return d_.uploads->owned(s.c.applicant_account_id, {std::string(id)}, "").ok();
  };
  core::FormResult form = core::validate_form(fields, data, core::FormMode::draft, check);
  if (!form.ok()) {
    if (field_errors) *field_errors = form.errors;
    return form.errors.front();
  }
  core::CaseTransition t;
  t.after = s.c;
  t.after.data_json = json::serialize(form_data_to_json(form.data));
  core::CaseEvent e;
  e.at_unix_ms = ctx.now * 1000;
  e.on = ctx.today;
  e.actor_id = who.account_id;
  e.actor_name = who.name;
  e.actor_role = "applicant";
  e.action = "draft_saved";
  e.from_state = e.to_state = "draft";
  t.events.push_back(std::move(e));
  t.topic = "case.draft_saved";
  SHENPI_ASSIGN(CaseCommit commit, commit_for(who, t, s.c.version, ctx));
  commit.outbox.clear();  // saving a draft tells nobody
  commit.upload_ids = attachment_ids(fields, form.data);
  SHENPI_TRY(d_.repo->update(commit));
  return CaseRef{s.c.number, CaseState::draft, commit.c.version, false};
}

Result<CaseRef> CaseService::act(const Principal& who, std::string_view number,
                                 const CaseActionRequest& req, std::int64_t expected_version,
                                 const RequestContext& ctx) {
  SHENPI_ASSIGN(StoredCase s, load_for(who, "act", number, ctx));
  core::Case& c = s.c;
  const CaseAction action = req.input.action;
  core::CaseActionInput input = req.input;

  // Which part: named by item code, the only one, or the one the actor works on.
  if (!req.item_code.empty()) {
    const core::CasePart* p = c.part_for_item(req.item_code);
    if (p == nullptr) {
      return make_error(ErrorKind::invalid_input, "item_unknown", "该办件不包含此事项", "item");
    }
    input.part_seq = p->seq;
  } else if (c.parts.size() == 1) {
    input.part_seq = 0;
  } else if (core::required_role(action) == "reviewer" ||
             core::required_role(action) == "approver") {
    if (!(action == CaseAction::extend && c.is_bundle())) {
      std::vector<int> mine;
      for (const core::CasePart& p : c.parts) {
        if (can_act(who, action, p.department_code)) mine.push_back(p.seq);
      }
      if (mine.size() == 1)
        input.part_seq = mine.front();
      else if (mine.size() > 1)
        return make_error(ErrorKind::invalid_input, "item_required", "请指明办理的事项", "item");
    }
  }

  // Who may: the applicant for their own actions; staff by role in the acting department.
  std::string role;
  if (action == CaseAction::claim) {
    const core::Task* task = nullptr;
    for (const core::Task& t : c.tasks) {
      if (t.state == core::TaskState::open &&
          (input.task_id != 0 ? t.id == input.task_id
                              : (can(who, permission_for_stage(t.stage), t.department_code) &&
                                 (req.item_code.empty() || t.part_seq == input.part_seq)))) {
        task = &t;
        break;
      }
    }
    if (task == nullptr) {
      return make_error(ErrorKind::conflict, "no_open_task", "没有可以签收的待办任务");
    }
    input.task_id = task->id;
    const Permission p = permission_for_stage(task->stage);
    if (auto r = require(who, p, task->department_code); !r.ok()) {
      SHENPI_TRY(deny(who, "claim", number, r.error(), ctx));
      return r.error();
    }
    role = role_for(who, p);
  } else if (core::required_role(action) == "applicant") {
    if (who.account_id != c.applicant_account_id) {
      Error e = make_error(ErrorKind::forbidden, "applicant_only", "只有申请人本人可以进行此操作");
      SHENPI_TRY(deny(who, core::to_string(action), number, e, ctx));
      return e;
    }
    role = "applicant";
  } else {
    const std::string dept = core::acting_department(c, action, input.part_seq);
    if (!can_act(who, action, dept)) {
      Result<void> r = require(who, permission_for_role(core::required_role(action)), dept);
      Error e = r.ok() ? make_error(ErrorKind::forbidden, "permission_denied", "无权进行此操作")
                       : r.error();
      SHENPI_TRY(deny(who, core::to_string(action), number, e, ctx));
      return e;
    }
    role = std::string(core::required_role(action));
    if (action == CaseAction::suspend || action == CaseAction::resume) {
      role = can(who, Permission::case_review, dept) ? "reviewer" : "approver";
    }
  }

  if (c.version != expected_version) {
    return make_error(ErrorKind::precondition, "stale_version", "办件已被他人更新，请刷新后重试");
  }

  std::vector<std::string> uploads;
  if (action == CaseAction::submit_correction) {
    if (req.upload_ids.empty()) {
      return make_error(ErrorKind::invalid_input, "materials_required", "请上传补正材料",
                        "materials");
    }
    SHENPI_TRY(d_.uploads->owned(c.applicant_account_id, req.upload_ids, "materials"));
    uploads = req.upload_ids;
  }
  if (action == CaseAction::submit) {
    // A draft is checked in full before it becomes an application.
    SHENPI_ASSIGN(auto fields, form_of(c));
    core::FormData data;
    if (req.data) {
      data = *req.data;
    } else {
      json::error_code ec;
      json::value v = json::parse(c.data_json, ec);
      if (!ec) {
        SHENPI_ASSIGN(data, form_data_from_json(v));
      }
    }
    core::FormCheck check;
    check.today = ctx.today;
    check.upload_ok = [&](std::string_view id) {
      return d_.uploads->owned(c.applicant_account_id, {std::string(id)}, "").ok();
    };
    core::FormResult form = core::validate_form(fields, data, core::FormMode::submit, check);
    if (!form.ok()) return form.errors.front();
    c.data_json = json::serialize(form_data_to_json(form.data));
    uploads = attachment_ids(fields, form.data);
  }

  auto cal = d_.calendar->calendar();
  core::CaseActor actor{who.account_id, who.name, role};
  SHENPI_ASSIGN(core::CaseTransition t,
                core::apply_case_action(c, actor, input, *cal, ctx.today, ctx.now * 1000));
  SHENPI_ASSIGN(CaseCommit commit, commit_for(who, t, c.version, ctx));
  commit.upload_ids = std::move(uploads);
  if (action == CaseAction::claim) commit.outbox.clear();  // internal to the department
  SHENPI_TRY(d_.repo->update(commit));
  return CaseRef{commit.c.number, commit.c.state, commit.c.version, false};
}

Result<CaseView> CaseService::view(const Principal& who, std::string_view number,
                                   const RequestContext& ctx) {
  SHENPI_ASSIGN(StoredCase s, load_for(who, "read", number, ctx));
  CaseView v;
  v.c = std::move(s.c);
  v.events = std::move(s.events);
  v.clocks = clocks(v.c, ctx.today);
  SHENPI_ASSIGN(v.documents, d_.documents->for_case(v.c.number));
  SHENPI_ASSIGN(v.fields, form_of(v.c));
  {
    json::error_code ec;
    json::value data = json::parse(v.c.data_json, ec);
    if (!ec) {
      auto parsed = form_data_from_json(data);
      if (parsed.ok()) {
        for (const std::string& id : attachment_ids(v.fields, *parsed)) {
          auto info = d_.uploads->info(id);
          if (info.ok()) v.uploads.push_back(std::move(*info));
        }
      }
    }
  }

  // Personal data: the applicant sees their own; staff entitled to it see it unmasked,
  // and each such read is audited (Art. 24); everyone else sees it masked.
  const bool owner = who.account_id == v.c.applicant_account_id;
  bool entitled = owner || who.system;
  if (!entitled && who.kind == AccountKind::staff) {
    entitled = can(who, Permission::case_read_personal, v.c.lead_department_code);
    for (const core::CasePart& p : v.c.parts) {
      entitled = entitled || can(who, Permission::case_read_personal, p.department_code);
    }
  }
  SHENPI_ASSIGN(ApplicantProfile profile, d_.applicant_profile(v.c.applicant_account_id));
  v.personal_visible = entitled;
  if (entitled) {
    v.applicant_id_number = profile.id_number;
    v.applicant_mobile = profile.mobile;
    if (!owner && !who.system) {
      AuditEvent a;
      a.at_unix_ms = ctx.now * 1000;
      a.actor_id = who.account_id;
      a.actor_name = who.username.empty() ? who.name : who.username;
      a.role = "staff";
      a.department_code = who.department_code;
      a.address = ctx.address;
      a.request_id = ctx.request_id;
      a.action = "case.read_personal";
      a.object_type = "case";
      a.object_id = v.c.number;
      a.outcome = "success";
      SHENPI_TRY(d_.audit->record(a));
    }
  } else {
    v.applicant_id_number = masked_identity(profile.kind, profile.id_number);
    v.applicant_mobile = core::mask_phone(profile.mobile);
  }

  // The actions this viewer may take now: the rules are asked with placeholder inputs,
  // so that a missing reason does not hide a button; the use case checks again on use.
  auto cal = d_.calendar->calendar();
  const core::CaseActor probe{who.account_id, who.name, "probe"};
  const auto allowed = [&](const core::CaseActionInput& in) {
    return core::apply_case_action(v.c, probe, in, *cal, ctx.today, 0).ok();
  };
  for (int a = 0; a <= static_cast<int>(CaseAction::deliver); ++a) {
    core::CaseActionInput in;
    in.action = static_cast<CaseAction>(a);
    in.reason = in.opinion = in.procedure = "-";
    in.materials = {"-"};
    in.days = 1;
    bool ok = false;
    if (core::required_role(in.action) == "applicant") {
      in.part_seq = 0;
      ok = owner && allowed(in);
    } else if (in.action == CaseAction::claim) {
      for (const core::Task& t : v.c.tasks) {
        if (t.state == core::TaskState::open && t.assignee_id.empty() &&
            can(who, permission_for_stage(t.stage), t.department_code)) {
          in.task_id = t.id;
          ok = allowed(in);
          break;
        }
      }
    } else {
      for (std::size_t i = 0; i < v.c.parts.size() && !ok; ++i) {
        in.part_seq = static_cast<int>(i);
        ok = can_act(who, in.action, core::acting_department(v.c, in.action, in.part_seq)) &&
             allowed(in);
      }
    }
    if (ok) v.allowed_actions.push_back(in.action);
  }
  return v;
}

bool CaseService::may_read(const Principal& who, std::string_view number) {
  auto s = load(number);
  return s.ok() && may_view(who, s->c);
}

Result<std::vector<CaseSummary>> CaseService::my_cases(const Principal& who, int limit,
                                                       int offset) {
  if (who.kind == AccountKind::staff) return std::vector<CaseSummary>{};
  CaseFilter f;
  f.applicant_account_id = who.account_id;
  f.limit = std::clamp(limit, 1, 200);
  f.offset = std::max(0, offset);
  return d_.repo->list(f);
}

Result<std::vector<CaseSummary>> CaseService::department_cases(const Principal& who,
                                                               const CaseFilter& filter,
                                                               const RequestContext& ctx) {
  CaseFilter f = filter;
  f.applicant_account_id.clear();
  bool city_wide = who.system;
  std::vector<std::string> depts;
  for (const RoleGrant& g : who.roles) {
    if (!can(who, Permission::case_read, g.department_code)) continue;
    if (is_city_wide_role(g.role)) city_wide = true;
    depts.push_back(g.department_code);
  }
  if (!city_wide) {
    if (depts.empty()) {
      if (auto r = require(who, Permission::case_read, ""); !r.ok()) {
        SHENPI_TRY(deny(who, "list", "", r.error(), ctx));
        return r.error();
      }
      return std::vector<CaseSummary>{};
    }
    if (f.departments.empty()) {
      f.departments = depts;
    } else {
      for (const std::string& d : f.departments) {
        if (std::find(depts.begin(), depts.end(), d) == depts.end()) {
          return make_error(ErrorKind::forbidden, "permission_denied", "无权查看该单位的办件",
                            "department");
        }
      }
    }
  }
  return d_.repo->list(f);
}

Result<std::vector<QueueEntry>> CaseService::queue(const Principal& who, bool mine_only,
                                                   const RequestContext& ctx) {
  if (who.kind != AccountKind::staff) {
    return make_error(ErrorKind::forbidden, "permission_denied", "只有工作人员有待办任务");
  }
  if (!who.trained && !who.system) {
    if (auto r = require(who, Permission::case_read, ""); !r.ok()) {
      SHENPI_TRY(deny(who, "queue", "", r.error(), ctx));
      return r.error();
    }
  }
  // The stages each of the principal's roles acts on, per department.
  TaskFilter f;
  std::set<core::TaskStage> stages;
  std::set<std::string> depts;
  for (const RoleGrant& g : who.roles) {
    std::vector<core::TaskStage> st;
    if (g.role == "clerk") st = {core::TaskStage::acceptance, core::TaskStage::delivery};
    if (g.role == "reviewer") st = {core::TaskStage::review, core::TaskStage::recheck};
    if (g.role == "approver") st = {core::TaskStage::decision};
    if (st.empty()) continue;
    depts.insert(g.department_code);
    stages.insert(st.begin(), st.end());
  }
  std::vector<QueueEntry> out;
  if (depts.empty()) {
    // No case role anywhere: a city-wide reader (centre, bureau) has an empty queue;
    // anyone else (security officer, administrators) may not have one at all.
    if (auto r = require(who, Permission::case_read, ""); !r.ok()) {
      SHENPI_TRY(deny(who, "queue", "", r.error(), ctx));
      return r.error();
    }
    return out;
  }
  f.departments.assign(depts.begin(), depts.end());
  f.stages.assign(stages.begin(), stages.end());
  if (mine_only) f.assignee_id = who.account_id;
  SHENPI_ASSIGN(auto rows, d_.repo->tasks(f));
  auto cal = d_.calendar->calendar();
  const core::Date today = date_or_epoch(ctx.today);
  for (TaskRow& row : rows) {
    // A stage the principal holds in another department only: skip.
    if (!can(who, permission_for_stage(row.stage), row.department_code)) continue;
    QueueEntry e;
    if (auto due = core::Date::parse(row.due_on)) {
      e.clock.due = *due;
      e.clock.legal_due = *due;
      const auto left = cal->working_days_between_provisional(today, *due);
      const auto late = cal->working_days_between_provisional(*due, today);
      e.clock.working_days_left = late.days > 0 ? -late.days : left.days;
      e.clock.days_late = late.days;
      e.clock.provisional = left.provisional || late.provisional;
      e.clock.signal = late.days > 0                              ? core::Signal::red
                       : left.days <= d_.clock_policy.yellow_days ? core::Signal::yellow
                                                                  : core::Signal::green;
    }
    e.task = std::move(row);
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::pair<DocumentRecord, std::string>> CaseService::document_pdf(
    const Principal& who, std::string_view number, std::int64_t document_id,
    const RequestContext& ctx) {
  SHENPI_ASSIGN(StoredCase s, load_for(who, "read", number, ctx));
  auto record = d_.documents->by_id(document_id);
  if (!record.ok() || record->content.case_number != s.c.number) {
    return make_error(ErrorKind::not_found, "document_not_found", "文书不存在");
  }
  SHENPI_ASSIGN(std::string pdf, d_.documents->pdf(*record));
  return std::make_pair(std::move(*record), std::move(pdf));
}

Result<std::string> CaseService::application_pdf(const Principal& who, std::string_view number,
                                                 const RequestContext& ctx) {
  SHENPI_ASSIGN(CaseView v, view(who, number, ctx));
  core::FormData data;
  json::error_code ec;
  json::value parsed = json::parse(v.c.data_json, ec);
  if (!ec) {
    SHENPI_ASSIGN(data, form_data_from_json(parsed));
  }
  if (!d_.render_application) {
    return make_error(ErrorKind::unavailable, "pdf_unavailable", "申请表打印暂不可用");
  }
  return d_.render_application(v.c, v.fields, data, v.uploads);
}

}  // namespace shenpi::app
