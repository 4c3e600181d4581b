#pragma once
// Parameter lists for SQL built in the store: `IN (?, ?, …)` and multi-row
// `VALUES (?, ?), (?, ?)`. Only placeholders are generated; values are always bound.
#include <algorithm>
#include <cstddef>
#include <string>

#include "core/result.h"

namespace shenpi::store {

//! "?, ?, …" with `n` placeholders (for IN lists).
inline std::string placeholders(std::size_t n) {
  std::string s;
  s.reserve(n * 3);
  for (std::size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ", ?";
  return s;
}

//! "(?, ?), (?, ?)" with `rows` groups of `columns` placeholders (for multi-row VALUES).
inline std::string value_rows(std::size_t rows, std::size_t columns) {
  const std::string one = "(" + placeholders(columns) + ")";
  std::string s;
  s.reserve(rows * (one.size() + 2));
  for (std::size_t i = 0; i < rows; ++i) {
    if (i != 0) s += ", ";
    s += one;
  }
  return s;
}

//! Rows per multi-row statement for `columns` columns: at most 1,000 parameters, well
//! under SQLite's (32,766) and libpq's (65,535) limits, and few distinct statement texts
//! for the statement caches (every full statement of a kind has the same text).
constexpr std::size_t rows_per_statement(std::size_t columns) {
  return columns == 0 ? 1 : (1000 / columns < 1 ? 1 : 1000 / columns);
}

//! Calls f(from, n) for consecutive chunks [from, from + n) of `total` items, `per` at a
//! time (the statements of a multi-row write); stops at the first error.
template <typename F>
Result<void> for_each_chunk(std::size_t total, std::size_t per, F f) {
  for (std::size_t from = 0; from < total; from += per) {
    SHENPI_TRY(f(from, std::min(per, total - from)));
  }
  return ok_result();
}

}  // namespace shenpi::store
