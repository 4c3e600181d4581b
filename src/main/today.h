#pragma once
#include <string>

namespace shenpi::main {

//! Today's date in China Standard Time (UTC+8, no daylight saving) as YYYY-MM-DD. The
//! only place that reads the wall clock for "today"; everything below takes it as an argument.
std::string today_in_china();

}  // namespace shenpi::main
