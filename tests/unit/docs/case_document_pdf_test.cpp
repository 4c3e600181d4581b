// Renders each kind of case document and reads it back as a reader's tools would: the
// text through pdftotext, the title through pdfinfo, the QR code through zbarimg when it
// is installed (poppler-utils; zbar-tools is optional).
#include "docs/case_document_pdf.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace shenpi::docs {
namespace {

using core::DocumentContent;
using core::DocumentKind;

constexpr const char* kCode = "7K2M-9QXR-4T8V-HW3B";
constexpr const char* kUrl = "https://zwfw.example.gov.cn/verify/7K2M-9QXR-4T8V-HW3B";

class TempFile {
 public:
  TempFile(const std::string& bytes, const char* ext) {
    static std::atomic<int> counter{0};
    path_ =
        std::filesystem::temp_directory_path() /
        ("shenpi-casedoc-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ext);
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  std::string path() const { return path_.string(); }

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

// The text with all ASCII whitespace removed: pdftotext pads justified lines and breaks
// paragraphs where the layout does.
std::string pdf_text(const std::string& bytes) {
  TempFile f(bytes, ".pdf");
  std::string out;
  for (char c : run("pdftotext -layout '" + f.path() + "' - 2>&1")) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r') out += c;
  }
  return out;
}

::testing::AssertionResult has(const std::string& text, std::string needle) {
  std::string squeezed;
  for (char c : needle) {
    if (c != ' ' && c != '\n') squeezed += c;
  }
  if (text.find(squeezed) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "missing \"" << needle << "\" in:\n" << text;
}

DocumentContent base(DocumentKind kind) {
  DocumentContent c;
  c.kind = kind;
  c.document_number = core::make_document_number("潮市监", kind, 2026, 12);
  c.case_number = "4451002026050600012";
  c.item_code = "445100-SCJGJ-001";
  c.item_name = "食品经营许可";
  c.department_code = "445100-SCJGJ";
  c.department_name = "潮州市市场监督管理局";
  c.applicant_name = "潮州市韩江食品有限公司";
  c.applicant_id_masked = "9144**********0Y43";
  c.issued_on = "2026-05-13";
  c.received_on = "2026-05-06";
  c.accepted_on = "2026-05-07";
  c.due_on = "2026-06-04";
  return c;
}

Result<std::string> render(const DocumentContent& c) {
  return render_case_document(c, kCode, kUrl);
}

// What every document shows, whatever its kind.
void expect_common(const std::string& text, const DocumentContent& c) {
  EXPECT_TRUE(has(text, std::string(core::label(c.kind))));
  EXPECT_TRUE(has(text, c.document_number));
  EXPECT_TRUE(has(text, c.applicant_name + "："));
  EXPECT_TRUE(has(text, "潮州市市场监督管理局"));
  EXPECT_TRUE(has(text, "2026年5月13日"));
  EXPECT_TRUE(has(text, std::string("验证码：") + kCode));
  EXPECT_TRUE(has(text, kUrl));
}

TEST(CaseDocumentPdf, EveryKindRendersAsOnePageWithTitleNumberAndVerification) {
  for (DocumentKind kind : core::kAllDocumentKinds) {
    SCOPED_TRACE(std::string(core::to_string(kind)));
    DocumentContent c = base(kind);
    c.reasons = {"申请材料中的经营场所证明与实际地址不符"};
    c.materials = {"营业执照复印件"};
    c.procedure = "现场核查";
    c.days = 10;
    auto pdf = render(c);
    ASSERT_TRUE(pdf.ok()) << pdf.error().message;
    EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
    const std::string text = pdf_text(*pdf);
    expect_common(text, c);
    TempFile f(*pdf, ".pdf");
    const std::string info = run("pdfinfo '" + f.path() + "' 2>&1");
    EXPECT_TRUE(std::regex_search(info, std::regex("Pages:\\s+1\\n"))) << info;
    EXPECT_NE(info.find(std::string(core::label(kind))), std::string::npos) << info;
  }
}

TEST(CaseDocumentPdf, AcceptanceNoticeStatesAcceptanceAndDueDate) {
  const std::string text = pdf_text(*render(base(DocumentKind::acceptance_notice)));
  EXPECT_TRUE(has(text, "第三十二条第一款第（五）项"));
  EXPECT_TRUE(has(text, "本机关决定予以受理，受理日期为2026年5月7日"));
  EXPECT_TRUE(has(text, "本机关将于2026年6月4日前作出行政许可决定"));
  EXPECT_TRUE(has(text, "所需时间不计算在上述期限内"));
}

TEST(CaseDocumentPdf, CorrectionNoticeListsEveryMaterialOnceWithTheDeadline) {
  DocumentContent c = base(DocumentKind::correction_notice);
  c.materials = {"营业执照复印件（未加盖公章）", "食品安全管理制度文本", "法定代表人身份证明",
                 "经营场所平面图（比例尺缺失）"};
  c.correction_due_on = "2026-05-13";
  const std::string text = pdf_text(*render(c));
  EXPECT_TRUE(has(text, "现一次告知你（单位）需要补正的全部内容如下"));
  for (std::size_t i = 0; i < c.materials.size(); ++i) {
    EXPECT_TRUE(has(text, std::to_string(i + 1) + ". " + c.materials[i]));
  }
  EXPECT_TRUE(has(text, "请于2026年5月13日前一并提交上述全部补正材料"));
  EXPECT_TRUE(has(text, "本机关将依法作出不予受理的决定"));
}

TEST(CaseDocumentPdf, RefusalStatesReasonsAndTheRightsOfReviewAndAppeal) {
  DocumentContent c = base(DocumentKind::refusal_decision);
  c.reasons = {"经营场所与有毒、有害场所的距离不符合要求", "未配备专职食品安全管理人员"};
  const std::string text = pdf_text(*render(c));
  EXPECT_TRUE(has(text, "你（单位）的申请不符合法定条件、标准，理由如下"));
  EXPECT_TRUE(has(text, "一、经营场所与有毒、有害场所的距离不符合要求"));
  EXPECT_TRUE(has(text, "二、未配备专职食品安全管理人员"));
  EXPECT_TRUE(has(text, "第三十八条第二款的规定，本机关决定不予行政许可"));
  EXPECT_TRUE(has(text, "六十日内向潮州市人民政府申请行政复议"));
  EXPECT_TRUE(has(text, "六个月内直接向有管辖权的人民法院提起行政诉讼"));

  c.reconsideration_body = "潮安区人民政府";
  c.court = "潮州市湘桥区人民法院";
  const std::string named = pdf_text(*render(c));
  EXPECT_TRUE(has(named, "六十日内向潮安区人民政府申请行政复议"));
  EXPECT_TRUE(has(named, "向潮州市湘桥区人民法院提起行政诉讼"));
}

TEST(CaseDocumentPdf, ApprovalNamesTheLicenceAndTheTenDayIssue) {
  DocumentContent c = base(DocumentKind::approval_decision);
  c.result_name = "食品经营许可证";
  const std::string text = pdf_text(*render(c));
  EXPECT_TRUE(has(text, "本机关于2026年5月7日依法受理"));
  EXPECT_TRUE(has(text, "第三十八条第一款的规定，本机关决定准予行政许可"));
  EXPECT_TRUE(has(text, "十日内向你（单位）颁发、送达食品经营许可证"));
}

TEST(CaseDocumentPdf, NonAcceptanceNamesWhereToApplyAndTheRights) {
  DocumentContent c = base(DocumentKind::non_acceptance_decision);
  c.reasons = {"申请事项依法不需要取得行政许可"};
  c.where_to_apply = "潮州市湘桥区市场监督管理局";
  const std::string text = pdf_text(*render(c));
  EXPECT_TRUE(has(text, "一、申请事项依法不需要取得行政许可"));
  EXPECT_TRUE(has(text, "本机关决定不予受理"));
  EXPECT_TRUE(has(text, "请向潮州市湘桥区市场监督管理局提出申请"));
  EXPECT_TRUE(has(text, "申请行政复议"));
}

TEST(CaseDocumentPdf, SuspensionAndExtensionStateDaysAndTheLaw) {
  DocumentContent s = base(DocumentKind::suspension_notice);
  s.procedure = "检验";
  s.days = 15;
  s.reasons = {"需对申请人提交的样品进行食品安全检验"};
  const std::string st = pdf_text(*render(s));
  EXPECT_TRUE(has(st, "依法需要进行检验"));
  EXPECT_TRUE(has(st, "第四十五条的规定，检验所需时间不计算在行政许可期限内"));
  EXPECT_TRUE(has(st, "检验所需时间预计为15个工作日"));

  DocumentContent e = base(DocumentKind::extension_notice);
  e.days = 10;
  e.due_on = "2026-06-18";
  e.reasons = {"需要现场核查的经营场所较多"};
  const std::string et = pdf_text(*render(e));
  EXPECT_TRUE(has(et, "经本机关负责人批准"));
  EXPECT_TRUE(has(et, "第四十二条第一款的规定，审批期限延长10个工作日"));
  EXPECT_TRUE(has(et, "本机关将于2026年6月18日前作出行政许可决定"));

  e.days = 15;  // joint handling
  const std::string joint = pdf_text(*render(e));
  EXPECT_TRUE(has(joint, "经本级人民政府负责人批准"));
  EXPECT_TRUE(has(joint, "第四十二条第二款"));
}

TEST(CaseDocumentPdf, SameInputSameBytesAndLongListsRunOntoNumberedPages) {
  DocumentContent c = base(DocumentKind::correction_notice);
  for (int i = 1; i <= 40; ++i) {
    c.materials.push_back("第" + std::to_string(i) +
                          "项申请材料：内容不完整，需补充负责人签字并加盖单位公章");
  }
  auto a = render(c);
  auto b = render(c);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  const std::string text = pdf_text(*a);
  EXPECT_TRUE(has(text, "第40项申请材料"));
  EXPECT_TRUE(has(text, "第1页共"));
  EXPECT_TRUE(has(text, std::string("验证码：") + kCode));
}

TEST(CaseDocumentPdf, QrCodeCarriesTheVerificationAddress) {
  if (run("command -v zbarimg pdftoppm").find("zbarimg") == std::string::npos) {
    GTEST_SKIP() << "zbarimg not installed";
  }
  auto pdf = render(base(DocumentKind::approval_decision));
  ASSERT_TRUE(pdf.ok());
  TempFile f(*pdf, ".pdf");
  const std::string png = f.path() + "-page";
  run("pdftoppm -r 150 -png -singlefile '" + f.path() + "' '" + png + "'");
  const std::string decoded = run("zbarimg --raw -q '" + png + ".png' 2>&1");
  std::filesystem::remove(png + ".png");
  EXPECT_NE(decoded.find(kUrl), std::string::npos) << decoded;
}

TEST(CaseDocumentPdf, UrlTooLongForAQrCodeFails) {
  auto pdf = render_case_document(base(DocumentKind::receipt), kCode, std::string(4000, 'x'));
  ASSERT_FALSE(pdf.ok());
}

}  // namespace
}  // namespace shenpi::docs
