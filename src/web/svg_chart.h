#pragma once
// Bar charts drawn on the server as inline SVG (the supervision dashboard): no script,
// readable by screen readers (role="img", <title> and <desc> carry the figures in words),
// and the page shows the same figures as a table beside it. Pure.
#include <string>
#include <vector>

namespace shenpi::web {

struct ChartSeries {
  std::string name;   //!< legend text, e.g. 红灯
  std::string color;  //!< CSS colour, e.g. #c0392b
};

struct ChartBar {
  std::string label;         //!< e.g. the department's name
  std::vector<long> values;  //!< one per series, >= 0 (negative counts as 0)
};

//! Horizontal stacked bars, one per entry of `bars`, segments in series order, scaled to
//! the largest total; each total printed at the end of its bar. `id` makes the title and
//! description ids unique on the page. An empty chart says 暂无数据.
std::string stacked_bar_chart_svg(const std::string& id, const std::string& title,
                                  const std::vector<ChartSeries>& series,
                                  const std::vector<ChartBar>& bars);

}  // namespace shenpi::web
