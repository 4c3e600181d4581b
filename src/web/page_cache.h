#pragma once
// Rendered public pages, kept as bytes. Public pages are the same for every visitor, so
// each is rendered once per catalogue generation and then served from here on the I/O
// thread: a strong ETag (304 on If-None-Match) and a gzip copy made once.
//
// Staleness: every entry remembers the catalogue generation it was rendered at. The
// current generation lives in an atomic that only code off the I/O thread updates (the
// blocking handler before it renders, and a periodic refresh); get() never touches the
// database. Readers take a shared lock for a map lookup only, never across I/O.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/message.h"

namespace shenpi::web {

//! A deterministic hash of bytes as lower-case hex (FNV-1a 64 and CRC-32, 24 digits), the
//! same on every node so that ETags agree behind a load balancer.
std::string content_hash(std::string_view bytes);

//! The gzip encoding (RFC 1952) of bytes, or nullopt if zlib fails.
std::optional<std::string> gzip_compress(std::string_view bytes);

//! True when the Accept-Encoding header accepts gzip (a "gzip" coding without q=0).
bool accepts_gzip(const http::Request& req);

//! True when the If-None-Match header lists one of the given entity tags (or "*"); weak
//! comparison, as RFC 9110 prescribes for If-None-Match.
bool if_none_match(const http::Request& req, std::string_view etag, std::string_view gzip_etag);

//! One cached representation.
struct CachedPage {
  std::int64_t generation = 0;
  std::string content_type;
  std::string cache_control;  //!< e.g. "public, max-age=60"
  std::shared_ptr<const std::string> body;
  std::shared_ptr<const std::string> gzip;  //!< null when compression would not help
  std::string etag;                         //!< quoted strong tag of body
  std::string gzip_etag;                    //!< etag with "-gz": names the gzip variant

  //! Makes an entry: hashes body and compresses it once.
  static std::shared_ptr<const CachedPage> make(std::int64_t generation, std::string content_type,
                                                std::string cache_control, std::string body);

  //! The response for req: 304 when If-None-Match matches, else 200 with the gzip body when
  //! the client accepts it. ETag, Cache-Control and Vary: Accept-Encoding always.
  http::Response respond(const http::Request& req) const;
};

class PageCache {
 public:
  //! Generation before the first refresh: nothing is served from the cache until a real
  //! generation is known.
  static constexpr std::int64_t kUnknown = -1;

  explicit PageCache(std::size_t max_entries = 5000) : max_entries_(max_entries) {}

  //! The entry for key when it was rendered at the current generation, else null.
  //! Non-blocking apart from a shared lock around the map lookup.
  std::shared_ptr<const CachedPage> get(const std::string& key) const;

  //! Stores an entry. Ignored (returns false) when it was rendered at another generation
  //! than the current one. When full, the oldest entries are dropped first.
  bool put(const std::string& key, std::shared_ptr<const CachedPage> page);

  //! Sets the current generation; on a change, drops every entry.
  void set_generation(std::int64_t generation);
  std::int64_t generation() const { return generation_.load(std::memory_order_acquire); }

  std::size_t size() const;

 private:
  const std::size_t max_entries_;
  std::atomic<std::int64_t> generation_{kUnknown};
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const CachedPage>> entries_;
  std::deque<std::string> order_;  // insertion order, for eviction
};

}  // namespace shenpi::web
