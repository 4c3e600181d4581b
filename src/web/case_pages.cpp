#include "web/case_pages.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "app/form_data_json.h"
#include "core/identity/masking.h"
#include "crypto/secure_bytes.h"
#include "crypto/signer.h"
#include "http/api/case_json_view.h"
#include "http/error_mapping.h"
#include "http/form.h"
#include "http/multipart.h"
#include "web/form_render.h"
#include "web/page_failure.h"
#include "web/render.h"
#include "web/static_files.h"

namespace shenpi::web {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace case_page {
namespace {

constexpr std::size_t kFormTokenBytes = 16;
// Cases per page of 我的办件.
constexpr int kMyCasesPage = 50;

bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

bool is_multipart(const Request& req) {
  for (const auto& [k, v] : req.headers) {
    if (!http::iequals(k, "Content-Type")) continue;
    return v.size() >= 19 &&
           http::iequals(std::string_view(v).substr(0, 19), "multipart/form-data");
  }
  return false;
}

// "2026-03-02 09:15" in China time, for the timeline.
std::string china_minute(std::int64_t unix_ms) {
  std::string iso = http::api::china_time_iso(unix_ms);  // 2026-03-02T09:15:00+08:00
  if (iso.size() < 16) return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

std::string_view role_label(std::string_view role) {
  if (role == "applicant") return "申请人";
  if (role == "clerk") return "窗口受理";
  if (role == "reviewer") return "审查";
  if (role == "approver") return "审批负责人";
  if (role == "system") return "系统";
  return role;
}

std::string state_label(std::string_view state) {
  if (auto s = core::parse_case_state(state)) return std::string(core::label(*s));
  return std::string(state);
}

std::string department_name(const core::Case& c, std::string_view code) {
  if (code == c.lead_department_code) return c.lead_department_name;
  for (const core::CasePart& p : c.parts) {
    if (p.department_code == code) return p.department_name;
  }
  return std::string(code);
}

std::string part_item_name(const core::Case& c, int seq) {
  if (seq < 0 || seq >= static_cast<int>(c.parts.size())) return {};
  return c.parts[static_cast<std::size_t>(seq)].item_name;
}

// The shown value of one form field (select labels, not codes); personal numbers masked
// unless the viewer may see them.
std::string display_text(const core::FormField& f, const std::string& text, bool personal) {
  switch (f.type) {
    case core::FieldType::select:
      for (const core::FieldOption& o : f.options) {
        if (o.value == text) return o.label;
      }
      return text;
    case core::FieldType::citizen_id:
      return personal ? text : core::mask_citizen_id(text);
    case core::FieldType::phone:
      return personal ? text : core::mask_phone(text);
    default:
      return text;
  }
}

json::array data_view(const app::CaseView& view) {
  json::array out;
  core::FormData data;
  if (!view.c.data_json.empty()) {
    boost::system::error_code ec;
    json::value v = json::parse(view.c.data_json, ec);
    if (!ec) {
      if (auto d = app::form_data_from_json(v); d.ok()) data = std::move(*d);
    }
  }
  std::map<std::string, const app::UploadInfo*> uploads;
  for (const app::UploadInfo& u : view.uploads) uploads[u.id] = &u;
  for (const core::FormField& f : view.fields) {
    auto it = data.find(f.name);
    if (it == data.end()) continue;
    const core::FieldValue& v = it->second;
    json::object o{{"label", f.label}};
    if (f.type == core::FieldType::table) {
      json::array columns, rows;
      for (const core::FormField& col : f.columns) columns.push_back(json::value(col.label));
      for (const auto& row : v.rows) {
        json::array cells;
        for (const core::FormField& col : f.columns) {
          auto c = row.find(col.name);
          cells.push_back(json::value(c == row.end()
                                          ? std::string()
                                          : display_text(col, c->second, view.personal_visible)));
        }
        rows.push_back(json::object{{"cells", std::move(cells)}});
      }
      o["is_table"] = true;
      o["columns"] = std::move(columns);
      o["rows"] = std::move(rows);
    } else if (f.type == core::FieldType::attachment) {
      json::array files;
      for (const std::string& id : v.list) {
        auto u = uploads.find(id);
        files.push_back(
            json::object{{"name", u == uploads.end() ? std::string("附件") : u->second->filename},
                         {"url", "/api/v1/uploads/" + id}});
      }
      o["is_files"] = true;
      o["files"] = std::move(files);
    } else if (f.type == core::FieldType::multi_select) {
      std::string text;
      for (const std::string& value : v.list) {
        std::string shown = value;
        for (const core::FieldOption& opt : f.options) {
          if (opt.value == value) shown = opt.label;
        }
        text += (text.empty() ? "" : "、") + shown;
      }
      o["value"] = text;
    } else {
      o["value"] = display_text(f, v.text, view.personal_visible);
    }
    out.push_back(std::move(o));
  }
  return out;
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const std::string& s : v) a.push_back(json::value(s));
  return a;
}

}  // namespace

// ---- posted forms ---------------------------------------------------------------------

std::string Posted::value(std::string_view name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return {};
}

Result<Posted> read_posted(const Request& req, const http::api::SessionAuth& auth) {
  Posted out;
  if (!is_multipart(req)) {
    SHENPI_ASSIGN(out.who, auth.authenticate(req, true, http::api::CsrfSource::header_or_form));
    SHENPI_ASSIGN(http::Form form, http::form_body(req));
    out.fields = std::move(form.fields);
    return out;
  }
  // SessionAuth reads tokens of urlencoded bodies only: the multipart token is checked
  // here against the same session token, and a failure is recorded the same way.
  SHENPI_ASSIGN(out.who, auth.authenticate(req, false));
  http::MultipartLimits limits;
  limits.max_parts = 400;  // a form with tables posts a part per cell
  SHENPI_ASSIGN(std::vector<http::MultipartPart> parts, http::multipart_body(req, limits));
  std::optional<std::string> token;
  if (auto h = req.header(http::api::kCsrfHeader)) token = std::string(*h);
  for (const http::MultipartPart& p : parts) {
    if (p.has_filename) {
      if (!p.body.empty()) out.files.push_back(PostedFile{p.name, p.filename, p.body});
      continue;
    }
    if (p.name == http::api::kCsrfField && !token) token = std::string(p.body);
    out.fields.emplace_back(p.name, std::string(p.body));
  }
  if (!token || token->empty() || !same_secret(*token, out.who.csrf_token)) {
    SHENPI_TRY(auth.accounts().record_denial(out.who, req.method + " " + req.path,
                                             "csrf_token_invalid", auth.context(req)));
    return make_error(ErrorKind::forbidden, "csrf_token_invalid",
                      "请求缺少有效的 CSRF 令牌，请刷新页面后重试");
  }
  return out;
}

// ---- what is applied for ----------------------------------------------------------------

Result<ApplyTarget> load_target(app::CatalogueService& catalogue, std::string_view item_code,
                                std::string_view bundle_code) {
  ApplyTarget t;
  std::vector<std::string> codes;
  if (!bundle_code.empty()) {
    SHENPI_ASSIGN(std::vector<core::Bundle> bundles, catalogue.bundles());
    auto b = std::find_if(bundles.begin(), bundles.end(),
                          [&](const core::Bundle& x) { return x.code == bundle_code; });
    if (b == bundles.end()) {
      return make_error(ErrorKind::not_found, "bundle_not_found", "未找到该并联审批事项");
    }
    t.bundle_code = b->code;
    t.title = b->name;
    t.department_code = b->lead_department_code;
    t.view["joint_limit_days"] = b->joint_limit_days;
    codes = b->item_codes;
  } else {
    t.item_code = std::string(item_code);
    codes = {t.item_code};
  }
  json::array items, materials;
  std::set<std::string> seen;
  for (const std::string& code : codes) {
    SHENPI_ASSIGN(app::Guide g, catalogue.guide(code));
    const core::ItemVersion& v = g.item;
    if (t.bundle_code.empty()) {
      t.title = v.name;
      t.department_code = g.department.code;
    }
    if (!v.offline_reason.empty() || v.online_level < core::OnlineLevel::pre_review) {
      t.online = false;
      t.view["offline_reason"] = v.offline_reason.empty()
                                     ? "事项“" + v.name + "”不提供网上申报，请到办理窗口申请"
                                     : v.offline_reason;
    }
    items.push_back(json::object{{"code", v.item_code},
                                 {"name", v.name},
                                 {"url", "/items/" + url_encode(v.item_code)},
                                 {"department", g.department.name},
                                 {"legal_limit_days", v.legal_limit_days},
                                 {"promised_limit_days", v.promised_limit_days},
                                 {"fee_text", v.fees.empty() ? std::string("不收费") : v.fees},
                                 {"result_name", v.result_name}});
    for (const core::Material& m : v.materials) {
      materials.push_back(json::object{{"item", codes.size() > 1 ? v.name : std::string()},
                                       {"name", m.name},
                                       {"required", m.required},
                                       {"required_label", m.required ? "必需" : "非必需"},
                                       {"form_label", core::label(m.form)},
                                       {"copies", m.copies},
                                       {"note", m.note}});
    }
    for (const core::FormField& f : v.form) {
      if (seen.insert(f.name).second) t.fields.push_back(f);
    }
  }
  t.view["title"] = t.title;
  t.view["is_bundle"] = !t.bundle_code.empty();
  t.view["items"] = std::move(items);
  t.view["has_materials"] = !materials.empty();
  t.view["materials"] = std::move(materials);
  t.view["online"] = t.online;
  return t;
}

std::string new_form_token() { return to_hex(crypto::random_bytes(kFormTokenBytes)); }

bool valid_form_token(std::string_view token) {
  if (token.size() != kFormTokenBytes * 2) return false;
  return std::all_of(token.begin(), token.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string field_anchor(std::string_view field) {
  std::string out = "f-";
  for (const char c : field) {
    if (c == '[' || c == '.') {
      if (out.back() != '-') out += '-';
    } else if (c != ']') {
      out += c;
    }
  }
  return out;
}

json::object apply_context(const ApplyTarget& target, const ApplyFormState& state,
                           std::string_view action_url, std::string_view csrf_token) {
  json::object ctx;
  ctx["target"] = target.view;
  ctx["action_url"] = action_url;
  ctx["csrf_token"] = csrf_token;
  ctx["idempotency_key"] = state.idempotency_key;
  ctx["form_fields"] =
      form_fields_view(target.fields, state.values, state.errors, state.upload_names);
  std::set<std::string> names;
  for (const core::FormField& f : target.fields) names.insert(f.name);
  json::array summary;
  for (const Error& e : state.errors) {
    const std::string base = e.field.substr(0, e.field.find_first_of("[."));
    json::object item{{"message", e.message}};
    if (!e.field.empty() && (names.count(base) > 0 || e.field == "on_behalf_of")) {
      item["anchor"] = field_anchor(e.field);
    }
    summary.push_back(std::move(item));
    if (e.field == "on_behalf_of") ctx["on_behalf_of_error"] = e.message;
  }
  ctx["has_errors"] = !summary.empty();
  ctx["errors"] = std::move(summary);
  ctx["on_behalf_of"] = state.on_behalf_of;
  return ctx;
}

ReadApplication read_application(const Posted& posted, const std::vector<core::FormField>& fields,
                                 app::UploadService& uploads, const app::RequestContext& ctx,
                                 std::string_view salt) {
  ReadApplication out;
  std::set<std::string> attachment_fields;
  for (const core::FormField& f : fields) {
    if (f.type == core::FieldType::attachment) attachment_fields.insert(f.name);
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  // What the request says, independent of the random ids of this request's uploads: the
  // canonical text hashed for the Idempotency-Key check.
  std::string canonical(salt);
  canonical += '\n';
  for (const auto& [k, v] : posted.fields) {
    if (k == http::api::kCsrfField || k == "idempotency_key" || k == "version") continue;
    pairs.emplace_back(k, v);
    canonical += k + "=" + v + "\n";
  }
  for (const PostedFile& f : posted.files) {
    if (attachment_fields.count(f.field) == 0) continue;
    Result<app::UploadInfo> stored = uploads.store(posted.who, f.filename, f.bytes, ctx);
    if (!stored.ok()) {
      Error e = stored.error();
      if (e.kind == ErrorKind::unavailable || e.kind == ErrorKind::internal ||
          e.kind == ErrorKind::forbidden) {
        out.upload_errors.push_back(std::move(e));
        continue;
      }
      e.field = f.field;
      e.message = "“" + f.filename + "”：" + e.message;
      out.upload_errors.push_back(std::move(e));
      continue;
    }
    out.upload_names[stored->id] = stored->filename;
    pairs.emplace_back(f.field, stored->id);
    canonical += f.field + "=file:" + stored->sha256 + "\n";
  }
  out.data = app::form_data_from_fields(fields, pairs);
  out.request_hash = crypto::sha256_hex(canonical);
  return out;
}

// ---- the case as shown ------------------------------------------------------------------

json::object clock_context(const core::ClockState& st) {
  const std::string provisional = st.provisional ? "（暂定）" : "";
  json::object o{
      {"signal", core::to_string(st.signal)}, {"signal_label", core::label(st.signal)},
      {"due", st.due.iso() + provisional},    {"legal_due", st.legal_due.iso() + provisional},
      {"provisional", st.provisional},        {"suspended", st.suspended}};
  if (st.days_late > 0) {
    o["days_text"] = "已超期" + std::to_string(st.days_late) + "个工作日";
  } else {
    o["days_text"] = "剩余" + std::to_string(std::max(0, st.working_days_left)) + "个工作日";
  }
  return o;
}

json::object case_context(const app::CaseView& view) {
  const core::Case& c = view.c;
  json::object o;
  o["number"] = c.number;
  o["version"] = c.version;
  o["state"] = core::to_string(c.state);
  o["state_label"] = core::label(c.state);
  o["title"] =
      c.is_bundle() ? c.bundle_name : (c.parts.empty() ? std::string() : c.parts.front().item_name);
  o["is_bundle"] = c.is_bundle();
  o["lead_department"] = c.lead_department_name;
  o["applicant_name"] = c.applicant_name;
  o["applicant_id"] = view.applicant_id_number;
  o["applicant_mobile"] = view.applicant_mobile;
  o["personal_visible"] = view.personal_visible;
  o["channel_label"] = c.channel == core::Channel::window ? "窗口受理" : "网上申报";
  o["filed_by"] = c.filed_by_name;
  o["submitted_on"] = c.submitted_on;
  o["accepted_on"] = c.accepted_on;
  o["decided_on"] = c.decided_on;
  o["delivered_on"] = c.delivered_on;
  o["application_pdf"] = "/api/v1/cases/" + c.number + "/application.pdf";

  // The overall clock.
  const core::ClockView& overall = view.clocks.overall;
  json::object clock;
  if (overall.kind != core::ClockKind::none && overall.running) {
    clock = clock_context(overall.state);
    clock["label"] = core::label(overall.kind);
    clock["running"] = true;
    if (overall.deemed_accepted) {
      clock["deemed_note"] = "受理期限已过，依法视为自收到申请之日起受理";
    }
  } else if (c.state == core::CaseState::correction_requested) {
    clock["note"] = "等待申请人补正材料，暂停计时";
  } else if (c.state == core::CaseState::draft) {
    clock["note"] = "草稿尚未提交，不计时";
  } else {
    clock["note"] = "已结束计时";
  }
  o["clock"] = std::move(clock);

  // The current step: the open tasks.
  json::array steps;
  for (const core::Task& t : c.tasks) {
    if (t.state != core::TaskState::open) continue;
    std::string text =
        std::string(core::label(t.stage)) + "（" + department_name(c, t.department_code);
    if (const std::string item = part_item_name(c, t.part_seq); !item.empty() && c.is_bundle()) {
      text += "，" + item;
    }
    text += "）";
    if (!t.assignee_name.empty()) text += " 已由" + t.assignee_name + "签收";
    steps.push_back(json::value(text));
  }
  if (c.state == core::CaseState::correction_requested) {
    steps.push_back(json::value("待申请人补正材料（补正期限内提交）"));
  }
  o["has_steps"] = !steps.empty();
  o["steps"] = std::move(steps);

  // The correction notice.
  if (!c.correction_materials.empty()) {
    o["correction"] = json::object{{"materials", strings(c.correction_materials)},
                                   {"reason", c.correction_reason},
                                   {"requested_on", c.correction_requested_on},
                                   {"submitted_on", c.correction_submitted_on}};
  }
  if (!c.not_accepted_reason.empty()) {
    o["not_accepted"] =
        json::object{{"reason", c.not_accepted_reason}, {"where_to_apply", c.where_to_apply}};
  }

  // The parts, each on its own clock (bundles: one per department).
  json::array parts;
  for (std::size_t i = 0; i < c.parts.size(); ++i) {
    const core::CasePart& p = c.parts[i];
    json::object po{{"seq", p.seq},
                    {"item_code", p.item_code},
                    {"item_name", p.item_name},
                    {"department", p.department_name},
                    {"state_label", core::label(p.state)},
                    {"legal_limit_days", p.legal_limit_days},
                    {"promised_limit_days", p.promised_limit_days},
                    {"decided_on", p.decided_on},
                    {"extension_days", p.extension_days},
                    {"has_extension", p.extension_days > 0},
                    {"extension_reason", p.extension_reason},
                    {"reasons", strings(p.reasons)}};
    if (i < view.clocks.parts.size()) {
      const core::ClockView& pc = view.clocks.parts[i];
      if (pc.kind != core::ClockKind::none && pc.running) {
        json::object pcx = clock_context(pc.state);
        pcx["label"] = core::label(pc.kind);
        po["clock"] = std::move(pcx);
      }
    }
    json::array opinions;
    for (const core::Opinion& op : p.opinions) {
      std::string stage(op.stage);
      if (auto s = core::parse_task_stage(op.stage)) stage = std::string(core::label(*s));
      opinions.push_back(json::object{{"stage", stage},
                                      {"actor", op.actor_name},
                                      {"text", op.text},
                                      {"agree_label", op.agree ? "同意" : "不同意"},
                                      {"on", op.on}});
    }
    po["has_opinions"] = !opinions.empty();
    po["opinions"] = std::move(opinions);
    json::array suspensions;
    for (const core::CaseSuspension& s : p.suspensions) {
      suspensions.push_back(
          json::object{{"procedure", s.procedure},
                       {"from", s.from},
                       {"until", s.until.empty() ? std::string("进行中") : s.until},
                       {"days", s.days},
                       {"reason", s.reason}});
    }
    po["has_suspensions"] = !suspensions.empty();
    po["suspensions"] = std::move(suspensions);
    parts.push_back(std::move(po));
  }
  o["parts"] = std::move(parts);

  // The timeline, oldest first.
  json::array events;
  for (const core::CaseEvent& e : view.events) {
    std::string what;
    if (auto a = core::parse_case_action(e.action)) {
      what = std::string(core::label(*a));
    } else if (e.action == "created") {
      what = "创建";
    } else if (e.action == "draft_saved") {
      what = "保存草稿";
    } else {
      what = e.action;
    }
    const std::string item = part_item_name(c, e.part_seq);
    json::object eo{
        {"when", china_minute(e.at_unix_ms)},
        {"who", e.actor_name},
        {"role", role_label(e.actor_role)},
        {"department",
         e.department_code.empty() ? std::string() : department_name(c, e.department_code)},
        {"what", what},
        {"item", c.is_bundle() ? item : std::string()},
        {"why", e.reason}};
    if (!e.to_state.empty() && e.to_state != e.from_state) eo["to"] = state_label(e.to_state);
    events.push_back(std::move(eo));
  }
  o["has_events"] = !events.empty();
  o["events"] = std::move(events);

  // The documents (结果反馈), each a PDF with its verification code.
  json::array docs;
  for (const app::DocumentRecord& d : view.documents) {
    docs.push_back(json::object{{"label", core::label(d.content.kind)},
                                {"kind", core::to_string(d.content.kind)},
                                {"document_number", d.content.document_number},
                                {"issued_on", d.content.issued_on},
                                {"item", c.is_bundle() ? d.content.item_name : std::string()},
                                {"url", http::api::document_url(c.number, d.id)},
                                {"verify_code", d.verify_code},
                                {"verify_url", "/verify/" + url_encode(d.verify_code)}});
  }
  o["has_documents"] = !docs.empty();
  o["documents"] = std::move(docs);

  json::array materials;
  for (const app::UploadInfo& u : view.uploads) {
    materials.push_back(
        json::object{{"name", u.filename},
                     {"url", "/api/v1/uploads/" + u.id},
                     {"size_kb", std::max<std::int64_t>(1, (u.size + 1023) / 1024)}});
  }
  o["has_materials"] = !materials.empty();
  o["materials"] = std::move(materials);
  o["data"] = data_view(view);
  return o;
}

// ---- pages ------------------------------------------------------------------------------

Response render(const WebOptions& options, const app::Principal& who,
                std::string_view template_name, std::string title, json::object ctx, int status,
                const Request& req) {
  ctx["csrf_token"] = who.csrf_token;
  const auto& files = StaticFiles::instance();
  ctx["forms_css"] = files.url("forms.css");
  ctx["cases_css"] = files.url("cases.css");
  PageSpec spec{options.site_name, template_name, std::move(title), Nav::none, Frame::site};
  spec.account = account_header(who);
  auto html = render_page(spec, std::move(ctx));
  if (!html) return fail(options, html.error(), req, "/");
  Response r = Response::html(status, std::move(*html));
  r.header("Cache-Control", "no-store");
  return r;
}

Response fail(const WebOptions& options, const Error& e, const Request& req,
              std::string_view next_on_post) {
  return page_failure(req, e, options.site_name, next_on_post);
}

}  // namespace case_page

// ---- the applicant's routes ----------------------------------------------------------------

namespace {

using namespace case_page;

Response see_other(std::string location) {
  Response r = Response::redirect(std::move(location), 303);
  r.header("Cache-Control", "no-store");
  return r;
}

const char* notice_text(std::string_view code) {
  if (code == "submitted") return "申请已提交，请留意办理进度。";
  if (code == "draft") return "草稿已保存，可随时继续填写并提交。";
  if (code == "withdrawn") return "申请已撤回。";
  if (code == "corrected") return "补正材料已提交。";
  return nullptr;
}

struct State {
  CasePagesDeps deps;

  Response fail(const Error& e, const Request& req, std::string_view next = "/my/cases") const {
    return case_page::fail(deps.options, e, req, next);
  }
  Response page(const app::Principal& who, std::string_view tpl, std::string title,
                json::object ctx, int status, const Request& req) const {
    return render(deps.options, who, tpl, std::move(title), std::move(ctx), status, req);
  }

  // ---- /apply --------------------------------------------------------------------------

  Response apply_page(const app::Principal& who, const ApplyTarget& t, ApplyFormState state,
                      int status, const Request& req) const {
    if (state.idempotency_key.empty()) state.idempotency_key = new_form_token();
    const std::string url = t.bundle_code.empty() ? "/apply/" + url_encode(t.item_code)
                                                  : "/apply/bundle/" + url_encode(t.bundle_code);
    json::object ctx = apply_context(t, state, url, who.csrf_token);
    return page(who, "apply", "在线申报：" + t.title, std::move(ctx), status, req);
  }

  Response get_apply(const Request& req, std::string_view item, std::string_view bundle) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    auto t = load_target(*deps.catalogue, item, bundle);
    if (!t) return fail(t.error(), req);
    return apply_page(*who, *t, ApplyFormState{}, 200, req);
  }

  Response post_apply(const Request& req, std::string_view item, std::string_view bundle) const {
    const std::string back =
        bundle.empty() ? "/apply/" + std::string(item) : "/apply/bundle/" + std::string(bundle);
    auto posted = read_posted(req, *deps.auth);
    if (!posted) return fail(posted.error(), req, back);
    auto t = load_target(*deps.catalogue, item, bundle);
    if (!t) return fail(t.error(), req, back);
    const app::RequestContext ctx = deps.auth->context(req);
    const bool submit = posted->value("action") != "draft";
    ReadApplication read = read_application(
        *posted, t->fields, *deps.uploads, ctx,
        std::string(item) + "|" + std::string(bundle) + (submit ? "|submit" : "|draft"));
    ApplyFormState state;
    state.values = read.data;
    state.upload_names = read.upload_names;
    state.idempotency_key = posted->value("idempotency_key");
    if (!valid_form_token(state.idempotency_key)) state.idempotency_key = new_form_token();
    if (!read.upload_errors.empty()) {
      state.errors = read.upload_errors;
      return apply_page(posted->who, *t, std::move(state), 400, req);
    }
    app::ApplicationInput in;
    in.item_code = t->item_code;
    in.bundle_code = t->bundle_code;
    in.data = read.data;
    in.submit = submit;
    in.idempotency_key = state.idempotency_key;
    in.request_hash = read.request_hash;
    std::vector<Error> field_errors;
    auto ref = deps.cases->apply(posted->who, in, ctx, &field_errors);
    if (ref) {
      return see_other("/my/cases/" + ref->number + "?notice=" + (submit ? "submitted" : "draft"));
    }
    const Error& e = ref.error();
    if (e.kind == ErrorKind::invalid_input || e.kind == ErrorKind::conflict) {
      state.errors = field_errors.empty() ? std::vector<Error>{e} : field_errors;
      if (e.code == "idempotency_key_reused") {
        state.errors = {make_error(ErrorKind::conflict, e.code,
                                   "该表单已提交过一份申请，请到“我的办件”查看；如需再次申请，"
                                   "请重新打开申报页面")};
      }
      // Show what was typed as the rules read it (rows and errors line up).
      core::FormCheck check;
      state.values = core::validate_form(t->fields, read.data, core::FormMode::draft, check).data;
      for (const auto& [id, name] : read.upload_names) state.upload_names[id] = name;
      state.idempotency_key = new_form_token();
      return apply_page(posted->who, *t, std::move(state), http::status_for(e.kind), req);
    }
    return fail(e, req, back);
  }

  // ---- /my/cases --------------------------------------------------------------------------

  Response get_my_cases(const Request& req) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    // Pages of kMyCasesPage, newest first; one more row than shown says whether there is a
    // next page. A page number that is not a positive number shows the first page.
    int page_no = 1;
    if (auto p = req.query_param("page");
        p && !p->empty() && p->size() <= 6 &&
        std::all_of(p->begin(), p->end(), [](char c) { return c >= '0' && c <= '9'; })) {
      page_no = std::max(1, std::stoi(std::string(*p)));
    }
    auto rows = deps.cases->my_cases(*who, kMyCasesPage + 1, (page_no - 1) * kMyCasesPage);
    if (!rows) return fail(rows.error(), req);
    const bool more = rows->size() > static_cast<std::size_t>(kMyCasesPage);
    if (more) rows->pop_back();
    json::array cases;
    for (const app::CaseSummary& s : *rows) {
      cases.push_back(json::object{{"number", s.number},
                                   {"url", "/my/cases/" + s.number},
                                   {"title", s.title},
                                   {"state_label", core::label(s.state)},
                                   {"submitted_on", s.submitted_on},
                                   {"due_on", s.due_on}});
    }
    json::object ctx{{"has_cases", !cases.empty()}, {"cases", std::move(cases)}};
    if (page_no > 1 || more) {  // the pagination partial, with the current page alone
      const std::string here = "/my/cases?page=" + std::to_string(page_no);
      ctx["paged"] = true;
      ctx["paginated"] = true;
      ctx["pages"] =
          json::array{json::object{{"number", page_no}, {"url", here}, {"current", true}}};
      if (page_no > 1) ctx["prev_url"] = "/my/cases?page=" + std::to_string(page_no - 1);
      if (more) ctx["next_url"] = "/my/cases?page=" + std::to_string(page_no + 1);
    }
    return page(*who, "my_cases", "我的办件", std::move(ctx), 200, req);
  }

  // The case page; a draft shows its form, with `draft_state` (what was just posted, with
  // its errors) or else the stored data.
  Response case_page(const app::Principal& who, const app::CaseView& view, json::object extra,
                     int status, const Request& req,
                     const ApplyFormState* draft_state = nullptr) const {
    json::object ctx = std::move(extra);
    ctx["case"] = case_context(view);
    const core::Case& c = view.c;
    const auto allowed = [&](core::CaseAction a) {
      return std::find(view.allowed_actions.begin(), view.allowed_actions.end(), a) !=
             view.allowed_actions.end();
    };
    const bool owner = who.account_id == c.applicant_account_id;
    ctx["can_withdraw"] = owner && allowed(core::CaseAction::withdraw);
    ctx["can_correct"] = owner && allowed(core::CaseAction::submit_correction);
    if (owner && c.state == core::CaseState::draft && !c.parts.empty()) {
      ApplyTarget t;
      if (auto ft = load_target(*deps.catalogue, c.is_bundle() ? "" : c.parts.front().item_code,
                                c.bundle_code);
          ft) {
        t = std::move(*ft);
      }
      t.fields = view.fields;  // the form the draft was filed against
      ApplyFormState state;
      if (draft_state != nullptr) {
        state = *draft_state;
      } else {
        boost::system::error_code ec;
        json::value v = json::parse(c.data_json.empty() ? "{}" : c.data_json, ec);
        if (!ec) {
          if (auto d = app::form_data_from_json(v); d) state.values = std::move(*d);
        }
      }
      for (const app::UploadInfo& u : view.uploads) state.upload_names.emplace(u.id, u.filename);
      ctx["draft"] = apply_context(t, state, "/my/cases/" + c.number + "/draft", who.csrf_token);
    }
    if (auto n = req.query_param("notice")) {
      if (const char* text = notice_text(*n)) ctx["notice"] = text;
    }
    return page(who, "case_detail", "办理进度：" + c.number, std::move(ctx), status, req);
  }

  Response get_case(const Request& req) const {
    auto who = deps.auth->authenticate(req, false);
    if (!who) return fail(who.error(), req);
    auto view = deps.cases->view(*who, req.param("number"), deps.auth->context(req));
    if (!view) return fail(view.error(), req);
    return case_page(*who, *view, {}, 200, req);
  }

  // The case page again with an error beside the form that failed.
  Response case_again(const app::Principal& who, std::string_view number, const Error& e,
                      json::object extra, const Request& req) const {
    auto view = deps.cases->view(who, number, deps.auth->context(req));
    if (!view) return fail(view.error(), req);
    extra["error"] = e.message;
    if (!e.field.empty()) extra["error_" + e.field] = e.message;
    return case_page(who, *view, std::move(extra), http::status_for(e.kind), req);
  }

  // The actions and the draft under /my/cases are the applicant's own: a caller who may
  // not see the case learns nothing of it (404); staff who may see it are refused (403).
  // Checked before the posted form is used, so that nothing (no upload) is kept for them.
  std::optional<Error> not_own(const app::Principal& who, std::string_view number) const {
    if (!deps.cases->may_read(who, number)) {
      return make_error(ErrorKind::not_found, "case_not_found", "办件不存在");
    }
    if (who.kind == app::AccountKind::staff && !who.system) {
      return make_error(ErrorKind::forbidden, "applicant_only", "只有申请人本人可以进行此操作");
    }
    return std::nullopt;
  }

  static std::int64_t version_of(const Posted& p) {
    const std::string v = p.value("version");
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || ptr != v.data() + v.size()) return 0;
    return n;
  }

  Response post_action(const Request& req) const {
    const std::string number(req.param("number"));
    const std::string back = "/my/cases/" + number;
    auto posted = read_posted(req, *deps.auth);
    if (!posted) return fail(posted.error(), req, back);
    if (auto e = not_own(posted->who, number)) return fail(*e, req, back);
    const app::RequestContext ctx = deps.auth->context(req);
    const std::string action = posted->value("action");
    app::CaseActionRequest ar;
    json::object echo{{"reason", posted->value("reason")}};
    if (action == "withdraw") {
      ar.input.action = core::CaseAction::withdraw;
      ar.input.reason = posted->value("reason");
      if (posted->value("confirm") != "yes") {
        return case_again(posted->who, number,
                          make_error(ErrorKind::invalid_input, "confirm_required",
                                     "请勾选确认撤回该申请", "confirm"),
                          echo, req);
      }
    } else if (action == "submit_correction") {
      ar.input.action = core::CaseAction::submit_correction;
      for (const PostedFile& f : posted->files) {
        if (f.field != "materials") continue;
        auto stored = deps.uploads->store(posted->who, f.filename, f.bytes, ctx);
        if (!stored) {
          Error e = stored.error();
          if (e.kind == ErrorKind::invalid_input || e.kind == ErrorKind::too_large) {
            e.field = "materials";
            e.message = "“" + f.filename + "”：" + e.message;
            return case_again(posted->who, number, e, echo, req);
          }
          return fail(e, req, back);
        }
        ar.upload_ids.push_back(stored->id);
      }
      if (ar.upload_ids.empty()) {
        return case_again(posted->who, number,
                          make_error(ErrorKind::invalid_input, "materials_required",
                                     "请选择要提交的补正材料", "materials"),
                          echo, req);
      }
    } else if (action == "submit") {
      ar.input.action = core::CaseAction::submit;
    } else {
      return fail(make_error(ErrorKind::invalid_input, "bad_action", "未知的操作"), req, back);
    }
    auto ref = deps.cases->act(posted->who, number, ar, version_of(*posted), ctx);
    if (ref) {
      const char* notice = action == "withdraw" ? "withdrawn"
                           : action == "submit" ? "submitted"
                                                : "corrected";
      return see_other(back + "?notice=" + notice);
    }
    const Error& e = ref.error();
    if (e.kind == ErrorKind::precondition || e.kind == ErrorKind::conflict ||
        e.kind == ErrorKind::invalid_input) {
      return case_again(posted->who, number, e, echo, req);
    }
    return fail(e, req, back);
  }

  // A draft's form posted again: 保存草稿 replaces its data; 提交申请 submits with it.
  Response post_draft(const Request& req) const {
    const std::string number(req.param("number"));
    const std::string back = "/my/cases/" + number;
    auto posted = read_posted(req, *deps.auth);
    if (!posted) return fail(posted.error(), req, back);
    if (auto e = not_own(posted->who, number)) return fail(*e, req, back);
    const app::RequestContext ctx = deps.auth->context(req);
    auto view = deps.cases->view(posted->who, number, ctx);
    if (!view) return fail(view.error(), req, back);
    const bool submit = posted->value("action") != "draft";
    ReadApplication read = read_application(*posted, view->fields, *deps.uploads, ctx, number);
    std::vector<Error> errors = read.upload_errors;
    const std::int64_t version = version_of(*posted);
    if (errors.empty()) {
      Result<app::CaseRef> ref = make_error(ErrorKind::internal, "unreachable", "");
      // Submitting checks every field first, so that all errors show at once (the
      // action itself reports only the first).
      core::FormCheck check;
      check.today = ctx.today;
      check.upload_ok = [&](std::string_view id) {
        return deps.uploads->owned(posted->who.account_id, {std::string(id)}, "").ok();
      };
      if (submit) {
        errors = core::validate_form(view->fields, read.data, core::FormMode::submit, check).errors;
      }
      if (!errors.empty()) {
        ref = errors.front();
      } else if (submit) {
        app::CaseActionRequest ar;
        ar.input.action = core::CaseAction::submit;
        ar.data = read.data;
        ref = deps.cases->act(posted->who, number, ar, version, ctx);
      } else {
        ref = deps.cases->save_draft(posted->who, number, read.data, version, ctx, &errors);
      }
      if (ref) return see_other(back + "?notice=" + (submit ? "submitted" : "draft"));
      const Error& e = ref.error();
      if (e.kind != ErrorKind::invalid_input && e.kind != ErrorKind::conflict &&
          e.kind != ErrorKind::precondition) {
        return fail(e, req, back);
      }
      if (errors.empty()) errors.push_back(e);
    }
    // The draft form again with what was typed and the errors beside the fields.
    auto fresh = deps.cases->view(posted->who, number, ctx);
    if (!fresh) return fail(fresh.error(), req, back);
    ApplyFormState state;
    state.values = core::validate_form(fresh->fields, read.data, core::FormMode::draft, {}).data;
    state.errors = errors;
    state.upload_names = read.upload_names;
    json::object extra;
    if (errors.front().field.empty()) extra["error"] = errors.front().message;
    return case_page(posted->who, *fresh, std::move(extra), http::status_for(errors.front().kind),
                     req, &state);
  }
};

}  // namespace

void register_case_pages(http::Router& router, CasePagesDeps deps) {
  auto state = std::make_shared<const State>(State{std::move(deps)});
  http::RouteOptions read;
  read.access = "signed_in";
  http::RouteOptions upload;
  upload.access = "signed_in";
  upload.max_body = kMultipartBodyLimit;
  http::RouteOptions form = upload;  // withdraw (urlencoded) or corrections (multipart)

  router.add(
      "GET", "/apply/bundle/{code}",
      [state](Request& req) { return state->get_apply(req, "", req.param("code")); }, read);
  router.add(
      "POST", "/apply/bundle/{code}",
      [state](Request& req) { return state->post_apply(req, "", req.param("code")); }, upload);
  router.add(
      "GET", "/apply/{item}",
      [state](Request& req) { return state->get_apply(req, req.param("item"), ""); }, read);
  router.add(
      "POST", "/apply/{item}",
      [state](Request& req) { return state->post_apply(req, req.param("item"), ""); }, upload);
  router.add(
      "GET", "/my/cases", [state](Request& req) { return state->get_my_cases(req); }, read);
  router.add(
      "GET", "/my/cases/{number}", [state](Request& req) { return state->get_case(req); }, read);
  router.add(
      "POST", "/my/cases/{number}/draft", [state](Request& req) { return state->post_draft(req); },
      upload);
  router.add(
      "POST", "/my/cases/{number}/actions",
      [state](Request& req) { return state->post_action(req); }, form);
}

}  // namespace shenpi::web
