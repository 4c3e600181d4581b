#include <charconv>

#include "store/db.h"

namespace shenpi::store {

// The getters read the text form both drivers produce. A value that does not convert
// (which only a schema bug can cause) reads as 0 / false rather than throwing.

std::int64_t Rows::int64(std::size_t row, std::size_t col) const {
  const Cell& c = rows[row][col];
  if (c.null) return 0;
  std::int64_t v = 0;
  const char* first = c.text.data();
  const char* last = first + c.text.size();
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || ptr != last) return 0;
  return v;
}

bool Rows::boolean(std::size_t row, std::size_t col) const {
  const Cell& c = rows[row][col];
  if (c.null) return false;
  const std::string& t = c.text;
  return t == "1" || t == "t" || t == "true" || t == "T" || t == "TRUE";
}

double Rows::real(std::size_t row, std::size_t col) const {
  const Cell& c = rows[row][col];
  if (c.null) return 0.0;
  double v = 0.0;
  const char* first = c.text.data();
  const char* last = first + c.text.size();
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || ptr != last) return 0.0;
  return v;
}

}  // namespace shenpi::store
