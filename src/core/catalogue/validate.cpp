#include "core/catalogue/validate.h"

#include <cstddef>
#include <regex>
#include <set>
#include <string>
#include <string_view>

namespace shenpi::core {
namespace {

// Error paths name elements as the JSON codec does (src/app/catalogue_json.h): "code",
// "department", "materials[2].name", "form.fields[1].columns[0].name", so that an API
// client or an editing page can put the message next to the member at fault.

Error invalid(std::string code, std::string message, std::string field) {
  return make_error(ErrorKind::invalid_input, std::move(code), std::move(message),
                    std::move(field));
}

std::string at(std::string_view prefix, std::size_t i) {
  return std::string(prefix) + "[" + std::to_string(i) + "]";
}

//! True when s has a character other than ASCII blanks.
bool has_text(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") != std::string_view::npos;
}

//! Codes travel in URLs (/items/{code}) and file names: ASCII letters, digits, '-', '_'
//! and '.', not starting with '.', at most 64 characters.
bool valid_code(std::string_view s) {
  if (s.empty() || s.size() > 64 || s.front() == '.') return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

//! Form field names become HTML form names and JSON keys: an ASCII identifier.
bool valid_field_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  const auto letter = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  };
  if (!letter(s.front())) return false;
  for (char c : s) {
    if (!letter(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

//! A download file name: no directory part and not hidden, so it cannot escape a folder.
bool valid_filename(std::string_view s) {
  return s.find('/') == std::string_view::npos && s.find('\\') == std::string_view::npos &&
         s.front() != '.' && s.size() <= 200;
}

bool valid_regex(const std::string& pattern) {
  try {
    std::regex re(pattern, std::regex::ECMAScript);
    return true;
  } catch (const std::regex_error&) {
    return false;
  }
}

Result<void> check_strings(const std::vector<std::string>& list, std::string_view field,
                           std::string_view what) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!has_text(list[i])) {
      return invalid("empty_entry", std::string(what) + "不能有空白条目", at(field, i));
    }
  }
  return ok_result();
}

const FormField* find_field(const std::vector<FormField>& fields, std::string_view name) {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool is_choice(FieldType t) { return t == FieldType::select || t == FieldType::multi_select; }

Result<void> check_fields(const std::vector<FormField>& fields, const std::string& prefix,
                          bool inside_table);

Result<void> check_field(const FormField& f, const std::vector<FormField>& siblings,
                         const std::string& path, bool inside_table) {
  if (!valid_field_name(f.name)) {
    return invalid("field_name_invalid", "字段名须为英文字母、数字或下划线，且不以数字开头",
                   path + ".name");
  }
  if (!has_text(f.label)) {
    return invalid("field_label_required", "字段须有中文标签", path + ".label");
  }
  if (is_choice(f.type)) {
    if (f.options.empty()) {
      return invalid("options_required", "选择类字段至少要有一个选项", path + ".options");
    }
    std::set<std::string_view> values;
    for (std::size_t j = 0; j < f.options.size(); ++j) {
      const auto& o = f.options[j];
      const std::string opath = at(path + ".options", j);
      if (o.value.empty())
        return invalid("option_value_required", "选项值不能为空", opath + ".value");
      if (!has_text(o.label))
        return invalid("option_label_required", "选项须有标签", opath + ".label");
      if (!values.insert(o.value).second) {
        return invalid("duplicate_option", "选项值重复：" + o.value, opath + ".value");
      }
    }
  }
  if (f.min && f.max && *f.min > *f.max) {
    return invalid("range_invalid", "最小值不能大于最大值", path + ".max");
  }
  if (f.min_length && *f.min_length < 0) {
    return invalid("length_invalid", "最小长度不能为负数", path + ".min_length");
  }
  if (f.max_length && *f.max_length < 0) {
    return invalid("length_invalid", "最大长度不能为负数", path + ".max_length");
  }
  if (f.min_length && f.max_length && *f.min_length > *f.max_length) {
    return invalid("length_invalid", "最小长度不能大于最大长度", path + ".max_length");
  }
  if (!f.pattern.empty() && !valid_regex(f.pattern)) {
    return invalid("pattern_invalid", "校验规则不是有效的正则表达式", path + ".pattern");
  }
  if (!f.visible_if.empty()) {
    // "field=value": the field is a sibling (same form, or same table row), not itself;
    // when it is a choice field the value must be one of its options, or the field
    // could never be shown.
    const auto eq = f.visible_if.find('=');
    const std::string target = eq == std::string::npos ? std::string() : f.visible_if.substr(0, eq);
    const std::string value = eq == std::string::npos ? std::string() : f.visible_if.substr(eq + 1);
    const FormField* t = target.empty() ? nullptr : find_field(siblings, target);
    if (t == nullptr || t == &f) {
      return invalid("visible_if_invalid", "显示条件须为“字段名=值”，且引用同一表单中的其他字段",
                     path + ".visible_if");
    }
    if (is_choice(t->type)) {
      bool known = false;
      for (const auto& o : t->options) known = known || o.value == value;
      if (!known) {
        return invalid("visible_if_invalid", "显示条件引用了不存在的选项值：" + value,
                       path + ".visible_if");
      }
    }
  }
  if (f.type == FieldType::table) {
    if (inside_table) {
      return invalid("nested_table", "表格的列不能再是表格", path + ".type");
    }
    if (f.columns.empty()) {
      return invalid("columns_required", "表格字段至少要有一列", path + ".columns");
    }
    SHENPI_TRY(check_fields(f.columns, path + ".columns", true));
  }
  return ok_result();
}

Result<void> check_fields(const std::vector<FormField>& fields, const std::string& prefix,
                          bool inside_table) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string path = at(prefix, i);
    SHENPI_TRY(check_field(fields[i], fields, path, inside_table));
    if (!names.insert(fields[i].name).second) {
      return invalid("duplicate_field", "字段名重复：" + fields[i].name, path + ".name");
    }
  }
  return ok_result();
}

Result<void> check_material(const Material& m, const std::string& path) {
  if (!has_text(m.name))
    return invalid("material_name_required", "材料名称不能为空", path + ".name");
  if (m.copies < 1) return invalid("copies_invalid", "材料份数至少为1份", path + ".copies");
  if (!m.template_filename.empty() && !valid_filename(m.template_filename)) {
    return invalid("template_filename_invalid", "模板文件名不能包含目录",
                   path + ".template_filename");
  }
  return ok_result();
}

}  // namespace

Result<void> validate_item_version(const ItemVersion& v) {
  if (v.item_code.empty()) return invalid("code_required", "事项编码不能为空", "code");
  if (!valid_code(v.item_code)) {
    return invalid("code_invalid", "事项编码只能包含英文字母、数字、“-”“_”“.”，且不超过64个字符",
                   "code");
  }
  if (!has_text(v.name)) return invalid("name_required", "事项名称不能为空", "name");
  if (v.version_no < 1) return invalid("version_no_invalid", "版本号须从1开始", "version_no");
  if (v.department_code.empty()) {
    return invalid("department_required", "事项须有实施主体", "department");
  }
  if (v.legal_limit_days <= 0) {
    return invalid("limit_invalid", "法定办结时限须为正数（工作日）", "legal_limit_days");
  }
  if (v.promised_limit_days <= 0) {
    return invalid("limit_invalid", "承诺办结时限须为正数（工作日）", "promised_limit_days");
  }
  if (v.promised_limit_days > v.legal_limit_days) {
    return invalid("promised_exceeds_legal", "承诺办结时限不能超过法定办结时限",
                   "promised_limit_days");
  }
  if (v.visits < 0) return invalid("visits_invalid", "到现场次数不能为负数", "visits");
  // Art. 12: an item that may not go online offers no online application.
  if (!v.offline_reason.empty() &&
      (v.online_level == OnlineLevel::pre_review || v.online_level == OnlineLevel::full_online)) {
    return invalid("offline_item_online", "不得网上办理的事项不能设置网上预审或全程网办",
                   "online_level");
  }
  SHENPI_TRY(check_strings(v.conditions, "conditions", "受理条件"));
  SHENPI_TRY(check_strings(v.procedure, "procedure", "办理流程"));
  SHENPI_TRY(check_strings(v.themes, "themes", "主题"));
  if (v.materials.empty()) {
    return invalid("materials_required", "事项至少要列出一项申请材料", "materials");
  }
  std::set<std::string_view> material_names;
  for (std::size_t i = 0; i < v.materials.size(); ++i) {
    const std::string path = at("materials", i);
    SHENPI_TRY(check_material(v.materials[i], path));
    if (!material_names.insert(v.materials[i].name).second) {
      return invalid("duplicate_material", "申请材料重复：" + v.materials[i].name, path + ".name");
    }
  }
  SHENPI_TRY(check_fields(v.form, "form.fields", false));
  return ok_result();
}

Result<void> validate_bundle(const Bundle& b) {
  if (b.code.empty()) return invalid("code_required", "并联审批事项编码不能为空", "code");
  if (!valid_code(b.code)) {
    return invalid("code_invalid", "编码只能包含英文字母、数字、“-”“_”“.”，且不超过64个字符",
                   "code");
  }
  if (!has_text(b.name)) return invalid("name_required", "并联审批事项名称不能为空", "name");
  if (b.lead_department_code.empty()) {
    return invalid("lead_department_required", "并联审批须有牵头单位", "lead_department");
  }
  if (b.item_codes.size() < 2) {
    return invalid("items_too_few", "并联审批至少包含两个事项", "items");
  }
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < b.item_codes.size(); ++i) {
    if (b.item_codes[i].empty()) {
      return invalid("item_code_required", "事项编码不能为空", at("items", i));
    }
    if (!seen.insert(b.item_codes[i]).second) {
      return invalid("duplicate_item", "事项重复：" + b.item_codes[i], at("items", i));
    }
  }
  if (b.joint_limit_days <= 0) {
    return invalid("limit_invalid", "联合办理时限须为正数（工作日）", "joint_limit_days");
  }
  return ok_result();
}

}  // namespace shenpi::core
