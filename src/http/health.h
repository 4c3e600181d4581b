#pragma once
// GET /healthz (the database is checked on every call) and GET /metrics (Prometheus).
#include <functional>
#include <memory>

#include "core/result.h"
#include "http/metrics.h"
#include "http/router.h"

namespace shenpi::http {

//! `check_database` performs a round trip to the database; its error message is shown.
void register_health(Router& router, std::function<Result<void>()> check_database,
                     std::shared_ptr<Metrics> metrics);

}  // namespace shenpi::http
