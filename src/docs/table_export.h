#pragma once
// Tables exported for spreadsheets: CSV (UTF-8 with a byte order mark, so that Excel in a
// Chinese locale reads the characters right) and XLSX (Office Open XML, ISO/IEC 29500),
// written here without a library: a ZIP archive of stored (uncompressed) entries with their
// CRC-32, holding the few parts a workbook needs. Pure: no I/O.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shenpi::docs {

struct Cell {
  std::string text;
  bool number = false;  //!< written as a number in XLSX (text must then be a decimal number)
};
using Row = std::vector<Cell>;

struct Sheet {
  std::string name;  //!< shown on the tab; cut to 31 characters, []:*?/\ replaced by _
  std::vector<Row> rows;
};

//! CSV per RFC 4180 (CRLF line ends, fields with , " CR LF quoted, " doubled), preceded by
//! the UTF-8 byte order mark. Text cells starting with = + - @ (what spreadsheets read as a
//! formula) are prefixed with ' so that an exported value can never run as one; number
//! cells are written as they are.
std::string to_csv(const std::vector<Row>& rows);

//! An .xlsx workbook with one worksheet per sheet (at least one: an empty sheet "Sheet1"
//! when `sheets` is empty). Text cells are inline strings; characters XML 1.0 forbids are
//! dropped.
std::string to_xlsx(const std::vector<Sheet>& sheets);

//! CRC-32 (ISO-HDLC, polynomial 0xEDB88320) as ZIP uses it.
std::uint32_t crc32(std::string_view bytes);

struct ZipEntry {
  std::string name;  //!< path inside the archive, '/'-separated, UTF-8
  std::string data;
};
//! A ZIP archive (APPNOTE 6.3) of stored entries, in the given order, with fixed
//! timestamps (1980-01-01 00:00) so that equal input gives equal bytes. Not ZIP64: for
//! archives under 4 GiB and 65,535 entries.
std::string zip_store(const std::vector<ZipEntry>& entries);

//! "A", "B", … "Z", "AA", … for the 0-based column index.
std::string column_name(std::size_t index);

}  // namespace shenpi::docs
