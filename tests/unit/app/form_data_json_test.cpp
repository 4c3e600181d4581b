#include "app/form_data_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>

#include "app/catalogue_json.h"
#include "core/forms/form_validate.h"
#include "resources/resources.h"

namespace shenpi::app {
namespace {

namespace json = boost::json;
using core::FieldValue;

TEST(FormDataJson, ReadsEveryShapeTheApiDocuments) {
  const json::value v = json::parse(R"({
    "applicant_name": "潮州市凤城食品有限公司",
    "area": 120,
    "capital": 1200.5,
    "big": 12345678901234,
    "business_items": ["prepackaged", "hot_food"],
    "layout_plan": ["up-1"],
    "staff": [{"name": "张三", "id_no": "445102199003071230", "age": 30, "post": null}],
    "website": null,
    "empty": []
  })");
  auto r = form_data_from_json(v);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const core::FormData& d = *r;
  EXPECT_EQ(d.at("applicant_name"), FieldValue::of_text("潮州市凤城食品有限公司"));
  EXPECT_EQ(d.at("area").text, "120");
  EXPECT_EQ(d.at("capital").text, "1200.5");
  EXPECT_EQ(d.at("big").text, "12345678901234");
  EXPECT_EQ(d.at("business_items"), FieldValue::of_list({"prepackaged", "hot_food"}));
  EXPECT_EQ(d.at("layout_plan"), FieldValue::of_list({"up-1"}));
  ASSERT_EQ(d.at("staff").kind, FieldValue::Kind::rows);
  const auto& row = d.at("staff").rows.at(0);
  EXPECT_EQ(row.at("name"), "张三");
  EXPECT_EQ(row.at("age"), "30");
  EXPECT_EQ(row.at("post"), "");
  EXPECT_FALSE(d.contains("website"));  // null is absent
  EXPECT_EQ(d.at("empty"), FieldValue::of_list({}));
}

TEST(FormDataJson, RejectsOtherShapesNamingTheMember) {
  struct Case {
    const char* json;
    const char* field;
  };
  const Case cases[] = {
      {R"([1,2])", "data"},
      {R"("text")", "data"},
      {R"({"agree": true})", "agree"},
      {R"({"nested": {"a": "b"}})", "nested"},
      {R"({"items": ["a", 1]})", "items[1]"},
      {R"({"items": ["a", ["b"]]})", "items[1]"},
      {R"({"staff": [{"name": "张三"}, "李四"]})", "staff[1]"},
      {R"({"staff": [{"name": {"first": "三"}}]})", "staff[0].name"},
      {R"({"staff": [{"ok": true}]})", "staff[0].ok"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    auto r = form_data_from_json(json::parse(c.json));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(r.error().code, "invalid_form_data");
    EXPECT_EQ(r.error().field, c.field);
  }
}

TEST(FormDataJson, WritesWhatItReads) {
  const core::FormData d{
      {"capital", FieldValue::of_text("1200.00")},
      {"items", FieldValue::of_list({"a", "b"})},
      {"staff", FieldValue::of_rows({{{"name", "张三"}, {"post", "厨师"}}, {{"name", "李四"}}})},
  };
  const json::object o = form_data_to_json(d);
  EXPECT_EQ(
      json::serialize(o),
      R"({"capital":"1200.00","items":["a","b"],"staff":[{"name":"张三","post":"厨师"},{"name":"李四"}]})");
  auto back = form_data_from_json(o);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, d);
}

std::vector<core::FormField> food_form() {
  auto f = [](const char* name, core::FieldType type) {
    core::FormField x;
    x.name = name;
    x.label = name;
    x.type = type;
    return x;
  };
  core::FormField staff = f("staff", core::FieldType::table);
  staff.columns = {f("name", core::FieldType::text), f("id_no", core::FieldType::citizen_id)};
  core::FormField items = f("items", core::FieldType::multi_select);
  items.options = {{"prepackaged", "预包装食品销售"}, {"hot_food", "热食类食品制售"}};
  return {f("applicant_name", core::FieldType::text), items, f("plan", core::FieldType::attachment),
          staff, f("area", core::FieldType::number)};
}

TEST(FormDataJson, ReadsAnHtmlFormPost) {
  const std::vector<std::pair<std::string, std::string>> posted = {
      {"csrf_token", "t"},
      {"applicant_name", "凤城食品"},
      {"applicant_name", "second is ignored"},
      {"items", "prepackaged"},
      {"items", "hot_food"},
      {"plan", "up-1"},
      {"plan", ""},  // the empty file input
      {"staff[0][name]", "张三"},
      {"staff[0][id_no]", "445102199003071230"},
      {"staff[10][name]", "李四"},
      {"staff[2][name]", "王五"},
      {"staff[1][name]", ""},
      {"staff[x][name]", "bad index"},
      {"staff[3]", "no column"},
      {"staff[4][a][b]", "nested"},
      {"staffing[0][name]", "other table"},
      {"unknown", "ignored"},
  };
  const core::FormData d = form_data_from_fields(food_form(), posted);
  EXPECT_EQ(d.at("applicant_name").text, "凤城食品");
  EXPECT_EQ(d.at("items"), FieldValue::of_list({"prepackaged", "hot_food"}));
  EXPECT_EQ(d.at("plan"), FieldValue::of_list({"up-1"}));
  const auto& rows = d.at("staff").rows;
  ASSERT_EQ(rows.size(), 4u);  // rows 0, 1, 2, 10 in index order
  EXPECT_EQ(rows[0].at("id_no"), "445102199003071230");
  EXPECT_EQ(rows[1].at("name"), "");
  EXPECT_EQ(rows[2].at("name"), "王五");
  EXPECT_EQ(rows[3].at("name"), "李四");
  EXPECT_FALSE(d.contains("area"));
  EXPECT_FALSE(d.contains("unknown"));

  // Through the validator, the blank row disappears and the rest is checked.
  const auto checked = core::validate_form(food_form(), d, core::FormMode::draft);
  for (const Error& e : checked.errors) ADD_FAILURE() << e.field << ": " << e.message;
  EXPECT_EQ(checked.data.at("staff").rows.size(), 3u);
}

TEST(FormDataJson, UncheckedBoxesMeanNothingChosen) {
  const core::FormData d = form_data_from_fields(food_form(), {{"items", ""}});
  EXPECT_EQ(d.at("items"), FieldValue::of_list({}));
  EXPECT_TRUE(form_data_from_fields(food_form(), {}).empty());
}

}  // namespace
}  // namespace shenpi::app

namespace shenpi::app {
namespace {

// The demo catalogue shows every kind of field and rule somewhere, and the food business
// licence accepts a complete application sent as the API would.
TEST(DemoForms, UseEveryFieldTypeAndRule) {
  auto text = resource("data/demo/catalogue.json");
  ASSERT_TRUE(text.has_value());
  const json::value doc = json::parse(*text);
  std::set<core::FieldType> types;
  bool required = false, length = false, range = false, pattern = false, visible_if = false;
  std::vector<core::FormField> food;
  for (const json::value& v : doc.at("items").as_array()) {
    auto item = item_version_from_json(v);
    ASSERT_TRUE(item.ok());
    if (item->name == "食品经营许可") food = item->form;
    std::vector<core::FormField> all = item->form;
    for (const auto& f : item->form) all.insert(all.end(), f.columns.begin(), f.columns.end());
    for (const core::FormField& f : all) {
      types.insert(f.type);
      required = required || f.required;
      length = length || f.min_length || f.max_length;
      range = range || f.min || f.max;
      pattern = pattern || !f.pattern.empty();
      visible_if = visible_if || !f.visible_if.empty();
    }
  }
  using T = core::FieldType;
  for (T t : {T::text, T::number, T::money, T::date, T::select, T::multi_select, T::citizen_id,
              T::credit_code, T::phone, T::address, T::table, T::attachment}) {
    EXPECT_TRUE(types.contains(t)) << core::to_string(t);
  }
  EXPECT_TRUE(required && length && range && pattern && visible_if);

  ASSERT_FALSE(food.empty());
  auto data = form_data_from_json(json::parse(R"({
    "applicant_name": "潮州市湘桥区好味道餐馆",
    "credit_code": "91350100M000100Y43",
    "legal_rep": "陈大文",
    "legal_rep_id": "445102199003071230",
    "contact_phone": "0768-2289012",
    "premises": "潮州市湘桥区太平路100号",
    "business_kind": "canteen",
    "canteen_kind": "school",
    "business_items": ["hot_food", "cold_food"],
    "area": 120,
    "online_sales": "yes",
    "website": "https://example.cn/shop",
    "food_safety_manager": "林小红",
    "staff": [{"name": "陈大文", "id_no": "445102199003071230", "post": "厨师",
               "health_cert_no": "JK2026001", "health_cert_until": "2026-06-30"}],
    "layout_plan": ["up-1"]
  })"));
  ASSERT_TRUE(data.ok());
  core::FormCheck check;
  check.today = "2025-03-03";
  const core::FormResult r = core::validate_form(food, *data, core::FormMode::submit, check);
  for (const Error& e : r.errors) ADD_FAILURE() << e.field << ": " << e.message;
  EXPECT_EQ(r.data.size(), data->size());

  // Without the canteen kind it is refused, naming the field in Chinese.
  data->erase("canteen_kind");
  const core::FormResult missing = core::validate_form(food, *data, core::FormMode::submit, check);
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0].field, "canteen_kind");
  EXPECT_EQ(missing.errors[0].message, "请选择食堂类别");
}

}  // namespace
}  // namespace shenpi::app
