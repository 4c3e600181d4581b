#include "http/router.h"

namespace shenpi::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool is_param(const std::string& seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}
bool is_rest(const std::string& seg) {
  return is_param(seg) && seg.size() > 5 && seg.compare(seg.size() - 4, 4, "...}") == 0;
}

// Matches path segments against the pattern; on success fills params.
bool match_segments(const Route& route, std::string_view path,
                    std::vector<std::pair<std::string, std::string>>& params) {
  params.clear();
  const auto& pat = route.segments;
  std::size_t pos = 0;
  for (std::size_t k = 0; k < pat.size(); ++k) {
    while (pos < path.size() && path[pos] == '/') ++pos;
    if (is_rest(pat[k])) {
      if (pos >= path.size()) return false;
      params.emplace_back(pat[k].substr(1, pat[k].size() - 5), std::string(path.substr(pos)));
      return true;
    }
    if (pos >= path.size()) return false;
    auto end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(pos, end - pos);
    if (is_param(pat[k])) {
      params.emplace_back(pat[k].substr(1, pat[k].size() - 2), std::string(seg));
    } else if (seg != pat[k]) {
      return false;
    }
    pos = end;
  }
  // A single trailing slash is tolerated ("/items/" == "/items"); anything else is not.
  while (pos < path.size() && path[pos] == '/') ++pos;
  return pos == path.size();
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  Route r;
  r.method = std::move(method);
  r.segments = split_path(pattern);
  if (options.name.empty()) options.name = pattern;
  r.pattern = std::move(pattern);
  r.handler = std::move(handler);
  r.options = std::move(options);
  routes_.push_back(std::move(r));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& route : routes_) {
    if (!match_segments(route, path, params)) continue;
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      m.route = &route;
      m.params = std::move(params);
      m.method_mismatch = false;
      return m;
    }
    m.method_mismatch = true;
  }
  return m;
}

}  // namespace shenpi::http
