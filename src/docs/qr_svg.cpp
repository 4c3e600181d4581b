#include "docs/qr_svg.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>

namespace shenpi::docs {
namespace {

struct QrCodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeFree>;

constexpr int kQuietZone = 4;  // modules of light border, as ISO/IEC 18004 requires

void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
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
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace

Result<QrMatrix> qr_encode(std::string_view text) {
  if (text.empty()) {
    return make_error(ErrorKind::invalid_input, "qr_too_long", "二维码内容为空");
  }
  errno = 0;
  // QRcode_encodeData takes a byte count, so text with NUL bytes is encoded whole.
  QrCodePtr code(QRcode_encodeData(static_cast<int>(text.size()),
                                   reinterpret_cast<const unsigned char*>(text.data()), 0,
                                   QR_ECLEVEL_M));
  if (!code) {
    if (errno == ERANGE || errno == EINVAL) {
      return make_error(ErrorKind::invalid_input, "qr_too_long", "内容过长，无法生成二维码");
    }
    return make_error(ErrorKind::internal, "qr_failed", "二维码生成失败");
  }
  QrMatrix m;
  m.size = code->width;
  m.dark.resize(static_cast<std::size_t>(m.size) * m.size);
  for (std::size_t i = 0; i < m.dark.size(); ++i) {
    // Bit 0 of each byte is the module colour; the other bits describe its role.
    m.dark[i] = (code->data[i] & 1) != 0;
  }
  return m;
}

std::string qr_svg(const QrMatrix& qr, std::string_view label, int pixels) {
  const int side = qr.size + 2 * kQuietZone;
  std::string out;
  out.reserve(static_cast<std::size_t>(qr.size) * qr.size * 4 + 400);
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" aria-label=\"";
  append_escaped(out, label);
  out += "\" width=\"" + std::to_string(pixels) + "\" height=\"" + std::to_string(pixels) +
         "\" viewBox=\"0 0 " + std::to_string(side) + " " + std::to_string(side) +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + std::to_string(side) +
         "\" height=\"" + std::to_string(side) + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One horizontal run of dark modules per subpath keeps the path short.
  for (int y = 0; y < qr.size; ++y) {
    int x = 0;
    while (x < qr.size) {
      if (!qr.at(x, y)) {
        ++x;
        continue;
      }
      const int start = x;
      while (x < qr.size && qr.at(x, y)) ++x;
      out += 'M' + std::to_string(start + kQuietZone) + ' ' + std::to_string(y + kQuietZone) + 'h' +
             std::to_string(x - start) + "v1h-" + std::to_string(x - start) + 'z';
    }
  }
  out += "\"/></svg>";
  return out;
}

Result<std::string> qr_svg(std::string_view text, std::string_view label, int pixels) {
  SHENPI_ASSIGN(QrMatrix m, qr_encode(text));
  return qr_svg(m, label, pixels);
}

}  // namespace shenpi::docs
