// The form validator as an applicant meets it: one table per field type (good, bad and
// edge values), then conditional fields, drafts against submissions, normalisation, and
// the Chinese messages.
#include "core/forms/form_validate.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace shenpi::core {
namespace {

FormField field(std::string name, std::string label, FieldType type, bool required = true) {
  FormField f;
  f.name = std::move(name);
  f.label = std::move(label);
  f.type = type;
  f.required = required;
  return f;
}

std::vector<FieldOption> options(std::initializer_list<std::pair<const char*, const char*>> l) {
  std::vector<FieldOption> out;
  for (auto [v, label] : l) out.push_back(FieldOption{v, label});
  return out;
}

// One value of one field: the normalised text it becomes (want_code empty), or the error.
struct Case {
  const char* input;
  const char* want;       // normalised text; ignored when want_code is set
  const char* want_code;  // "" when the value is valid
};

// Runs each case against a one-field form and checks value, code and that the error names
// the field and its label.
void run_table(const FormField& f, const std::vector<Case>& cases, const FormCheck& check = {}) {
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(to_string(f.type)) + " input “" + c.input + "”");
    FormData data{{f.name, FieldValue::of_text(c.input)}};
    const FormResult r = validate_form({f}, data, FormMode::submit, check);
    if (std::string(c.want_code).empty()) {
      ASSERT_TRUE(r.ok()) << r.errors[0].code << " " << r.errors[0].message;
      ASSERT_TRUE(r.data.contains(f.name));
      EXPECT_EQ(r.data.at(f.name).text, c.want);
    } else {
      ASSERT_EQ(r.errors.size(), 1u);
      EXPECT_EQ(r.errors[0].code, c.want_code) << r.errors[0].message;
      EXPECT_EQ(r.errors[0].kind, ErrorKind::invalid_input);
      EXPECT_EQ(r.errors[0].field, f.name);
      EXPECT_NE(r.errors[0].message.find(f.label), std::string::npos) << r.errors[0].message;
    }
  }
}

TEST(FormValidate, Text) {
  FormField f = field("applicant_name", "经营者名称", FieldType::text);
  f.min_length = 2;
  f.max_length = 5;
  run_table(f, {
                   {"潮州食品", "潮州食品", ""},
                   {"  潮州食品\t", "潮州食品", ""},              // trimmed
                   {"\xE3\x80\x80潮州\xE3\x80\x80", "潮州", ""},  // ideographic spaces
                   {"潮州凤城食品", "", "text_too_long"},         // 6 characters > 5
                   {"一二三四五", "一二三四五", ""},              // 5 characters, 15 bytes
                   {"潮", "", "text_too_short"},
                   {"", "", "field_required"},
                   {"   ", "", "field_required"},
                   {"潮州\x01食品", "", "text_control"},
                   {"潮州\n食品", "", "text_control"},   // one-line text
                   {"\xE6\xBD", "", "text_encoding"},    // truncated UTF-8
                   {"ab\xC0\xAF", "", "text_encoding"},  // overlong
               });
}

TEST(FormValidate, TextDefaultLimitAndPattern) {
  FormField f = field("birth_cert_no", "出生医学证明编号", FieldType::text);
  f.pattern = "^[A-Z][0-9]{9}$";
  run_table(f, {
                   {"Q440123456", "Q440123456", ""},
                   {"q440123456", "", "pattern_mismatch"},
                   {"Q44012345", "", "pattern_mismatch"},
                   {"xQ440123456", "", "pattern_mismatch"},
               });
  FormField plain = field("note", "备注", FieldType::text);
  run_table(plain, {{std::string(500, 'a').c_str(), std::string(500, 'a').c_str(), ""},
                    {std::string(501, 'a').c_str(), "", "text_too_long"}});
  // A pattern without anchors must still match the whole text, as in HTML.
  FormField loose = field("code", "编号", FieldType::text);
  loose.pattern = "[0-9]+";
  run_table(loose, {{"123", "123", ""}, {"12a3", "", "pattern_mismatch"}});
}

TEST(FormValidate, TextareaAndAddress) {
  FormField area = field("purpose", "使用目的", FieldType::textarea);
  area.max_length = 10;
  run_table(area, {
                      {"第一行\n第二行", "第一行\n第二行", ""},
                      {"用于\t测绘", "用于\t测绘", ""},
                      {"一二三四五六七八九十一", "", "text_too_long"},
                  });
  FormField address = field("premises", "经营场所", FieldType::address);
  run_table(address, {
                         {"潮州市湘桥区太平路1号", "潮州市湘桥区太平路1号", ""},
                         {std::string(201, 'x').c_str(), "", "text_too_long"},
                     });
}

TEST(FormValidate, Number) {
  FormField f = field("area", "经营场所面积（平方米）", FieldType::number);
  f.min = 1;
  f.max = 100000;
  run_table(f, {
                   {"120", "120", ""},
                   {"120.5", "120.5", ""},
                   {"0120", "120", ""},
                   {"+5", "5", ""},
                   {"1", "1", ""},            // the minimum itself
                   {"100000", "100000", ""},  // the maximum itself
                   {"0.5", "", "number_too_small"},
                   {"100000.01", "", "number_too_large"},
                   {"-3", "", "number_too_small"},
                   {"1e3", "", "number_invalid"},
                   {"12.", "", "number_invalid"},
                   {".5", "", "number_invalid"},
                   {"1,000", "", "number_invalid"},
                   {"一百", "", "number_invalid"},
                   {"nan", "", "number_invalid"},
                   {"1234567890123456", "", "number_invalid"},  // more digits than a double holds
               });
  FormField any = field("beds", "床位数", FieldType::number);
  run_table(any, {{"-0", "0", ""}, {"-2.5", "-2.5", ""}});
}

TEST(FormValidate, Money) {
  FormField f = field("capital", "资金数额（元）", FieldType::money);
  f.min = 0;
  f.max = 1000000;
  run_table(f, {
                   {"1200", "1200.00", ""},
                   {"1200.5", "1200.50", ""},
                   {"1200.05", "1200.05", ""},
                   {"0", "0.00", ""},
                   {"0.1", "0.10", ""},
                   {"007", "7.00", ""},
                   {"1200.005", "", "money_precision"},
                   {"-1", "", "money_negative"},
                   {"1000000.01", "", "number_too_large"},
                   {"¥1200", "", "money_invalid"},
                   {"1200元", "", "money_invalid"},
               });
  FormField refund = field("adjustment", "调整金额", FieldType::money);
  refund.min = -500;
  run_table(refund, {{"-20.5", "-20.50", ""}, {"-500.01", "", "number_too_small"}});
  FormField unbounded = field("fee", "费用", FieldType::money);
  run_table(unbounded, {{"-1", "", "money_negative"}});
}

TEST(FormValidate, Date) {
  FormField f = field("start_date", "计划开工日期", FieldType::date);
  run_table(f, {
                   {"2025-03-01", "2025-03-01", ""},
                   {"2024-02-29", "2024-02-29", ""},  // leap day
                   {"2025-02-29", "", "date_invalid"},
                   {"2025-13-01", "", "date_invalid"},
                   {"2025-3-1", "", "date_invalid"},
                   {"2025/03/01", "", "date_invalid"},
                   {"2025年3月1日", "", "date_invalid"},
               });
}

TEST(FormValidate, Select) {
  FormField f = field("business_kind", "主体业态", FieldType::select);
  f.options = options({{"food_retail", "食品销售经营者"}, {"catering", "餐饮服务经营者"}});
  run_table(f, {
                   {"catering", "catering", ""},
                   {" catering ", "catering", ""},
                   {"餐饮服务经营者", "", "option_invalid"},  // the label is not the value
                   {"CATERING", "", "option_invalid"},
                   {"", "", "field_required"},
               });
  const FormResult r = validate_form({f}, {}, FormMode::submit);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "请选择主体业态");
}

TEST(FormValidate, CitizenId) {
  FormField f = field("legal_rep_id", "法定代表人公民身份号码", FieldType::citizen_id);
  FormCheck check;
  check.today = "2025-03-03";
  run_table(f,
            {
                {"445102199003071230", "445102199003071230", ""},
                {"11010519491231002x", "11010519491231002X", ""},  // lowercase check char
                {"445102199003071231", "", "citizen_id_check"},
                {"44510219900307123", "", "citizen_id_length"},
                {"445102202603071235", "", "citizen_id_birth_date"},  // born after today
                {"４４５１０２１９９００３０７１２３０", "", "citizen_id_chars"},  // full width
            },
            check);
  const FormResult r = validate_form(
      {f}, {{"legal_rep_id", FieldValue::of_text("445102199003071231")}}, FormMode::submit);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message,
            "法定代表人公民身份号码：公民身份号码校验码错误，请核对每一位数字");
}

TEST(FormValidate, CreditCodeWithTheDefinitionsOwnPattern) {
  FormField f = field("credit_code", "统一社会信用代码", FieldType::credit_code);
  f.min_length = 18;
  f.max_length = 18;
  f.pattern = "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$";
  run_table(f, {
                   {"91350100M000100Y43", "91350100M000100Y43", ""},
                   {"91350100m000100y43", "91350100M000100Y43", ""},  // upper-cased
                   {"91350100M000100Y44", "", "credit_code_check"},
                   {"91350100M000100Y4", "", "credit_code_length"},
               });
}

TEST(FormValidate, Phone) {
  FormField f = field("contact_phone", "联系电话", FieldType::phone);
  run_table(f, {
                   {"13812345678", "13812345678", ""},
                   {"199 1234 5678", "19912345678", ""},
                   {"0768-2289012", "0768-2289012", ""},
                   {"020-12345678", "020-12345678", ""},
                   {"12812345678", "", "phone_invalid"},  // 12x is no mobile prefix
                   {"1381234567", "", "phone_invalid"},
                   {"138123456789", "", "phone_invalid"},
                   {"07682289012", "", "phone_invalid"},     // landline without '-'
                   {"0768-228901", "", "phone_invalid"},     // 6 digits
                   {"0768-022890123", "", "phone_invalid"},  // 9 digits
                   {"768-2289012", "", "phone_invalid"},
                   {"电话", "", "phone_invalid"},
               });
}

FormField business_items() {
  FormField f = field("business_items", "经营项目", FieldType::multi_select);
  f.options = options({{"prepackaged", "预包装食品销售"},
                       {"bulk", "散装食品销售"},
                       {"hot_food", "热食类食品制售"}});
  return f;
}

TEST(FormValidate, MultiSelectKeepsOptionOrderWithoutRepeats) {
  const FormField f = business_items();
  FormData data{{f.name, FieldValue::of_list({"hot_food", " prepackaged", "hot_food", ""})}};
  FormResult r = validate_form({f}, data, FormMode::submit);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.data.at(f.name).list, (std::vector<std::string>{"prepackaged", "hot_food"}));
  EXPECT_EQ(display_value(f, r.data.at(f.name)), "预包装食品销售、热食类食品制售");

  // One string counts as a list of one.
  r = validate_form({f}, {{f.name, FieldValue::of_text("bulk")}}, FormMode::submit);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.data.at(f.name).list, (std::vector<std::string>{"bulk"}));

  r = validate_form({f}, {{f.name, FieldValue::of_list({"bulk", "wine"})}}, FormMode::submit);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].code, "option_invalid");

  r = validate_form({f}, {{f.name, FieldValue::of_list({})}}, FormMode::submit);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "请至少选择一项经营项目");
}

TEST(FormValidate, AttachmentsAskTheCallerAboutEachUpload) {
  const FormField f = field("layout_plan", "经营场所平面布局图", FieldType::attachment);
  FormCheck check;
  check.upload_ok = [](std::string_view id) { return id.starts_with("up-"); };
  FormResult r = validate_form({f}, {{f.name, FieldValue::of_list({"up-1", "up-2", "up-1"})}},
                               FormMode::submit, check);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.data.at(f.name).list, (std::vector<std::string>{"up-1", "up-2"}));

  r = validate_form({f}, {{f.name, FieldValue::of_list({"up-1", "someone-elses"})}},
                    FormMode::submit, check);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].code, "upload_invalid");
  EXPECT_EQ(r.errors[0].field, "layout_plan");
  EXPECT_EQ(r.data.at(f.name).list, (std::vector<std::string>{"up-1"}));

  r = validate_form({f}, {}, FormMode::submit, check);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "请上传经营场所平面布局图");

  std::vector<std::string> many;
  for (int i = 0; i < 21; ++i) many.push_back("up-" + std::to_string(i));
  r = validate_form({f}, {{f.name, FieldValue::of_list(many)}}, FormMode::submit, check);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].code, "too_many_uploads");
}

FormField staff_table() {
  FormField t = field("staff", "从业人员名单", FieldType::table);
  FormField name = field("name", "姓名", FieldType::text);
  name.max_length = 30;
  FormField id = field("id_no", "公民身份号码", FieldType::citizen_id);
  FormField post = field("post", "岗位", FieldType::select, false);
  post.options = options({{"cook", "厨师"}, {"other", "其他"}});
  FormField other = field("post_other", "其他岗位名称", FieldType::text);
  other.visible_if = "post=other";
  FormField until = field("health_until", "健康证明有效期至", FieldType::date, false);
  t.columns = {name, id, post, other, until};
  return t;
}

TEST(FormValidate, TableRowsCellsAndTheirPaths) {
  const FormField t = staff_table();
  std::vector<std::map<std::string, std::string>> rows = {
      {{"name", " 张三 "}, {"id_no", "445102199003071230"}, {"post", "cook"}},
      {{"name", ""}, {"id_no", "  "}},  // blank: dropped
      {{"name", "李四"}, {"id_no", "445102199003071231"}, {"post", "other"}, {"unknown", "x"}},
      {{"name", "王五"},
       {"id_no", "11010519491231002X"},
       {"post", "cook"},
       {"post_other", "hidden"},
       {"health_until", "2025-02-30"}},
  };
  const FormResult r = validate_form({t}, {{"staff", FieldValue::of_rows(rows)}}, FormMode::submit);
  ASSERT_EQ(r.errors.size(), 3u);
  // Paths count the rows kept, 0-based; messages count them for people, 1-based.
  EXPECT_EQ(r.errors[0].field, "staff[1].id_no");
  EXPECT_EQ(r.errors[0].code, "citizen_id_check");
  EXPECT_NE(r.errors[0].message.find("从业人员名单第2行“公民身份号码”"), std::string::npos);
  EXPECT_EQ(r.errors[1].field, "staff[1].post_other");
  EXPECT_EQ(r.errors[1].message, "从业人员名单第2行“其他岗位名称”未填写");
  EXPECT_EQ(r.errors[2].field, "staff[2].health_until");
  EXPECT_EQ(r.errors[2].code, "date_invalid");

  const auto& kept = r.data.at("staff").rows;
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].at("name"), "张三");
  EXPECT_FALSE(kept[1].contains("unknown"));
  EXPECT_FALSE(kept[2].contains("post_other"));  // hidden by its condition in that row
}

TEST(FormValidate, TableRequiredAndDisplay) {
  const FormField t = staff_table();
  FormResult r =
      validate_form({t}, {{"staff", FieldValue::of_rows({{{"name", " "}}})}}, FormMode::submit);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "请至少填写一行从业人员名单");
  EXPECT_EQ(r.errors[0].field, "staff");

  r = validate_form({t}, {{"staff", FieldValue::of_text("not rows")}}, FormMode::submit);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].code, "value_type");

  const FieldValue v = FieldValue::of_rows(
      {{{"name", "张三"}, {"post", "cook"}}, {{"name", "李四"}, {"id_no", "11010519491231002X"}}});
  EXPECT_EQ(display_value(t, v),
            "姓名：张三，岗位：厨师；姓名：李四，公民身份号码：11010519491231002X");
}

// The food business licence in miniature: a canteen kind only for canteens, a website
// only for online sellers, and a field conditional on a conditional field.
std::vector<FormField> conditional_form() {
  FormField kind = field("business_kind", "主体业态", FieldType::select);
  kind.options = options({{"catering", "餐饮服务经营者"}, {"canteen", "单位食堂"}});
  FormField canteen = field("canteen_kind", "食堂类别", FieldType::select);
  canteen.options = options({{"school", "学校食堂"}, {"other", "其他食堂"}});
  canteen.visible_if = "business_kind=canteen";
  FormField other = field("canteen_other", "其他食堂说明", FieldType::text);
  other.visible_if = "canteen_kind=other";
  FormField items = business_items();
  items.required = false;
  FormField bulk_note = field("bulk_note", "散装食品储存条件", FieldType::text);
  bulk_note.visible_if = "business_items=bulk";
  return {kind, canteen, other, items, bulk_note};
}

TEST(FormValidate, VisibleIfHidesDropsAndRequires) {
  const auto fields = conditional_form();
  struct VisCase {
    const char* name;
    FormData data;
    std::vector<std::string> kept;
    std::vector<std::string> missing;  // fields reported as required
  };
  const std::vector<VisCase> cases = {
      {"catering hides the canteen fields and drops what was typed in them",
       {{"business_kind", FieldValue::of_text("catering")},
        {"canteen_kind", FieldValue::of_text("school")},
        {"canteen_other", FieldValue::of_text("x")}},
       {"business_kind"},
       {}},
      {"a canteen must say which kind",
       {{"business_kind", FieldValue::of_text("canteen")}},
       {"business_kind"},
       {"canteen_kind"}},
      {"a field on a visible field's answer",
       {{"business_kind", FieldValue::of_text("canteen")},
        {"canteen_kind", FieldValue::of_text("other")}},
       {"business_kind", "canteen_kind"},
       {"canteen_other"}},
      {"a condition on a hidden field hides too",
       {{"business_kind", FieldValue::of_text("catering")},
        {"canteen_kind", FieldValue::of_text("other")}},
       {"business_kind"},
       {}},
      {"a multi-select shows the field when it contains the value",
       {{"business_kind", FieldValue::of_text("catering")},
        {"business_items", FieldValue::of_list({"prepackaged", "bulk"})},
        {"bulk_note", FieldValue::of_text("阴凉干燥")}},
       {"business_items", "bulk_note", "business_kind"},
       {}},
      {"unknown fields are dropped",
       {{"business_kind", FieldValue::of_text("catering")}, {"extra", FieldValue::of_text("x")}},
       {"business_kind"},
       {}},
  };
  for (const VisCase& c : cases) {
    SCOPED_TRACE(c.name);
    const FormResult r = validate_form(fields, c.data, FormMode::submit);
    std::vector<std::string> kept;
    for (const auto& [k, v] : r.data) kept.push_back(k);
    std::vector<std::string> want = c.kept;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(kept, want);
    std::vector<std::string> missing;
    for (const Error& e : r.errors) {
      EXPECT_EQ(e.code, "field_required");
      missing.push_back(e.field);
    }
    EXPECT_EQ(missing, c.missing);
  }
  EXPECT_EQ(condition_note(fields, fields[1]), "（当“主体业态”为“单位食堂”时填写）");
  EXPECT_EQ(condition_note(fields, fields[4]), "（当“经营项目”包括“散装食品销售”时填写）");
  EXPECT_EQ(condition_note(fields, fields[0]), "");
}

TEST(FormValidate, DraftChecksWhatIsThereButNotWhatIsMissing) {
  FormField name = field("applicant_name", "经营者名称", FieldType::text);
  name.max_length = 4;
  FormField phone = field("contact_phone", "联系电话", FieldType::phone);
  FormField area = field("area", "面积", FieldType::number);
  const std::vector<FormField> fields{name, phone, area, staff_table()};
  const FormData data{{"applicant_name", FieldValue::of_text("潮州凤城食品")},
                      {"staff", FieldValue::of_rows({{{"name", "张三"}}})}};

  FormResult draft = validate_form(fields, data, FormMode::draft);
  ASSERT_EQ(draft.errors.size(), 1u);  // too long; the missing phone, area and ID are fine
  EXPECT_EQ(draft.errors[0].code, "text_too_long");

  FormResult submit = validate_form(fields, data, FormMode::submit);
  std::vector<std::string> at;
  for (const Error& e : submit.errors) at.push_back(e.field);
  EXPECT_EQ(
      at, (std::vector<std::string>{"applicant_name", "contact_phone", "area", "staff[0].id_no"}));
  EXPECT_EQ(submit.errors[1].message, "请填写联系电话");
}

TEST(FormValidate, EveryErrorAtOnceAndNormalisedDataEvenWithErrors) {
  FormField capital = field("capital", "注册资金", FieldType::money);
  FormField date = field("start", "开业日期", FieldType::date);
  FormField phone = field("phone", "电话", FieldType::phone);
  const FormResult r = validate_form({capital, date, phone},
                                     {{"capital", FieldValue::of_text(" 50000 ")},
                                      {"start", FieldValue::of_text("2025-02-30")},
                                      {"phone", FieldValue::of_text(" 123 ")}},
                                     FormMode::submit);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].field, "start");
  EXPECT_EQ(r.errors[1].field, "phone");
  EXPECT_EQ(r.data.at("capital").text, "50000.00");
  EXPECT_EQ(r.data.at("start").text, "2025-02-30");  // kept to show it again
  EXPECT_EQ(r.data.at("phone").text, "123");
}

TEST(FormValidate, ValuesOfTheWrongShape) {
  const FormField text = field("name", "名称", FieldType::text);
  const FormResult r =
      validate_form({text}, {{"name", FieldValue::of_list({"a", "b"})}}, FormMode::draft);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].code, "value_type");
  EXPECT_EQ(r.errors[0].message, "名称的填写格式不正确");
}

TEST(FormValidate, DisplayValue) {
  FormField kind = field("business_kind", "主体业态", FieldType::select);
  kind.options = options({{"canteen", "单位食堂"}});
  EXPECT_EQ(display_value(kind, FieldValue::of_text("canteen")), "单位食堂");
  EXPECT_EQ(display_value(kind, FieldValue::of_text("gone")), "gone");
  EXPECT_EQ(display_value(field("a", "附件", FieldType::attachment),
                          FieldValue::of_list({"a.pdf", "b.pdf"})),
            "a.pdf、b.pdf");
  EXPECT_EQ(display_value(field("m", "金额", FieldType::money), FieldValue::of_text("12.00")),
            "12.00");
}

}  // namespace
}  // namespace shenpi::core
