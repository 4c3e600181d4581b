#include "app/outbox.h"

namespace shenpi::app {

std::string new_event_id(std::int64_t now_unix_seconds, std::string_view random) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id(8, '0');
  // Seconds wrap in 2106; an id then still sorts by time within its 136-year period.
  auto t = static_cast<std::uint32_t>(now_unix_seconds < 0 ? 0 : now_unix_seconds);
  for (int i = 7; i >= 0; --i, t >>= 4) id[static_cast<std::size_t>(i)] = kDigits[t & 0xF];
  id.reserve(8 + 2 * random.size());
  for (unsigned char b : random) {
    id.push_back(kDigits[b >> 4]);
    id.push_back(kDigits[b & 0xF]);
  }
  return id;
}

}  // namespace shenpi::app
