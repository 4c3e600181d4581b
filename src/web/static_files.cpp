#include "web/static_files.h"

#include "resources/resources.h"

namespace shenpi::web {
namespace {

constexpr std::string_view kPrefix = "src/web/static/";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view content_type_for(std::string_view name) {
  if (ends_with(name, ".css")) return "text/css; charset=utf-8";
  if (ends_with(name, ".svg")) return "image/svg+xml";
  if (ends_with(name, ".js")) return "text/javascript; charset=utf-8";
  if (ends_with(name, ".png")) return "image/png";
  if (ends_with(name, ".ico")) return "image/x-icon";
  if (ends_with(name, ".txt")) return "text/plain; charset=utf-8";
  if (ends_with(name, ".woff2")) return "font/woff2";
  return "application/octet-stream";
}

StaticFiles::StaticFiles() {
  for (const std::string_view path : resource_names(kPrefix)) {
    auto bytes = resource(path);
    if (!bytes) continue;
    const std::string name(path.substr(kPrefix.size()));
    const std::string type(content_type_for(name));
    File f;
    // Generation 0: static files never go stale while the process runs.
    f.immutable =
        CachedPage::make(0, type, "public, max-age=31536000, immutable", std::string(*bytes));
    f.revalidate = CachedPage::make(0, type, "public, max-age=300", std::string(*bytes));
    f.hash = content_hash(*bytes).substr(0, 12);
    files_.emplace(name, std::move(f));
  }
}

const StaticFiles& StaticFiles::instance() {
  static const StaticFiles files;  // initialised once, thread-safe (C++11 magic statics)
  return files;
}

std::string StaticFiles::url(std::string_view name) const {
  std::string u = "/static/" + std::string(name);
  if (auto it = files_.find(std::string(name)); it != files_.end()) u += "?v=" + it->second.hash;
  return u;
}

http::Response StaticFiles::serve(const http::Request& req, std::string_view name) const {
  auto it = files_.find(std::string(name));
  if (it == files_.end()) return http::Response::text(404, "未找到该文件");
  const auto v = req.query_param("v");
  const bool current = v && *v == it->second.hash;
  return (current ? it->second.immutable : it->second.revalidate)->respond(req);
}

}  // namespace shenpi::web
