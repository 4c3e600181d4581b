#pragma once
// The rating repository over the dialect-neutral Database: one implementation for SQLite
// and PostgreSQL, held to app::RatingRepository by tests/contract/rating_store_test.cpp.
// Tables: migrations/<dialect>/0011_complaints_ratings.sql (and cases, read only).
#include <memory>

#include "app/rating_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! The rating repository stored in `db` (migrated). Safe from many threads and nodes.
std::shared_ptr<app::RatingRepository> make_rating_store(std::shared_ptr<Database> db);

}  // namespace shenpi::store
