#pragma once
// A form definition with every field type, a conditional field, a pattern, ranges and a
// table with a conditional column: the trusted half of the form harnesses (the form comes
// from the catalogue; the values come from applicants).
#include <cstdlib>
#include <vector>

#include <boost/json/parse.hpp>

#include "app/catalogue_json.h"
#include "core/catalogue/catalogue.h"

namespace shenpi::fuzz {

inline constexpr const char* kFormDefinition = R"({"fields": [
  {"name": "name", "label": "申请人名称", "type": "text", "required": true, "max_length": 20},
  {"name": "note", "label": "备注", "type": "textarea", "min_length": 2, "max_length": 200},
  {"name": "area", "label": "面积", "type": "number", "required": true, "min": 1, "max": 100000},
  {"name": "fee", "label": "金额", "type": "money", "min": 0, "max": 99999999},
  {"name": "day", "label": "日期", "type": "date"},
  {"name": "kind", "label": "类别", "type": "select", "required": true,
   "options": [{"value": "a", "label": "甲"}, {"value": "b", "label": "乙"}]},
  {"name": "sub", "label": "子类", "type": "select", "visible_if": "kind=b",
   "options": [{"value": "x", "label": "子甲"}, {"value": "y", "label": "子乙"}]},
  {"name": "tags", "label": "项目", "type": "multi_select",
   "options": [{"value": "p", "label": "一"}, {"value": "q", "label": "二"}, {"value": "r", "label": "三"}]},
  {"name": "id", "label": "公民身份号码", "type": "citizen_id"},
  {"name": "org", "label": "统一社会信用代码", "type": "credit_code",
   "pattern": "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"},
  {"name": "licence", "label": "许可证号", "type": "text", "pattern": "^[A-Z][0-9]{3,9}$"},
  {"name": "phone", "label": "联系电话", "type": "phone"},
  {"name": "addr", "label": "地址", "type": "address"},
  {"name": "files", "label": "附件", "type": "attachment"},
  {"name": "staff", "label": "人员", "type": "table", "columns": [
    {"name": "name", "label": "姓名", "type": "text", "required": true, "max_length": 10},
    {"name": "role", "label": "岗位", "type": "select",
     "options": [{"value": "m", "label": "管理"}, {"value": "w", "label": "员工"}]},
    {"name": "cert", "label": "证号", "type": "text", "visible_if": "role=m"},
    {"name": "id", "label": "身份号码", "type": "citizen_id"},
    {"name": "until", "label": "有效期", "type": "date"}]}
]})";

//! The parsed definition; aborts when the literal above does not parse (a harness bug).
inline const std::vector<core::FormField>& form_definition() {
  static const std::vector<core::FormField> fields = [] {
    auto parsed = app::form_from_json(boost::json::parse(kFormDefinition));
    if (!parsed) std::abort();
    return *parsed;
  }();
  return fields;
}

}  // namespace shenpi::fuzz
