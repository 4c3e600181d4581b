#include "main/today.h"

#include <ctime>

namespace shenpi::main {

std::string today_in_china() {
  std::time_t t = std::time(nullptr) + 8 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace shenpi::main
