#pragma once
// The upload repository over the dialect-neutral Database: one implementation for SQLite
// and PostgreSQL, held to app::UploadRepository by tests/contract/upload_store_test.cpp.
#include <memory>

#include "app/upload_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! The upload repository stored in `db`, whose migrations must have been applied
//! (open_database does that). Safe to use from many threads, as `db` is.
std::shared_ptr<app::UploadRepository> make_upload_store(std::shared_ptr<Database> db);

}  // namespace shenpi::store
