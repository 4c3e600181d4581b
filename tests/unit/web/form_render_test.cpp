// The application form as the browser receives it: the view model rendered through the
// real partial (templates/form_fields.html), checked for what an applicant and a screen
// reader rely on.
#include "web/form_render.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "core/forms/form_validate.h"
#include "web/template/template.h"

namespace shenpi::web {
namespace {

namespace json = boost::json;
using core::FieldType;
using core::FieldValue;
using core::FormField;

FormField field(std::string name, std::string label, FieldType type, bool required = true) {
  FormField f;
  f.name = std::move(name);
  f.label = std::move(label);
  f.type = type;
  f.required = required;
  return f;
}

std::vector<FormField> food_form() {
  FormField name = field("applicant_name", "经营者名称", FieldType::text);
  name.max_length = 100;
  FormField credit = field("credit_code", "统一社会信用代码", FieldType::credit_code);
  credit.help = "18位，见营业执照";
  FormField kind = field("business_kind", "主体业态", FieldType::select);
  kind.options = {{"catering", "餐饮服务经营者"}, {"canteen", "单位食堂"}};
  FormField canteen = field("canteen_kind", "食堂类别", FieldType::select);
  canteen.options = {{"school", "学校食堂"}};
  canteen.visible_if = "business_kind=canteen";
  FormField items = field("business_items", "经营项目", FieldType::multi_select);
  items.options = {{"prepackaged", "预包装食品销售"}, {"hot_food", "热食类食品制售"}};
  FormField opened = field("opening_date", "拟开业日期", FieldType::date, false);
  FormField capital = field("capital", "投资总额（元）", FieldType::money, false);
  FormField phone = field("contact_phone", "联系电话", FieldType::phone);
  FormField scope = field("scope", "经营范围说明", FieldType::textarea, false);
  FormField staff = field("staff", "从业人员名单", FieldType::table);
  FormField person = field("name", "姓名", FieldType::text);
  FormField post = field("post", "岗位", FieldType::select, false);
  post.options = {{"cook", "厨师"}, {"other", "其他"}};
  staff.columns = {person, field("id_no", "公民身份号码", FieldType::citizen_id), post};
  FormField plan = field("layout_plan", "经营场所平面布局图", FieldType::attachment);
  return {name, credit, kind, canteen, items, opened, capital, phone, scope, staff, plan};
}

std::string render(const json::array& view, json::object page = {}) {
  TemplateEngine engine(TemplateEngine::embedded_loader());
  auto tpl = parse_template("<form>{{> form_fields}}</form>", "test");
  EXPECT_TRUE(tpl.ok());
  page["form_fields"] = view;
  auto html = engine.render(**tpl, page);
  EXPECT_TRUE(html.ok()) << html.error().message;
  return html.ok() ? *html : std::string();
}

std::string squeeze(const std::string& html) {
  // Whitespace between tags does not matter to a browser; remove it to compare snippets.
  return std::regex_replace(html, std::regex(">\\s+<"), "><");
}

struct Filled {
  core::FormData values;
  std::vector<Error> errors;
};

Filled filled_with_errors() {
  core::FormData data{
      {"applicant_name", FieldValue::of_text("潮州凤城食品")},
      {"credit_code", FieldValue::of_text("91350100M000100Y44")},
      {"business_kind", FieldValue::of_text("canteen")},
      {"business_items", FieldValue::of_list({"hot_food"})},
      {"capital", FieldValue::of_text("1200")},
      {"scope", FieldValue::of_text("热食<类>")},
      {"staff", FieldValue::of_rows({{{"name", "张三"}, {"id_no", "445102199003071230"}},
                                     {{"name", "李四"}, {"id_no", "123"}, {"post", "cook"}}})},
      {"layout_plan", FieldValue::of_list({"up-7"})},
  };
  core::FormResult r = core::validate_form(food_form(), data, core::FormMode::submit);
  return {r.data, r.errors};
}

TEST(FormRender, EachTypeGetsItsInput) {
  const std::string html = squeeze(render(form_fields_view(food_form(), {}, {}, {})));
  EXPECT_NE(html.find(R"(<input type="date" id="f-opening_date" name="opening_date")"),
            std::string::npos);
  EXPECT_NE(
      html.find(R"(id="f-capital" name="capital" value="" autocomplete="off" inputmode="decimal")"),
      std::string::npos);
  EXPECT_NE(
      html.find(
          R"(<input type="tel" id="f-contact_phone" name="contact_phone" value="" autocomplete="tel" inputmode="tel")"),
      std::string::npos);
  EXPECT_NE(
      html.find(
          R"(name="credit_code" value="" autocomplete="off" maxlength="18" spellcheck="false")"),
      std::string::npos);
  EXPECT_NE(html.find(R"(name="applicant_name" value="" autocomplete="off" maxlength="100")"),
            std::string::npos);
  EXPECT_NE(html.find(R"(<textarea id="f-scope" name="scope" rows="4">)"), std::string::npos);
  EXPECT_NE(
      html.find(
          R"(<select id="f-business_kind" name="business_kind" aria-required="true"><option value="">请选择</option><option value="catering">餐饮服务经营者</option>)"),
      std::string::npos);
  // A multi-select is a group of checkboxes with a legend.
  EXPECT_NE(html.find(R"(<legend>经营项目<span class="required-mark">必填</span></legend>)"),
            std::string::npos);
  EXPECT_NE(
      html.find(
          R"(<input type="checkbox" id="f-business_items-0" name="business_items" value="prepackaged"><label for="f-business_items-0">预包装食品销售</label>)"),
      std::string::npos);
  EXPECT_NE(
      html.find(
          R"(<input type="file" id="f-layout_plan" name="layout_plan" multiple aria-required="true">)"),
      std::string::npos);
  // Labels belong to their inputs; the help text describes its input.
  EXPECT_NE(
      html.find(
          R"(<label for="f-applicant_name">经营者名称<span class="required-mark">必填</span></label>)"),
      std::string::npos);
  EXPECT_NE(html.find(R"(<label for="f-opening_date">拟开业日期</label>)"), std::string::npos);
  EXPECT_NE(html.find(R"(<p class="hint" id="f-credit_code-help">18位，见营业执照</p>)"),
            std::string::npos);
  EXPECT_NE(html.find(R"(aria-describedby="f-credit_code-help")"), std::string::npos);
  // Without JavaScript a conditional field is shown with when to fill it in, and it is
  // not marked required for the browser.
  EXPECT_NE(
      html.find(
          R"(食堂类别<span class="required-mark">必填</span><span class="condition">（当“主体业态”为“单位食堂”时填写）</span>)"),
      std::string::npos);
  EXPECT_NE(html.find(R"(<select id="f-canteen_kind" name="canteen_kind">)"), std::string::npos);
  // No `required` attribute anywhere: drafts may be saved with gaps.
  EXPECT_EQ(html.find(" required"), std::string::npos);
}

TEST(FormRender, EmptyTableOffersThreeBlankRows) {
  const std::string html = squeeze(render(form_fields_view(food_form(), {}, {}, {})));
  EXPECT_NE(html.find(R"(name="staff[2][name]")"), std::string::npos);
  EXPECT_EQ(html.find(R"(name="staff[3][name]")"), std::string::npos);
  EXPECT_NE(html.find(R"(<th scope="col">姓名<span class="required-mark">必填</span></th>)"),
            std::string::npos);
  EXPECT_NE(html.find(R"(aria-label="第3行 公民身份号码")"), std::string::npos);
  EXPECT_NE(html.find(R"(<legend>从业人员名单<span class="required-mark">必填</span></legend>)"),
            std::string::npos);
}

TEST(FormRender, ValuesAndErrorsGoBackWhereTheyCameFrom) {
  const Filled f = filled_with_errors();
  ASSERT_FALSE(f.errors.empty());
  const std::string html =
      squeeze(render(form_fields_view(food_form(), f.values, f.errors, {{"up-7", "平面图.pdf"}}),
                     json::object{{"error", "页面级错误"}, {"value", "页面值"}}));

  EXPECT_NE(html.find(R"(value="潮州凤城食品")"), std::string::npos);
  EXPECT_NE(html.find(R"(<option value="canteen" selected>单位食堂</option>)"), std::string::npos);
  EXPECT_NE(html.find(R"(value="hot_food" checked>)"), std::string::npos);
  EXPECT_NE(html.find(R"(value="1200.00")"), std::string::npos);         // normalised money
  EXPECT_NE(html.find("热食&lt;类&gt;</textarea>"), std::string::npos);  // escaped

  // The credit code error: next to the field, announced with the input.
  EXPECT_NE(html.find(R"(<div class="field field-invalid"><label for="f-credit_code">)"),
            std::string::npos);
  EXPECT_NE(
      html.find(
          R"(<p class="field-error" id="f-credit_code-error"><span class="visually-hidden">错误：</span>统一社会信用代码校验码错误)"),
      std::string::npos);
  EXPECT_NE(
      html.find(R"(aria-invalid="true" aria-describedby="f-credit_code-help f-credit_code-error")"),
      std::string::npos);
  // The missing canteen kind (now shown) and phone.
  EXPECT_NE(html.find("请选择食堂类别"), std::string::npos);
  EXPECT_NE(html.find("请填写联系电话"), std::string::npos);

  // Two rows entered, then three blank ones; the bad ID is marked in its cell.
  EXPECT_NE(
      html.find(
          R"(name="staff[1][id_no]" value="123" aria-label="第2行 公民身份号码" autocomplete="off" maxlength="18" aria-invalid="true" aria-describedby="f-staff-1-id_no-error")"),
      std::string::npos);
  EXPECT_NE(html.find(R"(<p class="field-error" id="f-staff-1-id_no-error">)"), std::string::npos);
  EXPECT_NE(html.find(R"(<option value="cook" selected>厨师</option>)"), std::string::npos);
  EXPECT_NE(html.find(R"(name="staff[4][name]")"), std::string::npos);
  EXPECT_EQ(html.find(R"(name="staff[5][name]")"), std::string::npos);

  // The attachment already uploaded stays, by id, with its file name shown.
  EXPECT_NE(
      html.find(R"(<li>平面图.pdf<input type="hidden" name="layout_plan" value="up-7"></li>)"),
      std::string::npos);

  // The page's own `error` and `value` never leak into fields that have none.
  EXPECT_EQ(html.find("页面级错误"), std::string::npos);
  EXPECT_EQ(html.find("页面值"), std::string::npos);
}

TEST(FormRender, IdsAreUniqueAndGroupsClosed) {
  const Filled f = filled_with_errors();
  const std::string html = render(form_fields_view(food_form(), f.values, f.errors, {}));
  std::set<std::string> ids;
  const std::regex id_re(" id=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), id_re);
       it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(ids.insert((*it)[1]).second) << "duplicate id " << (*it)[1];
  }
  auto count = [&](const std::string& s) {
    std::size_t n = 0;
    for (auto p = html.find(s); p != std::string::npos; p = html.find(s, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<fieldset"), count("</fieldset>"));
  EXPECT_EQ(count("<fieldset"), 2u);
  EXPECT_EQ(count("<div"), count("</div>"));
  EXPECT_EQ(count("<select"), count("</select>"));
  EXPECT_EQ(count("<table"), count("</table>"));
  // Every aria-describedby points at ids that exist.
  const std::regex described(R"re(aria-describedby="([^"]+)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), described);
       it != std::sregex_iterator(); ++it) {
    std::istringstream words((*it)[1]);
    for (std::string id; words >> id;) EXPECT_TRUE(ids.contains(id)) << id;
  }
}

TEST(FormRender, ErrorsWithoutAFieldOfTheFormAreLeftToTheCaller) {
  const std::vector<Error> errors{
      make_error(ErrorKind::invalid_input, "x", "别处的错误", "not_a_field"),
      make_error(ErrorKind::invalid_input, "y", "没有字段的错误", ""),
  };
  const std::string html = render(form_fields_view(food_form(), {}, errors, {}));
  EXPECT_EQ(html.find("别处的错误"), std::string::npos);
  EXPECT_EQ(html.find("没有字段的错误"), std::string::npos);
}

}  // namespace
}  // namespace shenpi::web
