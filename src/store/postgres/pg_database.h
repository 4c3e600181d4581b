#pragma once
// The PostgreSQL adapter of store::Database over libpq: a pool of connections, `?`
// placeholders rewritten to $n, text parameters except blobs (binary bytea).
#include <memory>
#include <string>
#include <string_view>

#include "store/db.h"

namespace shenpi::store {

//! Opens a pool on a "postgresql://…" or "postgres://…" URL. The query parameter
//! `pool_size` (default 8) sets the number of connections and is not passed to libpq;
//! `connect_timeout` defaults to 5 seconds. One connection is made at once, so an
//! unreachable server is reported here (unavailable). Applies no migrations.
Result<std::shared_ptr<Database>> open_postgres(const std::string& url);

//! Rewrites `?` placeholders to $1, $2, … outside single-quoted literals, double-quoted
//! identifiers and comments. Exposed for tests.
std::string rewrite_placeholders(std::string_view sql);

}  // namespace shenpi::store
