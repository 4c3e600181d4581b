#include "docs/qr_svg.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace shenpi::docs {
namespace {

TEST(QrEncode, SmallestVersionForTheInputSize) {
  // Byte mode at level M holds 14 bytes in version 1 (21 modules), 26 in version 2
  // (25 modules) and 42 in version 3 (29 modules).
  auto v1 = qr_encode(std::string(14, 'a'));
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->size, 21);
  EXPECT_EQ(v1->dark.size(), 21u * 21u);
  auto v2 = qr_encode(std::string(15, 'a'));
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->size, 25);
  auto v3 = qr_encode(std::string(40, 'a'));
  ASSERT_TRUE(v3.ok());
  EXPECT_EQ(v3->size, 29);
}

TEST(QrEncode, FinderPatternsInThreeCorners) {
  auto m = qr_encode("otpauth://totp/Shenpi:lisi?secret=ABC");
  ASSERT_TRUE(m.ok());
  const int n = m->size;
  for (const auto& [x0, y0] : {std::pair{0, 0}, std::pair{n - 7, 0}, std::pair{0, n - 7}}) {
    EXPECT_TRUE(m->at(x0, y0));           // outer ring
    EXPECT_FALSE(m->at(x0 + 1, y0 + 1));  // light ring
    EXPECT_TRUE(m->at(x0 + 3, y0 + 3));   // centre
  }
  EXPECT_FALSE(m->at(7, 0));  // separator
}

TEST(QrEncode, RefusesEmptyAndOversizedText) {
  auto empty = qr_encode("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().kind, ErrorKind::invalid_input);
  auto huge = qr_encode(std::string(4000, 'x'));  // version 40-M holds 2331 bytes
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, "qr_too_long");
}

TEST(QrSvg, IsOneSvgElementWithQuietZoneAndEscapedLabel) {
  auto svg = qr_svg(std::string(14, 'a'), "扫码 <绑定> & \"验证\"", 200);
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(svg->rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(svg->substr(svg->size() - 6), "</svg>");
  // 21 modules plus 4 on each side.
  EXPECT_NE(svg->find("viewBox=\"0 0 29 29\""), std::string::npos);
  EXPECT_NE(svg->find("width=\"200\" height=\"200\""), std::string::npos);
  EXPECT_NE(svg->find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg->find("aria-label=\"扫码 &lt;绑定&gt; &amp; &quot;验证&quot;\""),
            std::string::npos);
  EXPECT_EQ(svg->find("<script"), std::string::npos);
  // The top-left finder pattern starts a 7-module run at the quiet zone's edge.
  EXPECT_NE(svg->find("M4 4h7v1h-7z"), std::string::npos);
  // Only path commands and numbers inside d: nothing from the input leaks in.
  const std::size_t d = svg->find(" d=\"");
  ASSERT_NE(d, std::string::npos);
  const std::string path = svg->substr(d + 4, svg->find('"', d + 4) - d - 4);
  EXPECT_TRUE(std::regex_match(path, std::regex("(M[0-9]+ [0-9]+h[0-9]+v1h-[0-9]+z)+")));
}

TEST(QrSvg, DarkModuleCountMatchesThePath) {
  auto m = qr_encode("hello");
  ASSERT_TRUE(m.ok());
  int dark = 0;
  for (bool b : m->dark) dark += b ? 1 : 0;
  const std::string svg = qr_svg(*m, "qr");
  int drawn = 0;
  const std::regex run("h([0-9]+)v1");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), run); it != std::sregex_iterator();
       ++it) {
    drawn += std::stoi((*it)[1]);
  }
  EXPECT_EQ(drawn, dark);
  EXPECT_GT(dark, 0);
}

}  // namespace
}  // namespace shenpi::docs
