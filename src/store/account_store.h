#pragma once
// The account repository over the dialect-neutral Database: one implementation for
// SQLite and PostgreSQL, held to app::AccountRepository by tests/contract/.
#include <memory>

#include "app/account_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! The account repository stored in `db`, whose migrations must have been applied
//! (open_database does that). Safe to use from many threads, as `db` is.
std::shared_ptr<app::AccountRepository> make_account_store(std::shared_ptr<Database> db);

}  // namespace shenpi::store
