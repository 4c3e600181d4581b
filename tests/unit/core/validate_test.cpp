#include "core/catalogue/validate.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace shenpi::core {
namespace {

FormField field(std::string name, std::string label, FieldType type) {
  FormField f;
  f.name = std::move(name);
  f.label = std::move(label);
  f.type = type;
  return f;
}

//! A small but complete item that passes validation; each case below breaks one thing.
ItemVersion valid_item() {
  ItemVersion v;
  v.item_code = "445100-SCJGJ-XK-001";
  v.name = "食品经营许可";
  v.department_code = "445100-SCJGJ";
  v.legal_limit_days = 10;
  v.promised_limit_days = 5;
  v.conditions = {"已取得营业执照"};
  v.procedure = {"申请", "受理", "审查", "决定", "送达"};
  v.themes = {"餐饮"};
  Material m;
  m.name = "食品经营许可申请书";
  m.template_filename = "食品经营许可申请书.pdf";
  v.materials = {m};
  FormField kind = field("business_kind", "主体业态", FieldType::select);
  kind.options = {{"catering", "餐饮服务经营者"}, {"retail", "食品销售经营者"}};
  FormField seats = field("seats", "就餐座位数", FieldType::number);
  seats.visible_if = "business_kind=catering";
  seats.min = 0;
  seats.max = 2000;
  FormField staff = field("staff", "从业人员名单", FieldType::table);
  staff.columns = {field("name", "姓名", FieldType::text),
                   field("id_no", "公民身份号码", FieldType::citizen_id)};
  FormField code = field("credit_code", "统一社会信用代码", FieldType::credit_code);
  code.pattern = "^[0-9A-HJ-NPQRTUWXY]{18}$";
  code.min_length = 18;
  code.max_length = 18;
  v.form = {kind, seats, staff, code};
  return v;
}

struct ItemCase {
  const char* what;
  std::function<void(ItemVersion&)> breaks;
  const char* field;  //!< the member the error must name
  const char* code;
};

const std::vector<ItemCase>& item_cases() {
  static const std::vector<ItemCase> cases = {
      {"empty code", [](ItemVersion& v) { v.item_code.clear(); }, "code", "code_required"},
      {"code with Chinese", [](ItemVersion& v) { v.item_code = "食品-001"; }, "code",
       "code_invalid"},
      {"code with slash", [](ItemVersion& v) { v.item_code = "a/b"; }, "code", "code_invalid"},
      {"code too long", [](ItemVersion& v) { v.item_code = std::string(65, 'A'); }, "code",
       "code_invalid"},
      {"blank name", [](ItemVersion& v) { v.name = "  "; }, "name", "name_required"},
      {"version zero", [](ItemVersion& v) { v.version_no = 0; }, "version_no",
       "version_no_invalid"},
      {"no department", [](ItemVersion& v) { v.department_code.clear(); }, "department",
       "department_required"},
      {"legal limit zero", [](ItemVersion& v) { v.legal_limit_days = 0; }, "legal_limit_days",
       "limit_invalid"},
      {"promised limit negative", [](ItemVersion& v) { v.promised_limit_days = -1; },
       "promised_limit_days", "limit_invalid"},
      {"promised beyond legal", [](ItemVersion& v) { v.promised_limit_days = 11; },
       "promised_limit_days", "promised_exceeds_legal"},
      {"negative visits", [](ItemVersion& v) { v.visits = -1; }, "visits", "visits_invalid"},
      {"offline item offered fully online",
       [](ItemVersion& v) {
         v.offline_reason = "涉及国家秘密";
         v.online_level = OnlineLevel::full_online;
       },
       "online_level", "offline_item_online"},
      {"offline item with online pre-review",
       [](ItemVersion& v) {
         v.offline_reason = "涉及国家秘密";
         v.online_level = OnlineLevel::pre_review;
       },
       "online_level", "offline_item_online"},
      {"blank condition", [](ItemVersion& v) { v.conditions.push_back(""); }, "conditions[1]",
       "empty_entry"},
      {"blank procedure step", [](ItemVersion& v) { v.procedure[2] = " "; }, "procedure[2]",
       "empty_entry"},
      {"blank theme", [](ItemVersion& v) { v.themes = {""}; }, "themes[0]", "empty_entry"},
      {"no materials", [](ItemVersion& v) { v.materials.clear(); }, "materials",
       "materials_required"},
      {"material without name", [](ItemVersion& v) { v.materials[0].name.clear(); },
       "materials[0].name", "material_name_required"},
      {"material zero copies", [](ItemVersion& v) { v.materials[0].copies = 0; },
       "materials[0].copies", "copies_invalid"},
      {"duplicate material",
       [](ItemVersion& v) {
         Material m;
         m.name = v.materials[0].name;
         v.materials.push_back(m);
       },
       "materials[1].name", "duplicate_material"},
      {"template file name with directory",
       [](ItemVersion& v) { v.materials[0].template_filename = "../etc/passwd"; },
       "materials[0].template_filename", "template_filename_invalid"},
      {"field name not ASCII", [](ItemVersion& v) { v.form[0].name = "主体业态"; },
       "form.fields[0].name", "field_name_invalid"},
      {"field name starts with digit", [](ItemVersion& v) { v.form[1].name = "1seats"; },
       "form.fields[1].name", "field_name_invalid"},
      {"field without label", [](ItemVersion& v) { v.form[3].label.clear(); },
       "form.fields[3].label", "field_label_required"},
      {"duplicate field name", [](ItemVersion& v) { v.form[3].name = "seats"; },
       "form.fields[3].name", "duplicate_field"},
      {"select without options",
       [](ItemVersion& v) {
         v.form[0].options.clear();
         v.form[1].visible_if.clear();
       },
       "form.fields[0].options", "options_required"},
      {"multi select without options",
       [](ItemVersion& v) { v.form[3].type = FieldType::multi_select; }, "form.fields[3].options",
       "options_required"},
      {"duplicate option value", [](ItemVersion& v) { v.form[0].options[1].value = "catering"; },
       "form.fields[0].options[1].value", "duplicate_option"},
      {"empty option value", [](ItemVersion& v) { v.form[0].options[0].value.clear(); },
       "form.fields[0].options[0].value", "option_value_required"},
      {"option without label", [](ItemVersion& v) { v.form[0].options[1].label.clear(); },
       "form.fields[0].options[1].label", "option_label_required"},
      {"min above max", [](ItemVersion& v) { v.form[1].min = 3000; }, "form.fields[1].max",
       "range_invalid"},
      {"negative min length", [](ItemVersion& v) { v.form[3].min_length = -1; },
       "form.fields[3].min_length", "length_invalid"},
      {"min length above max length", [](ItemVersion& v) { v.form[3].min_length = 19; },
       "form.fields[3].max_length", "length_invalid"},
      {"broken pattern", [](ItemVersion& v) { v.form[3].pattern = "([0-9]"; },
       "form.fields[3].pattern", "pattern_invalid"},
      {"visible_if without '='", [](ItemVersion& v) { v.form[1].visible_if = "business_kind"; },
       "form.fields[1].visible_if", "visible_if_invalid"},
      {"visible_if on unknown field", [](ItemVersion& v) { v.form[1].visible_if = "nope=1"; },
       "form.fields[1].visible_if", "visible_if_invalid"},
      {"visible_if on itself", [](ItemVersion& v) { v.form[1].visible_if = "seats=1"; },
       "form.fields[1].visible_if", "visible_if_invalid"},
      {"visible_if on unknown option",
       [](ItemVersion& v) { v.form[1].visible_if = "business_kind=hotel"; },
       "form.fields[1].visible_if", "visible_if_invalid"},
      {"table without columns", [](ItemVersion& v) { v.form[2].columns.clear(); },
       "form.fields[2].columns", "columns_required"},
      {"table column nested table",
       [](ItemVersion& v) {
         v.form[2].columns[1].type = FieldType::table;
         v.form[2].columns[1].columns = {field("x", "X", FieldType::text)};
       },
       "form.fields[2].columns[1].type", "nested_table"},
      {"duplicate table column", [](ItemVersion& v) { v.form[2].columns[1].name = "name"; },
       "form.fields[2].columns[1].name", "duplicate_field"},
      {"table column without label", [](ItemVersion& v) { v.form[2].columns[0].label.clear(); },
       "form.fields[2].columns[0].label", "field_label_required"},
  };
  return cases;
}

TEST(ValidateItemVersion, AcceptsACompleteItem) {
  auto r = validate_item_version(valid_item());
  EXPECT_TRUE(r.ok()) << r.error().field << ": " << r.error().message;
}

TEST(ValidateItemVersion, AcceptsAnOfflineItemThatOnlyPublishesInformation) {
  for (OnlineLevel level : {OnlineLevel::info_only, OnlineLevel::form_download}) {
    ItemVersion v = valid_item();
    v.offline_reason = "申请材料涉及国家秘密";
    v.online_level = level;
    EXPECT_TRUE(validate_item_version(v).ok()) << to_string(level);
  }
}

TEST(ValidateItemVersion, AcceptsAnItemWithoutForm) {
  ItemVersion v = valid_item();
  v.form.clear();
  EXPECT_TRUE(validate_item_version(v).ok());
}

TEST(ValidateItemVersion, AcceptsPromisedEqualToLegal) {
  ItemVersion v = valid_item();
  v.promised_limit_days = v.legal_limit_days;
  EXPECT_TRUE(validate_item_version(v).ok());
}

TEST(ValidateItemVersion, RejectsEachBrokenInvariantNamingTheField) {
  for (const auto& c : item_cases()) {
    SCOPED_TRACE(c.what);
    ItemVersion v = valid_item();
    c.breaks(v);
    auto r = validate_item_version(v);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_EQ(r.error().code, c.code);
    EXPECT_FALSE(r.error().message.empty());
  }
}

Bundle valid_bundle() {
  Bundle b;
  b.code = "445100-BL-001";
  b.name = "开办餐饮店";
  b.lead_department_code = "445100-SCJGJ";
  b.item_codes = {"445100-SCJGJ-XK-001", "445100-CGZFJ-XK-001"};
  b.joint_limit_days = 45;
  return b;
}

struct BundleCase {
  const char* what;
  std::function<void(Bundle&)> breaks;
  const char* field;
  const char* code;
};

TEST(ValidateBundle, AcceptsACompleteBundle) { EXPECT_TRUE(validate_bundle(valid_bundle()).ok()); }

TEST(ValidateBundle, RejectsEachBrokenInvariantNamingTheField) {
  const std::vector<BundleCase> cases = {
      {"empty code", [](Bundle& b) { b.code.clear(); }, "code", "code_required"},
      {"code with space", [](Bundle& b) { b.code = "a b"; }, "code", "code_invalid"},
      {"no name", [](Bundle& b) { b.name.clear(); }, "name", "name_required"},
      {"no lead department", [](Bundle& b) { b.lead_department_code.clear(); }, "lead_department",
       "lead_department_required"},
      {"single item", [](Bundle& b) { b.item_codes.pop_back(); }, "items", "items_too_few"},
      {"no items", [](Bundle& b) { b.item_codes.clear(); }, "items", "items_too_few"},
      {"empty item code", [](Bundle& b) { b.item_codes.push_back(""); }, "items[2]",
       "item_code_required"},
      {"same item twice", [](Bundle& b) { b.item_codes.push_back(b.item_codes[0]); }, "items[2]",
       "duplicate_item"},
      {"zero joint limit", [](Bundle& b) { b.joint_limit_days = 0; }, "joint_limit_days",
       "limit_invalid"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    Bundle b = valid_bundle();
    c.breaks(b);
    auto r = validate_bundle(b);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_EQ(r.error().code, c.code);
  }
}

}  // namespace
}  // namespace shenpi::core
