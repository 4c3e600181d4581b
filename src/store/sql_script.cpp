#include "store/sql_script.h"

namespace shenpi::store {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void flush(std::string& current, std::vector<std::string>& out) {
  std::size_t b = 0;
  std::size_t e = current.size();
  while (b < e && is_space(current[b])) ++b;
  while (e > b && is_space(current[e - 1])) --e;
  if (e > b) out.push_back(current.substr(b, e - b));
  current.clear();
}

}  // namespace

std::vector<std::string> split_sql_script(std::string_view script) {
  std::vector<std::string> out;
  std::string current;
  std::size_t i = 0;
  const std::size_t n = script.size();
  while (i < n) {
    const char c = script[i];
    if (c == '\'' || c == '"') {
      // Copy the quoted run verbatim; a doubled quote inside it is an escaped quote and is
      // handled by leaving and re-entering the run.
      const std::size_t end = script.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? n : end + 1;
      current.append(script.substr(i, stop - i));
      i = stop;
    } else if (c == '-' && i + 1 < n && script[i + 1] == '-') {
      const std::size_t end = script.find('\n', i);
      i = end == std::string_view::npos ? n : end;
    } else if (c == '/' && i + 1 < n && script[i + 1] == '*') {
      const std::size_t end = script.find("*/", i + 2);
      i = end == std::string_view::npos ? n : end + 2;
      current.push_back(' ');
    } else if (c == ';') {
      flush(current, out);
      ++i;
    } else {
      current.push_back(c);
      ++i;
    }
  }
  flush(current, out);
  return out;
}

}  // namespace shenpi::store
