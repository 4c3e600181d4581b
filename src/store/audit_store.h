#pragma once
// The audit repository over the dialect-neutral Database: one implementation for SQLite
// and PostgreSQL, held to app::AuditRepository by tests/contract/audit_store_test.cpp.
#include <memory>

#include "app/audit_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! The audit repository stored in `db`, whose migrations must have been applied
//! (open_database does that). Safe to use from many threads and many nodes at once.
std::shared_ptr<app::AuditRepository> make_audit_store(std::shared_ptr<Database> db);

}  // namespace shenpi::store
