#include "web/page_cache.h"

#include <cstdio>
#include <mutex>

#include <zlib.h>

namespace shenpi::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals_ascii(std::string_view a, std::string_view b) { return http::iequals(a, b); }

// Owns a deflate stream; deflateEnd runs however the compression ends.
class Deflater {
 public:
  Deflater() = default;
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  ~Deflater() {
    if (initialised_) deflateEnd(&stream_);
  }
  bool init() {
    // windowBits 15 + 16 selects the gzip wrapper; pages are compressed once, so spend
    // the extra CPU on the best ratio.
    initialised_ = deflateInit2(&stream_, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                                Z_DEFAULT_STRATEGY) == Z_OK;
    return initialised_;
  }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool initialised_ = false;
};

}  // namespace

std::string content_hash(std::string_view bytes) {
  std::uint64_t fnv = 1469598103934665603ULL;
  for (const char c : bytes) {
    fnv ^= static_cast<unsigned char>(c);
    fnv *= 1099511628211ULL;
  }
  uLong crc = crc32(0L, Z_NULL, 0);
  // crc32 takes a uInt length; feed large inputs in pieces.
  for (std::size_t off = 0; off < bytes.size(); off += 1u << 30) {
    const std::size_t n = std::min<std::size_t>(bytes.size() - off, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + off), static_cast<uInt>(n));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx%08lx", static_cast<unsigned long long>(fnv),
                static_cast<unsigned long>(crc & 0xffffffffUL));
  return buf;
}

std::optional<std::string> gzip_compress(std::string_view bytes) {
  Deflater d;
  if (!d.init()) return std::nullopt;
  z_stream& zs = d.stream();
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(bytes.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) return std::nullopt;
  out.resize(zs.total_out);
  return out;
}

bool accepts_gzip(const http::Request& req) {
  auto header = req.header("Accept-Encoding");
  if (!header) return false;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t semi = item.find(';');
    const std::string_view coding = trim(item.substr(0, semi));
    if (!iequals_ascii(coding, "gzip") && !iequals_ascii(coding, "x-gzip") && coding != "*")
      continue;
    if (semi == std::string_view::npos) return true;
    // "q=0", "q=0.0", "q=0.000" refuse the coding; any other weight accepts it.
    std::string_view params = trim(item.substr(semi + 1));
    if (params.size() >= 2 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
      const std::string_view q = trim(params.substr(2));
      if (q.find_first_not_of("0.") == std::string_view::npos) return false;
    }
    return true;
  }
  return false;
}

bool if_none_match(const http::Request& req, std::string_view etag, std::string_view gzip_etag) {
  auto header = req.header("If-None-Match");
  if (!header) return false;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view tag = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (tag == "*") return true;
    if (tag.size() > 2 && tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag || (!gzip_etag.empty() && tag == gzip_etag)) return true;
  }
  return false;
}

std::shared_ptr<const CachedPage> CachedPage::make(std::int64_t generation,
                                                   std::string content_type,
                                                   std::string cache_control, std::string body) {
  auto page = std::make_shared<CachedPage>();
  page->generation = generation;
  page->content_type = std::move(content_type);
  page->cache_control = std::move(cache_control);
  const std::string hash = content_hash(body);
  page->etag = "\"" + hash + "\"";
  page->gzip_etag = "\"" + hash + "-gz\"";
  if (body.size() >= 256) {
    if (auto gz = gzip_compress(body); gz && gz->size() < body.size()) {
      page->gzip = std::make_shared<const std::string>(std::move(*gz));
    }
  }
  page->body = std::make_shared<const std::string>(std::move(body));
  return page;
}

http::Response CachedPage::respond(const http::Request& req) const {
  const bool use_gzip = gzip && accepts_gzip(req);
  http::Response r;
  r.content_type = content_type;
  r.header("ETag", use_gzip ? gzip_etag : etag);
  r.header("Cache-Control", cache_control);
  r.header("Vary", "Accept-Encoding");
  if (if_none_match(req, etag, gzip ? std::string_view(gzip_etag) : std::string_view())) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  if (use_gzip) {
    r.header("Content-Encoding", "gzip");
    r.shared_body = gzip;
  } else {
    r.shared_body = body;
  }
  return r;
}

std::shared_ptr<const CachedPage> PageCache::get(const std::string& key) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (it->second->generation != generation_.load(std::memory_order_acquire)) return nullptr;
  return it->second;
}

bool PageCache::put(const std::string& key, std::shared_ptr<const CachedPage> page) {
  if (!page || max_entries_ == 0) return false;
  std::unique_lock lock(mu_);
  // Checked under the lock so that set_generation's clear cannot interleave and leave
  // an entry of an old generation behind.
  if (page->generation != generation_.load(std::memory_order_acquire)) return false;
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    it->second = std::move(page);
    return true;
  }
  while (entries_.size() >= max_entries_ && !order_.empty()) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  entries_.emplace(key, std::move(page));
  order_.push_back(key);
  return true;
}

void PageCache::set_generation(std::int64_t generation) {
  if (generation_.load(std::memory_order_acquire) == generation) return;
  std::unique_lock lock(mu_);
  if (generation_.load(std::memory_order_relaxed) == generation) return;
  generation_.store(generation, std::memory_order_release);
  entries_.clear();
  order_.clear();
}

std::size_t PageCache::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace shenpi::web
