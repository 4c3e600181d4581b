// View model of the application form. Every object sets every key its template reads
// (empty strings and false where they do not apply): Mustache looks a missing name up in
// the enclosing contexts, so a field without an error could otherwise show the page's.
#include "web/form_render.h"

#include <boost/json.hpp>

#include <algorithm>

#include "core/forms/form_validate.h"

namespace shenpi::web {
namespace json = boost::json;
namespace {

using core::FieldType;
using core::FormField;
using Errors = std::map<std::string, std::string>;

Errors errors_by_field(const std::vector<Error>& errors) {
  Errors out;
  for (const Error& e : errors) {
    if (e.field.empty()) continue;
    std::string& m = out[e.field];
    if (!m.empty()) m += "；";
    m += e.message;
  }
  return out;
}

std::string lookup(const Errors& errors, const std::string& key) {
  auto it = errors.find(key);
  return it == errors.end() ? std::string() : it->second;
}

// HTML ids from field names (ASCII identifiers) and row numbers.
std::string html_id(std::string_view name) { return "f-" + std::string(name); }

struct InputKind {
  const char* type = "text";
  const char* inputmode = "";
  const char* autocomplete = "off";
  bool code = false;  // identity numbers: no spellcheck, monospace-friendly
};

InputKind input_kind(const FormField& f) {
  switch (f.type) {
    case FieldType::number:
    case FieldType::money:
      // type=number would drop what Chinese input methods type and rounds on scroll; a
      // decimal keyboard is what matters on phones, the server checks the value.
      return {"text", "decimal", "off", false};
    case FieldType::date:
      return {"date", "", "off", false};
    case FieldType::phone:
      return {"tel", "tel", "tel", false};
    case FieldType::citizen_id:
    case FieldType::credit_code:
      return {"text", "", "off", true};
    default:
      return {};
  }
}

json::value max_length(const FormField& f) {
  if (f.max_length) return *f.max_length;
  if (f.type == FieldType::citizen_id || f.type == FieldType::credit_code) return 18;
  return "";
}

json::array options_view(const FormField& f, const std::string& id_prefix,
                         const std::vector<std::string>& chosen) {
  json::array out;
  for (std::size_t i = 0; i < f.options.size(); ++i) {
    const core::FieldOption& o = f.options[i];
    const bool on = std::find(chosen.begin(), chosen.end(), o.value) != chosen.end();
    out.push_back(json::object{{"value", o.value},
                               {"label", o.label.empty() ? o.value : o.label},
                               {"id", id_prefix + "-" + std::to_string(i)},
                               {"selected", on},
                               {"checked", on}});
  }
  return out;
}

std::vector<std::string> chosen_values(const core::FieldValue* v) {
  if (v == nullptr) return {};
  if (v->kind == core::FieldValue::Kind::list) return v->list;
  if (v->kind == core::FieldValue::Kind::text) return {v->text};
  return {};
}

// A table cell: an input (or select) labelled by column and row for screen readers.
json::object cell_view(const FormField& table, const FormField& column, std::size_t row,
                       const std::map<std::string, std::string>* values, const Errors& errors) {
  const std::string suffix = std::to_string(row) + "-" + column.name;
  const std::string id = html_id(table.name) + "-" + suffix;
  std::string value;
  if (values != nullptr) {
    if (auto it = values->find(column.name); it != values->end()) value = it->second;
  }
  const std::string error =
      lookup(errors, table.name + "[" + std::to_string(row) + "]." + column.name);
  const InputKind kind = input_kind(column);
  const bool select = column.type == FieldType::select || column.type == FieldType::multi_select;
  return json::object{
      {"name", table.name + "[" + std::to_string(row) + "][" + column.name + "]"},
      {"id", id},
      {"aria_label", "第" + std::to_string(row + 1) + "行 " + column.label},
      {"value", value},
      {"error", error},
      {"error_id", id + "-error"},
      {"is_select", select},
      {"options", select ? options_view(column, id, {value}) : json::array()},
      {"input_type", kind.type},
      {"inputmode", kind.inputmode},
      {"maxlength", max_length(column)},
  };
}

json::object table_view(const FormField& f, const core::FieldValue* v, const Errors& errors) {
  json::array columns;
  for (const FormField& c : f.columns) {
    columns.push_back(json::object{{"label", c.label},
                                   {"required", c.required},
                                   {"condition", core::condition_note(f.columns, c)},
                                   {"help", c.help}});
  }
  const std::size_t filled =
      v != nullptr && v->kind == core::FieldValue::Kind::rows ? v->rows.size() : 0;
  json::array rows;
  for (std::size_t r = 0; r < filled + kBlankTableRows; ++r) {
    const auto* values = r < filled ? &v->rows[r] : nullptr;
    json::array cells;
    for (const FormField& c : f.columns) cells.push_back(cell_view(f, c, r, values, errors));
    rows.push_back(json::object{{"number", static_cast<std::int64_t>(r + 1)}, {"cells", cells}});
  }
  return json::object{{"columns", std::move(columns)}, {"rows", std::move(rows)}};
}

json::object field_view(const std::vector<FormField>& fields, const FormField& f,
                        const core::FormData& values, const Errors& errors,
                        const std::map<std::string, std::string>& upload_names) {
  const std::string id = html_id(f.name);
  auto it = values.find(f.name);
  const core::FieldValue* v = it == values.end() ? nullptr : &it->second;
  const std::string error = lookup(errors, f.name);
  std::string describedby;
  if (!f.help.empty()) describedby = id + "-help";
  if (!error.empty()) describedby += (describedby.empty() ? "" : " ") + id + "-error";

  const bool checkboxes = f.type == FieldType::multi_select;
  const bool table = f.type == FieldType::table;
  const bool attachment = f.type == FieldType::attachment;
  const bool select = f.type == FieldType::select;
  const bool textarea = f.type == FieldType::textarea;
  const bool input = !checkboxes && !table && !attachment && !select && !textarea;
  const InputKind kind = input_kind(f);

  json::object o{
      {"name", f.name},
      {"id", id},
      {"label", f.label},
      {"required", f.required},
      // Conditional fields are required only when shown, which the browser cannot know.
      {"aria_required", f.required && f.visible_if.empty()},
      {"condition", core::condition_note(fields, f)},
      {"help", f.help},
      {"help_id", id + "-help"},
      {"error", error},
      {"error_id", id + "-error"},
      {"describedby", describedby},
      {"is_group", checkboxes || table},
      {"is_input", input},
      {"is_textarea", textarea},
      {"is_select", select},
      {"is_checkboxes", checkboxes},
      {"is_table", table},
      {"is_attachment", attachment},
      {"input_type", kind.type},
      {"inputmode", kind.inputmode},
      {"autocomplete", kind.autocomplete},
      {"code", kind.code},
      {"maxlength", max_length(f)},
      {"value", v != nullptr && v->kind == core::FieldValue::Kind::text ? v->text : ""},
      {"options", select || checkboxes ? options_view(f, id, chosen_values(v)) : json::array()},
      {"columns", json::array()},
      {"rows", json::array()},
      {"files", json::array()},
      {"has_files", false},
  };
  if (table) {
    json::object t = table_view(f, v, errors);
    o["columns"] = std::move(t["columns"]);
    o["rows"] = std::move(t["rows"]);
  }
  if (attachment && v != nullptr && v->kind == core::FieldValue::Kind::list) {
    json::array files;
    for (const std::string& upload : v->list) {
      auto n = upload_names.find(upload);
      files.push_back(
          json::object{{"upload_id", upload},
                       {"file_name", n == upload_names.end() ? "已上传的文件" : n->second}});
    }
    o["has_files"] = !files.empty();
    o["files"] = std::move(files);
  }
  return o;
}

}  // namespace

json::array form_fields_view(const std::vector<FormField>& fields, const core::FormData& values,
                             const std::vector<Error>& errors,
                             const std::map<std::string, std::string>& upload_names) {
  const Errors by_field = errors_by_field(errors);
  json::array out;
  out.reserve(fields.size());
  for (const FormField& f : fields) {
    out.push_back(field_view(fields, f, values, by_field, upload_names));
  }
  return out;
}

}  // namespace shenpi::web
