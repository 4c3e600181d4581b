#include "app/catalogue_json.h"

#include <boost/json.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace shenpi::app {
namespace json = boost::json;
namespace {

// ---- writing ----------------------------------------------------------------------------

json::string sv(std::string_view s) { return json::string(s); }

json::array strings_array(const std::vector<std::string>& v) {
  json::array a;
  a.reserve(v.size());
  for (const auto& s : v) a.emplace_back(sv(s));
  return a;
}

json::array fields_array(const std::vector<core::FormField>& fields) {
  json::array a;
  a.reserve(fields.size());
  for (const auto& f : fields) a.push_back(to_json(f));
  return a;
}

// ---- reading ----------------------------------------------------------------------------
// Every reader takes the JSON path of the value it reads so that an error names the
// exact member at fault, e.g. "materials[1].form".

std::string member_path(std::string_view path, std::string_view key) {
  std::string p(path);
  if (!p.empty()) p += '.';
  p += key;
  return p;
}

std::string element_path(std::string_view path, std::size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

Error missing(const std::string& path) {
  return make_error(ErrorKind::invalid_input, "missing_field", "缺少必填项：" + path, path);
}

Error wrong(const std::string& path, std::string_view expected) {
  return make_error(ErrorKind::invalid_input, "invalid_field",
                    path + " 的值无效，应为" + std::string(expected), path);
}

Result<const json::object*> as_object(const json::value& v, const std::string& path) {
  const json::object* o = v.if_object();
  if (o == nullptr) return wrong(path.empty() ? std::string("$") : path, "对象");
  return o;
}

// Looks up a member; null counts as absent so that optional members may be written as null.
const json::value* find(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return nullptr;
  return v;
}

Result<void> read_string(const json::object& o, const std::string& path, std::string_view key,
                         std::string& out, bool required = false) {
  const json::value* v = find(o, key);
  const std::string p = member_path(path, key);
  if (v == nullptr) return required ? Result<void>(missing(p)) : ok_result();
  const json::string* s = v->if_string();
  if (s == nullptr) return wrong(p, "字符串");
  if (required && s->empty()) return missing(p);
  out.assign(s->data(), s->size());
  return ok_result();
}

Result<void> read_bool(const json::object& o, const std::string& path, std::string_view key,
                       bool& out) {
  const json::value* v = find(o, key);
  if (v == nullptr) return ok_result();
  if (!v->is_bool()) return wrong(member_path(path, key), "true 或 false");
  out = v->get_bool();
  return ok_result();
}

// An integer member; a double is accepted only when it holds an integral value.
template <typename Int>
Result<void> read_int(const json::object& o, const std::string& path, std::string_view key,
                      Int& out) {
  const json::value* v = find(o, key);
  if (v == nullptr) return ok_result();
  const std::string p = member_path(path, key);
  constexpr auto lo = std::numeric_limits<Int>::min();
  constexpr auto hi = std::numeric_limits<Int>::max();
  if (v->is_int64()) {
    const std::int64_t x = v->get_int64();
    if (x < lo || x > hi) return wrong(p, "整数");
    out = static_cast<Int>(x);
  } else if (v->is_uint64()) {
    const std::uint64_t x = v->get_uint64();
    if (x > static_cast<std::uint64_t>(hi)) return wrong(p, "整数");
    out = static_cast<Int>(x);
  } else if (v->is_double()) {
    const double x = v->get_double();
    if (std::trunc(x) != x || x < static_cast<double>(lo) || x > static_cast<double>(hi)) {
      return wrong(p, "整数");
    }
    out = static_cast<Int>(x);
  } else {
    return wrong(p, "整数");
  }
  return ok_result();
}

Result<void> read_optional_int(const json::object& o, const std::string& path, std::string_view key,
                               std::optional<int>& out) {
  if (find(o, key) == nullptr) return ok_result();
  int x = 0;
  SHENPI_TRY(read_int(o, path, key, x));
  out = x;
  return ok_result();
}

Result<void> read_optional_double(const json::object& o, const std::string& path,
                                  std::string_view key, std::optional<double>& out) {
  const json::value* v = find(o, key);
  if (v == nullptr) return ok_result();
  if (v->is_int64()) {
    out = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    out = static_cast<double>(v->get_uint64());
  } else if (v->is_double()) {
    out = v->get_double();
  } else {
    return wrong(member_path(path, key), "数字");
  }
  return ok_result();
}

// An enum member written as its core::to_string name.
template <typename E, typename Parse>
Result<void> read_enum(const json::object& o, const std::string& path, std::string_view key, E& out,
                       Parse parse) {
  const json::value* v = find(o, key);
  if (v == nullptr) return ok_result();
  const std::string p = member_path(path, key);
  const json::string* s = v->if_string();
  if (s == nullptr) return wrong(p, "取值之一");
  const std::optional<E> e = parse(std::string_view(s->data(), s->size()));
  if (!e) return wrong(p, "取值之一");
  out = *e;
  return ok_result();
}

Result<void> read_strings_at(const json::value& v, const std::string& p,
                             std::vector<std::string>& out) {
  const json::array* a = v.if_array();
  if (a == nullptr) return wrong(p, "字符串数组");
  out.clear();
  out.reserve(a->size());
  for (std::size_t i = 0; i < a->size(); ++i) {
    const json::string* s = (*a)[i].if_string();
    if (s == nullptr) return wrong(element_path(p, i), "字符串");
    out.emplace_back(s->data(), s->size());
  }
  return ok_result();
}

Result<void> read_strings(const json::object& o, const std::string& path, std::string_view key,
                          std::vector<std::string>& out) {
  const json::value* v = find(o, key);
  if (v == nullptr) return ok_result();
  return read_strings_at(*v, member_path(path, key), out);
}

// Reads an array member element by element with `parse(value, element_path)`.
template <typename T, typename Parse>
Result<void> read_array(const json::object& o, const std::string& path, std::string_view key,
                        std::vector<T>& out, Parse parse) {
  const json::value* v = find(o, key);
  if (v == nullptr) return ok_result();
  const std::string p = member_path(path, key);
  const json::array* a = v->if_array();
  if (a == nullptr) return wrong(p, "数组");
  out.clear();
  out.reserve(a->size());
  for (std::size_t i = 0; i < a->size(); ++i) {
    Result<T> r = parse((*a)[i], element_path(p, i));
    if (!r) return r.take_error();
    out.push_back(std::move(r).value());
  }
  return ok_result();
}

Result<core::FieldOption> parse_option(const json::value& v, const std::string& path) {
  SHENPI_ASSIGN(const json::object* o, as_object(v, path));
  core::FieldOption opt;
  SHENPI_TRY(read_string(*o, path, "value", opt.value, true));
  SHENPI_TRY(read_string(*o, path, "label", opt.label));
  return opt;
}

Result<core::FormField> parse_field(const json::value& v, const std::string& path) {
  SHENPI_ASSIGN(const json::object* o, as_object(v, path));
  core::FormField f;
  SHENPI_TRY(read_string(*o, path, "name", f.name, true));
  SHENPI_TRY(read_string(*o, path, "label", f.label));
  SHENPI_TRY(read_enum(*o, path, "type", f.type, core::parse_field_type));
  SHENPI_TRY(read_bool(*o, path, "required", f.required));
  SHENPI_TRY(read_array(*o, path, "options", f.options, parse_option));
  SHENPI_TRY(read_optional_double(*o, path, "min", f.min));
  SHENPI_TRY(read_optional_double(*o, path, "max", f.max));
  SHENPI_TRY(read_optional_int(*o, path, "min_length", f.min_length));
  SHENPI_TRY(read_optional_int(*o, path, "max_length", f.max_length));
  SHENPI_TRY(read_string(*o, path, "pattern", f.pattern));
  SHENPI_TRY(read_string(*o, path, "visible_if", f.visible_if));
  SHENPI_TRY(read_string(*o, path, "help", f.help));
  SHENPI_TRY(read_array(*o, path, "columns", f.columns, parse_field));
  return f;
}

Result<std::vector<core::FormField>> parse_form(const json::value& v, const std::string& path) {
  SHENPI_ASSIGN(const json::object* o, as_object(v, path));
  std::vector<core::FormField> fields;
  SHENPI_TRY(read_array(*o, path, "fields", fields, parse_field));
  return fields;
}

Result<core::Material> parse_material(const json::value& v, const std::string& path) {
  SHENPI_ASSIGN(const json::object* o, as_object(v, path));
  core::Material m;
  SHENPI_TRY(read_string(*o, path, "name", m.name, true));
  SHENPI_TRY(read_bool(*o, path, "required", m.required));
  SHENPI_TRY(read_enum(*o, path, "form", m.form, core::parse_material_form));
  SHENPI_TRY(read_int(*o, path, "copies", m.copies));
  SHENPI_TRY(read_string(*o, path, "note", m.note));
  SHENPI_TRY(read_string(*o, path, "template_filename", m.template_filename));
  SHENPI_TRY(read_string(*o, path, "source", m.source));
  return m;
}

// The implementing department of an item: a code string, or an object with a code (the
// shape the API answers with), so that a guide read back from the API parses too.
Result<void> read_department_ref(const json::object& o, std::string& out) {
  const json::value* v = find(o, "department");
  if (v == nullptr) return missing("department");
  if (const json::string* s = v->if_string()) {
    if (s->empty()) return missing("department");
    out.assign(s->data(), s->size());
    return ok_result();
  }
  if (const json::object* d = v->if_object())
    return read_string(*d, "department", "code", out, true);
  return wrong("department", "单位编码");
}

}  // namespace

// ---- to_json ------------------------------------------------------------------------------

json::value to_json(const core::Region& r) {
  return json::object{{"code", sv(r.code)}, {"name", sv(r.name)}, {"parent", sv(r.parent_code)}};
}

json::value to_json(const core::Department& d) {
  return json::object{{"code", sv(d.code)},
                      {"name", sv(d.name)},
                      {"short_name", sv(d.short_name)},
                      {"region", sv(d.region_code)},
                      {"kind", sv(core::to_string(d.kind))},
                      {"phone", sv(d.phone)},
                      {"address", sv(d.address)},
                      {"hours", sv(d.hours)},
                      {"sort_order", d.sort_order}};
}

json::value to_json(const core::Material& m) {
  return json::object{{"name", sv(m.name)},
                      {"required", m.required},
                      {"form", sv(core::to_string(m.form))},
                      {"copies", m.copies},
                      {"note", sv(m.note)},
                      {"template_filename", sv(m.template_filename)},
                      {"source", sv(m.source)}};
}

json::value to_json(const core::FormField& f) {
  json::object o;
  o["name"] = sv(f.name);
  o["label"] = sv(f.label);
  o["type"] = sv(core::to_string(f.type));
  o["required"] = f.required;
  json::array options;
  for (const auto& opt : f.options) {
    options.push_back(json::object{{"value", sv(opt.value)}, {"label", sv(opt.label)}});
  }
  o["options"] = std::move(options);
  if (f.min) o["min"] = *f.min;
  if (f.max) o["max"] = *f.max;
  if (f.min_length) o["min_length"] = *f.min_length;
  if (f.max_length) o["max_length"] = *f.max_length;
  o["pattern"] = sv(f.pattern);
  o["visible_if"] = sv(f.visible_if);
  o["help"] = sv(f.help);
  o["columns"] = fields_array(f.columns);
  return o;
}

json::value to_json(const std::vector<core::FormField>& fields) {
  return json::object{{"fields", fields_array(fields)}};
}

json::value to_json(const core::Bundle& b) {
  return json::object{{"code", sv(b.code)},
                      {"name", sv(b.name)},
                      {"lead_department", sv(b.lead_department_code)},
                      {"items", strings_array(b.item_codes)},
                      {"description", sv(b.description)},
                      {"joint_limit_days", b.joint_limit_days}};
}

json::value to_json(const core::ItemSummary& s) {
  return json::object{{"code", sv(s.code)},
                      {"name", sv(s.name)},
                      {"type", sv(core::to_string(s.type))},
                      {"department_code", sv(s.department_code)},
                      {"department_name", sv(s.department_name)},
                      {"audience", sv(core::to_string(s.audience))},
                      {"online_level", sv(core::to_string(s.online_level))},
                      {"promised_limit_days", s.promised_limit_days},
                      {"offline", s.offline}};
}

json::value to_json(const core::ItemVersion& v) {
  json::object o;
  o["id"] = v.id;
  o["code"] = sv(v.item_code);
  o["version_no"] = v.version_no;
  o["state"] = sv(core::to_string(v.state));
  o["published_on"] = sv(v.published_on);
  o["name"] = sv(v.name);
  o["type"] = sv(core::to_string(v.type));
  o["department"] = sv(v.department_code);
  o["legal_basis"] = sv(v.legal_basis);
  o["conditions"] = strings_array(v.conditions);
  json::array materials;
  materials.reserve(v.materials.size());
  for (const auto& m : v.materials) materials.push_back(to_json(m));
  o["materials"] = std::move(materials);
  o["procedure"] = strings_array(v.procedure);
  o["legal_limit_days"] = v.legal_limit_days;
  o["promised_limit_days"] = v.promised_limit_days;
  o["fees"] = sv(v.fees);
  o["result_name"] = sv(v.result_name);
  o["visits"] = v.visits;
  o["online_level"] = sv(core::to_string(v.online_level));
  o["offline_reason"] = sv(v.offline_reason);
  o["consult_phone"] = sv(v.consult_phone);
  o["complaint_phone"] = sv(v.complaint_phone);
  o["place"] = sv(v.place);
  o["hours"] = sv(v.hours);
  o["audience"] = sv(core::to_string(v.audience));
  o["themes"] = strings_array(v.themes);
  o["form"] = to_json(v.form);
  return o;
}

// ---- from_json ----------------------------------------------------------------------------

Result<core::Region> region_from_json(const json::value& v) {
  SHENPI_ASSIGN(const json::object* o, as_object(v, ""));
  core::Region r;
  SHENPI_TRY(read_string(*o, "", "code", r.code, true));
  SHENPI_TRY(read_string(*o, "", "name", r.name, true));
  SHENPI_TRY(read_string(*o, "", "parent", r.parent_code));
  return r;
}

Result<core::Department> department_from_json(const json::value& v) {
  SHENPI_ASSIGN(const json::object* o, as_object(v, ""));
  core::Department d;
  SHENPI_TRY(read_string(*o, "", "code", d.code, true));
  SHENPI_TRY(read_string(*o, "", "name", d.name, true));
  SHENPI_TRY(read_string(*o, "", "short_name", d.short_name));
  SHENPI_TRY(read_string(*o, "", "region", d.region_code));
  SHENPI_TRY(read_enum(*o, "", "kind", d.kind, core::parse_department_kind));
  SHENPI_TRY(read_string(*o, "", "phone", d.phone));
  SHENPI_TRY(read_string(*o, "", "address", d.address));
  SHENPI_TRY(read_string(*o, "", "hours", d.hours));
  SHENPI_TRY(read_int(*o, "", "sort_order", d.sort_order));
  return d;
}

Result<core::Material> material_from_json(const json::value& v) { return parse_material(v, ""); }

Result<core::FormField> form_field_from_json(const json::value& v) { return parse_field(v, ""); }

Result<std::vector<core::FormField>> form_from_json(const json::value& v) {
  return parse_form(v, "");
}

Result<core::Bundle> bundle_from_json(const json::value& v) {
  SHENPI_ASSIGN(const json::object* o, as_object(v, ""));
  core::Bundle b;
  SHENPI_TRY(read_string(*o, "", "code", b.code, true));
  SHENPI_TRY(read_string(*o, "", "name", b.name, true));
  SHENPI_TRY(read_string(*o, "", "lead_department", b.lead_department_code));
  SHENPI_TRY(read_strings(*o, "", "items", b.item_codes));
  SHENPI_TRY(read_string(*o, "", "description", b.description));
  SHENPI_TRY(read_int(*o, "", "joint_limit_days", b.joint_limit_days));
  return b;
}

Result<core::ItemVersion> item_version_from_json(const json::value& v) {
  SHENPI_ASSIGN(const json::object* o, as_object(v, ""));
  core::ItemVersion iv;
  SHENPI_TRY(read_int(*o, "", "id", iv.id));
  SHENPI_TRY(read_string(*o, "", "code", iv.item_code, true));
  SHENPI_TRY(read_int(*o, "", "version_no", iv.version_no));
  SHENPI_TRY(read_enum(*o, "", "state", iv.state, core::parse_version_state));
  SHENPI_TRY(read_string(*o, "", "published_on", iv.published_on));
  SHENPI_TRY(read_string(*o, "", "name", iv.name, true));
  SHENPI_TRY(read_enum(*o, "", "type", iv.type, core::parse_item_type));
  SHENPI_TRY(read_department_ref(*o, iv.department_code));
  SHENPI_TRY(read_string(*o, "", "legal_basis", iv.legal_basis));
  SHENPI_TRY(read_strings(*o, "", "conditions", iv.conditions));
  SHENPI_TRY(read_array(*o, "", "materials", iv.materials, parse_material));
  SHENPI_TRY(read_strings(*o, "", "procedure", iv.procedure));
  SHENPI_TRY(read_int(*o, "", "legal_limit_days", iv.legal_limit_days));
  SHENPI_TRY(read_int(*o, "", "promised_limit_days", iv.promised_limit_days));
  SHENPI_TRY(read_string(*o, "", "fees", iv.fees));
  SHENPI_TRY(read_string(*o, "", "result_name", iv.result_name));
  SHENPI_TRY(read_int(*o, "", "visits", iv.visits));
  SHENPI_TRY(read_enum(*o, "", "online_level", iv.online_level, core::parse_online_level));
  SHENPI_TRY(read_string(*o, "", "offline_reason", iv.offline_reason));
  SHENPI_TRY(read_string(*o, "", "consult_phone", iv.consult_phone));
  SHENPI_TRY(read_string(*o, "", "complaint_phone", iv.complaint_phone));
  SHENPI_TRY(read_string(*o, "", "place", iv.place));
  SHENPI_TRY(read_string(*o, "", "hours", iv.hours));
  SHENPI_TRY(read_enum(*o, "", "audience", iv.audience, core::parse_audience));
  SHENPI_TRY(read_strings(*o, "", "themes", iv.themes));
  if (const json::value* form = find(*o, "form")) {
    SHENPI_ASSIGN(iv.form, parse_form(*form, "form"));
  }
  return iv;
}

// ---- list-valued columns ------------------------------------------------------------------

std::string strings_to_json_text(const std::vector<std::string>& v) {
  return json::serialize(strings_array(v));
}

Result<std::vector<std::string>> strings_from_json_text(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) {
    return make_error(ErrorKind::invalid_input, "invalid_json", "JSON 格式错误：" + ec.message());
  }
  std::vector<std::string> out;
  SHENPI_TRY(read_strings_at(v, "$", out));
  return out;
}

}  // namespace shenpi::app
