#include "web/work_pages.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "app/authorization.h"
#include "core/identity/masking.h"
#include "http/error_mapping.h"
#include "http/form.h"
#include "web/case_pages.h"
#include "web/render.h"

namespace shenpi::web {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using namespace case_page;
using core::CaseAction;

// The procedures that stop the clock (law Art. 45), as the suspend form offers them.
constexpr std::string_view kProcedures[] = {"检验",     "检测", "检疫", "鉴定",
                                            "专家评审", "听证", "招标", "拍卖"};

Response see_other(std::string location) {
  Response r = Response::redirect(std::move(location), 303);
  r.header("Cache-Control", "no-store");
  return r;
}

std::int64_t to_int(std::string_view v) {
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) return -1;
  return n;
}

std::vector<std::string> lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (!line.empty()) out.emplace_back(line);
  }
  return out;
}

const char* done_text(std::string_view action) {
  static const std::pair<std::string_view, const char*> kTexts[] = {
      {"claim", "已签收。"},
      {"accept", "已受理，受理通知书已生成。"},
      {"request_correction", "补正告知已发出。"},
      {"refuse_acceptance", "已作出不予受理决定。"},
      {"review_opinion", "审查意见已提交。"},
      {"return_to_review", "已退回审查。"},
      {"approve", "已作出准予行政许可决定。"},
      {"refuse", "已作出不予行政许可决定。"},
      {"suspend", "已暂停计时，特别程序告知书已生成。"},
      {"resume", "已恢复计时。"},
      {"extend", "已延长审批期限。"},
      {"deliver", "已办结送达。"},
  };
  for (const auto& [k, v] : kTexts) {
    if (k == action) return v;
  }
  return nullptr;
}

// ---- the action forms ---------------------------------------------------------------------

// One input of an action form; `error` and `value` come from a failed post of that form.
struct Input {
  std::string_view kind;  // textarea, text, number, select, radio
  std::string_view name;
  std::string_view label;
  bool required = false;
  std::string hint;
  std::string value;
  std::vector<std::pair<std::string, std::string>> options;  // value, label
};

struct Failed {
  std::string form_id;  // which form was posted
  Error error;
  const Posted* posted = nullptr;
};

json::object action_form(std::string id, CaseAction action, std::string title, std::string button,
                         std::vector<Input> inputs, const Failed* failed, std::string item = {},
                         std::int64_t task = 0, bool secondary = false) {
  const bool mine = failed != nullptr && failed->form_id == id;
  json::array fields;
  for (Input& in : inputs) {
    const std::string fid = id + "-" + std::string(in.name);
    std::string value = mine ? failed->posted->value(in.name) : in.value;
    std::string error;
    if (mine && failed->error.field == in.name) error = failed->error.message;
    std::string describedby;
    if (!in.hint.empty()) describedby = fid + "-hint";
    if (!error.empty()) describedby += (describedby.empty() ? "" : " ") + fid + "-error";
    json::array options;
    for (const auto& [v, l] : in.options) {
      options.push_back(json::object{{"value", v},
                                     {"label", l},
                                     {"id", fid + "-" + std::to_string(options.size())},
                                     {"selected", v == value}});
    }
    fields.push_back(json::object{{"id", fid},
                                  {"name", in.name},
                                  {"label", in.label},
                                  {"required", in.required},
                                  {"hint", in.hint},
                                  {"value", value},
                                  {"error", error},
                                  {"describedby", describedby},
                                  {"options", std::move(options)},
                                  {"is_textarea", in.kind == "textarea"},
                                  {"is_text", in.kind == "text"},
                                  {"is_number", in.kind == "number"},
                                  {"is_select", in.kind == "select"},
                                  {"is_radio", in.kind == "radio"}});
  }
  json::object o{{"id", id},
                 {"action", core::to_string(action)},
                 {"title", std::move(title)},
                 {"button", std::move(button)},
                 {"secondary", secondary},
                 {"item", std::move(item)},
                 {"error", ""},
                 {"fields", std::move(fields)}};
  if (task > 0) o["task"] = task;
  if (mine && failed->error.field.empty()) o["error"] = failed->error.message;
  return o;
}

// The departments in which `who` holds any role.
std::set<std::string> role_departments(const app::Principal& who) {
  std::set<std::string> out;
  for (const auto& g : who.roles) {
    if (!g.department_code.empty()) out.insert(g.department_code);
  }
  return out;
}

bool has_role(const app::Principal& who, std::string_view role) {
  return std::any_of(who.roles.begin(), who.roles.end(),
                     [&](const auto& g) { return g.role == role; });
}

json::array action_forms(const app::Principal& who, const app::CaseView& view,
                         const Failed* failed) {
  const core::Case& c = view.c;
  const auto allowed = [&](CaseAction a) {
    return std::find(view.allowed_actions.begin(), view.allowed_actions.end(), a) !=
           view.allowed_actions.end();
  };
  const std::set<std::string> depts = role_departments(who);
  json::array out;

  // 签收: one button per open, unclaimed task of the viewer's departments.
  if (allowed(CaseAction::claim)) {
    for (const core::Task& t : c.tasks) {
      if (t.state != core::TaskState::open || !t.assignee_id.empty()) continue;
      if (!depts.empty() && depts.count(t.department_code) == 0) continue;
      std::string what(core::label(t.stage));
      if (c.is_bundle() && t.part_seq >= 0 && t.part_seq < static_cast<int>(c.parts.size())) {
        what += "：" + c.parts[static_cast<std::size_t>(t.part_seq)].item_name;
      }
      out.push_back(action_form("claim-" + std::to_string(t.id), CaseAction::claim,
                                "签收（" + what + "）", "签收", {}, failed, {}, t.id));
    }
  }

  // Case-level actions of the lead department.
  if (allowed(CaseAction::accept)) {
    out.push_back(action_form("accept", CaseAction::accept, "受理", "受理", {}, failed));
  }
  if (allowed(CaseAction::request_correction)) {
    out.push_back(
        action_form("request_correction", CaseAction::request_correction, "补正告知（一次告知）",
                    "发出补正告知",
                    {{"textarea", "materials", "需补正的材料", true,
                      "每行一项，一次列明全部缺少或不符合要求的材料；同一申请只能告知一次"},
                     {"textarea", "reason", "说明", false}},
                    failed, {}, 0, true));
  }
  if (allowed(CaseAction::refuse_acceptance)) {
    out.push_back(action_form("refuse_acceptance", CaseAction::refuse_acceptance, "不予受理",
                              "不予受理",
                              {{"textarea", "reason", "不予受理的理由", true},
                               {"text", "where_to_apply", "告知申请人向何机关申请", false,
                                "申请事项不属于本单位职权范围时填写"}},
                              failed, {}, 0, true));
  }

  // Part-level actions: in a bundle one set per part of the viewer's departments, each
  // naming its item.
  for (const core::CasePart& p : c.parts) {
    if (c.is_bundle() && !depts.empty() && depts.count(p.department_code) == 0) continue;
    const std::string item = c.is_bundle() ? p.item_code : std::string();
    const std::string suffix = c.is_bundle() ? "（" + p.item_name + "）" : std::string();
    const std::string key = "-" + std::to_string(p.seq);
    using PS = core::PartState;
    const bool reviewing = p.state == PS::review || p.state == PS::recheck;
    const bool deciding = p.state == PS::decision;
    const bool open = reviewing || deciding;
    if (allowed(CaseAction::review_opinion) && reviewing) {
      out.push_back(action_form(
          "review_opinion" + key, CaseAction::review_opinion,
          std::string(p.state == PS::recheck ? "复核意见" : "审查意见") + suffix, "提交审查意见",
          {{"textarea", "opinion", "审查意见", true},
           {"radio",
            "agree",
            "审查结论",
            true,
            "",
            "true",
            {{"true", "同意（建议准予）"}, {"false", "不同意（建议不予）"}}}},
          failed, item));
    }
    if (allowed(CaseAction::approve) && deciding) {
      out.push_back(action_form("approve" + key, CaseAction::approve, "准予行政许可" + suffix,
                                "准予", {{"textarea", "reason", "审批意见", false}}, failed, item));
    }
    if (allowed(CaseAction::refuse) && deciding) {
      out.push_back(action_form("refuse" + key, CaseAction::refuse, "不予行政许可" + suffix,
                                "不予许可",
                                {{"textarea", "reason", "不予许可的理由", true,
                                  "决定书将同时告知申请人依法申请行政复议或者提起行政诉讼的权利"}},
                                failed, item, 0, true));
    }
    if (allowed(CaseAction::return_to_review) && deciding) {
      out.push_back(action_form("return_to_review" + key, CaseAction::return_to_review,
                                "退回审查" + suffix, "退回",
                                {{"textarea", "reason", "退回理由", true}}, failed, item, 0, true));
    }
    if (allowed(CaseAction::suspend) && open) {
      std::vector<std::pair<std::string, std::string>> procs;
      for (std::string_view pr : kProcedures) procs.emplace_back(pr, pr);
      out.push_back(action_form(
          "suspend" + key, CaseAction::suspend, "暂停计时（特别程序）" + suffix, "暂停计时",
          {{"select", "procedure", "特别程序", true, "", "", std::move(procs)},
           {"textarea", "reason", "理由", true},
           {"number", "days", "所需时间（工作日）", true, "将书面告知申请人所需时间"}},
          failed, item, 0, true));
    }
    if (allowed(CaseAction::resume) && p.state == PS::suspended) {
      out.push_back(action_form("resume" + key, CaseAction::resume, "恢复计时" + suffix, "恢复计时",
                                {}, failed, item));
    }
    if (allowed(CaseAction::extend) && open && p.extension_days == 0) {
      const int days = c.is_bundle() ? core::kJointExtensionDays : core::kExtensionDays;
      out.push_back(
          action_form("extend" + key, CaseAction::extend, "延长审批期限" + suffix, "延期",
                      {{"number", "days", "延长天数（工作日）", true,
                        "经本单位负责人批准，可延长一次，最多" + std::to_string(days) + "个工作日",
                        std::to_string(days)},
                       {"textarea", "reason", "延期理由", true}},
                      failed, item, 0, true));
    }
  }
  if (allowed(CaseAction::deliver)) {
    out.push_back(action_form("deliver", CaseAction::deliver, "办结送达", "办结送达", {}, failed));
  }
  return out;
}

// ---- state and handlers ----------------------------------------------------------------

struct State {
  WorkPagesDeps deps;

  Response fail(const Error& e, const Request& req, std::string_view next = "/work") const {
    return case_page::fail(deps.options, e, req, next);
  }
  Response page(const app::Principal& who, std::string_view tpl, std::string title,
                json::object ctx, int status, const Request& req) const {
    return render(deps.options, who, tpl, std::move(title), std::move(ctx), status, req);
  }

  // ---- /work -------------------------------------------------------------------------

  Response get_queue(const Request& req) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    const app::RequestContext ctx = deps.auth->context(req);
    const bool mine = req.query_param("mine").value_or("") == "1";
    auto queue = deps.cases->queue(*who, mine, ctx);
    if (!queue) return fail(queue.error(), req);
    json::array rows;
    for (const app::QueueEntry& e : *queue) {
      json::object clock = clock_context(e.clock);
      rows.push_back(json::object{
          {"stage", core::label(e.task.stage)},
          {"number", e.task.case_number},
          {"url", "/work/cases/" + e.task.case_number},
          {"title", e.task.title},
          {"applicant", core::mask_name(e.task.applicant_name)},
          {"due", e.task.due_on.empty() ? std::string("—") : std::string(clock["due"].as_string())},
          {"clock", std::move(clock)},
          {"has_due", !e.task.due_on.empty()},
          {"assignee", e.task.assignee_name},
      });
    }
    json::object c{{"mine", mine},
                   {"has_tasks", !rows.empty()},
                   {"tasks", std::move(rows)},
                   {"count", static_cast<std::int64_t>(queue->size())},
                   {"is_clerk", has_role(*who, "clerk")}};
    if (deps.calendar && has_role(*who, "centre_admin")) {
      if (auto text = deps.calendar->missing_year_reminder(ctx.today)) c["reminder"] = *text;
    }
    return page(*who, "work_queue", "待办事项", std::move(c), 200, req);
  }

  // ---- /work/cases/{number} -----------------------------------------------------------

  Response case_page(const app::Principal& who, const app::CaseView& view, const Failed* failed,
                     int status, const Request& req) const {
    json::object ctx;
    ctx["case"] = case_context(view);
    ctx["actions"] = action_forms(who, view, failed);
    ctx["has_actions"] = !ctx["actions"].as_array().empty();
    if (failed != nullptr &&
        (failed->error.field.empty() || failed->error.kind == ErrorKind::precondition)) {
      ctx["error"] = failed->error.message;
    } else if (failed != nullptr) {
      ctx["error"] = "操作未完成：" + failed->error.message;
    }
    if (auto d = req.query_param("done")) {
      if (const char* text = done_text(*d)) ctx["notice"] = text;
    }
    return page(who, "work_case", "办件：" + view.c.number, std::move(ctx), status, req);
  }

  Response get_case(const Request& req) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    // The staff view of a case is for staff: its applicant reads it under /my/cases.
    if (auto r = app::require(*who, app::Permission::case_read, ""); !r) {
      return fail(r.error(), req);
    }
    auto view = deps.cases->view(*who, req.param("number"), deps.auth->context(req));
    if (!view) return fail(view.error(), req);
    return case_page(*who, *view, nullptr, 200, req);
  }

  Response post_action(const Request& req) const {
    const std::string number(req.param("number"));
    const std::string back = "/work/cases/" + number;
    auto posted = read_posted(req, *deps.auth);
    if (!posted) return fail(posted.error(), req, back);
    // Who before what: a caller who may not act on the case learns that (403), or nothing
    // about it (404, another department's case), whatever the form holds.
    if (auto r = app::require(posted->who, app::Permission::case_read, ""); !r) {
      return fail(r.error(), req, back);
    }
    if (!deps.cases->may_read(posted->who, number)) {
      return fail(make_error(ErrorKind::not_found, "case_not_found", "办件不存在"), req, back);
    }
    const app::RequestContext ctx = deps.auth->context(req);
    const std::string action_name = posted->value("action");
    const std::string form_id = posted->value("form");
    auto action = core::parse_case_action(action_name);
    if (!action) {
      return fail(make_error(ErrorKind::invalid_input, "bad_action", "未知的操作"), req, back);
    }
    app::CaseActionRequest ar;
    core::CaseActionInput& in = ar.input;
    in.action = *action;
    in.reason = posted->value("reason");
    in.opinion = posted->value("opinion");
    in.agree = posted->value("agree") != "false";
    in.where_to_apply = posted->value("where_to_apply");
    in.procedure = posted->value("procedure");
    ar.item_code = posted->value("item");
    if (const std::string task = posted->value("task"); !task.empty()) {
      in.task_id = std::max<std::int64_t>(0, to_int(task));
    }
    if (*action == CaseAction::request_correction) in.materials = lines(posted->value("materials"));
    const std::string days = posted->value("days");
    std::optional<Error> early;
    if (!days.empty()) {
      const std::int64_t n = to_int(days);
      if (n < 1 || n > 366) {
        early =
            make_error(ErrorKind::invalid_input, "bad_days", "天数应为 1 至 366 的整数", "days");
      } else {
        in.days = static_cast<int>(n);
      }
    }
    Result<app::CaseRef> ref = make_error(ErrorKind::internal, "unreachable", "");
    if (early) {
      ref = *early;
    } else {
      ref = deps.cases->act(posted->who, number, ar, to_int(posted->value("version")), ctx);
    }
    if (ref) return see_other(back + "?done=" + action_name);
    const Error& e = ref.error();
    int status = http::status_for(e.kind);
    Failed failed{form_id, e, &*posted};
    if (e.kind == ErrorKind::precondition) {
      failed.error.message = "办件已被他人更新，请刷新后重试";
      failed.error.field.clear();
      failed.form_id.clear();
    } else if (e.kind != ErrorKind::invalid_input && e.kind != ErrorKind::conflict) {
      return fail(e, req, back);
    }
    auto view = deps.cases->view(posted->who, number, ctx);
    if (!view) return fail(view.error(), req, back);
    return case_page(posted->who, *view, &failed, status, req);
  }

  // ---- /work/window -------------------------------------------------------------------

  // The items a clerk may file at the window: online-capable items of their departments.
  json::array window_items(const app::Principal& who, std::string_view selected) const {
    json::array out;
    std::set<std::string> depts;
    for (const auto& g : who.roles) {
      if (g.role == "clerk" && !g.department_code.empty()) depts.insert(g.department_code);
    }
    for (const std::string& d : depts) {
      auto page = deps.catalogue->department_page(d);
      if (!page) continue;
      for (const core::ItemSummary& it : page->items) {
        if (it.offline || it.online_level < core::OnlineLevel::pre_review) continue;
        out.push_back(json::object{{"code", it.code},
                                   {"name", it.name + "（" + page->department.short_name + "）"},
                                   {"selected", it.code == selected}});
      }
    }
    return out;
  }

  Response window_page(const app::Principal& who, std::string_view on_behalf_of,
                       std::string_view item, const std::vector<Error>& errors, int status,
                       const Request& req) const {
    json::object ctx{{"items", window_items(who, item)}, {"on_behalf_of", on_behalf_of}};
    ctx["has_items"] = !ctx["items"].as_array().empty();
    for (const Error& e : errors) ctx["error_" + (e.field.empty() ? "form" : e.field)] = e.message;
    ctx["has_errors"] = !errors.empty();
    return page(who, "window_apply", "窗口受理", std::move(ctx), status, req);
  }

  Response get_window(const Request& req) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    if (auto r = app::require(*who, app::Permission::case_accept, ""); !r) {
      return fail(r.error(), req);
    }
    return window_page(*who, "", "", {}, 200, req);
  }

  Response window_form(const app::Principal& who, const ApplyTarget& t, ApplyFormState state,
                       int status, const Request& req) const {
    if (state.idempotency_key.empty()) state.idempotency_key = new_form_token();
    json::object ctx =
        apply_context(t, state, "/work/window/" + url_encode(t.item_code), who.csrf_token);
    ctx["window"] = true;
    return page(who, "apply", "窗口受理：" + t.title, std::move(ctx), status, req);
  }

  // Step one posted: the visitor and the item → the application form.
  Response post_window(const Request& req) const {
    auto posted = read_posted(req, *deps.auth);
    if (!posted) return fail(posted.error(), req, "/work/window");
    if (auto r = app::require(posted->who, app::Permission::case_accept, ""); !r) {
      return fail(r.error(), req);
    }
    const std::string item = posted->value("item");
    const std::string visitor = posted->value("on_behalf_of");
    std::vector<Error> errors;
    if (visitor.empty()) {
      errors.push_back(make_error(ErrorKind::invalid_input, "on_behalf_of_required",
                                  "请填写申请人的身份证号码或统一社会信用代码", "on_behalf_of"));
    }
    if (item.empty()) {
      errors.push_back(
          make_error(ErrorKind::invalid_input, "item_required", "请选择申请的事项", "item"));
    }
    if (!errors.empty()) return window_page(posted->who, visitor, item, errors, 400, req);
    auto t = load_target(*deps.catalogue, item, "");
    if (!t) return fail(t.error(), req, "/work/window");
    ApplyFormState state;
    state.on_behalf_of = visitor;
    return window_form(posted->who, *t, std::move(state), 200, req);
  }

  Response post_window_apply(const Request& req) const {
    const std::string item(req.param("item"));
    auto posted = read_posted(req, *deps.auth);
    if (!posted) return fail(posted.error(), req, "/work/window");
    // Only a clerk files at the window, and only for an item of their department: checked
    // before the form is read (the use case checks the department again on filing).
    if (auto r = app::require(posted->who, app::Permission::case_accept, ""); !r) {
      return fail(r.error(), req, "/work/window");
    }
    auto t = load_target(*deps.catalogue, item, "");
    if (!t) return fail(t.error(), req, "/work/window");
    if (auto r = app::require(posted->who, app::Permission::case_accept, t->department_code); !r) {
      return fail(r.error(), req, "/work/window");
    }
    const app::RequestContext ctx = deps.auth->context(req);
    const bool submit = posted->value("action") != "draft";
    const std::string visitor = posted->value("on_behalf_of");
    ReadApplication read =
        read_application(*posted, t->fields, *deps.uploads, ctx,
                         "window|" + item + "|" + visitor + (submit ? "|submit" : "|draft"));
    ApplyFormState state;
    state.values = read.data;
    state.upload_names = read.upload_names;
    state.on_behalf_of = visitor;
    state.idempotency_key = posted->value("idempotency_key");
    if (!valid_form_token(state.idempotency_key)) state.idempotency_key = new_form_token();
    if (!read.upload_errors.empty()) {
      state.errors = read.upload_errors;
      return window_form(posted->who, *t, std::move(state), 400, req);
    }
    app::ApplicationInput in;
    in.item_code = t->item_code;
    in.data = read.data;
    in.submit = submit;
    in.idempotency_key = state.idempotency_key;
    in.request_hash = read.request_hash;
    in.on_behalf_of = visitor;
    std::vector<Error> field_errors;
    auto ref = deps.cases->apply(posted->who, in, ctx, &field_errors);
    if (ref) return see_other("/work/cases/" + ref->number);
    const Error& e = ref.error();
    const bool visitor_error = e.field == "on_behalf_of";
    if (e.kind == ErrorKind::invalid_input || e.kind == ErrorKind::conflict || visitor_error) {
      state.errors = field_errors.empty() ? std::vector<Error>{e} : field_errors;
      state.values = core::validate_form(t->fields, read.data, core::FormMode::draft, {}).data;
      state.idempotency_key = new_form_token();
      return window_form(posted->who, *t, std::move(state), http::status_for(e.kind), req);
    }
    return fail(e, req, "/work/window");
  }
};

}  // namespace

void register_work_pages(http::Router& router, WorkPagesDeps deps) {
  auto state = std::make_shared<const State>(State{std::move(deps)});
  using app::Permission;
  using app::to_string;
  http::RouteOptions read;
  read.access = to_string(Permission::case_read);
  http::RouteOptions act;
  act.access = to_string(Permission::case_read);
  act.max_body = http::kFormBodyLimit;
  http::RouteOptions window_read;
  window_read.access = to_string(Permission::case_accept);
  http::RouteOptions window_start = window_read;
  window_start.max_body = http::kFormBodyLimit;
  http::RouteOptions window_file = window_read;
  window_file.max_body = kMultipartBodyLimit;

  router.add(
      "GET", "/work", [state](Request& req) { return state->get_queue(req); }, read);
  router.add(
      "GET", "/work/cases/{number}", [state](Request& req) { return state->get_case(req); }, read);
  router.add(
      "POST", "/work/cases/{number}/actions",
      [state](Request& req) { return state->post_action(req); }, act);
  router.add(
      "GET", "/work/window", [state](Request& req) { return state->get_window(req); }, window_read);
  router.add(
      "POST", "/work/window", [state](Request& req) { return state->post_window(req); },
      window_start);
  router.add(
      "POST", "/work/window/{item}",
      [state](Request& req) { return state->post_window_apply(req); }, window_file);
}

}  // namespace shenpi::web
