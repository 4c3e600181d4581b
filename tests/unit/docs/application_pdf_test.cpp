// The filled application read back the way a user's tools read it: text through
// pdftotext, pages and title through pdfinfo (poppler-utils).
#include "docs/application_pdf.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <string>

namespace shenpi::docs {
namespace {

using core::FieldType;
using core::FieldValue;
using core::FormField;

struct PipeCloser {
  void operator()(FILE* f) const { ::pclose(f); }
};

// Runs a poppler tool over the PDF written to a temporary file; returns its output.
std::string tool(const std::string& name, const std::string& pdf, const std::string& args = "") {
  static std::atomic<int> counter{0};
  const auto path =
      std::filesystem::temp_directory_path() /
      ("shenpi-app-pdf-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".pdf");
  std::ofstream(path, std::ios::binary) << pdf;
  const std::string command =
      name + " " + args + " '" + path.string() + "' " + (name == "pdftotext" ? "- " : "") + "2>&1";
  std::string out;
  {
    std::unique_ptr<FILE, PipeCloser> pipe(::popen(command.c_str(), "r"));
    char buf[4096];
    while (pipe && std::fgets(buf, sizeof buf, pipe.get())) out += buf;
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  return out;
}

// pdftotext pads with blanks where the layout has gaps; compare without them.
std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r') out += c;
  }
  return out;
}

std::string text_of(const std::string& pdf) { return squeeze(tool("pdftotext", pdf, "-layout")); }

int pages_of(const std::string& pdf) {
  std::smatch m;
  const std::string info = tool("pdfinfo", pdf);
  if (std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))"))) return std::stoi(m[1]);
  return -1;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

FormField field(std::string name, std::string label, FieldType type) {
  FormField f;
  f.name = std::move(name);
  f.label = std::move(label);
  f.type = type;
  f.required = true;
  return f;
}

ApplicationPrint food_application() {
  ApplicationPrint p;
  p.case_number = "44510020250303000017";
  p.item_name = "食品经营许可";
  p.department_name = "潮州市市场监督管理局";
  p.applicant_name = "潮州市凤城食品有限公司";
  p.applicant_id_masked = "9135**********0Y43";
  p.submitted_on = "2025-03-03";

  FormField kind = field("business_kind", "主体业态", FieldType::select);
  kind.options = {{"catering", "餐饮服务经营者"}, {"canteen", "单位食堂"}};
  FormField canteen = field("canteen_kind", "食堂类别", FieldType::select);
  canteen.options = {{"school", "学校食堂"}};
  canteen.visible_if = "business_kind=canteen";
  FormField items = field("business_items", "经营项目", FieldType::multi_select);
  items.options = {{"prepackaged", "预包装食品销售"}, {"hot_food", "热食类食品制售"}};
  FormField staff = field("staff", "从业人员名单", FieldType::table);
  staff.columns = {field("name", "姓名", FieldType::text),
                   field("id_no", "公民身份号码", FieldType::citizen_id),
                   field("health_cert_no", "健康证明编号", FieldType::text)};
  FormField website = field("website", "网站或网店地址", FieldType::text);
  website.required = false;
  p.fields = {field("applicant_name", "经营者名称", FieldType::text),
              kind,
              canteen,
              items,
              field("capital", "投资总额", FieldType::money),
              field("opening_date", "拟开业日期", FieldType::date),
              website,
              staff,
              field("layout_plan", "经营场所平面布局图", FieldType::attachment)};
  p.data = {
      {"applicant_name", FieldValue::of_text("潮州市凤城食品有限公司")},
      {"business_kind", FieldValue::of_text("catering")},
      {"canteen_kind", FieldValue::of_text("school")},  // hidden: catering
      {"business_items", FieldValue::of_list({"prepackaged", "hot_food"})},
      {"capital", FieldValue::of_text("1200.00")},
      {"opening_date", FieldValue::of_text("2025-04-01")},
      {"staff",
       FieldValue::of_rows(
           {{{"name", "张三"}, {"id_no", "445102199003071230"}, {"health_cert_no", "JK2025-001"}},
            {{"name", "李四"}, {"id_no", "11010519491231002X"}}})},
      {"layout_plan", FieldValue::of_list({"up-1"})},
  };
  p.attachments = {{"经营场所平面布局图", "平面布局图.pdf"}};
  return p;
}

TEST(ApplicationPdf, PrintsWhatWasFiledAsTheApplicantSeesIt) {
  auto pdf = render_application_pdf(food_application());
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  ASSERT_TRUE(pdf->starts_with("%PDF-"));
  const std::string text = text_of(*pdf);
  for (const char* want : {"食品经营许可申请表",
                           "申请编号",
                           "44510020250303000017",
                           "实施机关",
                           "潮州市市场监督管理局",
                           "潮州市凤城食品有限公司",
                           "9135*",
                           "0Y43",
                           "提交日期",
                           "2025-03-03",
                           "一、申请信息",
                           "经营者名称",
                           "主体业态",
                           "餐饮服务经营者",
                           "预包装食品销售、热食类食品制售",
                           "1200.00元",
                           "2025-04-01",
                           "从业人员名单",
                           "序号",
                           "公民身份号码",
                           "健康证明编号",
                           "445102199003071230",
                           "JK2025-001",
                           "11010519491231002X",
                           "二、随附材料",
                           "平面布局图.pdf",
                           "三、申请人承诺",
                           "本人（单位）郑重承诺",
                           "第1页共"}) {
    EXPECT_NE(text.find(squeeze(want)), std::string::npos) << want << "\n" << text;
  }
  // The hidden canteen kind is not printed; an empty optional field says so.
  EXPECT_EQ(text.find("食堂类别"), std::string::npos);
  EXPECT_EQ(text.find("学校食堂"), std::string::npos);
  EXPECT_NE(text.find("网站或网店地址未填写"), std::string::npos);
  EXPECT_EQ(text.find("catering"), std::string::npos);  // labels, not values

  const std::string info = tool("pdfinfo", *pdf);
  EXPECT_NE(info.find("食品经营许可申请表"), std::string::npos) << info;
}

TEST(ApplicationPdf, LongTextAndLongTablesRunOverPagesWithTheirHeaders) {
  ApplicationPrint p = food_application();
  FormField scope = field("scope", "经营范围说明", FieldType::textarea);
  p.fields.insert(p.fields.begin() + 1, scope);
  std::string long_text;
  for (int i = 1; i <= 60; ++i) {
    long_text += "第" + std::to_string(i) +
                 "段：本店主要经营潮州传统小吃及热食类食品，设有独立粗加工区与专间。\n";
  }
  long_text += "全文完";
  p.data["scope"] = FieldValue::of_text(long_text);
  std::vector<std::map<std::string, std::string>> rows;
  for (int i = 1; i <= 80; ++i) {
    rows.push_back({{"name", "员工" + std::to_string(i)},
                    {"id_no", "445102199003071230"},
                    {"health_cert_no", "JK-" + std::to_string(1000 + i)}});
  }
  p.data["staff"] = FieldValue::of_rows(rows);

  auto pdf = render_application_pdf(p);
  ASSERT_TRUE(pdf.ok());
  const int pages = pages_of(*pdf);
  EXPECT_GE(pages, 4);
  const std::string text = text_of(*pdf);
  // The whole text is there, continued under “（续）”, and every row too.
  EXPECT_NE(text.find("第1段"), std::string::npos);
  EXPECT_NE(text.find("第60段"), std::string::npos);
  EXPECT_NE(text.find("全文完"), std::string::npos);
  EXPECT_NE(text.find("经营范围说明（续）"), std::string::npos);
  EXPECT_NE(text.find("员工1"), std::string::npos);
  EXPECT_NE(text.find("JK-1080"), std::string::npos);
  // The header row is repeated on each page the table continues on.
  EXPECT_GE(count(text, "健康证明编号"), 2u);
  EXPECT_NE(text.find("第" + std::to_string(pages) + "页共" + std::to_string(pages) + "页"),
            std::string::npos);
  EXPECT_NE(text.find("食品经营许可申请表（续）"), std::string::npos);
  EXPECT_GE(count(text, "申请编号：44510020250303000017"), static_cast<std::size_t>(pages - 1));
}

TEST(ApplicationPdf, SameInputSameBytesAndEmptyPartsStillPrint) {
  const ApplicationPrint p = food_application();
  auto a = render_application_pdf(p);
  auto b = render_application_pdf(p);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);

  ApplicationPrint bare = p;
  bare.data.clear();
  bare.attachments.clear();
  bare.applicant_id_masked.clear();
  auto c = render_application_pdf(bare);
  ASSERT_TRUE(c.ok());
  const std::string text = text_of(*c);
  EXPECT_NE(text.find("二、随附材料无"), std::string::npos) << text;
  EXPECT_NE(text.find("经营者名称未填写"), std::string::npos);
  EXPECT_NE(text.find("从业人员名单"), std::string::npos);

  ApplicationPrint odd = p;
  odd.item_name = "建设工程规划许可证申请表";
  odd.fields.clear();
  odd.applicant_name = "bad \xFF utf-8";
  auto d = render_application_pdf(odd);
  ASSERT_TRUE(d.ok());
  EXPECT_NE(text_of(*d).find("建设工程规划许可证申请表"), std::string::npos);
}

}  // namespace
}  // namespace shenpi::docs
