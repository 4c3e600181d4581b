#pragma once
// The one error type of Shenpi and the Result<T> that carries it across layers.
//
// Every fallible function returns Result<T>. The ErrorKind decides the HTTP status in
// exactly one place (src/http/error_mapping.cpp); code and message travel to the client,
// field names the offending input where there is one.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace shenpi {

enum class ErrorKind {
  invalid_input,    //!< the caller sent something malformed or out of range (400)
  unauthenticated,  //!< no or bad credentials (401)
  forbidden,        //!< authenticated but not allowed (403)
  not_found,        //!< no such thing, or its existence is private (404)
  conflict,         //!< the state of the thing does not allow this (409)
  precondition,     //!< the version the caller read is stale (412)
  too_large,        //!< body or upload beyond the limit (413)
  rate_limited,     //!< too many attempts (429)
  unavailable,      //!< a dependency (database, disk) is down or full (503)
  internal,         //!< a bug: never the caller's fault (500)
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string code;     //!< stable machine-readable code, e.g. "item_not_found"
  std::string message;  //!< human-readable, Simplified Chinese where users see it
  std::string field;    //!< the input field at fault, empty when none
};

inline Error make_error(ErrorKind kind, std::string code, std::string message,
                        std::string field = {}) {
  return Error{kind, std::move(code), std::move(message), std::move(field)};
}

//! Holds either a value or an Error. Accessing the wrong alternative is a bug (asserts).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& take_error() {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

//! Result without a value: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(failed_);
    return error_;
  }
  Error&& take_error() {
    assert(failed_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool failed_ = false;
};

inline Result<void> ok_result() { return {}; }

}  // namespace shenpi

//! Evaluates expr (a Result); on failure returns its error from the enclosing function.
#define SHENPI_TRY(expr)                                        \
  do {                                                          \
    auto&& shenpi_try_r_ = (expr);                              \
    if (!shenpi_try_r_.ok()) return shenpi_try_r_.take_error(); \
  } while (0)

#define SHENPI_CONCAT_INNER(a, b) a##b
#define SHENPI_CONCAT(a, b) SHENPI_CONCAT_INNER(a, b)
//! Declares `lhs` from the value of a Result expression, or returns its error.
#define SHENPI_ASSIGN(lhs, expr) SHENPI_ASSIGN_IMPL(SHENPI_CONCAT(shenpi_r_, __LINE__), lhs, expr)
#define SHENPI_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                       \
  if (!tmp.ok()) return tmp.take_error();  \
  lhs = std::move(tmp).value()
