// The kind of an upload by content, and the names it is shown under: tables of what an
// applicant might upload and what an attacker might try (issue 6's list included).
#include "core/uploads/file_kind.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shenpi::core {
namespace {

std::string bytes(std::initializer_list<int> list) {
  std::string out;
  for (int b : list) out.push_back(static_cast<char>(b));
  return out;
}

// A PNG chunk: length, type, data and a CRC (not checked, so zeros).
std::string chunk(std::string_view type, std::string_view data) {
  const auto n = static_cast<std::uint32_t>(data.size());
  std::string out = bytes({static_cast<int>(n >> 24), static_cast<int>((n >> 16) & 0xFF),
                           static_cast<int>((n >> 8) & 0xFF), static_cast<int>(n & 0xFF)});
  out += type;
  out += data;
  out += std::string(4, '\0');
  return out;
}

const std::string kPngSignature = bytes({0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
const std::string kIhdr = chunk("IHDR", std::string(13, '\1'));
const std::string kPng = kPngSignature + kIhdr + chunk("IDAT", "xx") + chunk("IEND", "");

const std::string kPdf =
    "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n"
    "2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n3 0 obj\n(<48656c6c6f>)\nendobj\n"
    "trailer\n<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n";

// SOI, APP0 (JFIF), SOS with its header, entropy-coded data, EOI.
const std::string kJpegHead =
    bytes({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
const std::string kSos = bytes({0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0});
const std::string kEoi = bytes({0xFF, 0xD9});
const std::string kJpeg = kJpegHead + kSos + "\x12\x34\xFF\x00\x56" + kEoi;

// A JPEG comment segment (COM) carrying `text`.
std::string jpeg_comment(std::string_view text) {
  const std::size_t n = text.size() + 2;
  return bytes({0xFF, 0xFE, static_cast<int>(n >> 8), static_cast<int>(n & 0xFF)}) +
         std::string(text);
}

struct KindCase {
  std::string what;
  std::string content;
  std::string expect;  //!< the kind, or the error code
};

TEST(FileKind, TableOfContents) {
  const std::vector<KindCase> cases = {
      // accepted
      {"a PDF", kPdf, "pdf"},
      {"a PDF 2.0", "%PDF-2.0\n1 0 obj<<>>endobj\n%%EOF", "pdf"},
      {"a PDF with whitespace and NULs after %%EOF", kPdf + std::string("\r\n\0\0 ", 5), "pdf"},
      {"a PDF updated incrementally", kPdf + "1 0 obj<<>>endobj\n%%EOF\r\n", "pdf"},
      {"a PNG", kPng, "png"},
      {"a JPEG", kJpeg, "jpeg"},
      {"a JPEG with fill bytes before a marker",
       kJpegHead + bytes({0xFF, 0xFF}) + kSos + "\x01" + kEoi, "jpeg"},
      {"a JPEG with a motion-photo trailer",
       kJpeg + std::string("\0\0\0\x18"
                           "ftypmp42",
                           12),
       "jpeg"},
      // empty and other formats
      {"an empty file", "", "file_empty"},
      {"HTML named .pdf", "<!DOCTYPE html><html><body>x</body></html>", "file_type_not_allowed"},
      {"HTML with a PDF header later", "<html>\n%PDF-1.4\n%%EOF", "file_type_not_allowed"},
      {"HTML after blanks", "  \r\n<script>alert(1)</script>", "file_type_not_allowed"},
      {"an SVG", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x</script></svg>",
       "file_type_not_allowed"},
      {"an SVG with an XML declaration", "<?xml version=\"1.0\"?><svg/>", "file_type_not_allowed"},
      {"a shell script", "#!/bin/sh\nrm -rf /\n", "file_type_not_allowed"},
      {"a Windows executable", std::string("MZ\x90\0\3\0\0\0", 8), "file_type_not_allowed"},
      {"an ELF executable",
       "\x7F"
       "ELF\2\1\1",
       "file_type_not_allowed"},
      {"a zip (DOCX, XLSX, OFD, zip bomb)", std::string("PK\3\4\x14\0\0\0", 8),
       "file_type_not_allowed"},
      {"a GIF", "GIF89a\1\0\1\0", "file_type_not_allowed"},
      {"plain text", "申请书", "file_type_not_allowed"},
      {"a PDF header without a version", "%PDF-\n%%EOF", "file_type_not_allowed"},
      {"a PDF header not at the start", " %PDF-1.4\n%%EOF", "file_type_not_allowed"},
      // damaged, or something after the end
      {"a PDF without %%EOF", "%PDF-1.4\n1 0 obj<<>>endobj\n", "file_damaged"},
      {"a PDF with HTML after %%EOF", kPdf + "<p>hi</p>", "file_damaged"},
      {"a PDF with a zip after %%EOF", kPdf + std::string("PK\3\4", 4), "file_damaged"},
      {"a PNG signature only", kPngSignature, "file_damaged"},
      {"a PNG cut off in a chunk", kPng.substr(0, kPng.size() - 6), "file_damaged"},
      {"a PNG without IEND", kPngSignature + kIhdr + chunk("IDAT", "x"), "file_damaged"},
      {"a PNG with data after IEND", kPng + "<html>", "file_damaged"},
      {"a PNG whose first chunk is not IHDR",
       kPngSignature + chunk("IDAT", "x") + chunk("IEND", ""), "file_damaged"},
      {"a PNG with a chunk length beyond the file",
       kPngSignature + kIhdr + bytes({0x7F, 0xFF, 0xFF, 0xF0}) + "IDAT", "file_damaged"},
      {"a PNG with a length above 2^31",
       kPngSignature + kIhdr + bytes({0xFF, 0xFF, 0xFF, 0xFF}) + "IDAT" + std::string(8, '\0'),
       "file_damaged"},
      {"a PNG with a non-letter chunk type",
       kPngSignature + kIhdr + chunk("ID<T", "") + chunk("IEND", ""), "file_damaged"},
      {"a JPEG start only", bytes({0xFF, 0xD8, 0xFF}), "file_damaged"},
      {"a JPEG without EOI", kJpegHead + kSos + "\x12\x34", "file_damaged"},
      {"a JPEG without a scan", kJpegHead + kEoi, "file_damaged"},
      {"a JPEG segment longer than the file", kJpegHead + bytes({0xFF, 0xE1, 0xFF, 0xFF, 0}),
       "file_damaged"},
      {"a JPEG segment length below 2", kJpegHead + bytes({0xFF, 0xE1, 0x00, 0x01}) + kSos + kEoi,
       "file_damaged"},
      // polyglots and active content
      {"a PDF that is also an HTML page",
       "%PDF-1.4\n%<html><body><script>alert(document.cookie)</script>\n%%EOF",
       "file_active_content"},
      {"a PDF with upper-case script tags", "%PDF-1.4\n(<SCRIPT>x</SCRIPT>)\n%%EOF",
       "file_active_content"},
      {"a PDF with an iframe", "%PDF-1.4\n(<iframe src=x>)\n%%EOF", "file_active_content"},
      {"a PDF with JavaScript", "%PDF-1.4\n<</S/JavaScript/JS(app.alert(1))>>\n%%EOF",
       "file_active_content"},
      {"a PDF with a launch action", "%PDF-1.4\n<</S/Launch/F(cmd.exe)>>\n%%EOF",
       "file_active_content"},
      {"a PDF with a javascript: link", "%PDF-1.4\n<</URI(JavaScript:alert(1))>>\n%%EOF",
       "file_active_content"},
      {"a PNG with HTML in a text chunk",
       kPngSignature + kIhdr + chunk("tEXt", "Comment <script>alert(1)</script>") +
           chunk("IEND", ""),
       "file_active_content"},
      {"a JPEG with an SVG in a comment",
       kJpegHead + jpeg_comment("<svg onload=alert(1)>") + kSos + kEoi, "file_active_content"},
      {"a JPEG with HTML after EOI", kJpeg + "<html><script>x</script>", "file_active_content"},
      // look-alikes that are not markup
      {"a PDF with words that start like tags", "%PDF-1.4\n(<header> <bodyguard> <svgx>)\n%%EOF",
       "pdf"},
      {"a JPEG with an ordinary comment",
       kJpegHead + jpeg_comment("<< scanned at window 3 >>") + kSos + kEoi, "jpeg"},
  };
  for (const KindCase& c : cases) {
    const Result<FileKind> r = detect_file_kind(c.content);
    const std::string got = r.ok() ? std::string(to_string(*r)) : r.error().code;
    EXPECT_EQ(got, c.expect) << c.what;
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << c.what;
      EXPECT_EQ(r.error().field, "file") << c.what;
      EXPECT_FALSE(r.error().message.empty()) << c.what;
    }
  }
}

TEST(FileKind, RefusalNamesTheAcceptedFormatsInChinese) {
  const Result<FileKind> r = detect_file_kind("<html></html>", "materials[0]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "仅支持 PDF、JPG、PNG 格式");
  EXPECT_EQ(r.error().field, "materials[0]");
}

TEST(FileKind, EveryPrefixOfAnAcceptedFileIsHandled) {
  // Cut-off uploads: never a crash or a read past the end; only the whole file passes.
  for (const std::string& whole : {kPdf, kPng, kJpeg}) {
    for (std::size_t n = 0; n < whole.size(); ++n) {
      const Result<FileKind> r = detect_file_kind(std::string_view(whole).substr(0, n));
      if (r.ok()) {
        EXPECT_EQ(*r, FileKind::pdf) << n;  // a PDF cut inside its trailing blanks
      }
    }
    EXPECT_TRUE(detect_file_kind(whole).ok());
  }
}

TEST(FileKind, NamesTypesAndExtensions) {
  for (FileKind k : {FileKind::pdf, FileKind::png, FileKind::jpeg}) {
    EXPECT_EQ(parse_file_kind(to_string(k)), k);
  }
  EXPECT_EQ(parse_file_kind("html"), std::nullopt);
  EXPECT_EQ(content_type_of(FileKind::pdf), "application/pdf");
  EXPECT_EQ(content_type_of(FileKind::png), "image/png");
  EXPECT_EQ(content_type_of(FileKind::jpeg), "image/jpeg");
  EXPECT_EQ(extension_of(FileKind::jpeg), "jpg");
}

struct NameCase {
  std::string given;
  FileKind kind;
  std::string expect;
};

TEST(SafeFilename, TableOfNames) {
  std::string chinese_200;
  for (int i = 0; i < 200; ++i) chinese_200 += "长";
  std::string chinese_80;
  for (int i = 0; i < 80; ++i) chinese_80 += "长";
  const std::vector<NameCase> cases = {
      {"营业执照.pdf", FileKind::pdf, "营业执照.pdf"},
      {"营业执照.PDF", FileKind::pdf, "营业执照.pdf"},
      {"营业执照", FileKind::pdf, "营业执照.pdf"},
      {"scan.jpeg", FileKind::jpeg, "scan.jpg"},
      {"photo.png", FileKind::jpeg, "photo.jpg"},
      {"evil.html", FileKind::pdf, "evil.pdf"},
      {"report.final.v2.pdf", FileKind::pdf, "report.final.v2.pdf"},
      {"../../etc/passwd", FileKind::pdf, "passwd.pdf"},
      {"..\\..\\windows\\win.ini", FileKind::pdf, "win.pdf"},
      {"C:\\Users\\张三\\身份证.png", FileKind::png, "身份证.png"},
      {"/var/www/../x.pdf", FileKind::pdf, "x.pdf"},
      {"uploads/", FileKind::pdf, "附件.pdf"},
      {"..", FileKind::pdf, "附件.pdf"},
      {"", FileKind::png, "附件.png"},
      {".htaccess", FileKind::pdf, "附件.pdf"},
      {"...pdf", FileKind::pdf, "附件.pdf"},
      {std::string("a\0b\r\n\tc.pdf", 11), FileKind::pdf, "abc.pdf"},
      {"invoice\u202Efdp.exe", FileKind::pdf, "invoicefdp.pdf"},
      {"zero\u200Bwidth\uFEFF.pdf", FileKind::pdf, "zerowidth.pdf"},
      {"a<b>:c\"d|e?f*.pdf", FileKind::pdf, "a_b__c_d_e_f_.pdf"},
      {"\xFF\xFE申请.pdf", FileKind::pdf, "申请.pdf"},
      {"\xE7\x94.pdf", FileKind::pdf, "附件.pdf"},            // cut-off sequence
      {"..\xC0\xAF..\xC0\xAFx.pdf", FileKind::pdf, "x.pdf"},  // overlong '/'
      {"\xED\xA0\x80surrogate.pdf", FileKind::pdf, "surrogate.pdf"},
      {"  申请表  .pdf", FileKind::pdf, "申请表.pdf"},
      {"report . .pdf", FileKind::pdf, "report.pdf"},
      {"\xE3\x80\x80全角空格\xE3\x80\x80.pdf", FileKind::pdf, "全角空格.pdf"},
      {chinese_200 + ".pdf", FileKind::pdf, chinese_80 + ".pdf"},
      {std::string(300, 'a'), FileKind::png, std::string(kMaxStemChars, 'a') + ".png"},
  };
  for (const NameCase& c : cases) {
    EXPECT_EQ(safe_filename(c.given, c.kind), c.expect) << "given: " << c.given;
  }
}

TEST(SafeFilename, ResultIsAlwaysShortAndPlain) {
  // Whatever comes in, the name has no path, no control character, and a bounded length.
  const std::vector<std::string> hostile = {std::string(10000, '/'), std::string(5000, '\x80'),
                                            std::string(1000, '.') + "pdf",
                                            "a/b\\c\x01\x7F\xC2\x85.exe"};
  for (const std::string& h : hostile) {
    const std::string name = safe_filename(h, FileKind::pdf);
    EXPECT_EQ(name.find_first_of("/\\"), std::string::npos) << name;
    for (char c : name) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << name;
    EXPECT_EQ(name.find("\xC2\x85"), std::string::npos) << name;
    EXPECT_LE(name.size(), kMaxStemChars * 4 + 4);
    EXPECT_TRUE(name.ends_with(".pdf")) << name;
  }
}

}  // namespace
}  // namespace shenpi::core
