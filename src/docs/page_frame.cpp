#include "docs/page_frame.h"

#include <algorithm>
#include <string>

namespace shenpi::docs {
namespace {
constexpr double kPageNumberTop = kA4HeightPt - 14.0 * kPointsPerMm;
constexpr double kFooterLineTop = kA4HeightPt - 19.0 * kPointsPerMm;
}  // namespace

std::vector<Placement> paginate(const std::vector<FlowItem>& items, const PageFrame& frame) {
  std::vector<Placement> placed;
  placed.reserve(items.size());
  int page = 0;
  double y = frame.top;
  for (std::size_t i = 0; i < items.size(); ++i) {
    double needed = items[i].height;
    if (items[i].keep_with_next && i + 1 < items.size()) {
      needed += items[i].gap_after + items[i + 1].height;
    }
    const bool at_page_top = y <= frame.top;
    if (!at_page_top && y + needed > frame.bottom) {
      ++page;
      y = frame.top;
    }
    placed.push_back(Placement{page, y});
    y += items[i].height + items[i].gap_after;
  }
  return placed;
}

int page_count(const std::vector<Placement>& placements) {
  int pages = 1;
  for (const Placement& p : placements) pages = std::max(pages, p.page + 1);
  return pages;
}

void draw_page_number(PdfCanvas& canvas, int page, int total) {
  const std::string text =
      "第 " + std::to_string(page + 1) + " 页 共 " + std::to_string(total) + " 页";
  TextStyle style;
  style.size_pt = 9;
  style.align = TextAlign::centre;
  const PageFrame frame;
  canvas.text(text, style, frame.width()).draw(frame.left, kPageNumberTop);
}

void draw_footer_line(PdfCanvas& canvas, std::string_view text) {
  const PageFrame frame;
  TextStyle style;
  style.size_pt = 9;
  style.grey = 0.35;
  style.align = TextAlign::centre;
  canvas.text(text, style, frame.width()).draw(frame.left, kFooterLineTop);
}

}  // namespace shenpi::docs
