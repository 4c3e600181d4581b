#pragma once
// The case repository over the dialect-neutral Database: one implementation for SQLite
// and PostgreSQL, held to app::CaseRepository by tests/contract/case_store_test.cpp.
// Tables: src/store/migrations/<dialect>/0007_cases.sql.
#include <memory>

#include "app/case_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! The case repository stored in `db`, whose migrations must have been applied
//! (open_database does that). Safe to use from many threads and many nodes at once.
//!
//! Beyond the port's contract: create() stores the case with c.number = the new number and
//! c.version = 1, update() with c.version = expected_version + 1, whatever the commit's
//! case says, so that the stored document always agrees with its row. update() of a case
//! that does not exist fails with not_found "case_not_found". An upload id that does not
//! exist or already belongs to another case fails the commit with conflict
//! "upload_unavailable". A commit's updated time is its last event's (unchanged when it
//! has none).
std::shared_ptr<app::CaseRepository> make_case_store(std::shared_ptr<Database> db);

}  // namespace shenpi::store
