#pragma once
#include <string>

namespace shenpi::main {

//! Today's date in China Standard Time (UTC+8, no daylight saving) as YYYY-MM-DD. The
//! only place that reads the wall clock for "today"; everything below takes it as an argument.
std::string today_in_china();

//! Makes today_in_china() answer `iso` (YYYY-MM-DD) from now on: `serve --today`, for tests
//! and rehearsals that run the legal clock on a chosen day. Call before serving starts.
void set_fixed_today(std::string iso);

}  // namespace shenpi::main
