#pragma once
// The document repository over the dialect-neutral Database: one implementation for
// SQLite and PostgreSQL, held to app::DocumentRepository by
// tests/contract/document_store_test.cpp.
#include <memory>

#include "app/document_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! The document repository stored in `db`, whose migrations must have been applied
//! (open_database does that). Safe to use from many threads and many nodes at once.
std::shared_ptr<app::DocumentRepository> make_document_store(std::shared_ptr<Database> db);

}  // namespace shenpi::store
