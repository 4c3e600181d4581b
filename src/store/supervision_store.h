#pragma once
// The supervision repository over the dialect-neutral Database: one implementation for
// SQLite and PostgreSQL, held to app::SupervisionRepository by
// tests/contract/supervision_store_test.cpp. Tables: src/store/migrations/<dialect>/
// 0010_supervision.sql; it reads the case tables of 0007_cases.sql.
#include <memory>

#include "app/supervision_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! The supervision repository stored in `db` (migrations applied). Safe from many threads
//! and many nodes at once.
//!
//! Beyond the port's contract: a claimed case whose stored document does not parse is
//! marked checked without warnings (one damaged row must not stop every later pass) and
//! counted as examined.
std::shared_ptr<app::SupervisionRepository> make_supervision_store(std::shared_ptr<Database> db);

}  // namespace shenpi::store
