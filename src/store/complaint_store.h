#pragma once
// The complaint repository over the dialect-neutral Database: one implementation for
// SQLite and PostgreSQL, held to app::ComplaintRepository by
// tests/contract/complaint_store_test.cpp. Tables:
// migrations/<dialect>/0011_complaints_ratings.sql.
#include <memory>

#include "app/complaint_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! The complaint repository stored in `db` (migrated). Safe from many threads and nodes.
std::shared_ptr<app::ComplaintRepository> make_complaint_store(std::shared_ptr<Database> db);

}  // namespace shenpi::store
