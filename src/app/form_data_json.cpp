#include "app/form_data_json.h"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <map>
#include <optional>

namespace shenpi::app {
namespace json = boost::json;
namespace {

Error bad(const std::string& path, std::string_view expected) {
  return make_error(ErrorKind::invalid_input, "invalid_form_data",
                    "表单数据 " + path + " 的值无效，应为" + std::string(expected), path);
}

// A JSON number in plain decimal notation, or nullopt for a value that is not a number.
std::optional<std::string> number_text(const json::value& v) {
  if (const auto* i = v.if_int64()) return std::to_string(*i);
  if (const auto* u = v.if_uint64()) return std::to_string(*u);
  if (const auto* d = v.if_double()) {
    if (!std::isfinite(*d)) return std::nullopt;
    char buf[400];  // fixed notation of the largest double fits
    const auto r = std::to_chars(buf, buf + sizeof buf, *d, std::chars_format::fixed);
    if (r.ec != std::errc()) return std::nullopt;
    return std::string(buf, r.ptr);
  }
  return std::nullopt;
}

// A string or a number as text; nullopt otherwise.
std::optional<std::string> scalar_text(const json::value& v) {
  if (const json::string* s = v.if_string()) return std::string(s->data(), s->size());
  return number_text(v);
}

Result<core::FieldValue> array_value(const json::array& a, const std::string& path) {
  if (a.empty()) return core::FieldValue::of_list({});
  if (a.front().is_object()) {
    std::vector<std::map<std::string, std::string>> rows;
    rows.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string row_path = path + "[" + std::to_string(i) + "]";
      const json::object* o = a[i].if_object();
      if (o == nullptr) return bad(row_path, "对象（表格的一行）");
      std::map<std::string, std::string> row;
      for (const auto& cell : *o) {
        const std::string column(cell.key());
        if (cell.value().is_null()) {
          row.emplace(column, "");
          continue;
        }
        std::optional<std::string> text = scalar_text(cell.value());
        if (!text) return bad(row_path + "." + column, "字符串");
        row.emplace(column, std::move(*text));
      }
      rows.push_back(std::move(row));
    }
    return core::FieldValue::of_rows(std::move(rows));
  }
  std::vector<std::string> list;
  list.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const json::string* s = a[i].if_string();
    if (s == nullptr) return bad(path + "[" + std::to_string(i) + "]", "字符串");
    list.emplace_back(s->data(), s->size());
  }
  return core::FieldValue::of_list(std::move(list));
}

// "staff[2][name]" for table "staff": row 2, column "name".
std::optional<std::pair<std::size_t, std::string>> table_cell(std::string_view posted,
                                                              std::string_view table) {
  if (!posted.starts_with(table) || posted.size() <= table.size() || posted[table.size()] != '[' ||
      !posted.ends_with(']')) {
    return std::nullopt;
  }
  std::string_view rest = posted.substr(table.size() + 1);
  rest.remove_suffix(1);
  const std::size_t close = rest.find("][");
  if (close == std::string_view::npos || close == 0 || close > 6) return std::nullopt;
  std::size_t row = 0;
  const auto r = std::from_chars(rest.data(), rest.data() + close, row);
  if (r.ec != std::errc() || r.ptr != rest.data() + close) return std::nullopt;
  const std::string_view column = rest.substr(close + 2);
  if (column.empty() || column.find_first_of("[]") != std::string_view::npos) return std::nullopt;
  return std::make_pair(row, std::string(column));
}

}  // namespace

Result<core::FormData> form_data_from_json(const json::value& data) {
  const json::object* o = data.if_object();
  if (o == nullptr) return bad("data", "对象");
  core::FormData out;
  for (const auto& member : *o) {
    const std::string name(member.key());
    const json::value& v = member.value();
    if (v.is_null()) continue;
    if (const json::array* a = v.if_array()) {
      SHENPI_ASSIGN(core::FieldValue value, array_value(*a, name));
      out.insert_or_assign(name, std::move(value));
      continue;
    }
    std::optional<std::string> text = scalar_text(v);
    if (!text) return bad(name, "字符串、数字或数组");
    out.insert_or_assign(name, core::FieldValue::of_text(std::move(*text)));
  }
  return out;
}

json::object form_data_to_json(const core::FormData& data) {
  json::object o;
  for (const auto& [name, v] : data) {
    switch (v.kind) {
      case core::FieldValue::Kind::text:
        o[name] = json::string(v.text);
        break;
      case core::FieldValue::Kind::list: {
        json::array a;
        for (const std::string& s : v.list) a.emplace_back(json::string(s));
        o[name] = std::move(a);
        break;
      }
      case core::FieldValue::Kind::rows: {
        json::array a;
        for (const auto& row : v.rows) {
          json::object r;
          for (const auto& [column, text] : row) r[column] = json::string(text);
          a.emplace_back(std::move(r));
        }
        o[name] = std::move(a);
        break;
      }
    }
  }
  return o;
}

core::FormData form_data_from_fields(
    const std::vector<core::FormField>& fields,
    const std::vector<std::pair<std::string, std::string>>& urlencoded) {
  core::FormData out;
  for (const core::FormField& f : fields) {
    switch (f.type) {
      case core::FieldType::multi_select:
      case core::FieldType::attachment: {
        std::vector<std::string> list;
        bool posted = false;
        for (const auto& [name, value] : urlencoded) {
          if (name != f.name) continue;
          posted = true;
          if (!value.empty()) list.push_back(value);
        }
        if (posted) out.emplace(f.name, core::FieldValue::of_list(std::move(list)));
        break;
      }
      case core::FieldType::table: {
        std::map<std::size_t, std::map<std::string, std::string>> rows;
        for (const auto& [name, value] : urlencoded) {
          auto cell = table_cell(name, f.name);
          if (!cell) continue;
          rows[cell->first].emplace(cell->second, value);  // first value of a cell wins
        }
        if (rows.empty()) break;
        std::vector<std::map<std::string, std::string>> list;
        list.reserve(rows.size());
        for (auto& [index, row] : rows) list.push_back(std::move(row));
        out.emplace(f.name, core::FieldValue::of_rows(std::move(list)));
        break;
      }
      default:
        for (const auto& [name, value] : urlencoded) {
          if (name == f.name) {
            out.emplace(f.name, core::FieldValue::of_text(value));
            break;
          }
        }
        break;
    }
  }
  return out;
}

}  // namespace shenpi::app
