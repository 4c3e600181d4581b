// The blank application form (申请表): the form definition of an item version laid out as
// a ruled two-column grid (label | box), in the manner of the paper forms of government
// service centres. Rendering is two passes: measure every block, place the blocks on
// pages (page_frame), then draw, so that the footer can say how many pages there are.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "docs/form_pdf.h"
#include "docs/page_frame.h"
#include "docs/pdf_canvas.h"

namespace shenpi::docs {
namespace {

using core::FieldType;
using core::FormField;

constexpr PageFrame kFrame{};
constexpr double kLabelWidth = 130.0;  // the label column of the grid
constexpr double kPad = 6.0;           // inner padding of every cell
constexpr double kRule = 0.75;         // grid line width
constexpr double kLabelShade = 0.94;   // background of label cells
constexpr double kHeadShade = 0.88;    // background of table headings
constexpr double kCheckBox = 9.0;      // side of an option's ☐
constexpr double kValueLeft = kFrame.left + kLabelWidth;
constexpr double kValueWidth = kFrame.width() - kLabelWidth;
constexpr double kValueInner = kValueWidth - 2 * kPad;

constexpr std::string_view kAttachmentNote = "（附件：请按申请材料清单提交）";
constexpr std::string_view kDateBlanks = "年        月        日";
constexpr std::string_view kDeclaration =
    "本人（单位）郑重承诺：本申请表所填写的内容及所提交的申请材料均真实、合法、有效，"
    "复印件与原件内容一致；如有虚假，本人（单位）愿意承担由此产生的一切法律责任。";

TextStyle label_style() { return TextStyle{}; }

TextStyle help_style() {
  TextStyle s;
  s.size_pt = 8;
  s.grey = 0.4;
  return s;
}

TextStyle note_style() {
  TextStyle s;
  s.size_pt = 9.5;
  s.grey = 0.3;
  return s;
}

// ---- blocks ------------------------------------------------------------------------------

// Something measured once and drawn at the y the paginator chose.
class Block {
 public:
  virtual ~Block() = default;
  virtual double height() const = 0;
  virtual void draw(PdfCanvas& canvas, double y) const = 0;
  double gap_after = 0;
  bool keep_with_next = false;
};

class TextLineBlock final : public Block {
 public:
  TextLineBlock(PdfCanvas& canvas, std::string_view text, const TextStyle& style)
      : text_(canvas.text(text, style, kFrame.width())) {}
  double height() const override { return text_.height(); }
  void draw(PdfCanvas&, double y) const override { text_.draw(kFrame.left, y); }

 private:
  TextBlock text_;
};

// 事项编码 / 实施机关 on one line, 受理编号 / 填表日期 on the next.
class HeaderInfoBlock final : public Block {
 public:
  HeaderInfoBlock(PdfCanvas& canvas, std::string_view code, std::string_view department) {
    TextStyle left = label_style();
    TextStyle right = label_style();
    right.align = TextAlign::right;
    const double half = kFrame.width() / 2 - kPad;
    code_ = canvas.text("事项编码：" + std::string(code), left, half);
    department_ = canvas.text(
        department.empty() ? std::string() : "实施机关：" + std::string(department), right, half);
    number_ = canvas.text("受理编号：", left, 0);
    date_ = canvas.text("填表日期：        " + std::string(kDateBlanks), right, half);
    first_ = std::max(code_->height(), department_->height());
    height_ = first_ + kRowGap + std::max(number_->height(), date_->height());
  }
  double height() const override { return height_; }
  void draw(PdfCanvas& canvas, double y) const override {
    const double right_x = kFrame.right - kFrame.width() / 2 + kPad;
    code_->draw(kFrame.left, y);
    department_->draw(right_x, y);
    const double y2 = y + first_ + kRowGap;
    number_->draw(kFrame.left, y2);
    const double line_x = kFrame.left + number_->natural_width();
    const double line_y = y2 + number_->height() - 2;
    canvas.line(line_x, line_y, line_x + 120, line_y, 0.5);
    date_->draw(right_x, y2);
  }

 private:
  static constexpr double kRowGap = 4;
  std::optional<TextBlock> code_, department_, number_, date_;
  double first_ = 0;
  double height_ = 0;
};

// One option of a select: its ☐ and label, placed relative to the value cell's content.
struct PlacedOption {
  TextBlock label;
  double x = 0;
  double y = 0;
};

// One field: label cell on the left, value cell on the right, sized by the field type.
class FieldRow final : public Block {
 public:
  FieldRow(PdfCanvas& canvas, const FormField& field, std::string_view help) {
    std::string label = field.required ? "*" + field.label : field.label;
    if (label.empty()) label = field.name;
    label_ = canvas.text(label, label_style(), kLabelWidth - 2 * kPad);
    double label_h = label_->height();
    if (!help.empty()) {
      help_ = canvas.text(help, help_style(), kLabelWidth - 2 * kPad);
      label_h += kHelpGap + help_->height();
    }
    label_height_ = label_h;

    double min_h = 28;
    double content_h = 0;
    switch (field.type) {
      case FieldType::textarea:
        min_h = 84;
        break;
      case FieldType::address:
        min_h = 42;
        break;
      case FieldType::citizen_id:
      case FieldType::credit_code:
        digit_boxes_ = 18;  // both are 18 characters (GB 11643, GB 32100)
        content_h = kDigitBox;
        break;
      case FieldType::money:
        note_ = canvas.text("元", note_style(), 0);
        note_align_ = TextAlign::right;
        break;
      case FieldType::date:
        note_ = canvas.text(kDateBlanks, note_style(), 0);
        note_align_ = TextAlign::right;
        break;
      case FieldType::attachment:
        note_ = canvas.text(kAttachmentNote, note_style(), kValueInner);
        note_align_ = TextAlign::left;
        content_h = note_->height();
        break;
      case FieldType::select:
      case FieldType::multi_select:
        content_h = flow_options(canvas, field);
        break;
      default:
        break;
    }
    if (note_ && content_h == 0) content_h = note_->height();
    height_ = std::max({min_h, label_height_ + 2 * kPad, content_h + 2 * kPad});
    content_height_ = content_h;
  }

  double height() const override { return height_; }

  void draw(PdfCanvas& canvas, double y) const override {
    canvas.fill_rect(kFrame.left, y, kLabelWidth, height_, kLabelShade);
    canvas.stroke_rect(kFrame.left, y, kLabelWidth, height_, kRule);
    canvas.stroke_rect(kValueLeft, y, kValueWidth, height_, kRule);

    double ly = y + (height_ - label_height_) / 2;
    label_->draw(kFrame.left + kPad, ly);
    if (help_) help_->draw(kFrame.left + kPad, ly + label_->height() + kHelpGap);

    const double cx = kValueLeft + kPad;
    const double cy = y + (height_ - content_height_) / 2;  // content centred vertically
    for (int i = 0; i < digit_boxes_; ++i) {
      canvas.stroke_rect(cx + i * kDigitBox, cy, kDigitBox, kDigitBox, 0.5);
    }
    for (const PlacedOption& o : options_) {
      // The ☐ is drawn, not a glyph: it then matches the grid lines and needs no font
      // with U+2610. Centred on the first line of its label.
      const double box_y = cy + o.y + (o.label.line_height(0) - kCheckBox) / 2;
      canvas.stroke_rect(cx + o.x, box_y, kCheckBox, kCheckBox, 0.6);
      o.label.draw(cx + o.x + kCheckBox + kBoxGap, cy + o.y);
    }
    if (note_) {
      const double ny = y + (height_ - note_->height()) / 2;
      const double nx = note_align_ == TextAlign::right
                            ? kValueLeft + kValueWidth - kPad - note_->natural_width()
                            : cx;
      note_->draw(nx, ny);
    }
  }

 private:
  static constexpr double kHelpGap = 2;
  static constexpr double kDigitBox = 15;
  static constexpr double kBoxGap = 4;      // between ☐ and its label
  static constexpr double kOptionGap = 16;  // between two options on a line
  static constexpr double kLineGap = 4;     // between two lines of options

  // Places the options in a grid of equal columns (one row when they all fit on one line,
  // so that a short yes/no list does not spread across the cell); returns the height.
  double flow_options(PdfCanvas& canvas, const FormField& field) {
    const double label_room = kValueInner - kCheckBox - kBoxGap;
    std::vector<TextBlock> labels;
    double widest = 0, total = 0;
    for (const core::FieldOption& option : field.options) {
      const std::string& text = option.label.empty() ? option.value : option.label;
      labels.push_back(canvas.text(text, label_style(), label_room));
      const double w = kCheckBox + kBoxGap + labels.back().natural_width();
      widest = std::max(widest, w);
      total += w + kOptionGap;
    }
    if (labels.empty()) return 0;
    const bool one_line = total - kOptionGap <= kValueInner;
    const double column_w = widest + kOptionGap;
    const int columns = std::max(1, static_cast<int>((kValueInner + kOptionGap) / column_w));
    double x = 0, y = 0, line_h = 0;
    int column = 0;
    for (TextBlock& label : labels) {
      if (!one_line && column == columns) {
        column = 0;
        x = 0;
        y += line_h + kLineGap;
        line_h = 0;
      }
      const double w = kCheckBox + kBoxGap + label.natural_width();
      line_h = std::max(line_h, label.height());
      options_.push_back(PlacedOption{std::move(label), x, y});
      x += one_line ? w + kOptionGap : column_w;
      ++column;
    }
    return y + line_h;
  }

  std::optional<TextBlock> label_, help_, note_;
  TextAlign note_align_ = TextAlign::left;
  std::vector<PlacedOption> options_;
  int digit_boxes_ = 0;
  double label_height_ = 0;
  double content_height_ = 0;
  double height_ = 0;
};

// A table field across the full width: its label as a heading row, then a grid with the
// column headers and a few empty rows to fill in.
class TableFieldBlock final : public Block {
 public:
  TableFieldBlock(PdfCanvas& canvas, const FormField& field, std::string_view help) {
    std::string label = field.required ? "*" + field.label : field.label;
    if (label.empty()) label = field.name;
    if (!help.empty()) label += "（" + std::string(help) + "）";
    label_ = canvas.text(label, label_style(), kFrame.width() - 2 * kPad);
    title_h_ = std::max(kMinRow, label_->height() + 2 * kPad);

    const std::size_t n = std::max<std::size_t>(1, field.columns.size());
    column_w_ = kFrame.width() / static_cast<double>(n);
    TextStyle head = label_style();
    head.size_pt = 9.5;
    head.align = TextAlign::centre;
    double head_h = 0;
    for (const FormField& column : field.columns) {
      const std::string& text = column.label.empty() ? column.name : column.label;
      heads_.push_back(canvas.text(text, head, column_w_ - 2 * kHeadPad));
      head_h = std::max(head_h, heads_.back().height());
    }
    head_h_ = heads_.empty() ? 0 : std::max(kMinRow, head_h + 2 * kHeadPad);
  }

  double height() const override { return title_h_ + head_h_ + kEmptyRows * kMinRow; }

  void draw(PdfCanvas& canvas, double y) const override {
    const double w = kFrame.width();
    canvas.fill_rect(kFrame.left, y, w, title_h_, kLabelShade);
    canvas.stroke_rect(kFrame.left, y, w, title_h_, kRule);
    label_->draw(kFrame.left + kPad, y + (title_h_ - label_->height()) / 2);
    double row_y = y + title_h_;
    if (head_h_ > 0) canvas.fill_rect(kFrame.left, row_y, w, head_h_, kHeadShade);
    for (std::size_t i = 0; i < heads_.size(); ++i) {
      const double x = kFrame.left + column_w_ * static_cast<double>(i);
      canvas.stroke_rect(x, row_y, column_w_, head_h_, kRule);
      heads_[i].draw(x + kHeadPad, row_y + (head_h_ - heads_[i].height()) / 2);
    }
    row_y += head_h_;
    const std::size_t columns = std::max<std::size_t>(1, heads_.size());
    for (int r = 0; r < kEmptyRows; ++r, row_y += kMinRow) {
      for (std::size_t i = 0; i < columns; ++i) {
        const double x = kFrame.left + column_w_ * static_cast<double>(i);
        canvas.stroke_rect(x, row_y, column_w_, kMinRow, kRule);
      }
    }
  }

 private:
  static constexpr double kMinRow = 24;
  static constexpr double kHeadPad = 3;  // narrow: tables may have many columns
  static constexpr int kEmptyRows = 4;
  std::optional<TextBlock> label_;
  std::vector<TextBlock> heads_;
  double column_w_ = 0;
  double title_h_ = 0;
  double head_h_ = 0;
};

// 申请人承诺: the declaration in a box, with signature and date lines.
class DeclarationBlock final : public Block {
 public:
  explicit DeclarationBlock(PdfCanvas& canvas) {
    TextStyle body;
    body.family = FontFamily::serif;
    body.align = TextAlign::justify;
    body.first_line_indent_em = 2;
    body.line_spacing = 1.6;
    text_ = canvas.text(kDeclaration, body, kFrame.width() - 2 * kInset);
    sign_ = canvas.text("申请人（签名或盖章）：", label_style(), 0);
    date_ = canvas.text("日    期：", label_style(), 0);
    blanks_ = canvas.text(kDateBlanks, label_style(), 0);
    height_ =
        kInset + text_->height() + kSignGap + sign_->height() + kLineGap + date_->height() + kInset;
  }
  double height() const override { return height_; }
  void draw(PdfCanvas& canvas, double y) const override {
    canvas.stroke_rect(kFrame.left, y, kFrame.width(), height_, kRule);
    text_->draw(kFrame.left + kInset, y + kInset);
    const double x = kFrame.left + kFrame.width() * 0.45;
    const double line_end = kFrame.right - kInset;
    double row = y + kInset + text_->height() + kSignGap;
    sign_->draw(x, row);
    const double sign_line_x = x + sign_->natural_width();
    canvas.line(sign_line_x, row + sign_->height() - 2, line_end, row + sign_->height() - 2, 0.5);
    row += sign_->height() + kLineGap;
    date_->draw(x, row);
    blanks_->draw(line_end - blanks_->natural_width(), row);
  }

 private:
  static constexpr double kInset = 12;
  static constexpr double kSignGap = 22;
  static constexpr double kLineGap = 14;
  std::optional<TextBlock> text_, sign_, date_, blanks_;
  double height_ = 0;
};

// ---- building the form --------------------------------------------------------------------

std::string form_title(std::string_view item_name) {
  for (std::string_view suffix : {"申请表", "申请书", "登记表"}) {
    if (item_name.ends_with(suffix)) return std::string(item_name);
  }
  return std::string(item_name) + "申请表";
}

// The fields printed when an item has no form definition of its own.
std::vector<FormField> generic_applicant_fields() {
  auto field = [](std::string name, std::string label, FieldType type, bool required) {
    FormField f;
    f.name = std::move(name);
    f.label = std::move(label);
    f.type = type;
    f.required = required;
    return f;
  };
  return {
      field("applicant_name", "申请人名称", FieldType::text, true),
      field("id_number", "证件号码", FieldType::text, true),
      field("phone", "联系电话", FieldType::phone, true),
      field("address", "通讯地址", FieldType::address, true),
      field("description", "申请事项说明", FieldType::textarea, false),
  };
}

// The hint under a label: 可多选 for a multi_select, the field's own help, and when it is
// conditional, which answer of which other field makes it apply (“X”为“Y”时填写).
std::string field_hint(const FormField& field, const std::vector<FormField>& all) {
  std::string hint = field.type == FieldType::multi_select ? "可多选" : "";
  if (!field.help.empty()) {
    if (!hint.empty()) hint += "；";
    hint += field.help;
  }
  const std::size_t eq = field.visible_if.find('=');
  if (eq != std::string::npos) {
    const std::string other_name = field.visible_if.substr(0, eq);
    std::string value = field.visible_if.substr(eq + 1);
    std::string other_label = other_name;
    for (const FormField& other : all) {
      if (other.name != other_name) continue;
      if (!other.label.empty()) other_label = other.label;
      for (const core::FieldOption& option : other.options) {
        if (option.value == value && !option.label.empty()) value = option.label;
      }
    }
    if (!hint.empty()) hint += "；";
    hint += "“" + other_label + "”为“" + value + "”时填写";
  }
  return hint;
}

std::vector<std::unique_ptr<Block>> build_blocks(PdfCanvas& canvas, const core::ItemVersion& item,
                                                 std::string_view department_name,
                                                 const std::string& title) {
  std::vector<std::unique_ptr<Block>> blocks;

  TextStyle title_style;
  title_style.family = FontFamily::serif;
  title_style.size_pt = 20;
  title_style.bold = true;
  title_style.align = TextAlign::centre;
  blocks.push_back(std::make_unique<TextLineBlock>(canvas, title, title_style));
  blocks.back()->gap_after = 16;
  blocks.push_back(std::make_unique<HeaderInfoBlock>(canvas, item.item_code, department_name));
  blocks.back()->gap_after = 8;

  const std::vector<FormField> fields = item.form.empty() ? generic_applicant_fields() : item.form;
  const bool any_required =
      std::any_of(fields.begin(), fields.end(), [](const FormField& f) { return f.required; });
  std::string note = "填表说明：请用黑色钢笔或签字笔填写，字迹清晰、工整";
  note += any_required ? "；带“*”号的为必填项。" : "。";
  TextStyle small = note_style();
  small.size_pt = 9;
  blocks.push_back(std::make_unique<TextLineBlock>(canvas, note, small));
  blocks.back()->gap_after = 14;

  TextStyle section;
  section.size_pt = 12;
  section.bold = true;
  blocks.push_back(std::make_unique<TextLineBlock>(canvas, "一、申请信息", section));
  blocks.back()->gap_after = 6;
  blocks.back()->keep_with_next = true;

  for (const FormField& field : fields) {
    const std::string hint = field_hint(field, fields);
    if (field.type == FieldType::table) {
      blocks.push_back(std::make_unique<TableFieldBlock>(canvas, field, hint));
    } else {
      blocks.push_back(std::make_unique<FieldRow>(canvas, field, hint));
    }
  }
  blocks.back()->gap_after = 18;

  blocks.push_back(std::make_unique<TextLineBlock>(canvas, "二、申请人承诺", section));
  blocks.back()->gap_after = 6;
  blocks.back()->keep_with_next = true;
  blocks.push_back(std::make_unique<DeclarationBlock>(canvas));
  return blocks;
}

// Pages after the first repeat the form's title and code in the top margin, so that a
// loose sheet can be matched to its form.
void draw_running_header(PdfCanvas& canvas, const std::string& title, std::string_view code) {
  TextStyle style = note_style();
  style.size_pt = 8.5;
  const double y = 12 * kPointsPerMm;
  canvas.text(title + "（续）", style, 0).draw(kFrame.left, y);
  style.align = TextAlign::right;
  canvas.text("事项编码：" + std::string(code), style, kFrame.width()).draw(kFrame.left, y);
  canvas.line(kFrame.left, kFrame.top - 8, kFrame.right, kFrame.top - 8, 0.4);
}

}  // namespace

Result<std::string> render_blank_form(const core::ItemVersion& item,
                                      std::string_view department_name) {
  SHENPI_ASSIGN(std::unique_ptr<PdfCanvas> canvas, PdfCanvas::create(item.name));
  const std::string title = form_title(item.name);
  const std::vector<std::unique_ptr<Block>> blocks =
      build_blocks(*canvas, item, department_name, title);

  std::vector<FlowItem> flow;
  flow.reserve(blocks.size());
  for (const auto& block : blocks) {
    flow.push_back(FlowItem{block->height(), block->gap_after, block->keep_with_next});
  }
  const std::vector<Placement> placed = paginate(flow, kFrame);
  const int pages = page_count(placed);

  int page = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    while (page < placed[i].page) {
      canvas->reset_clip();
      draw_page_number(*canvas, page, pages);
      canvas->next_page();
      ++page;
      draw_running_header(*canvas, title, item.item_code);
    }
    // Only a block taller than a page can reach past the bottom margin; cut it there.
    canvas->clip(0, 0, kA4WidthPt, kFrame.bottom + kRule);
    blocks[i]->draw(*canvas, placed[i].y);
  }
  canvas->reset_clip();
  draw_page_number(*canvas, page, pages);
  return canvas->finish();
}

}  // namespace shenpi::docs
