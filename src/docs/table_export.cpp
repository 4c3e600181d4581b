#include "docs/table_export.h"

#include <array>

namespace shenpi::docs {
namespace {

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}

void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

// Appends `text` escaped for XML character data and attribute values, dropping the control
// characters XML 1.0 does not allow (everything below U+0020 but tab, LF and CR).
void append_xml(std::string& out, std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += ch;
    }
  }
}

std::string sheet_name(const std::string& name, std::size_t index) {
  std::string out;
  int chars = 0;
  for (std::size_t i = 0; i < name.size();) {
    const auto c = static_cast<unsigned char>(name[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (chars == 31) break;
    const std::string_view piece = std::string_view(name).substr(i, len);
    if (piece.size() == 1 &&
        std::string_view("[]:*?/\\").find(piece[0]) != std::string_view::npos) {
      out += '_';
    } else {
      out += piece;
    }
    ++chars;
    i += len;
  }
  return out.empty() ? "Sheet" + std::to_string(index + 1) : out;
}

const char kXmlHead[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

std::string worksheet_xml(const Sheet& sheet) {
  std::string x = kXmlHead;
  x += "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
       "<sheetData>";
  for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
    const std::string row_number = std::to_string(r + 1);
    x += "<row r=\"" + row_number + "\">";
    for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
      const Cell& cell = sheet.rows[r][c];
      const std::string ref = column_name(c) + row_number;
      if (cell.number && !cell.text.empty()) {
        x += "<c r=\"" + ref + "\"><v>";
        append_xml(x, cell.text);
        x += "</v></c>";
      } else {
        x += "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">";
        append_xml(x, cell.text);
        x += "</t></is></c>";
      }
    }
    x += "</row>";
  }
  x += "</sheetData></worksheet>";
  return x;
}

}  // namespace

std::string column_name(std::size_t index) {
  std::string out;
  std::size_t n = index + 1;
  while (n > 0) {
    const std::size_t rem = (n - 1) % 26;
    out.insert(out.begin(), static_cast<char>('A' + rem));
    n = (n - 1) / 26;
  }
  return out;
}

std::string to_csv(const std::vector<Row>& rows) {
  std::string out = "\xEF\xBB\xBF";
  for (const Row& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      std::string text = row[i].text;
      if (!row[i].number && !text.empty() &&
          std::string_view("=+-@").find(text[0]) != std::string_view::npos) {
        text.insert(text.begin(), '\'');
      }
      if (text.find_first_of(",\"\r\n") == std::string::npos) {
        out += text;
        continue;
      }
      out += '"';
      for (char ch : text) {
        if (ch == '"') out += '"';
        out += ch;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

std::uint32_t crc32(std::string_view bytes) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (char ch : bytes) crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

std::string zip_store(const std::vector<ZipEntry>& entries) {
  constexpr std::uint32_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01
  constexpr std::uint32_t kUtf8Names = 0x0800;                 // general purpose bit 11
  std::string out;
  std::string central;
  for (const ZipEntry& e : entries) {
    const std::uint32_t crc = crc32(e.data);
    const auto size = static_cast<std::uint32_t>(e.data.size());
    const auto offset = static_cast<std::uint32_t>(out.size());
    put32(out, 0x04034b50);
    put16(out, 20);  // version needed: 2.0
    put16(out, kUtf8Names);
    put16(out, 0);  // stored
    put16(out, 0);  // time
    put16(out, kDosDate);
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, static_cast<std::uint32_t>(e.name.size()));
    put16(out, 0);  // extra field length
    out += e.name;
    out += e.data;

    put32(central, 0x02014b50);
    put16(central, 20);  // made by: MS-DOS attributes, 2.0
    put16(central, 20);
    put16(central, kUtf8Names);
    put16(central, 0);
    put16(central, 0);
    put16(central, kDosDate);
    put32(central, crc);
    put32(central, size);
    put32(central, size);
    put16(central, static_cast<std::uint32_t>(e.name.size()));
    put16(central, 0);  // extra
    put16(central, 0);  // comment
    put16(central, 0);  // disk
    put16(central, 0);  // internal attributes
    put32(central, 0);  // external attributes
    put32(central, offset);
    central += e.name;
  }
  const auto central_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put32(out, static_cast<std::uint32_t>(central.size()));
  put32(out, central_offset);
  put16(out, 0);  // comment length
  return out;
}

std::string to_xlsx(const std::vector<Sheet>& input) {
  std::vector<Sheet> sheets = input;
  if (sheets.empty()) sheets.push_back(Sheet{"Sheet1", {}});
  std::string types = kXmlHead;
  types +=
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" "
      "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/xl/workbook.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/"
      ">";
  std::string workbook = kXmlHead;
  workbook +=
      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>";
  std::string workbook_rels = kXmlHead;
  workbook_rels +=
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  std::vector<ZipEntry> parts;
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    types += "<Override PartName=\"/xl/worksheets/sheet" + n +
             ".xml\" ContentType=\"application/"
             "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>";
    workbook += "<sheet name=\"";
    append_xml(workbook, sheet_name(sheets[i].name, i));
    workbook += "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    workbook_rels += "<Relationship Id=\"rId" + n +
                     "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                     "relationships/worksheet\" Target=\"worksheets/sheet" +
                     n + ".xml\"/>";
  }
  types += "</Types>";
  workbook += "</sheets></workbook>";
  workbook_rels += "</Relationships>";
  std::string rels = kXmlHead;
  rels +=
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";

  parts.push_back({"[Content_Types].xml", std::move(types)});
  parts.push_back({"_rels/.rels", std::move(rels)});
  parts.push_back({"xl/workbook.xml", std::move(workbook)});
  parts.push_back({"xl/_rels/workbook.xml.rels", std::move(workbook_rels)});
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    parts.push_back(
        {"xl/worksheets/sheet" + std::to_string(i + 1) + ".xml", worksheet_xml(sheets[i])});
  }
  return zip_store(parts);
}

}  // namespace shenpi::docs
