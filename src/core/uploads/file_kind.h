#pragma once
// The kind of an uploaded material, decided by its content (magic bytes and structure),
// never by the name or the Content-Type the client sent; and the name it is shown under.
//
// Accepted: PDF, PNG and JPEG, the formats in which applicants scan and sign their
// materials. Zip-based formats (OFD, DOCX, XLSX) are not accepted at all: checking them
// safely means walking an attacker's zip directory (bombs, overlapping entries,
// lying sizes) and the macros and links inside; a scan or a PDF print serves the same
// purpose. Everything else (HTML, SVG, XML, scripts, executables, archives, empty files)
// is refused, and so is an accepted format that carries markup or script a browser or
// reader could run (polyglots such as a PDF that is also an HTML page).
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace shenpi::core {

enum class FileKind { pdf, png, jpeg };

//! "pdf", "png" or "jpeg": the value stored and shown in the API.
std::string_view to_string(FileKind kind);
std::optional<FileKind> parse_file_kind(std::string_view text);
//! The media type to serve the bytes with: application/pdf, image/png, image/jpeg.
std::string_view content_type_of(FileKind kind);
//! The extension of the stored name, without the dot: pdf, png, jpg.
std::string_view extension_of(FileKind kind);

//! The kind of `bytes`. invalid_input with field `field` and one of the codes
//!   "file_empty"          (文件为空),
//!   "file_type_not_allowed" (仅支持 PDF、JPG、PNG 格式) for any other format,
//!   "file_damaged"        for a PDF, PNG or JPEG that is cut off or carries data after
//!                         its end (where polyglots hide a second format),
//!   "file_active_content" for one that carries HTML, SVG or script markup, or PDF
//!                         JavaScript / launch actions.
//! Pure and linear in the size; never reads outside `bytes`.
Result<FileKind> detect_file_kind(std::string_view bytes, std::string_view field = "file");

//! The name a material is shown and downloaded under: the last path component of
//! `given` (a browser or a hostile client may send "C:\\a\\b.pdf" or "../../x"), as
//! valid UTF-8 (invalid bytes dropped), without control, format (bidi override,
//! zero-width) or Windows-reserved characters, without leading dots or trailing
//! blanks and dots, its stem cut to kMaxStemChars characters, and with the extension of
//! the detected kind in place of whatever extension it had. "附件.<ext>" when nothing is
//! left of the stem.
std::string safe_filename(std::string_view given, FileKind kind);

//! Characters (code points) kept of a name's stem.
inline constexpr std::size_t kMaxStemChars = 80;

}  // namespace shenpi::core
