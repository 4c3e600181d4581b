#include "app/catalogue_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace shenpi::app {
namespace {

namespace json = boost::json;

core::ItemVersion sample_item() {
  core::ItemVersion v;
  v.id = 7;
  v.item_code = "11445100MB2C91234X-SC-001";
  v.version_no = 3;
  v.state = core::VersionState::published;
  v.published_on = "2024-03-01";
  v.name = "食品经营许可";
  v.type = core::ItemType::licence;
  v.department_code = "445100-SCJGJ";
  v.legal_basis = "《中华人民共和国食品安全法》第三十五条";
  v.conditions = {"有与经营的食品品种相适应的经营场所", "有食品安全专业技术人员"};
  v.materials = {
      {"食品经营许可申请书", true, core::MaterialForm::original, 1, "", "食品经营许可申请书.pdf",
       "申请人自备"},
      {"营业执照", false, core::MaterialForm::copy, 2, "加盖公章", "", "政府部门核发"},
  };
  v.procedure = {"申请", "受理", "审查", "决定"};
  v.legal_limit_days = 20;
  v.promised_limit_days = 10;
  v.fees = "";
  v.result_name = "食品经营许可证";
  v.visits = 1;
  v.online_level = core::OnlineLevel::pre_review;
  v.offline_reason = "";
  v.consult_phone = "0768-1234567";
  v.complaint_phone = "12345";
  v.place = "潮州市行政服务中心";
  v.hours = "工作日 8:30-12:00";
  v.audience = core::Audience::organisation;
  v.themes = {"餐饮", "食品"};
  core::FormField table;
  table.name = "staff";
  table.label = "从业人员";
  table.type = core::FieldType::table;
  core::FormField col;
  col.name = "id_no";
  col.label = "身份证号";
  col.type = core::FieldType::citizen_id;
  col.required = true;
  table.columns = {col};
  core::FormField area;
  area.name = "area";
  area.label = "经营面积";
  area.type = core::FieldType::number;
  area.min = 0.5;
  area.max = 10000;
  area.help = "单位：平方米";
  core::FormField kind;
  kind.name = "kind";
  kind.label = "主体业态";
  kind.type = core::FieldType::select;
  kind.options = {{"shop", "食品销售经营者"}, {"restaurant", "餐饮服务经营者"}};
  kind.visible_if = "area=1";
  core::FormField name;
  name.name = "name";
  name.label = "名称";
  name.min_length = 2;
  name.max_length = 50;
  name.pattern = "^.+$";
  v.form = {name, kind, area, table};
  return v;
}

void expect_same_field(const core::FormField& a, const core::FormField& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.label, b.label);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.required, b.required);
  ASSERT_EQ(a.options.size(), b.options.size());
  for (std::size_t i = 0; i < a.options.size(); ++i) {
    EXPECT_EQ(a.options[i].value, b.options[i].value);
    EXPECT_EQ(a.options[i].label, b.options[i].label);
  }
  EXPECT_EQ(a.min, b.min);
  EXPECT_EQ(a.max, b.max);
  EXPECT_EQ(a.min_length, b.min_length);
  EXPECT_EQ(a.max_length, b.max_length);
  EXPECT_EQ(a.pattern, b.pattern);
  EXPECT_EQ(a.visible_if, b.visible_if);
  EXPECT_EQ(a.help, b.help);
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (std::size_t i = 0; i < a.columns.size(); ++i) expect_same_field(a.columns[i], b.columns[i]);
}

TEST(CatalogueJson, ItemVersionRoundTripsThroughText) {
  const core::ItemVersion v = sample_item();
  const std::string text = json::serialize(to_json(v));
  auto back = item_version_from_json(json::parse(text));
  ASSERT_TRUE(back.ok()) << back.error().field;
  const core::ItemVersion& w = *back;
  EXPECT_EQ(w.id, v.id);
  EXPECT_EQ(w.item_code, v.item_code);
  EXPECT_EQ(w.version_no, v.version_no);
  EXPECT_EQ(w.state, v.state);
  EXPECT_EQ(w.published_on, v.published_on);
  EXPECT_EQ(w.name, v.name);
  EXPECT_EQ(w.type, v.type);
  EXPECT_EQ(w.department_code, v.department_code);
  EXPECT_EQ(w.legal_basis, v.legal_basis);
  EXPECT_EQ(w.conditions, v.conditions);
  ASSERT_EQ(w.materials.size(), v.materials.size());
  for (std::size_t i = 0; i < v.materials.size(); ++i) {
    EXPECT_EQ(w.materials[i].name, v.materials[i].name);
    EXPECT_EQ(w.materials[i].required, v.materials[i].required);
    EXPECT_EQ(w.materials[i].form, v.materials[i].form);
    EXPECT_EQ(w.materials[i].copies, v.materials[i].copies);
    EXPECT_EQ(w.materials[i].note, v.materials[i].note);
    EXPECT_EQ(w.materials[i].template_filename, v.materials[i].template_filename);
    EXPECT_EQ(w.materials[i].source, v.materials[i].source);
  }
  EXPECT_EQ(w.procedure, v.procedure);
  EXPECT_EQ(w.legal_limit_days, v.legal_limit_days);
  EXPECT_EQ(w.promised_limit_days, v.promised_limit_days);
  EXPECT_EQ(w.fees, v.fees);
  EXPECT_EQ(w.result_name, v.result_name);
  EXPECT_EQ(w.visits, v.visits);
  EXPECT_EQ(w.online_level, v.online_level);
  EXPECT_EQ(w.offline_reason, v.offline_reason);
  EXPECT_EQ(w.consult_phone, v.consult_phone);
  EXPECT_EQ(w.complaint_phone, v.complaint_phone);
  EXPECT_EQ(w.place, v.place);
  EXPECT_EQ(w.hours, v.hours);
  EXPECT_EQ(w.audience, v.audience);
  EXPECT_EQ(w.themes, v.themes);
  ASSERT_EQ(w.form.size(), v.form.size());
  for (std::size_t i = 0; i < v.form.size(); ++i) expect_same_field(w.form[i], v.form[i]);
}

TEST(CatalogueJson, ItemVersionUsesTheAgreedKeys) {
  const json::object o = to_json(sample_item()).as_object();
  EXPECT_EQ(o.at("code").as_string(), "11445100MB2C91234X-SC-001");
  EXPECT_EQ(o.at("department").as_string(), "445100-SCJGJ");
  EXPECT_EQ(o.at("type").as_string(), "licence");
  EXPECT_EQ(o.at("online_level").as_string(), "pre_review");
  EXPECT_EQ(o.at("audience").as_string(), "organisation");
  EXPECT_EQ(o.at("materials").as_array()[1].at("form").as_string(), "copy");
  const json::array& fields = o.at("form").at("fields").as_array();
  ASSERT_EQ(fields.size(), 4u);
  // Unset optional numbers are left out rather than written as null.
  EXPECT_FALSE(fields[0].as_object().contains("min"));
  EXPECT_EQ(fields[0].at("max_length").as_int64(), 50);
  EXPECT_EQ(fields[2].at("min").as_double(), 0.5);
  EXPECT_FALSE(o.contains("item_code"));
  EXPECT_FALSE(o.contains("department_code"));
}

TEST(CatalogueJson, MinimalItemTakesTheDefaults) {
  auto v =
      item_version_from_json(json::parse(R"({"code":"X1","name":"测试事项","department":"D1"})"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->item_code, "X1");
  EXPECT_EQ(v->department_code, "D1");
  EXPECT_EQ(v->state, core::VersionState::draft);
  EXPECT_EQ(v->legal_limit_days, 20);
  EXPECT_EQ(v->online_level, core::OnlineLevel::full_online);
  EXPECT_EQ(v->audience, core::Audience::both);
  EXPECT_TRUE(v->materials.empty());
  EXPECT_TRUE(v->form.empty());
}

TEST(CatalogueJson, UnknownMembersAreIgnored) {
  auto v = item_version_from_json(json::parse(R"({
    "code":"X1","name":"测试","department":"D1","remark":"extra",
    "materials":[{"name":"申请书","template":{"filename":"a.pdf","text":"..."}}]})"));
  ASSERT_TRUE(v.ok()) << v.error().field;
  ASSERT_EQ(v->materials.size(), 1u);
  EXPECT_EQ(v->materials[0].name, "申请书");
  EXPECT_TRUE(v->materials[0].required);
  EXPECT_EQ(v->materials[0].copies, 1);
}

TEST(CatalogueJson, DepartmentMayBeGivenAsObject) {
  auto v = item_version_from_json(
      json::parse(R"({"code":"X1","name":"测试","department":{"code":"D1","name":"某局"}})"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->department_code, "D1");
}

struct BadCase {
  const char* json_text;
  const char* field;
};

class BadItemJson : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadItemJson, NamesThePath) {
  auto v = item_version_from_json(json::parse(GetParam().json_text));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(v.error().field, GetParam().field);
  EXPECT_FALSE(v.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadItemJson,
    ::testing::Values(
        BadCase{R"({"name":"a","department":"D"})", "code"},
        BadCase{R"({"code":"","name":"a","department":"D"})", "code"},
        BadCase{R"({"code":"c","department":"D"})", "name"},
        BadCase{R"({"code":"c","name":"a"})", "department"},
        BadCase{R"({"code":1,"name":"a","department":"D"})", "code"},
        BadCase{R"({"code":"c","name":"a","department":"D","type":"permit"})", "type"},
        BadCase{R"({"code":"c","name":"a","department":"D","audience":"everyone"})", "audience"},
        BadCase{R"({"code":"c","name":"a","department":"D","legal_limit_days":"20"})",
                "legal_limit_days"},
        BadCase{R"({"code":"c","name":"a","department":"D","visits":1.5})", "visits"},
        BadCase{R"({"code":"c","name":"a","department":"D","conditions":["ok",3]})",
                "conditions[1]"},
        BadCase{R"({"code":"c","name":"a","department":"D",
                   "materials":[{"name":"m0"},{"name":"m1","form":"photocopy"}]})",
                "materials[1].form"},
        BadCase{R"({"code":"c","name":"a","department":"D","materials":[{"name":"m0"},{}]})",
                "materials[1].name"},
        BadCase{R"({"code":"c","name":"a","department":"D","form":[]})", "form"},
        BadCase{R"({"code":"c","name":"a","department":"D",
                   "form":{"fields":[{"name":"f","type":"colour"}]}})",
                "form.fields[0].type"},
        BadCase{R"({"code":"c","name":"a","department":"D",
                   "form":{"fields":[{"name":"t","type":"table","columns":[{"name":"x","min":"0"}]}]}})",
                "form.fields[0].columns[0].min"},
        BadCase{R"({"code":"c","name":"a","department":"D",
                   "form":{"fields":[{"name":"s","options":[{"label":"x"}]}]}})",
                "form.fields[0].options[0].value"}));

TEST(CatalogueJson, RegionDepartmentBundleRoundTrip) {
  const core::Region r{"445102", "湘桥区", "445100"};
  auto r2 = region_from_json(to_json(r));
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->code, r.code);
  EXPECT_EQ(r2->name, r.name);
  EXPECT_EQ(r2->parent_code, r.parent_code);
  EXPECT_EQ(to_json(r).at("parent").as_string(), "445100");

  core::Department d{"445100-XZFWZX",
                     "潮州市行政服务中心",
                     "行政服务中心",
                     "445100",
                     core::DepartmentKind::service_centre,
                     "0768-2222222",
                     "潮州大道",
                     "工作日",
                     3};
  const json::value dj = to_json(d);
  EXPECT_EQ(dj.at("region").as_string(), "445100");
  EXPECT_EQ(dj.at("kind").as_string(), "service_centre");
  auto d2 = department_from_json(dj);
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->code, d.code);
  EXPECT_EQ(d2->short_name, d.short_name);
  EXPECT_EQ(d2->region_code, d.region_code);
  EXPECT_EQ(d2->kind, d.kind);
  EXPECT_EQ(d2->phone, d.phone);
  EXPECT_EQ(d2->address, d.address);
  EXPECT_EQ(d2->hours, d.hours);
  EXPECT_EQ(d2->sort_order, 3);

  core::Bundle b{"KBCYD", "开办餐饮店", "445100-SCJGJ", {"A", "B"}, "一次申请，并联审批", 30};
  const json::value bj = to_json(b);
  EXPECT_EQ(bj.at("lead_department").as_string(), "445100-SCJGJ");
  EXPECT_EQ(bj.at("items").as_array().size(), 2u);
  auto b2 = bundle_from_json(bj);
  ASSERT_TRUE(b2.ok());
  EXPECT_EQ(b2->lead_department_code, b.lead_department_code);
  EXPECT_EQ(b2->item_codes, b.item_codes);
  EXPECT_EQ(b2->description, b.description);
  EXPECT_EQ(b2->joint_limit_days, 30);
}

TEST(CatalogueJson, BadDepartmentKindNamesTheField) {
  auto d = department_from_json(json::parse(R"({"code":"D","name":"某局","kind":"bureau"})"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().field, "kind");
  auto r = region_from_json(json::parse(R"(["445100"])"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
}

TEST(CatalogueJson, FormAndSummary) {
  auto f =
      form_from_json(json::parse(R"({"fields":[{"name":"a","type":"date","required":true}]})"));
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->size(), 1u);
  EXPECT_EQ((*f)[0].type, core::FieldType::date);
  EXPECT_TRUE((*f)[0].required);
  auto bad = form_from_json(json::parse(R"({"fields":[{"name":"a","required":"yes"}]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "fields[0].required");

  core::ItemSummary s{"C1",         "食品经营许可",         core::ItemType::licence,        "D1",
                      "市场监管局", core::Audience::person, core::OnlineLevel::full_online, 10,
                      true};
  const json::value sj = to_json(s);
  EXPECT_EQ(sj.at("department_name").as_string(), "市场监管局");
  EXPECT_EQ(sj.at("offline").as_bool(), true);
}

TEST(CatalogueJson, StringListText) {
  const std::vector<std::string> v{"餐饮", "a\"b", ""};
  auto back = strings_from_json_text(strings_to_json_text(v));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, v);
  EXPECT_EQ(strings_to_json_text({}), "[]");
  EXPECT_FALSE(strings_from_json_text("[1]").ok());
  EXPECT_FALSE(strings_from_json_text("not json").ok());
}

}  // namespace
}  // namespace shenpi::app
