// Server-rendered bar charts (web/svg_chart.h) and the dashboard's export tables
// (web/supervision_pages.h): figures in words for screen readers, bars in proportion,
// text escaped; every section of the dashboard in the export.
#include "web/svg_chart.h"

#include <gtest/gtest.h>

#include <string>

#include "web/supervision_pages.h"

namespace shenpi::web {
namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(StackedBarChart, DescribesTheFiguresInWordsAndDrawsOneSegmentPerNonZeroValue) {
  const std::string svg = stacked_bar_chart_svg(
      "c1", "各部门在办件", {{"绿灯", "#2e7d32"}, {"黄灯", "#f0b400"}, {"红灯", "#c62828"}},
      {{"市场监管局", {10, 0, 2}}, {"自然资源局", {4, 1, 1}}});
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("aria-labelledby=\"c1-title c1-desc\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"c1-title\">各部门在办件</title>"), std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"c1-desc\">市场监管局：共 12（绿灯 10，黄灯 0，红灯 2）；"
                     "自然资源局：共 6（绿灯 4，黄灯 1，红灯 1）；</desc>"),
            std::string::npos)
      << svg;
  EXPECT_EQ(count(svg, "<rect"), 3u + 5u) << "legend, then 2 + 3 segments";
  // The longest bar spans the plot (760 - 240 - 70 = 450 px); the other is in proportion.
  EXPECT_NE(svg.find(">12</text>"), std::string::npos);
  EXPECT_NE(svg.find("<text x=\"696\" y=\"48\" font-size=\"13\">12</text>"), std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<text x=\"471\" y=\"80\" font-size=\"13\">6</text>"), std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
}

TEST(StackedBarChart, EscapesTextAndSaysWhenThereIsNothing) {
  const std::string svg =
      stacked_bar_chart_svg("c2", "A<B", {{"x&y", "#000"}}, {{"<script>", {1}}});
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("A&lt;B"), std::string::npos);
  const std::string empty = stacked_bar_chart_svg("c3", "空", {{"红灯", "#c62828"}}, {});
  EXPECT_NE(empty.find("<desc id=\"c3-desc\">暂无数据</desc>"), std::string::npos);
  EXPECT_NE(empty.find(">暂无数据</text>"), std::string::npos);
}

TEST(DashboardSheets, ExportEverySectionWithHeadersAndTotals) {
  app::DashboardView v;
  v.today = "2026-10-16";
  v.signals.push_back({"445100-SCJGJ", "潮州市市场监督管理局", 3, 1, 2});
  v.totals = {"", "", 3, 1, 2};
  app::LateCaseRow late;
  late.c = {"44510020260928000001", "食品经营许可", "445100-SCJGJ",
            "潮州市市场监督管理局", "in_review",    "2026-10-09"};
  late.days_late = 5;
  v.late.push_back(late);
  v.warning_counts.push_back({core::WarningRule::acceptance_late, core::WarningState::open, 1});
  app::Notice n;
  n.id = 7;
  n.department_code = "445100-SCJGJ";
  n.subject = "受理超期";
  n.issued_on = "2026-10-12";
  n.reply_due_on = "2026-10-14";
  v.notices.push_back(n);
  const auto sheets = dashboard_sheets(v);
  ASSERT_EQ(sheets.size(), 5u);
  EXPECT_EQ(sheets[0].name, "在办件");
  ASSERT_EQ(sheets[0].rows.size(), 3u) << "header, one department, the total";
  EXPECT_EQ(sheets[0].rows[1][4].text, "2");
  EXPECT_TRUE(sheets[0].rows[1][4].number);
  EXPECT_EQ(sheets[0].rows[2][5].text, "6");
  EXPECT_EQ(sheets[1].rows[1][0].text, "44510020260928000001");
  EXPECT_FALSE(sheets[1].rows[1][0].number) << "case numbers stay text (no 4.45E+19)";
  EXPECT_EQ(sheets[1].rows[1][4].text, "5");
  EXPECT_EQ(sheets[2].rows[1][0].text, "受理超期");
  EXPECT_EQ(sheets[4].rows[1][5].text, "逾期未答复") << "derived on 10/16 from the deadline";
  EXPECT_EQ(sheets[4].rows[1][1].text, "445100-SCJGJ") << "the code when the name is unknown";
}

}  // namespace
}  // namespace shenpi::web
