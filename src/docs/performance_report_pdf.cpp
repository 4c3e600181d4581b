// The monthly performance report: measured first (every block and table row), placed on
// pages with the table header repeated where a table continues, then drawn, so that the
// footer can say how many pages there are.
#include "docs/performance_report_pdf.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "docs/page_frame.h"
#include "docs/pdf_canvas.h"

namespace shenpi::docs {
namespace {

constexpr PageFrame kFrame{};
constexpr double kCellPad = 2.5;

// Column widths in points: the name column takes what the 12 figure columns leave.
constexpr int kFigureColumns = 12;
constexpr double kFigureWidth = 27.0;
constexpr double kNameWidth = kFrame.width() - kFigureColumns * kFigureWidth;

std::vector<std::string> header_cells(std::string_view first) {
  return {std::string(first), "收件",    "受理",     "办结", "按时", "超期",    "按时率",
          "平均用时",         "90%用时", "特别程序", "延期", "警示", "投诉属实"};
}

std::string percent(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * 100.0);
  return buf;
}

std::vector<std::string> figure_cells(std::string name, const core::PerformanceFigures& f) {
  const bool any = f.decided > 0;
  return {std::move(name),
          std::to_string(f.received),
          std::to_string(f.accepted),
          std::to_string(f.decided),
          std::to_string(f.on_time),
          std::to_string(f.late),
          any ? percent(f.on_time_rate()) : "—",
          any ? one_decimal(f.average_days) : "—",
          any ? std::to_string(f.p90_days) : "—",
          std::to_string(f.suspensions),
          std::to_string(f.extensions),
          std::to_string(f.warnings),
          std::to_string(f.complaints_upheld)};
}

// One thing to place: a block of text, or a table row (cells).
struct Element {
  std::vector<TextBlock> cells;  // one: a block; more: a table row
  double height = 0;
  double gap_after = 0;
  bool is_row = false;
  bool is_header = false;
  int table = -1;  // the table a row belongs to
  bool keep_with_next = false;
};

struct Placed {
  std::size_t element = 0;
  int page = 0;
  double y = 0;
};

}  // namespace

std::string chinese_date(const core::Date& d) {
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
         "日";
}

std::string one_decimal(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::round(value * 10.0) / 10.0);
  return buf;
}

Result<std::string> render_performance_report(const core::PerformanceReport& report,
                                              std::string_view period_label,
                                              std::string_view generated_on) {
  const std::string title = "潮州市网上行政审批绩效月报（" + std::string(period_label) + "）";
  SHENPI_ASSIGN(std::unique_ptr<PdfCanvas> canvas, PdfCanvas::create(title));

  TextStyle title_style;
  title_style.family = FontFamily::serif;
  title_style.size_pt = 16;
  title_style.bold = true;
  title_style.align = TextAlign::centre;
  TextStyle subtitle = title_style;
  subtitle.size_pt = 11;
  subtitle.bold = false;
  TextStyle heading;
  heading.family = FontFamily::sans;
  heading.size_pt = 12;
  heading.bold = true;
  TextStyle body;
  body.family = FontFamily::serif;
  body.size_pt = 11;
  body.align = TextAlign::justify;
  body.first_line_indent_em = 2;
  body.line_spacing = 1.4;
  TextStyle cell;
  cell.size_pt = 7.5;
  cell.align = TextAlign::centre;
  TextStyle name_cell = cell;
  name_cell.align = TextAlign::left;
  TextStyle head_cell = cell;
  head_cell.bold = true;

  std::vector<Element> elements;
  auto block = [&](std::string_view text, const TextStyle& style, double gap, bool keep = false) {
    Element e;
    e.cells.push_back(canvas->text(text, style, kFrame.width()));
    e.height = e.cells.front().height();
    e.gap_after = gap;
    e.keep_with_next = keep;
    elements.push_back(std::move(e));
  };
  auto row = [&](const std::vector<std::string>& cells, int table, bool header) {
    Element e;
    e.is_row = true;
    e.is_header = header;
    e.table = table;
    double h = 0;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const double w = (i == 0 ? kNameWidth : kFigureWidth) - 2 * kCellPad;
      e.cells.push_back(
          canvas->text(cells[i], header ? head_cell : (i == 0 ? name_cell : cell), w));
      h = std::max(h, e.cells.back().height());
    }
    e.height = h + 2 * kCellPad;
    e.keep_with_next = header;
    elements.push_back(std::move(e));
  };

  const core::PerformanceFigures& c = report.city;
  block(title, title_style, 6);
  block("统计期间：" + chinese_date(report.from) + "至" + chinese_date(report.to), subtitle, 16);
  block("一、全市总体情况", heading, 6, true);
  std::string summary = "本期全市共收件" + std::to_string(c.received) + "件，受理" +
                        std::to_string(c.accepted) + "件，办结" + std::to_string(c.decided) +
                        "件（准予许可" + std::to_string(c.approved) + "件），其中按时办结" +
                        std::to_string(c.on_time) + "件、超期办结" + std::to_string(c.late) + "件";
  if (c.decided > 0) {
    summary += "，按时办结率" + percent(c.on_time_rate()) + "；平均用时" +
               one_decimal(c.average_days) + "个工作日，90%的办件在" + std::to_string(c.p90_days) +
               "个工作日内办结";
  }
  summary += "。启动特别程序" + std::to_string(c.suspensions) + "次，延长期限" +
             std::to_string(c.extensions) + "次；电子监察发出警示" + std::to_string(c.warnings) +
             "条；经查属实或部分属实的投诉" + std::to_string(c.complaints_upheld) + "件。";
  const auto& levels = core::rating_levels();
  summary += "群众评价共" + std::to_string(c.ratings_total()) + "条：";
  for (std::size_t i = 0; i < levels.size() && i < core::kRatingLevels; ++i) {
    summary += std::string(core::label(levels[i])) + std::to_string(c.ratings[i]) + "条";
    summary += i + 1 < levels.size() ? "，" : "。";
  }
  block(summary, body, 14);

  block("二、各单位办件情况", heading, 6, true);
  if (report.departments.empty()) {
    block("本期无办件。", body, 14);
  } else {
    row(header_cells("单位"), 0, true);
    for (const auto& d : report.departments) {
      row(figure_cells(d.department_name.empty() ? d.department_code : d.department_name,
                       d.figures),
          0, false);
    }
    elements.back().gap_after = 14;
  }
  block("三、各事项办件情况", heading, 6, true);
  if (report.items.empty()) {
    block("本期无办件。", body, 14);
  } else {
    row(header_cells("事项（单位）"), 1, true);
    for (const auto& it : report.items) {
      std::string name = it.item_name.empty() ? it.item_code : it.item_name;
      if (!it.department_name.empty()) name += "（" + it.department_name + "）";
      row(figure_cells(std::move(name), it.figures), 1, false);
    }
    elements.back().gap_after = 14;
  }
  block("说明", heading, 6, true);
  block(
      "1. 收件指本期首次提交的申请；受理含逾期未作决定而视为受理的申请；办结指本期作出准予或不予"
      "许可决定的办件。并联审批办件在全市统计中计一件，在各参与单位中各计一件。",
      body, 2);
  block(
      "2. 用时为受理之日至作出决定之日的工作日数，不含特别程序（检验、检测、鉴定、专家评审、"
      "听证等）所需时间；超期指在承诺期限（含经批准的延长期限）届满后作出决定。",
      body, 2);
  block("3. 群众评价不含经申诉认定不计入的差评；投诉以监察机关答复为准。", body, 0);

  // Place: a row that starts a new page in the middle of a table gets the header again.
  std::vector<Placed> placed;
  std::vector<std::size_t> header_of(2, 0);
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (elements[i].is_header) header_of[static_cast<std::size_t>(elements[i].table)] = i;
  }
  int page = 0;
  double y = kFrame.top;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const Element& e = elements[i];
    double need = e.height;
    if (e.keep_with_next && i + 1 < elements.size()) need += e.gap_after + elements[i + 1].height;
    if (y + need > kFrame.bottom && y > kFrame.top) {
      ++page;
      y = kFrame.top;
      if (e.is_row && !e.is_header) {
        const std::size_t h = header_of[static_cast<std::size_t>(e.table)];
        placed.push_back(Placed{h, page, y});
        y += elements[h].height;
      }
    }
    placed.push_back(Placed{i, page, y});
    y += e.height + e.gap_after;
  }
  const int pages = page + 1;

  const std::string footer = "潮州市网上行政审批系统生成 · " + std::string(generated_on);
  auto close_page = [&](int p) {
    draw_footer_line(*canvas, footer);
    draw_page_number(*canvas, p, pages);
  };
  int current = 0;
  for (const Placed& p : placed) {
    while (current < p.page) {
      close_page(current);
      canvas->next_page();
      ++current;
    }
    const Element& e = elements[p.element];
    if (!e.is_row) {
      e.cells.front().draw(kFrame.left, p.y);
      continue;
    }
    if (e.is_header) canvas->fill_rect(kFrame.left, p.y, kFrame.width(), e.height, 0.9);
    double x = kFrame.left;
    for (std::size_t i = 0; i < e.cells.size(); ++i) {
      const double w = i == 0 ? kNameWidth : kFigureWidth;
      canvas->stroke_rect(x, p.y, w, e.height, 0.5);
      e.cells[i].draw(x + kCellPad, p.y + kCellPad);
      x += w;
    }
  }
  close_page(current);
  return canvas->finish();
}

}  // namespace shenpi::docs
