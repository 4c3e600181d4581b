#pragma once
// The page geometry shared by our A4 documents, the page-number footer, and the paginator
// that places measured blocks on pages without splitting them.
#include <string_view>
#include <vector>

#include "docs/pdf_canvas.h"

namespace shenpi::docs {

//! The printable area of a page, in points. Generous margins suit binding and stamping.
struct PageFrame {
  double left = 25.0 * kPointsPerMm;
  double right = kA4WidthPt - 20.0 * kPointsPerMm;
  double top = 22.0 * kPointsPerMm;
  double bottom = kA4HeightPt - 22.0 * kPointsPerMm;
  constexpr double width() const { return right - left; }
  constexpr double height() const { return bottom - top; }
};

//! Something to place: its height, the space after it, and whether it must stay on the
//! same page as the next item (headings).
struct FlowItem {
  double height = 0;
  double gap_after = 0;
  bool keep_with_next = false;
};

//! Where an item landed: 0-based page and the y of its top.
struct Placement {
  int page = 0;
  double y = 0;
};

//! Places items top to bottom between frame.top and frame.bottom, starting a new page
//! when an item (together with the next one, when keep_with_next) would cross the bottom.
//! Items are never split; one taller than a whole page gets a page of its own and
//! overflows (callers clip it). Returns one Placement per item.
std::vector<Placement> paginate(const std::vector<FlowItem>& items, const PageFrame& frame);

//! Number of pages used by placements; at least 1.
int page_count(const std::vector<Placement>& placements);

//! Draws “第 X 页 共 Y 页” centred at the foot of the page; page is 0-based.
void draw_page_number(PdfCanvas& canvas, int page, int total);

//! Draws a small grey line of text centred above the page number (document footers).
void draw_footer_line(PdfCanvas& canvas, std::string_view text);

}  // namespace shenpi::docs
