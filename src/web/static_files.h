#pragma once
// The embedded files of src/web/static/ (CSS, the favicon), served at /static/{name}.
//
// Caching: pages link each file as /static/NAME?v=HASH, HASH being the content hash of
// the embedded bytes computed once at start. A new build with changed bytes links a new
// URL, so a request carrying the current HASH may be cached forever
// (Cache-Control: public, max-age=31536000, immutable). A request with no or an old HASH
// (a page cached before an upgrade, a hand-typed URL) still gets the current bytes but
// only a short max-age, revalidated by the strong ETag (304 on If-None-Match). This keeps
// a browser from holding stale CSS under an "immutable" URL, without a build step that
// renames files.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/message.h"
#include "web/page_cache.h"

namespace shenpi::web {

class StaticFiles {
 public:
  //! The files embedded under src/web/static/, hashed and compressed once (thread-safe
  //! lazy initialisation).
  static const StaticFiles& instance();

  //! "/static/site.css?v=HASH"; "/static/NAME" when there is no such file.
  std::string url(std::string_view name) const;

  //! Serves the file called name: 200 (gzip when accepted), 304 on If-None-Match, and a
  //! plain 404 for an unknown name. Never blocks: safe on the I/O thread.
  http::Response serve(const http::Request& req, std::string_view name) const;

 private:
  StaticFiles();
  struct File {
    std::string hash;
    std::shared_ptr<const CachedPage> immutable;   // served when ?v= is the current hash
    std::shared_ptr<const CachedPage> revalidate;  // served otherwise
  };
  std::unordered_map<std::string, File> files_;
};

//! The Content-Type for a file name by its extension.
std::string_view content_type_for(std::string_view name);

}  // namespace shenpi::web
