// A plain A4 document (示范文本, notices): a centred title and justified paragraphs that
// may continue on the next page. Laid out line by line so a page break can fall inside a
// paragraph; measured first so the footer can say how many pages there are.
#include <memory>
#include <string>
#include <vector>

#include "docs/form_pdf.h"
#include "docs/page_frame.h"
#include "docs/pdf_canvas.h"

namespace shenpi::docs {
namespace {

constexpr PageFrame kFrame{};
constexpr double kTitleGap = 20;
constexpr double kParagraphGap = 6;

// One placed unit: the title (line < 0) or line `line` of paragraph `paragraph`.
struct LineRef {
  int paragraph = -1;
  int line = -1;
};

}  // namespace

Result<std::string> render_text_document(std::string_view title,
                                         const std::vector<std::string>& paragraphs,
                                         std::string_view footer) {
  SHENPI_ASSIGN(std::unique_ptr<PdfCanvas> canvas, PdfCanvas::create(title));

  TextStyle title_style;
  title_style.family = FontFamily::serif;
  title_style.size_pt = 18;
  title_style.bold = true;
  title_style.align = TextAlign::centre;
  const TextBlock title_block = canvas->text(title, title_style, kFrame.width());

  TextStyle body;
  body.family = FontFamily::serif;
  body.size_pt = 12;
  body.align = TextAlign::justify;
  body.first_line_indent_em = 2;
  body.line_spacing = 1.5;

  std::vector<TextBlock> blocks;
  std::vector<LineRef> refs;
  std::vector<FlowItem> flow;
  if (!title.empty()) {
    refs.push_back(LineRef{});
    flow.push_back(FlowItem{title_block.height(), kTitleGap, true});
  }
  blocks.reserve(paragraphs.size());
  for (const std::string& paragraph : paragraphs) {
    blocks.push_back(canvas->text(paragraph, body, kFrame.width()));
    const TextBlock& block = blocks.back();
    const int p = static_cast<int>(blocks.size()) - 1;
    for (int i = 0; i < block.line_count(); ++i) {
      const bool last = i + 1 == block.line_count();
      // The advance to the next line includes the extra line spacing.
      const double advance =
          last ? block.line_height(i) : block.line_top(i + 1) - block.line_top(i);
      // No lone first or last line of a paragraph at a page break (orphans, widows).
      const int lines = block.line_count();
      const bool keep = lines > 1 && (i == 0 || i == lines - 2);
      refs.push_back(LineRef{p, i});
      flow.push_back(FlowItem{advance, last ? kParagraphGap : 0.0, keep});
    }
  }

  const std::vector<Placement> placed = paginate(flow, kFrame);
  const int pages = page_count(placed);
  auto close_page = [&](int page) {
    if (!footer.empty()) draw_footer_line(*canvas, footer);
    if (pages > 1) draw_page_number(*canvas, page, pages);
  };

  int page = 0;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    while (page < placed[i].page) {
      close_page(page);
      canvas->next_page();
      ++page;
    }
    if (refs[i].paragraph < 0) {
      title_block.draw(kFrame.left, placed[i].y);
    } else {
      blocks[refs[i].paragraph].draw_line(refs[i].line, kFrame.left, placed[i].y);
    }
  }
  close_page(page);
  return canvas->finish();
}

}  // namespace shenpi::docs
