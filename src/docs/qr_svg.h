#pragma once
// QR codes as inline SVG (libqrencode): the otpauth URI of TOTP enrolment on the staff
// pages, later the verification codes on decision documents.
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace shenpi::docs {

//! The modules of a QR code: `size` × `size`, row-major, true for a dark module.
struct QrMatrix {
  int size = 0;  //!< modules per side, 21 for version 1 up to 177 for version 40
  std::vector<bool> dark;
  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y) * size + x]; }
};

//! Encodes `text` (bytes, 8-bit mode) with error correction level M at the smallest
//! version that holds it. invalid_input "qr_too_long" when it does not fit any version
//! (or `text` is empty); internal when libqrencode fails otherwise (out of memory).
Result<QrMatrix> qr_encode(std::string_view text);

//! A standalone <svg> element drawing `qr` with a 4-module quiet zone: viewBox in module
//! units, one <path> for the dark modules (crisp edges), a white background, and
//! role="img" with `label` as its accessible name (HTML-escaped). `pixels` is the width
//! and height attribute. Safe to embed in a page under a CSP without inline scripts.
std::string qr_svg(const QrMatrix& qr, std::string_view label, int pixels = 240);

//! qr_encode followed by qr_svg.
Result<std::string> qr_svg(std::string_view text, std::string_view label, int pixels = 240);

}  // namespace shenpi::docs
