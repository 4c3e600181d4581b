#include "web/svg_chart.h"

#include <algorithm>

#include "web/template/template.h"

namespace shenpi::web {
namespace {

constexpr int kWidth = 760;
constexpr int kLabelWidth = 240;
constexpr int kBarHeight = 22;
constexpr int kRowHeight = 32;
constexpr int kTop = 30;          // the legend
constexpr int kNumberWidth = 70;  // room for the total after the longest bar

std::string esc(const std::string& text) {
  std::string out;
  append_html_escaped(out, text);
  return out;
}

}  // namespace

std::string stacked_bar_chart_svg(const std::string& id, const std::string& title,
                                  const std::vector<ChartSeries>& series,
                                  const std::vector<ChartBar>& bars) {
  long max_total = 0;
  std::string desc;
  for (const ChartBar& b : bars) {
    long total = 0;
    std::string parts;
    for (std::size_t i = 0; i < b.values.size() && i < series.size(); ++i) {
      const long v = std::max(0L, b.values[i]);
      total += v;
      if (!parts.empty()) parts += "，";
      parts += series[i].name + " " + std::to_string(v);
    }
    max_total = std::max(max_total, total);
    desc += b.label + "：共 " + std::to_string(total);
    if (series.size() > 1) desc += "（" + parts + "）";
    desc += "；";
  }
  if (bars.empty()) desc = "暂无数据";

  const int height =
      kTop + static_cast<int>(std::max<std::size_t>(bars.size(), 1)) * kRowHeight + 8;
  std::string s =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"" +
      std::to_string(kWidth) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
      std::to_string(kWidth) + " " + std::to_string(height) + "\" aria-labelledby=\"" + esc(id) +
      "-title " + esc(id) + "-desc\">";
  s += "<title id=\"" + esc(id) + "-title\">" + esc(title) + "</title>";
  s += "<desc id=\"" + esc(id) + "-desc\">" + esc(desc) + "</desc>";

  // Legend.
  int x = kLabelWidth;
  for (const ChartSeries& c : series) {
    s += "<rect x=\"" + std::to_string(x) + "\" y=\"6\" width=\"14\" height=\"14\" fill=\"" +
         esc(c.color) + "\"/>";
    s += "<text x=\"" + std::to_string(x + 20) + "\" y=\"18\" font-size=\"13\">" + esc(c.name) +
         "</text>";
    x += 30 + 14 * static_cast<int>(c.name.size() / 3 + 1);
  }
  if (bars.empty()) {
    s += "<text x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(kTop + 20) +
         "\" font-size=\"14\">暂无数据</text></svg>";
    return s;
  }

  const int plot = kWidth - kLabelWidth - kNumberWidth;
  for (std::size_t r = 0; r < bars.size(); ++r) {
    const ChartBar& b = bars[r];
    const int y = kTop + static_cast<int>(r) * kRowHeight;
    s += "<text x=\"" + std::to_string(kLabelWidth - 8) + "\" y=\"" + std::to_string(y + 16) +
         "\" font-size=\"13\" text-anchor=\"end\">" + esc(b.label) + "</text>";
    long total = 0;
    int bx = kLabelWidth;
    for (std::size_t i = 0; i < b.values.size() && i < series.size(); ++i) {
      const long v = std::max(0L, b.values[i]);
      total += v;
      if (v == 0 || max_total == 0) continue;
      // Each segment's width from the running total, so rounding never adds up past the end.
      const int end =
          kLabelWidth + static_cast<int>(static_cast<long long>(total) * plot / max_total);
      const int w = std::max(1, end - bx);
      s += "<rect x=\"" + std::to_string(bx) + "\" y=\"" + std::to_string(y + 2) + "\" width=\"" +
           std::to_string(w) + "\" height=\"" + std::to_string(kBarHeight) + "\" fill=\"" +
           esc(series[i].color) + "\"><title>" +
           esc(b.label + " " + series[i].name + " " + std::to_string(v)) + "</title></rect>";
      bx += w;
    }
    s += "<text x=\"" + std::to_string(bx + 6) + "\" y=\"" + std::to_string(y + 18) +
         "\" font-size=\"13\">" + std::to_string(total) + "</text>";
  }
  s += "</svg>";
  return s;
}

}  // namespace shenpi::web
