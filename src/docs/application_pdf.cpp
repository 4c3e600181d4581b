// The filled application form. Same two passes as the blank form (form_pdf.cpp): measure
// blocks, place them on pages, draw. Differences: values can be long, so a field's value
// is cut into chunks of lines that may continue on the next page; table fields print one
// block per row and repeat their header row at the top of a page they continue on.
#include "docs/application_pdf.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/forms/form_validate.h"
#include "docs/page_frame.h"
#include "docs/pdf_canvas.h"

namespace shenpi::docs {
namespace {

using core::FieldType;
using core::FormField;

constexpr PageFrame kFrame{};
constexpr double kLabelWidth = 130.0;
constexpr double kPad = 6.0;
constexpr double kRule = 0.75;
constexpr double kLabelShade = 0.94;
constexpr double kHeadShade = 0.88;
constexpr double kValueLeft = kFrame.left + kLabelWidth;
constexpr double kValueWidth = kFrame.width() - kLabelWidth;
constexpr double kValueInner = kValueWidth - 2 * kPad;
constexpr double kMinRow = 24;
// A value taller than this is cut into several rows, so that a long text never needs a
// page of its own and continues where the page ends.
constexpr double kMaxChunk = 160;
constexpr double kIndexWidth = 30;  // 序号 column of tables

constexpr std::string_view kEmpty = "未填写";
constexpr std::string_view kDeclaration =
    "本人（单位）郑重承诺：本申请表所填写的内容及所提交的申请材料均真实、合法、有效，"
    "复印件与原件内容一致；如有虚假，本人（单位）愿意承担由此产生的一切法律责任。";

TextStyle label_style() { return TextStyle{}; }

TextStyle value_style() {
  TextStyle s;
  s.family = FontFamily::serif;
  return s;
}

TextStyle muted_style(double size = 9.5) {
  TextStyle s;
  s.size_pt = size;
  s.grey = 0.35;
  return s;
}

TextStyle cell_style() {
  TextStyle s;
  s.size_pt = 9.5;
  return s;
}

class Block {
 public:
  virtual ~Block() = default;
  virtual double height() const = 0;
  virtual void draw(PdfCanvas& canvas, double y) const = 0;
  double gap_after = 0;
  bool keep_with_next = false;
  //! For a table row: the header row to repeat when this row starts a page.
  const Block* repeat_header = nullptr;
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

// A ruled grid of label | value pairs, two pairs per line: the case header.
class InfoGridBlock final : public Block {
 public:
  InfoGridBlock(PdfCanvas& canvas, const std::vector<std::pair<std::string, std::string>>& pairs) {
    for (std::size_t i = 0; i < pairs.size(); i += 2) {
      Line line;
      for (std::size_t k = i; k < std::min(pairs.size(), i + 2); ++k) {
        line.labels.push_back(canvas.text(pairs[k].first, label_style(), kCellLabel - 2 * kPad));
        line.values.push_back(canvas.text(pairs[k].second, value_style(), kCellValue - 2 * kPad));
        line.height = std::max({line.height, kMinRow, line.labels.back().height() + 2 * kPad,
                                line.values.back().height() + 2 * kPad});
      }
      height_ += line.height;
      lines_.push_back(std::move(line));
    }
  }
  double height() const override { return height_; }
  void draw(PdfCanvas& canvas, double y) const override {
    for (const Line& line : lines_) {
      for (std::size_t k = 0; k < line.labels.size(); ++k) {
        const double x = kFrame.left + static_cast<double>(k) * (kCellLabel + kCellValue);
        canvas.fill_rect(x, y, kCellLabel, line.height, kLabelShade);
        canvas.stroke_rect(x, y, kCellLabel, line.height, kRule);
        canvas.stroke_rect(x + kCellLabel, y, kCellValue, line.height, kRule);
        line.labels[k].draw(x + kPad, y + (line.height - line.labels[k].height()) / 2);
        line.values[k].draw(x + kCellLabel + kPad, y + (line.height - line.values[k].height()) / 2);
      }
      y += line.height;
    }
  }

 private:
  static constexpr double kCellLabel = 70;
  static constexpr double kCellValue = kFrame.width() / 2 - kCellLabel;
  struct Line {
    std::vector<TextBlock> labels, values;
    double height = 0;
  };
  std::vector<Line> lines_;
  double height_ = 0;
};

// Lines [first, last) of a laid-out value, drawn in the value cell of a label | value row.
// The first chunk of a field carries the label; later ones say “（续）”.
class FieldChunkBlock final : public Block {
 public:
  FieldChunkBlock(std::shared_ptr<const TextBlock> value, int first, int last,
                  std::optional<TextBlock> label, double label_height)
      : value_(std::move(value)), first_(first), last_(last), label_(std::move(label)) {
    content_ = 0;
    for (int i = first_; i < last_; ++i) content_ += value_->line_height(i);
    height_ = std::max({kMinRow, content_ + 2 * kPad, label_height + 2 * kPad});
  }
  double height() const override { return height_; }
  void draw(PdfCanvas& canvas, double y) const override {
    canvas.fill_rect(kFrame.left, y, kLabelWidth, height_, kLabelShade);
    canvas.stroke_rect(kFrame.left, y, kLabelWidth, height_, kRule);
    canvas.stroke_rect(kValueLeft, y, kValueWidth, height_, kRule);
    if (label_) label_->draw(kFrame.left + kPad, y + (height_ - label_->height()) / 2);
    // One line centred vertically like a form cell; several lines from the top.
    double line_y = last_ - first_ == 1 ? y + (height_ - content_) / 2 : y + kPad;
    for (int i = first_; i < last_; ++i) {
      value_->draw_line(i, kValueLeft + kPad, line_y);
      line_y += value_->line_height(i);
    }
  }

 private:
  std::shared_ptr<const TextBlock> value_;
  int first_, last_;
  std::optional<TextBlock> label_;
  double content_ = 0;
  double height_ = 0;
};

// One row of a table field (or its header row): cells of equal width after the 序号 column.
class TableRowBlock final : public Block {
 public:
  TableRowBlock(PdfCanvas& canvas, const std::vector<std::string>& cells, bool header)
      : header_(header) {
    TextStyle style = cell_style();
    if (header) style.align = TextAlign::centre;
    const std::size_t n = std::max<std::size_t>(1, cells.size() - 1);
    column_w_ = (kFrame.width() - kIndexWidth) / static_cast<double>(n);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const double w = (i == 0 ? kIndexWidth : column_w_) - 2 * kCellPad;
      TextStyle s = style;
      if (i == 0) s.align = TextAlign::centre;
      texts_.push_back(canvas.text(cells[i], s, w));
      height_ = std::max(height_, texts_.back().height() + 2 * kCellPad);
    }
    height_ = std::max(height_, kMinRow);
  }
  double height() const override { return height_; }
  void draw(PdfCanvas& canvas, double y) const override {
    if (header_) canvas.fill_rect(kFrame.left, y, kFrame.width(), height_, kHeadShade);
    double x = kFrame.left;
    for (std::size_t i = 0; i < texts_.size(); ++i) {
      const double w = i == 0 ? kIndexWidth : column_w_;
      canvas.stroke_rect(x, y, w, height_, kRule);
      const double ty = header_ ? y + (height_ - texts_[i].height()) / 2 : y + kCellPad;
      texts_[i].draw(x + kCellPad, ty);
      x += w;
    }
  }

 private:
  static constexpr double kCellPad = 4;
  bool header_;
  std::vector<TextBlock> texts_;
  double column_w_ = 0;
  double height_ = 0;
};

// The table's title bar: its label across the full width.
class TableTitleBlock final : public Block {
 public:
  TableTitleBlock(PdfCanvas& canvas, std::string_view label)
      : label_(canvas.text(label, label_style(), kFrame.width() - 2 * kPad)) {
    height_ = std::max(kMinRow, label_.height() + 2 * kPad);
  }
  double height() const override { return height_; }
  void draw(PdfCanvas& canvas, double y) const override {
    canvas.fill_rect(kFrame.left, y, kFrame.width(), height_, kLabelShade);
    canvas.stroke_rect(kFrame.left, y, kFrame.width(), height_, kRule);
    label_.draw(kFrame.left + kPad, y + (height_ - label_.height()) / 2);
  }

 private:
  TextBlock label_;
  double height_ = 0;
};

class DeclarationBlock final : public Block {
 public:
  DeclarationBlock(PdfCanvas& canvas, std::string_view applicant, std::string_view date) {
    TextStyle body;
    body.family = FontFamily::serif;
    body.align = TextAlign::justify;
    body.first_line_indent_em = 2;
    body.line_spacing = 1.6;
    text_ = canvas.text(kDeclaration, body, kFrame.width() - 2 * kInset);
    TextStyle right = label_style();
    right.align = TextAlign::right;
    sign_ = canvas.text("申请人：" + std::string(applicant) + "\n提交日期：" + std::string(date),
                        right, kFrame.width() - 2 * kInset);
    note_ = canvas.text("本申请表由网上行政审批系统根据申请人在线填报的内容生成。",
                        muted_style(8.5), kFrame.width() - 2 * kInset);
    height_ = kInset + text_->height() + kGap + sign_->height() + kGap + note_->height() + kInset;
  }
  double height() const override { return height_; }
  void draw(PdfCanvas& canvas, double y) const override {
    canvas.stroke_rect(kFrame.left, y, kFrame.width(), height_, kRule);
    double row = y + kInset;
    text_->draw(kFrame.left + kInset, row);
    row += text_->height() + kGap;
    sign_->draw(kFrame.left + kInset, row);
    row += sign_->height() + kGap;
    note_->draw(kFrame.left + kInset, row);
  }

 private:
  static constexpr double kInset = 12;
  static constexpr double kGap = 12;
  std::optional<TextBlock> text_, sign_, note_;
  double height_ = 0;
};

// ---- building -----------------------------------------------------------------------------

std::string form_title(std::string_view item_name) {
  for (std::string_view suffix : {"申请表", "申请书", "登记表"}) {
    if (item_name.ends_with(suffix)) return std::string(item_name);
  }
  return std::string(item_name) + "申请表";
}

struct Builder {
  PdfCanvas& canvas;
  const ApplicationPrint& print;
  std::vector<std::unique_ptr<Block>> blocks;

  Block& add(std::unique_ptr<Block> b) {
    blocks.push_back(std::move(b));
    return *blocks.back();
  }

  void heading(std::string_view text) {
    TextStyle section;
    section.size_pt = 12;
    section.bold = true;
    Block& b = add(std::make_unique<TextLineBlock>(canvas, text, section));
    b.gap_after = 6;
    b.keep_with_next = true;
  }

  std::string attachment_names(const FormField& f) const {
    std::string out;
    for (const auto& [label, file] : print.attachments) {
      if (label != f.label) continue;
      if (!out.empty()) out += "、";
      out += file;
    }
    return out;
  }

  std::string value_text(const FormField& f) const {
    auto it = print.data.find(f.name);
    if (f.type == FieldType::attachment) {
      std::string names = attachment_names(f);
      if (names.empty() && it != print.data.end()) names = "见随附材料";
      return names;
    }
    if (it == print.data.end()) return {};
    std::string text = core::display_value(f, it->second);
    // A trailing line break would print as an empty continuation row.
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
      text.pop_back();
    }
    if (f.type == FieldType::money && !text.empty()) text += " 元";
    return text;
  }

  // A label | value field, cut into chunks of at most kMaxChunk of value lines.
  void field_row(const FormField& f) {
    std::string text = value_text(f);
    const bool empty = text.empty();
    auto value = std::make_shared<const TextBlock>(
        canvas.text(empty ? std::string(kEmpty) : text, empty ? muted_style(10.5) : value_style(),
                    kValueInner));
    const std::string label = f.label.empty() ? f.name : f.label;
    const int lines = std::max(1, value->line_count());
    int first = 0;
    bool first_chunk = true;
    while (first < lines) {
      int last = first;
      double h = 0;
      while (last < lines && (last == first || h + value->line_height(last) <= kMaxChunk)) {
        h += value->line_height(last);
        ++last;
      }
      TextBlock label_text =
          canvas.text(first_chunk ? label : label + "（续）",
                      first_chunk ? label_style() : muted_style(), kLabelWidth - 2 * kPad);
      const double label_h = label_text.height();
      add(std::make_unique<FieldChunkBlock>(value, first, std::min(last, value->line_count()),
                                            std::move(label_text), label_h));
      if (value->line_count() == 0) break;
      first = last;
      first_chunk = false;
    }
  }

  void table(const FormField& f) {
    Block& title =
        add(std::make_unique<TableTitleBlock>(canvas, f.label.empty() ? f.name : f.label));
    title.keep_with_next = true;
    std::vector<std::string> head{"序号"};
    for (const FormField& c : f.columns) head.push_back(c.label.empty() ? c.name : c.label);
    Block& header = add(std::make_unique<TableRowBlock>(canvas, head, true));
    header.keep_with_next = true;
    const Block* header_ptr = &header;

    auto it = print.data.find(f.name);
    const bool has_rows = it != print.data.end() &&
                          it->second.kind == core::FieldValue::Kind::rows &&
                          !it->second.rows.empty();
    if (!has_rows) {
      std::vector<std::string> cells{""};
      cells.push_back(std::string(kEmpty));
      cells.resize(head.size());
      add(std::make_unique<TableRowBlock>(canvas, cells, false));
      return;
    }
    const auto& rows = it->second.rows;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      std::vector<std::string> cells{std::to_string(r + 1)};
      for (const FormField& c : f.columns) {
        auto cell = rows[r].find(c.name);
        const bool shown = core::column_visible(f.columns, c, rows[r]);
        cells.push_back(shown && cell != rows[r].end() ? core::display_text(c, cell->second) : "");
      }
      Block& row = add(std::make_unique<TableRowBlock>(canvas, cells, false));
      row.repeat_header = header_ptr;
    }
  }

  void build() {
    TextStyle title_style;
    title_style.family = FontFamily::serif;
    title_style.size_pt = 20;
    title_style.bold = true;
    title_style.align = TextAlign::centre;
    add(std::make_unique<TextLineBlock>(canvas, form_title(print.item_name), title_style))
        .gap_after = 14;
    std::string applicant = print.applicant_name;
    if (!print.applicant_id_masked.empty()) applicant += "（" + print.applicant_id_masked + "）";
    add(std::make_unique<InfoGridBlock>(canvas,
                                        std::vector<std::pair<std::string, std::string>>{
                                            {"申请编号", print.case_number},
                                            {"实施机关", print.department_name},
                                            {"申请人", applicant},
                                            {"提交日期", print.submitted_on},
                                        }))
        .gap_after = 16;

    heading("一、申请信息");
    for (const FormField& f : print.fields) {
      if (!core::field_visible(print.fields, f, print.data)) continue;
      if (f.type == FieldType::table) {
        blocks.back()->gap_after = std::max(blocks.back()->gap_after, 8.0);
        table(f);
        blocks.back()->gap_after = 8;
      } else {
        field_row(f);
      }
    }
    blocks.back()->gap_after = 18;

    heading("二、随附材料");
    if (print.attachments.empty()) {
      add(std::make_unique<TextLineBlock>(canvas, "无", value_style()));
    } else {
      Block& header = add(std::make_unique<TableRowBlock>(
          canvas, std::vector<std::string>{"序号", "材料名称", "文件名"}, true));
      header.keep_with_next = true;
      const Block* header_ptr = &header;
      for (std::size_t i = 0; i < print.attachments.size(); ++i) {
        Block& row = add(std::make_unique<TableRowBlock>(
            canvas,
            std::vector<std::string>{std::to_string(i + 1), print.attachments[i].first,
                                     print.attachments[i].second},
            false));
        row.repeat_header = header_ptr;
      }
    }
    blocks.back()->gap_after = 18;

    heading("三、申请人承诺");
    add(std::make_unique<DeclarationBlock>(canvas, print.applicant_name, print.submitted_on));
  }
};

// The blocks in page order, with a table's header row inserted again before each row that
// begins a page. Inserting moves what follows, so it repeats until nothing changes.
std::vector<const Block*> lay_out(const std::vector<std::unique_ptr<Block>>& blocks,
                                  std::vector<Placement>& placed) {
  std::vector<const Block*> order;
  for (const auto& b : blocks) order.push_back(b.get());
  for (std::size_t guard = 0; guard <= blocks.size(); ++guard) {
    std::vector<FlowItem> flow;
    for (const Block* b : order)
      flow.push_back(FlowItem{b->height(), b->gap_after, b->keep_with_next});
    placed = paginate(flow, kFrame);
    bool changed = false;
    for (std::size_t i = 1; i < order.size(); ++i) {
      const Block* header = order[i]->repeat_header;
      if (header == nullptr || placed[i].page == placed[i - 1].page || order[i - 1] == header) {
        continue;
      }
      order.insert(order.begin() + static_cast<std::ptrdiff_t>(i), header);
      changed = true;
      break;
    }
    if (!changed) break;
  }
  return order;
}

void draw_running_header(PdfCanvas& canvas, const std::string& title, std::string_view number) {
  TextStyle style = muted_style(8.5);
  const double y = 12 * kPointsPerMm;
  canvas.text(title + "（续）", style, 0).draw(kFrame.left, y);
  style.align = TextAlign::right;
  canvas.text("申请编号：" + std::string(number), style, kFrame.width()).draw(kFrame.left, y);
  canvas.line(kFrame.left, kFrame.top - 8, kFrame.right, kFrame.top - 8, 0.4);
}

}  // namespace

Result<std::string> render_application_pdf(const ApplicationPrint& print) {
  const std::string title = form_title(print.item_name);
  SHENPI_ASSIGN(std::unique_ptr<PdfCanvas> canvas, PdfCanvas::create(title));
  Builder builder{*canvas, print, {}};
  builder.build();

  std::vector<Placement> placed;
  const std::vector<const Block*> order = lay_out(builder.blocks, placed);
  const int pages = page_count(placed);
  int page = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    while (page < placed[i].page) {
      canvas->reset_clip();
      draw_page_number(*canvas, page, pages);
      canvas->next_page();
      ++page;
      draw_running_header(*canvas, title, print.case_number);
    }
    canvas->clip(0, 0, kA4WidthPt, kFrame.bottom + kRule);
    order[i]->draw(*canvas, placed[i].y);
  }
  canvas->reset_clip();
  draw_page_number(*canvas, page, pages);
  return canvas->finish();
}

}  // namespace shenpi::docs
