#pragma once
// Small helpers shared by the repositories: run a callback that produces a value inside
// Database::read / Database::write and hand the value back.
#include <optional>
#include <utility>

#include "store/db.h"

namespace shenpi::store {

//! Runs fn(Session&) -> Result<T> on a read connection and returns its value or error.
template <typename T, typename Fn>
Result<T> read_value(Database& db, Fn&& fn) {
  std::optional<T> out;
  SHENPI_TRY(db.read([&](Session& s) -> Result<void> {
    Result<T> r = fn(s);
    if (!r.ok()) return r.take_error();
    out.emplace(std::move(r).value());
    return ok_result();
  }));
  return std::move(*out);
}

//! Runs fn(Session&) -> Result<T> in one write transaction (rolled back on error).
template <typename T, typename Fn>
Result<T> write_value(Database& db, Fn&& fn) {
  std::optional<T> out;
  SHENPI_TRY(db.write([&](Session& s) -> Result<void> {
    Result<T> r = fn(s);
    if (!r.ok()) return r.take_error();
    out.emplace(std::move(r).value());
    return ok_result();
  }));
  return std::move(*out);
}

}  // namespace shenpi::store
