#pragma once
// Splitting of migration scripts into single statements, so that both adapters can run a
// script through Session::exec (which prepares one statement at a time).
#include <string>
#include <string_view>
#include <vector>

namespace shenpi::store {

//! Splits `script` at semicolons outside quoted text ('…' literals, "…" identifiers) and
//! outside comments (-- to end of line, /* … */). Comments are removed; statements are
//! trimmed and empty ones dropped. Not for bodies with inner semicolons (triggers,
//! functions with $$ quoting): migrations must not use them.
std::vector<std::string> split_sql_script(std::string_view script);

}  // namespace shenpi::store
