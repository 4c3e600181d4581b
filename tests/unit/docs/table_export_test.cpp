// Spreadsheet exports (docs/table_export.h): CSV with a byte order mark and safe quoting;
// the XLSX zip read back by its own structure (local headers, central directory, CRC-32,
// the OOXML parts a workbook needs).
#include "docs/table_export.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>

namespace shenpi::docs {
namespace {

std::uint32_t u16(const std::string& b, std::size_t at) {
  return static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8;
}
std::uint32_t u32(const std::string& b, std::size_t at) {
  return u16(b, at) | u16(b, at + 2) << 16;
}

// Reads a stored zip through its central directory; checks every entry against its local
// header and its CRC. name → data.
std::map<std::string, std::string> unzip(const std::string& zip) {
  std::map<std::string, std::string> out;
  const std::size_t end = zip.size() - 22;
  EXPECT_EQ(u32(zip, end), 0x06054b50u) << "end of central directory";
  const std::uint32_t entries = u16(zip, end + 10);
  std::size_t at = u32(zip, end + 16);
  EXPECT_EQ(at + u32(zip, end + 12), end)
      << "the central directory ends where the end record starts";
  for (std::uint32_t i = 0; i < entries; ++i) {
    EXPECT_EQ(u32(zip, at), 0x02014b50u);
    EXPECT_EQ(u16(zip, at + 10), 0u) << "stored";
    const std::uint32_t crc = u32(zip, at + 16);
    const std::uint32_t size = u32(zip, at + 20);
    EXPECT_EQ(u32(zip, at + 24), size);
    const std::uint32_t name_len = u16(zip, at + 28);
    const std::uint32_t local = u32(zip, at + 42);
    const std::string name = zip.substr(at + 46, name_len);
    EXPECT_EQ(u32(zip, local), 0x04034b50u) << name;
    EXPECT_EQ(u32(zip, local + 14), crc) << name;
    EXPECT_EQ(zip.substr(local + 30, u16(zip, local + 26)), name);
    const std::string data = zip.substr(local + 30 + name_len + u16(zip, local + 28), size);
    EXPECT_EQ(crc32(data), crc) << name;
    out[name] = data;
    at += 46 + name_len + u16(zip, at + 30) + u16(zip, at + 32);
  }
  return out;
}

TEST(Crc32, MatchesTheStandardCheckValues) {
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
}

TEST(ColumnName, CountsLikeASpreadsheet) {
  EXPECT_EQ(column_name(0), "A");
  EXPECT_EQ(column_name(25), "Z");
  EXPECT_EQ(column_name(26), "AA");
  EXPECT_EQ(column_name(701), "ZZ");
  EXPECT_EQ(column_name(702), "AAA");
}

TEST(Csv, StartsWithTheBomQuotesWhatNeedsItAndDisarmsFormulas) {
  const std::string csv = to_csv({
      {Cell{"部门"}, Cell{"红灯"}},
      {Cell{"潮州市市场监督管理局"}, Cell{"2", true}},
      {Cell{"a,b"}, Cell{"say \"hi\""}, Cell{"two\nlines"}},
      {Cell{"=HYPERLINK(\"x\")"}, Cell{"-3", true}, Cell{"+1"}, Cell{"@x"}},
  });
  EXPECT_EQ(csv,
            "\xEF\xBB\xBF部门,红灯\r\n"
            "潮州市市场监督管理局,2\r\n"
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
            "\"'=HYPERLINK(\"\"x\"\")\",-3,'+1,'@x\r\n");
  EXPECT_EQ(to_csv({}), "\xEF\xBB\xBF");
}

TEST(ZipStore, IsReadableThroughItsCentralDirectory) {
  const std::string zip = zip_store({{"a.txt", "hello"}, {"dir/中文.xml", "<x/>"}, {"empty", ""}});
  const auto files = unzip(zip);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files.at("a.txt"), "hello");
  EXPECT_EQ(files.at("dir/中文.xml"), "<x/>");
  EXPECT_EQ(files.at("empty"), "");
  EXPECT_EQ(zip_store({{"a", "b"}}), zip_store({{"a", "b"}})) << "deterministic";
}

TEST(Xlsx, HoldsTheWorkbookPartsAndTheCells) {
  const std::string book = to_xlsx({
      Sheet{"在办件", {{Cell{"部门"}, Cell{"红灯"}}, {Cell{"市场监管局 <A&B>"}, Cell{"12", true}}}},
      Sheet{"a/b:c[d]*?\\ and a name far longer than thirty-one characters", {}},
  });
  const auto parts = unzip(book);
  for (const char* name :
       {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}) {
    EXPECT_EQ(parts.count(name), 1u) << name;
  }
  const std::string& types = parts.at("[Content_Types].xml");
  EXPECT_NE(types.find("/xl/worksheets/sheet2.xml"), std::string::npos);
  EXPECT_NE(types.find("spreadsheetml.sheet.main+xml"), std::string::npos);
  const std::string& wb = parts.at("xl/workbook.xml");
  EXPECT_NE(wb.find("<sheet name=\"在办件\" sheetId=\"1\" r:id=\"rId1\"/>"), std::string::npos);
  EXPECT_NE(wb.find("<sheet name=\"a_b_c_d____ and a name far long\" sheetId=\"2\""),
            std::string::npos)
      << wb;
  const std::string& s1 = parts.at("xl/worksheets/sheet1.xml");
  EXPECT_NE(s1.find("<c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">市场监管局 "
                    "&lt;A&amp;B&gt;</t></is></c>"),
            std::string::npos)
      << s1;
  EXPECT_NE(s1.find("<c r=\"B2\"><v>12</v></c>"), std::string::npos);
  EXPECT_EQ(unzip(to_xlsx({})).count("xl/worksheets/sheet1.xml"), 1u) << "never without a sheet";
}

TEST(Xlsx, DropsCharactersXmlForbids) {
  const auto parts = unzip(to_xlsx({Sheet{"S",
                                          {{Cell{std::string("a\x01"
                                                             "b\x1f"
                                                             "c\td")}}}}}));
  EXPECT_NE(parts.at("xl/worksheets/sheet1.xml")
                .find(">ab"
                      "c\td</t>"),
            std::string::npos);
}

}  // namespace
}  // namespace shenpi::docs
