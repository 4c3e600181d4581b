#include "app/demo_loader.h"

#include <boost/json.hpp>

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/catalogue_json.h"
#include "core/catalogue/validate.h"
#include "resources/resources.h"

namespace shenpi::app {
namespace json = boost::json;
namespace {

constexpr std::string_view kDemoResource = "data/demo/catalogue.json";

//! One item ready to store: the version and its rendered templates, index-aligned with
//! the materials (an entry with an empty filename means "no template").
struct PreparedItem {
  core::ItemVersion version;
  std::vector<core::MaterialTemplate> templates;
};

//! Everything parsed and checked; written only when complete.
struct Prepared {
  std::vector<core::Region> regions;  //!< parents before children
  std::vector<core::Department> departments;
  std::vector<PreparedItem> items;
  std::vector<core::Bundle> bundles;
  int templates = 0;
};

std::string element_path(std::string_view list, std::size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

//! Re-roots an error of a parser or validator (whose field is relative to one element)
//! at that element of the document, e.g. "name" → "items[3].name".
Error at_element(Error e, const std::string& element) {
  e.field = e.field.empty() ? element : element + "." + e.field;
  return e;
}

Error invalid(std::string code, std::string message, std::string field) {
  return make_error(ErrorKind::invalid_input, std::move(code), std::move(message),
                    std::move(field));
}

//! A YYYY-MM-DD shape check; the calendar itself is not this function's business.
bool looks_like_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

Result<const json::array*> array_member(const json::object& doc, std::string_view key) {
  const json::value* v = doc.if_contains(key);
  if (v == nullptr)
    return invalid("missing_field", "缺少必填项：" + std::string(key), std::string(key));
  const json::array* a = v->if_array();
  if (a == nullptr) {
    return invalid("invalid_field", std::string(key) + " 的值无效，应为数组", std::string(key));
  }
  return a;
}

//! Orders regions so that every parent precedes its children; fails on an unknown parent
//! or a cycle.
Result<std::vector<core::Region>> order_regions(std::vector<core::Region> regions) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < regions.size(); ++i) {
    if (!index.emplace(regions[i].code, i).second) {
      return invalid("duplicate_code", "行政区划代码重复：" + regions[i].code,
                     element_path("regions", i) + ".code");
    }
  }
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const auto& parent = regions[i].parent_code;
    if (!parent.empty() && (parent == regions[i].code || !index.contains(parent))) {
      return invalid("unknown_region", "上级行政区划不存在：" + parent,
                     element_path("regions", i) + ".parent");
    }
  }
  std::vector<core::Region> ordered;
  std::set<std::string> placed;
  std::vector<bool> done(regions.size(), false);
  while (ordered.size() < regions.size()) {
    bool progress = false;
    for (std::size_t i = 0; i < regions.size(); ++i) {
      if (done[i]) continue;
      const auto& parent = regions[i].parent_code;
      if (parent.empty() || placed.contains(parent)) {
        placed.insert(regions[i].code);
        ordered.push_back(regions[i]);
        done[i] = true;
        progress = true;
      }
    }
    if (!progress) {
      for (std::size_t i = 0; i < regions.size(); ++i) {
        if (!done[i]) {
          return invalid("region_cycle", "行政区划的上下级关系成环",
                         element_path("regions", i) + ".parent");
        }
      }
    }
  }
  return ordered;
}

//! Reads the optional "template" member of material `m` of an item and renders it.
Result<void> prepare_template(const json::value& material_json, core::Material& material,
                              const TemplateRenderer& render, const std::string& path,
                              core::MaterialTemplate& out) {
  const json::object* mo = material_json.if_object();
  const json::value* t = mo == nullptr ? nullptr : mo->if_contains("template");
  if (t == nullptr || t->is_null()) return ok_result();
  const std::string tpath = path + ".template";
  const json::object* to = t->if_object();
  if (to == nullptr) return invalid("invalid_field", tpath + " 的值无效，应为对象", tpath);
  const json::value* title = to->if_contains("title");
  if (title == nullptr || !title->is_string() || title->get_string().empty()) {
    return invalid("missing_field", "模板缺少标题", tpath + ".title");
  }
  const json::value* paras = to->if_contains("paragraphs");
  if (paras == nullptr || !paras->is_array()) {
    return invalid("missing_field", "模板缺少正文段落", tpath + ".paragraphs");
  }
  std::vector<std::string> paragraphs;
  for (std::size_t i = 0; i < paras->get_array().size(); ++i) {
    const json::value& p = paras->get_array()[i];
    if (!p.is_string()) {
      return invalid("invalid_field", "模板段落应为字符串", element_path(tpath + ".paragraphs", i));
    }
    paragraphs.emplace_back(p.get_string().c_str(), p.get_string().size());
  }
  const std::string title_text(title->get_string().c_str(), title->get_string().size());
  if (material.template_filename.empty()) material.template_filename = title_text + ".pdf";
  auto bytes = render(title_text, paragraphs);
  if (!bytes.ok()) return at_element(bytes.take_error(), tpath);
  out.filename = material.template_filename;
  out.content_type = "application/pdf";
  out.bytes = std::move(bytes).value();
  return ok_result();
}

Result<Prepared> prepare(const json::object& doc, const TemplateRenderer& render) {
  Prepared p;

  SHENPI_ASSIGN(const json::array* regions, array_member(doc, "regions"));
  std::vector<core::Region> region_list;
  for (std::size_t i = 0; i < regions->size(); ++i) {
    auto r = region_from_json((*regions)[i]);
    if (!r.ok()) return at_element(r.take_error(), element_path("regions", i));
    region_list.push_back(std::move(r).value());
  }
  SHENPI_ASSIGN(p.regions, order_regions(std::move(region_list)));
  std::set<std::string> region_codes;
  for (const auto& r : p.regions) region_codes.insert(r.code);

  SHENPI_ASSIGN(const json::array* departments, array_member(doc, "departments"));
  std::set<std::string> department_codes;
  for (std::size_t i = 0; i < departments->size(); ++i) {
    const std::string path = element_path("departments", i);
    auto d = department_from_json((*departments)[i]);
    if (!d.ok()) return at_element(d.take_error(), path);
    if (!region_codes.contains(d->region_code)) {
      return invalid("unknown_region", "单位所属行政区划不存在：" + d->region_code,
                     path + ".region");
    }
    if (!department_codes.insert(d->code).second) {
      return invalid("duplicate_code", "单位编码重复：" + d->code, path + ".code");
    }
    p.departments.push_back(std::move(d).value());
  }

  SHENPI_ASSIGN(const json::array* items, array_member(doc, "items"));
  std::set<std::string> item_codes;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string path = element_path("items", i);
    auto parsed = item_version_from_json((*items)[i]);
    if (!parsed.ok()) return at_element(parsed.take_error(), path);
    PreparedItem item{std::move(parsed).value(), {}};
    // A demo item starts its life as a fresh draft whatever the document says.
    item.version.id = 0;
    item.version.version_no = 1;
    item.version.state = core::VersionState::draft;
    item.version.published_on.clear();
    if (auto ok = core::validate_item_version(item.version); !ok.ok()) {
      return at_element(ok.take_error(), path);
    }
    if (!department_codes.contains(item.version.department_code)) {
      return invalid("unknown_department", "实施主体不存在：" + item.version.department_code,
                     path + ".department");
    }
    if (!item_codes.insert(item.version.item_code).second) {
      return invalid("duplicate_code", "事项编码重复：" + item.version.item_code, path + ".code");
    }
    // The codec parsed "materials" into as many Material values as the array has
    // elements, so the array is there and index-aligned; templates are read from it
    // because Material has no member for them.
    const json::value* materials_json = (*items)[i].as_object().if_contains("materials");
    const json::array* materials = materials_json == nullptr ? nullptr : materials_json->if_array();
    if (materials == nullptr || materials->size() != item.version.materials.size()) {
      return make_error(ErrorKind::internal, "codec_mismatch", "申请材料解析结果与原文不一致",
                        path + ".materials");
    }
    item.templates.resize(item.version.materials.size());
    for (std::size_t m = 0; m < item.version.materials.size(); ++m) {
      SHENPI_TRY(prepare_template((*materials)[m], item.version.materials[m], render,
                                  path + "." + element_path("materials", m), item.templates[m]));
      if (!item.templates[m].filename.empty()) ++p.templates;
    }
    p.items.push_back(std::move(item));
  }

  SHENPI_ASSIGN(const json::array* bundles, array_member(doc, "bundles"));
  std::set<std::string> bundle_codes;
  for (std::size_t i = 0; i < bundles->size(); ++i) {
    const std::string path = element_path("bundles", i);
    auto b = bundle_from_json((*bundles)[i]);
    if (!b.ok()) return at_element(b.take_error(), path);
    if (auto ok = core::validate_bundle(*b); !ok.ok()) return at_element(ok.take_error(), path);
    if (!department_codes.contains(b->lead_department_code)) {
      return invalid("unknown_department", "牵头单位不存在：" + b->lead_department_code,
                     path + ".lead_department");
    }
    for (std::size_t k = 0; k < b->item_codes.size(); ++k) {
      if (!item_codes.contains(b->item_codes[k])) {
        return invalid("unknown_item", "并联审批包含不存在的事项：" + b->item_codes[k],
                       path + "." + element_path("items", k));
      }
    }
    if (!bundle_codes.insert(b->code).second) {
      return invalid("duplicate_code", "并联审批事项编码重复：" + b->code, path + ".code");
    }
    p.bundles.push_back(std::move(b).value());
  }
  return p;
}

}  // namespace

Result<DemoLoadReport> load_demo_catalogue(CatalogueRepository& repo,
                                           const TemplateRenderer& render, std::string_view today,
                                           std::string_view json_text) {
  if (!looks_like_date(today)) {
    return invalid("invalid_date", "日期格式应为 YYYY-MM-DD", "today");
  }
  if (!render) {
    return make_error(ErrorKind::internal, "no_renderer", "未提供模板渲染器");
  }
  std::string_view text = json_text;
  if (text.empty()) {
    auto embedded = resource(kDemoResource);
    if (!embedded) {
      return make_error(ErrorKind::internal, "demo_data_missing", "演示数据未编入程序");
    }
    text = *embedded;
  }

  SHENPI_ASSIGN(bool empty, repo.empty());
  if (!empty) {
    return make_error(ErrorKind::conflict, "not_empty",
                      "数据库中已有事项目录数据，不再载入演示数据");
  }

  boost::system::error_code ec;
  json::value doc = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) {
    return invalid("invalid_json", "演示数据不是有效的 JSON：" + ec.message(), "$");
  }
  const json::object* root = doc.if_object();
  if (root == nullptr) return invalid("invalid_field", "演示数据应为 JSON 对象", "$");
  SHENPI_ASSIGN(Prepared p, prepare(*root, render));

  // Everything is valid: write parents before the rows that refer to them.
  DemoLoadReport report;
  for (const auto& r : p.regions) {
    SHENPI_TRY(repo.put_region(r));
    ++report.regions;
  }
  for (const auto& d : p.departments) {
    SHENPI_TRY(repo.put_department(d));
    ++report.departments;
  }
  for (const auto& item : p.items) {
    SHENPI_ASSIGN(std::int64_t id, repo.add_item_version(item.version, item.templates));
    // The workflow of Art. 15: the department head signs off, the centre files, then it is
    // published. The demo data stands for versions that went through it.
    for (core::VersionState s : {core::VersionState::signed_off, core::VersionState::filed,
                                 core::VersionState::published}) {
      SHENPI_TRY(repo.set_version_state(id, s, today));
    }
    ++report.items;
  }
  report.templates = p.templates;
  for (const auto& b : p.bundles) {
    SHENPI_TRY(repo.put_bundle(b));
    ++report.bundles;
  }
  return report;
}

}  // namespace shenpi::app
