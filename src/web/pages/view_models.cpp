#include "web/pages/view_models.h"

#include <boost/json.hpp>

#include "web/render.h"

namespace shenpi::web {

namespace json = boost::json;

namespace {

// Shown where the catalogue has no text for an element: every element of the guide is
// listed, even when a department has not filled it in yet.
constexpr std::string_view kMissing = "暂无";

std::string or_missing(const std::string& text) {
  return text.empty() ? std::string(kMissing) : text;
}
const std::string& or_else(const std::string& text, const std::string& fallback) {
  return text.empty() ? fallback : text;
}

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

std::string online_label(core::OnlineLevel level, bool offline) {
  return offline ? std::string("不提供网上办理") : std::string(core::label(level));
}

}  // namespace

DepartmentIndex index_departments(const std::vector<core::Department>& departments) {
  DepartmentIndex index;
  for (const auto& d : departments) index.emplace(d.code, d);
  return index;
}

std::string item_url(std::string_view code) { return "/items/" + url_encode(code); }
std::string department_url(std::string_view code) { return "/departments/" + url_encode(code); }
std::string bundle_url(std::string_view code) { return "/bundles/" + url_encode(code); }

json::object summary_context(const core::ItemSummary& item) {
  json::object o;
  o["code"] = item.code;
  o["name"] = item.name;
  o["url"] = item_url(item.code);
  o["department_name"] = item.department_name;
  o["department_url"] = department_url(item.department_code);
  o["type_label"] = core::label(item.type);
  o["audience_label"] = core::label(item.audience);
  o["promised_limit_days"] = item.promised_limit_days;
  o["online_label"] = online_label(item.online_level, item.offline);
  o["offline"] = item.offline;
  return o;
}

std::string_view role_of(core::DepartmentKind kind) {
  switch (kind) {
    case core::DepartmentKind::approval:
      return "";
    case core::DepartmentKind::service_centre:
      return "负责网上行政审批的管理、指导、协调和监督，对审批事项及其流程进行备案。";
    case core::DepartmentKind::establishment:
      return "负责管理行政审批事项目录和并联审批事项目录及其流程。";
    case core::DepartmentKind::information:
      return "负责网上行政审批系统的建设、运行维护和技术培训。";
    case core::DepartmentKind::supervision:
      return "负责受理投诉和举报，开展绩效评估，依法追究责任。";
    case core::DepartmentKind::leading_group:
      return "负责统筹规划、协调网上行政审批系统的建设和运行。";
  }
  return "";
}

json::object directory_context(const std::vector<core::Region>& regions,
                               const std::vector<core::Department>& departments) {
  json::array groups;
  json::array city_bodies;
  for (const auto& region : regions) {
    json::array members;
    for (const auto& d : departments) {
      if (d.region_code != region.code || d.kind != core::DepartmentKind::approval) continue;
      members.push_back(json::object{{"name", d.name}, {"url", department_url(d.code)}});
    }
    if (members.empty()) continue;
    // The city itself has no parent region: its departments are 市直单位.
    const std::string title = region.parent_code.empty() ? std::string("市直单位") : region.name;
    groups.push_back(json::object{{"title", title}, {"departments", std::move(members)}});
  }
  for (const auto& d : departments) {
    if (d.kind == core::DepartmentKind::approval) continue;
    city_bodies.push_back(
        json::object{{"name", d.name}, {"url", department_url(d.code)}, {"role", role_of(d.kind)}});
  }
  json::object o;
  o["groups"] = std::move(groups);
  o["city_bodies"] = std::move(city_bodies);
  return o;
}

json::object bundle_context(const core::Bundle& bundle, const DepartmentIndex& departments) {
  json::object o;
  o["code"] = bundle.code;
  o["name"] = bundle.name;
  o["url"] = bundle_url(bundle.code);
  o["description"] = bundle.description;
  auto lead = departments.find(bundle.lead_department_code);
  o["lead_name"] = lead == departments.end() ? bundle.lead_department_code : lead->second.name;
  o["lead_url"] = department_url(bundle.lead_department_code);
  o["item_count"] = static_cast<std::int64_t>(bundle.item_codes.size());
  o["joint_limit_days"] = bundle.joint_limit_days;
  return o;
}

json::object guide_context(const app::Guide& guide) {
  const core::ItemVersion& v = guide.item;
  const core::Department& d = guide.department;
  const bool offline = !v.offline_reason.empty();

  json::array materials;
  for (std::size_t i = 0; i < v.materials.size(); ++i) {
    const core::Material& m = v.materials[i];
    json::object mo;
    mo["number"] = static_cast<std::int64_t>(i + 1);
    mo["name"] = m.name;
    mo["required"] = m.required;
    mo["required_label"] = m.required ? "必需" : "非必需";
    mo["form_label"] = core::label(m.form);
    mo["copies"] = m.copies;
    mo["source"] = or_missing(m.source);
    mo["note"] = m.note;
    if (!m.template_filename.empty()) {
      // The API numbers materials from 0 (CatalogueRepository::material_template).
      mo["template_url"] = "/api/v1/items/" + url_encode(v.item_code) + "/materials/" +
                           std::to_string(i) + "/template";
      mo["template_filename"] = m.template_filename;
    }
    materials.push_back(std::move(mo));
  }

  json::object item;
  item["code"] = v.item_code;
  item["name"] = v.name;
  item["url"] = item_url(v.item_code);
  item["print_url"] = item_url(v.item_code) + "/print";
  item["form_url"] = "/api/v1/items/" + url_encode(v.item_code) + "/form.pdf";
  item["type_label"] = core::label(v.type);
  item["legal_basis"] = or_missing(v.legal_basis);
  item["conditions"] = strings(v.conditions);
  item["has_conditions"] = !v.conditions.empty();
  item["materials"] = std::move(materials);
  item["procedure"] = strings(v.procedure);
  item["has_procedure"] = !v.procedure.empty();
  item["legal_limit_days"] = v.legal_limit_days;
  item["promised_limit_days"] = v.promised_limit_days;
  item["fee_text"] = core::fee_text(v);
  item["result_name"] = or_missing(v.result_name);
  item["visits"] = v.visits;
  item["online_label"] = online_label(v.online_level, offline);
  item["offline"] = offline;
  // Online application needs at least 三级 (网上预审); lower levels only inform or offer
  // the blank form, so the guide shows no 在线申报 link for them.
  item["apply_online"] = !offline && v.online_level >= core::OnlineLevel::pre_review;
  item["offline_reason"] = v.offline_reason;
  item["audience_label"] = core::label(v.audience);
  item["themes"] = strings(v.themes);
  // The department's own contact details stand in for an item that leaves them blank.
  item["consult_phone"] = or_missing(or_else(v.consult_phone, d.phone));
  item["complaint_phone"] = or_missing(v.complaint_phone);
  item["place"] = or_missing(or_else(v.place, d.address));
  item["hours"] = or_missing(or_else(v.hours, d.hours));
  item["published_on"] = v.published_on;
  item["version_no"] = v.version_no;

  json::array bundles;
  for (const auto& b : guide.bundles) {
    bundles.push_back(json::object{
        {"name", b.name}, {"url", bundle_url(b.code)}, {"joint_limit_days", b.joint_limit_days}});
  }

  json::object o;
  o["item"] = std::move(item);
  o["department"] =
      json::object{{"code", d.code}, {"name", d.name}, {"url", department_url(d.code)}};
  o["region"] = json::object{{"code", guide.region.code}, {"name", guide.region.name}};
  o["has_bundles"] = !bundles.empty();
  o["bundles"] = std::move(bundles);
  return o;
}

json::object department_context(const app::DepartmentPage& page) {
  const core::Department& d = page.department;
  json::array items;
  for (const auto& s : page.items) items.push_back(summary_context(s));
  json::object dept;
  dept["code"] = d.code;
  dept["name"] = d.name;
  dept["short_name"] = d.short_name;
  dept["phone"] = or_missing(d.phone);
  dept["address"] = or_missing(d.address);
  dept["hours"] = or_missing(d.hours);
  dept["role"] = role_of(d.kind);
  dept["approves"] = d.kind == core::DepartmentKind::approval;
  json::object o;
  o["department"] = std::move(dept);
  o["region"] = json::object{{"code", page.region.code}, {"name", or_missing(page.region.name)}};
  o["has_items"] = !items.empty();
  o["items"] = std::move(items);
  o["item_count"] = static_cast<std::int64_t>(page.items.size());
  return o;
}

}  // namespace shenpi::web
