// The case documents: the words of each kind first (pure text), then the page: measured
// blocks placed by the paginator, the signature block under the seal and the verification
// block kept together at the end.
#include "docs/case_document_pdf.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "docs/page_frame.h"
#include "docs/pdf_canvas.h"
#include "docs/qr_svg.h"

namespace shenpi::docs {
namespace {

using core::DocumentContent;
using core::DocumentKind;

constexpr PageFrame kFrame{};
constexpr double kBodySize = 13;
constexpr double kSealRadius = 21.0 * kPointsPerMm;  // a 42 mm round seal
constexpr double kQrSize = 26.0 * kPointsPerMm;

// ---- words -----------------------------------------------------------------------------

// "2026-05-06" → "2026年5月6日"; anything else is shown as given.
std::string chinese_date(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::string(iso);
  auto number = [](std::string_view digits) {
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    return std::string(digits);
  };
  return std::string(iso.substr(0, 4)) + "年" + number(iso.substr(5, 2)) + "月" +
         number(iso.substr(8, 2)) + "日";
}

// 1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (lists are far shorter than 100).
std::string chinese_number(int n) {
  static constexpr const char* kDigits[] = {"",   "一", "二", "三", "四",
                                            "五", "六", "七", "八", "九"};
  if (n <= 0 || n >= 100) return std::to_string(n);
  if (n < 10) return kDigits[n];
  std::string out = n / 10 == 1 ? "" : kDigits[n / 10];
  out += "十";
  out += kDigits[n % 10];
  return out;
}

std::string or_default(const std::string& value, std::string_view fallback) {
  return value.empty() ? std::string(fallback) : value;
}

// "你（单位）于2026年5月6日提出的“食品经营许可”申请（申请编号：…）"; dates and
// numbers that are unknown are left out rather than printed empty.
std::string application(const DocumentContent& c, std::string_view verb = "提出") {
  std::string out = "你（单位）";
  if (!c.received_on.empty()) out += "于" + chinese_date(c.received_on);
  out += verb;
  out += "的“" + c.item_name + "”申请";
  if (!c.case_number.empty()) out += "（申请编号：" + c.case_number + "）";
  return out;
}

std::string accepted_clause(const DocumentContent& c) {
  return c.accepted_on.empty() ? "" : "，本机关于" + chinese_date(c.accepted_on) + "依法受理";
}

std::string rights(const DocumentContent& c, bool direct) {
  return "如不服本决定，可以自收到本决定书之日起六十日内向" +
         or_default(c.reconsideration_body, kDefaultReconsiderationBody) +
         "申请行政复议，也可以自收到本决定书之日起六个月内" + (direct ? "直接" : "") + "向" +
         or_default(c.court, kDefaultCourt) + "提起行政诉讼。";
}

// Body paragraphs. Items of a list are separate paragraphs so that each may move to the
// next page whole.
struct Body {
  std::vector<std::string> paragraphs;
  void add(std::string p) { paragraphs.push_back(std::move(p)); }
  void ordinal_list(const std::vector<std::string>& items) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      add(chinese_number(static_cast<int>(i) + 1) + "、" + items[i]);
    }
  }
  void numbered_list(const std::vector<std::string>& items) {
    for (std::size_t i = 0; i < items.size(); ++i) add(std::to_string(i + 1) + ". " + items[i]);
  }
};

Body body_of(const DocumentContent& c) {
  Body b;
  switch (c.kind) {
    case DocumentKind::receipt:
      b.add(application(c, "提交") + "的申请材料已收到" +
            (c.item_code.empty() ? "" : "（事项编码：" + c.item_code + "）") + "。");
      b.add(
          "本机关将自收到申请材料之日起五个工作日内作出是否受理的决定；申请材料不齐全或者不符合"
          "法定形式的，将一次告知需要补正的全部内容。逾期不告知的，自收到申请材料之日起即为受理。");
      if (!c.materials.empty()) {
        b.add("已接收的申请材料：");
        b.numbered_list(c.materials);
      }
      b.add("请妥善保管本凭证，可凭申请编号查询办理进度。");
      break;
    case DocumentKind::acceptance_notice:
      b.add(application(c) +
            "，经审查，申请事项属于本机关职权范围，申请材料齐全、符合法定形式。根据《中华人民共和国"
            "行政许可法》第三十二条第一款第（五）项的规定，本机关决定予以受理" +
            (c.accepted_on.empty() ? "" : "，受理日期为" + chinese_date(c.accepted_on)) + "。");
      b.add((c.due_on.empty() ? std::string("本机关将在法定期限内作出行政许可决定。")
                              : "本机关将于" + chinese_date(c.due_on) + "前作出行政许可决定。") +
            "依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在上述期"
            "限内，本机关将另行书面告知所需时间。");
      break;
    case DocumentKind::non_acceptance_decision:
      b.add(application(c) + "，经审查，存在下列情形：");
      b.ordinal_list(c.reasons);
      b.add("根据《中华人民共和国行政许可法》第三十二条第一款的规定，本机关决定不予受理。" +
            (c.where_to_apply.empty()
                 ? std::string()
                 : "该申请事项依法不属于本机关职权范围，请向" + c.where_to_apply + "提出申请。"));
      b.add(rights(c, false));
      break;
    case DocumentKind::correction_notice:
      b.add(application(c) +
            "，经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二"
            "条第一款第（四）项的规定，现一次告知你（单位）需要补正的全部内容如下：");
      b.numbered_list(c.materials);
      b.add((c.correction_due_on.empty() ? std::string("请在收到本通知书之日起五个工作日内")
                                         : "请于" + chinese_date(c.correction_due_on) + "前") +
            "一并提交上述全部补正材料。补正后申请材料仍不齐全或者不符合法定形式的，本机关将依法作"
            "出不予受理的决定。");
      break;
    case DocumentKind::approval_decision:
      b.add(application(c) + accepted_clause(c) +
            "。经审查，你（单位）的申请符合法定条件、标准。根据《中华人民共和国行政许可法》第三十"
            "八条第一款的规定，本机关决定准予行政许可。");
      b.add("本机关将自本决定作出之日起十日内向你（单位）颁发、送达" +
            or_default(c.result_name, "行政许可证件") + "。");
      break;
    case DocumentKind::refusal_decision:
      b.add(application(c) + accepted_clause(c) +
            "。经审查，你（单位）的申请不符合法定条件、标准，理由如下：");
      b.ordinal_list(c.reasons);
      b.add("根据《中华人民共和国行政许可法》第三十八条第二款的规定，本机关决定不予行政许可。");
      b.add(rights(c, true));
      break;
    case DocumentKind::suspension_notice: {
      const std::string procedure = or_default(c.procedure, "特别程序");
      b.add(application(c) + "，本机关在审查过程中，因下列原因依法需要进行" + procedure + "：");
      b.ordinal_list(c.reasons);
      b.add("根据《中华人民共和国行政许可法》第四十五条的规定，" + procedure +
            "所需时间不计算在行政许可期限内。" + procedure + "所需时间预计为" +
            std::to_string(c.days) + "个工作日。" + procedure +
            "结束后，本机关将继续审查，并在剩余期限内作出决定。");
      break;
    }
    case DocumentKind::extension_notice: {
      const bool joint = c.days > 10;  // joint handling: +15 with the government head's approval
      b.add(application(c) + accepted_clause(c) + "。因下列原因，本机关不能在规定期限内作出决定：");
      b.ordinal_list(c.reasons);
      b.add(std::string("经") + (joint ? "本级人民政府负责人" : "本机关负责人") +
            "批准，根据《中华人民共和国行政许可法》第四十二条" + (joint ? "第二款" : "第一款") +
            "的规定，审批期限延长" + std::to_string(c.days) + "个工作日" +
            (c.due_on.empty() ? std::string("")
                              : "，本机关将于" + chinese_date(c.due_on) + "前作出行政许可决定") +
            "。");
      break;
    }
  }
  return b;
}

// ---- page ------------------------------------------------------------------------------

TextStyle style(FontFamily family, double size, TextAlign align, bool bold = false) {
  TextStyle s;
  s.family = family;
  s.size_pt = size;
  s.align = align;
  s.bold = bold;
  return s;
}

// Draws the QR code's dark modules as horizontal runs, with a 2-module quiet zone inside
// the square (the page around it is white).
void draw_qr(PdfCanvas& canvas, const QrMatrix& qr, double x, double y, double size) {
  const double module = size / (qr.size + 4);
  for (int row = 0; row < qr.size; ++row) {
    int col = 0;
    while (col < qr.size) {
      if (!qr.at(col, row)) {
        ++col;
        continue;
      }
      const int start = col;
      while (col < qr.size && qr.at(col, row)) ++col;
      // A hair of overlap hides the seams some viewers draw between touching rectangles.
      canvas.fill_rect(x + (start + 2) * module, y + (row + 2) * module,
                       (col - start) * module + 0.05, module + 0.05, 0.0);
    }
  }
}

}  // namespace

Result<std::string> render_case_document(const DocumentContent& content,
                                         std::string_view verify_code,
                                         std::string_view verify_url) {
  const std::string title(core::label(content.kind));
  SHENPI_ASSIGN(QrMatrix qr, qr_encode(verify_url));
  SHENPI_ASSIGN(
      std::unique_ptr<PdfCanvas> canvas,
      PdfCanvas::create(content.document_number.empty() ? title
                                                        : title + " " + content.document_number));
  const double width = kFrame.width();

  TextStyle header = style(FontFamily::serif, 22, TextAlign::centre, true);
  header.colour = kSealRed;
  TextStyle body = style(FontFamily::serif, kBodySize, TextAlign::justify);
  body.first_line_indent_em = 2;
  body.line_spacing = 1.5;
  TextStyle plain = style(FontFamily::serif, kBodySize, TextAlign::left);
  plain.line_spacing = 1.5;

  // Every block in page order, with how it is placed.
  struct Block {
    TextBlock text;
    double gap_after = 0;
    bool keep_with_next = false;
    double extra_height = 0;  // space below the text that belongs to the block
  };
  std::vector<Block> blocks;
  auto add = [&](TextBlock t, double gap, bool keep, double extra = 0) {
    blocks.push_back(Block{std::move(t), gap, keep, extra});
  };

  // The red header: the department's name over a red rule (drawn with the block).
  const double rule_space = 5.0 * kPointsPerMm;
  add(canvas->text(content.department_name, header, width), 8, true, rule_space);
  add(canvas->text(title, style(FontFamily::serif, 20, TextAlign::centre, true), width), 6, true);
  if (!content.document_number.empty()) {
    add(canvas->text(content.document_number, style(FontFamily::serif, 12, TextAlign::centre),
                     width),
        14, true);
  }
  add(canvas->text(content.applicant_name + "：", plain, width), 4, true);
  const Body words = body_of(content);
  for (const std::string& p : words.paragraphs) add(canvas->text(p, body, width), 4, false);
  const std::size_t body_end = blocks.size();

  // Signature: the department and the date, right-aligned, under the seal.
  const double signature_top_gap = 18.0 * kPointsPerMm;
  TextStyle right = style(FontFamily::serif, kBodySize, TextAlign::right);
  right.line_spacing = 1.5;
  add(canvas->text(content.department_name + "\n" + chinese_date(content.issued_on), right,
                   width - 8.0 * kPointsPerMm),
      10.0 * kPointsPerMm, true);

  // Verification: the QR code at the left, the code and the address beside it.
  const double qr_gap = 5.0 * kPointsPerMm;
  TextStyle small = style(FontFamily::sans, 9.5, TextAlign::left);
  small.line_spacing = 1.4;
  const std::string verify_text =
      "验证码：" + std::string(verify_code) + "\n核验网址：" + std::string(verify_url) +
      "\n本文书经电子签名。扫描左侧二维码，或登录核验网址输入验证码，可查验本文书的真实性。";
  TextBlock verify_block = canvas->text(verify_text, small, width - kQrSize - qr_gap);
  const double verify_height = std::max(kQrSize, verify_block.height());
  add(std::move(verify_block), 0, false);

  std::vector<FlowItem> flow;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    FlowItem f{blocks[i].text.height() + blocks[i].extra_height, blocks[i].gap_after,
               blocks[i].keep_with_next};
    if (i == body_end) f.height += signature_top_gap;  // room for the seal above the name
    if (i + 1 == blocks.size()) f.height = verify_height;
    flow.push_back(f);
  }
  const std::vector<Placement> placed = paginate(flow, kFrame);
  const int pages = page_count(placed);

  int page = 0;
  auto close_page = [&] {
    draw_footer_line(*canvas, "潮州市网上行政审批系统");
    if (pages > 1) draw_page_number(*canvas, page, pages);
  };
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    while (page < placed[i].page) {
      close_page();
      canvas->next_page();
      ++page;
    }
    const double y = placed[i].y;
    const TextBlock& t = blocks[i].text;
    if (i == 0) {
      t.draw(kFrame.left, y);
      const double rule_y = y + t.height() + rule_space / 2;
      canvas->line(kFrame.left, rule_y, kFrame.right, rule_y, 1.6, kSealRed);
    } else if (i == body_end) {
      const double text_y = y + signature_top_gap;
      t.draw(kFrame.left, text_y);
      // The seal straddles the department's name and the date (骑年盖月), centred on the
      // name's line.
      const double name_centre_x = kFrame.right - 8.0 * kPointsPerMm - t.natural_width() / 2;
      canvas->draw_seal(name_centre_x, text_y + t.height() / 2, kSealRadius,
                        content.department_name, "电子印章");
    } else if (i + 1 == blocks.size()) {
      draw_qr(*canvas, qr, kFrame.left, y, kQrSize);
      t.draw(kFrame.left + kQrSize + qr_gap, y + (verify_height - t.height()) / 2);
    } else {
      t.draw(kFrame.left, y);
    }
  }
  close_page();
  return canvas->finish();
}

}  // namespace shenpi::docs
