#pragma once
// The catalogue repository over the dialect-neutral Database: one implementation for
// SQLite and PostgreSQL, held to app::CatalogueRepository by tests/contract/.
#include <memory>

#include "app/catalogue_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! The catalogue repository stored in `db`, whose migrations must have been applied
//! (open_database does that). Safe to use from many threads, as `db` is.
std::shared_ptr<app::CatalogueRepository> make_catalogue_store(std::shared_ptr<Database> db);

}  // namespace shenpi::store
