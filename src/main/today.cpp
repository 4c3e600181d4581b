#include "main/today.h"

#include <ctime>
#include <string>
#include <utility>

namespace shenpi::main {

namespace {
std::string& fixed_today() {
  static std::string value;
  return value;
}
}  // namespace

void set_fixed_today(std::string iso) { fixed_today() = std::move(iso); }

std::string today_in_china() {
  if (!fixed_today().empty()) return fixed_today();
  std::time_t t = std::time(nullptr) + 8 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace shenpi::main
