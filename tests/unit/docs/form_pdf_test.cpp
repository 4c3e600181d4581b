// Renders forms and documents and reads them back the way a user's tools would: the text
// through pdftotext, the page count and title through pdfinfo, the fonts through pdffonts
// (all from poppler-utils).
#include "docs/form_pdf.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace shenpi::docs {
namespace {

using core::FieldType;
using core::FormField;

// A PDF written to a temporary file for the command-line tools; removed on destruction.
class TempPdf {
 public:
  explicit TempPdf(const std::string& bytes) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() / ("shenpi-docs-" + std::to_string(::getpid()) +
                                                      "-" + std::to_string(counter++) + ".pdf");
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempPdf() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct PipeCloser {
  void operator()(FILE* f) const { ::pclose(f); }
};

std::string run(const std::string& command) {
  std::unique_ptr<FILE, PipeCloser> pipe(::popen(command.c_str(), "r"));
  if (!pipe) return {};
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  return out;
}

std::string tool_output(const char* tool, const std::string& bytes, const char* args = "") {
  TempPdf file(bytes);
  return run(std::string(tool) + " " + args + " '" + file.path().string() + "' " +
             (std::string(tool) == "pdftotext" ? "- " : "") + "2>&1");
}

std::string pdf_text(const std::string& bytes) {
  return tool_output("pdftotext", bytes, "-layout");
}

// pdftotext -layout pads with spaces where the layout has gaps (justified text, cell
// padding), so text is compared with ASCII whitespace removed on both sides.
std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r') out += c;
  }
  return out;
}

::testing::AssertionResult has_text(const std::string& text, std::string_view needle) {
  if (squeeze(text).find(squeeze(needle)) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "“" << needle << "” not in:\n" << text;
}

int pdf_pages(const std::string& bytes) {
  const std::string info = tool_output("pdfinfo", bytes);
  std::smatch m;
  if (std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))"))) return std::stoi(m[1]);
  return -1;
}

FormField field(std::string name, std::string label, FieldType type, bool required = false) {
  FormField f;
  f.name = std::move(name);
  f.label = std::move(label);
  f.type = type;
  f.required = required;
  return f;
}

core::ItemVersion food_licence() {
  core::ItemVersion item;
  item.item_code = "445100-SCJGJ-XK-001";
  item.version_no = 2;
  item.name = "食品经营许可";
  item.department_code = "445100-SCJGJ";

  item.form.push_back(field("operator_name", "经营者名称", FieldType::text, true));
  item.form.push_back(field("credit_code", "统一社会信用代码", FieldType::credit_code, true));
  item.form.push_back(field("legal_rep", "法定代表人（负责人）", FieldType::text, true));
  item.form.push_back(field("phone", "联系电话", FieldType::phone, true));
  item.form.push_back(field("premises", "经营场所", FieldType::address, true));

  FormField kind = field("main_kind", "主体业态", FieldType::select, true);
  kind.options = {
      {"retail", "食品销售经营者"}, {"catering", "餐饮服务经营者"}, {"canteen", "单位食堂"}};
  item.form.push_back(kind);

  FormField items = field("items", "经营项目", FieldType::multi_select, true);
  items.options = {{"prepacked", "预包装食品销售"}, {"bulk", "散装食品销售"},
                   {"hot", "热食类食品制售"},       {"cold", "冷食类食品制售"},
                   {"raw", "生食类食品制售"},       {"pastry", "糕点类食品制售"},
                   {"drinks", "自制饮品制售"}};
  item.form.push_back(items);

  FormField canteen = field("canteen_diners", "就餐人数", FieldType::number);
  canteen.visible_if = "main_kind=canteen";
  item.form.push_back(canteen);

  FormField staff = field("staff", "食品安全管理人员", FieldType::table, true);
  staff.columns = {
      field("name", "姓名", FieldType::text), field("id", "身份证号码", FieldType::citizen_id),
      field("post", "职务", FieldType::text), field("cert", "培训合格证明编号", FieldType::text)};
  item.form.push_back(staff);

  item.form.push_back(field("area", "经营场所面积（平方米）", FieldType::number));
  item.form.push_back(field("valid_from", "申请日期", FieldType::date));
  item.form.push_back(field("plan", "食品安全管理制度及设备布局说明", FieldType::textarea));
  item.form.push_back(field("docs", "申请材料", FieldType::attachment));
  return item;
}

std::string must(Result<std::string> r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : std::string();
}

// Set SHENPI_DOCS_SAMPLE_DIR to keep the rendered samples for a look at the layout.
void keep_sample(const std::string& name, const std::string& bytes) {
  if (const char* dir = std::getenv("SHENPI_DOCS_SAMPLE_DIR")) {
    std::ofstream(std::filesystem::path(dir) / name, std::ios::binary) << bytes;
  }
}

TEST(BlankFormPdf, ShowsItemCodeDepartmentEveryLabelAndOption) {
  const core::ItemVersion item = food_licence();
  const std::string pdf = must(render_blank_form(item, "潮州市市场监督管理局"));
  keep_sample("form-food.pdf", pdf);
  ASSERT_TRUE(pdf.starts_with("%PDF-"));

  const std::string text = pdf_text(pdf);
  EXPECT_TRUE(has_text(text, "食品经营许可申请表"));
  EXPECT_TRUE(has_text(text, "445100-SCJGJ-XK-001"));
  EXPECT_TRUE(has_text(text, "潮州市市场监督管理局"));
  for (const FormField& f : item.form) {
    EXPECT_TRUE(has_text(text, f.label));
    for (const core::FieldOption& o : f.options) EXPECT_TRUE(has_text(text, o.label));
    for (const FormField& c : f.columns) EXPECT_TRUE(has_text(text, c.label));
  }
  EXPECT_TRUE(has_text(text, "可多选"));
  EXPECT_TRUE(has_text(text, "“主体业态”为“单位食堂”时填写"));
  EXPECT_TRUE(has_text(text, "（附件：请按申请材料清单提交）"));
  EXPECT_TRUE(has_text(text, "申请人承诺"));
  EXPECT_TRUE(has_text(text, "申请人（签名或盖章）"));

  const int pages = pdf_pages(pdf);
  ASSERT_GE(pages, 1);
  EXPECT_TRUE(has_text(text, "第 1 页 共 " + std::to_string(pages) + " 页"));
}

TEST(BlankFormPdf, MetadataHasItemNameNoDateAndFontsAreNotoCjk) {
  const std::string pdf = must(render_blank_form(food_licence(), "潮州市市场监督管理局"));
  const std::string info = tool_output("pdfinfo", pdf);
  EXPECT_TRUE(std::regex_search(info, std::regex("Title:\\s+食品经营许可\n"))) << info;
  // No creation time: the bytes depend on the input only.
  EXPECT_EQ(info.find("CreationDate"), std::string::npos) << info;
  const std::string fonts = tool_output("pdffonts", pdf);
  EXPECT_NE(fonts.find("NotoSansCJK"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("NotoSerifCJK"), std::string::npos) << fonts;
}

TEST(BlankFormPdf, SameInputGivesIdenticalBytes) {
  const core::ItemVersion item = food_licence();
  const std::string first = must(render_blank_form(item, "潮州市市场监督管理局"));
  const std::string second = must(render_blank_form(item, "潮州市市场监督管理局"));
  EXPECT_FALSE(first.empty());
  EXPECT_TRUE(first == second);
  // A different department is a different document.
  EXPECT_NE(first, must(render_blank_form(item, "潮州市卫生健康局")));
}

TEST(BlankFormPdf, ManyFieldsRunOverSeveralNumberedPages) {
  core::ItemVersion item;
  item.item_code = "445100-ZJJ-XK-009";
  item.name = "建设工程规划许可证核发";
  for (int i = 1; i <= 40; ++i) {
    const FieldType type = i % 7 == 0 ? FieldType::textarea : FieldType::text;
    item.form.push_back(
        field("f" + std::to_string(i), "填报项目" + std::to_string(i) + "号", type));
  }
  const std::string pdf = must(render_blank_form(item, "潮州市自然资源局"));
  keep_sample("form-40.pdf", pdf);
  const int pages = pdf_pages(pdf);
  ASSERT_GE(pages, 2);

  const std::string text = pdf_text(pdf);
  for (const FormField& f : item.form) EXPECT_TRUE(has_text(text, f.label));
  for (int p = 1; p <= pages; ++p) {
    EXPECT_TRUE(
        has_text(text, "第 " + std::to_string(p) + " 页 共 " + std::to_string(pages) + " 页"));
  }
  // Later pages say which form they belong to.
  EXPECT_TRUE(has_text(text, "建设工程规划许可证核发申请表（续）"));
  EXPECT_TRUE(has_text(text, "申请人承诺"));
}

TEST(BlankFormPdf, ItemWithoutFieldsGetsGenericApplicantSection) {
  core::ItemVersion item;
  item.item_code = "445100-CGJ-SP-003";
  item.name = "户外广告设施设置审批";
  const std::string pdf = must(render_blank_form(item, "潮州市城市管理和综合执法局"));
  const std::string text = pdf_text(pdf);
  for (const char* label : {"申请人名称", "证件号码", "联系电话", "通讯地址", "申请事项说明"}) {
    EXPECT_TRUE(has_text(text, label));
  }
  EXPECT_TRUE(has_text(text, "户外广告设施设置审批申请表"));
  EXPECT_TRUE(has_text(text, "第 1 页 共 1 页"));
}

TEST(BlankFormPdf, LongLabelsWrapAndInvalidUtf8DoesNotFail) {
  core::ItemVersion item;
  item.item_code = "X-1";
  item.name = "公共场所卫生许可";
  item.form.push_back(field(
      "long", "公共场所卫生管理制度、卫生管理人员及从业人员健康合格证明情况说明", FieldType::text));
  item.form.push_back(field("bad", std::string("名称\xff\xfe"), FieldType::text));
  const std::string pdf = must(render_blank_form(item, ""));
  const std::string text = pdf_text(pdf);
  // The long label wraps inside its cell: each part is on the page, but not on one line.
  EXPECT_TRUE(has_text(text, "公共场所卫生管理制度"));
  EXPECT_EQ(text.find("公共场所卫生管理制度、卫生管理人员及从业人员健康合格证明情况说明"),
            std::string::npos);
  EXPECT_TRUE(has_text(text, "名称"));
}

TEST(BlankFormPdf, OddDefinitionsStillRender) {
  core::ItemVersion item;
  item.item_code = "X-2";
  item.name = "特殊表单";
  item.form.push_back(field("empty_table", "无列表格", FieldType::table));
  item.form.push_back(field("empty_select", "无选项", FieldType::select));
  FormField wide = field("wide", "多列表格", FieldType::table);
  for (int i = 0; i < 12; ++i)
    wide.columns.push_back(field("c", "第" + std::to_string(i) + "列", FieldType::text));
  item.form.push_back(wide);
  FormField huge = field("huge", "超长说明", FieldType::textarea);
  for (int i = 0; i < 400; ++i) huge.help += "说明文字";
  item.form.push_back(huge);
  item.form.push_back(field("after", "其后字段", FieldType::text));
  const std::string pdf = must(render_blank_form(item, "某单位"));
  keep_sample("form-odd.pdf", pdf);
  const std::string text = pdf_text(pdf);
  for (const char* label : {"无列表格", "无选项", "多列表格", "第11列", "超长说明", "其后字段"}) {
    EXPECT_TRUE(has_text(text, label));
  }
}

TEST(BlankFormPdf, ConcurrentRendersGiveTheSameBytes) {
  const core::ItemVersion item = food_licence();
  const std::string expected = must(render_blank_form(item, "潮州市市场监督管理局"));
  std::vector<std::string> results(3);
  std::vector<std::thread> threads;
  for (std::string& out : results) {
    threads.emplace_back([&item, &out] {
      auto r = render_blank_form(item, "潮州市市场监督管理局");
      if (r.ok()) out = std::move(r).value();
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& r : results) EXPECT_TRUE(r == expected);
}

TEST(TextDocumentPdf, TitleParagraphsFooterAndDeterminism) {
  const std::vector<std::string> paragraphs = {
      "根据《中华人民共和国食品安全法》和《食品经营许可和备案管理办法》的规定，申请人应当如实提交有"
      "关材料，"
      "并对其真实性负责。",
      "经营场所应当与有毒、有害场所以及其他污染源保持规定的距离，具有与经营的食品品种、数量相适应的"
      "食品原料处理和食品加工、销售、贮存等场所。",
  };
  const std::string pdf = must(
      render_text_document("食品安全管理制度（示范文本）", paragraphs, "潮州市市场监督管理局 制"));
  keep_sample("text-short.pdf", pdf);
  ASSERT_TRUE(pdf.starts_with("%PDF-"));
  const std::string text = pdf_text(pdf);
  EXPECT_TRUE(has_text(text, "食品安全管理制度（示范文本）"));
  for (const std::string& p : paragraphs) EXPECT_TRUE(has_text(text, p));
  EXPECT_TRUE(has_text(text, "潮州市市场监督管理局 制"));
  EXPECT_EQ(pdf_pages(pdf), 1);
  EXPECT_EQ(text.find("第 1 页"), std::string::npos);  // one page: no page numbers
  EXPECT_TRUE(pdf == must(render_text_document("食品安全管理制度（示范文本）", paragraphs,
                                               "潮州市市场监督管理局 制")));
}

TEST(TextDocumentPdf, LongDocumentContinuesOnNextPagesWithFooterOnEach) {
  std::vector<std::string> paragraphs;
  for (int i = 1; i <= 30; ++i) {
    paragraphs.push_back("第" + std::to_string(i) +
                         "条 行政审批事项应当依法设定，办理程序公开透明，申请人可以通过网上审批系统"
                         "查询办理进度、下载申请表格，并对办理结果进行评价。");
  }
  const std::string pdf = must(render_text_document("办事须知", paragraphs, "监督电话：12345"));
  keep_sample("text-long.pdf", pdf);
  const int pages = pdf_pages(pdf);
  ASSERT_GE(pages, 2);
  const std::string text = pdf_text(pdf);
  // Paragraphs may break across pages (the footer then sits inside them): check each start.
  for (int i = 1; i <= 30; ++i) {
    EXPECT_TRUE(has_text(text, "第" + std::to_string(i) + "条 行政审批事项应当依法设定"));
  }
  std::size_t footers = 0;
  for (std::size_t at = text.find("监督电话：12345"); at != std::string::npos;
       at = text.find("监督电话：12345", at + 1)) {
    ++footers;
  }
  EXPECT_EQ(footers, static_cast<std::size_t>(pages));
  EXPECT_TRUE(
      has_text(text, "第 " + std::to_string(pages) + " 页 共 " + std::to_string(pages) + " 页"));
}

TEST(TextDocumentPdf, EmptyFooterAndNoParagraphsStillMakeAPage) {
  const std::string pdf = must(render_text_document("告知书", {}, ""));
  EXPECT_EQ(pdf_pages(pdf), 1);
  EXPECT_TRUE(has_text(pdf_text(pdf), "告知书"));
}

}  // namespace
}  // namespace shenpi::docs
