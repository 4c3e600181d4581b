#pragma once
// The reads of performance figures (绩效评估) over the dialect-neutral Database: one
// implementation for SQLite and PostgreSQL, held to app::PerformanceRepository by
// tests/contract/performance_store_test.cpp. Reads the tables of migrations 0007 (cases,
// case_events), 0010 (warnings) and 0011 (complaints, ratings); writes nothing.
#include <memory>

#include "app/performance_service.h"
#include "store/db.h"

namespace shenpi::store {

//! Beyond the port's contract: everything is read in one read transaction (a consistent
//! snapshot); cases in batches of 500 by number; a case document that does not parse is
//! skipped (one damaged row must not stop the report), as are complaint outcomes and
//! rating levels the build does not know.
std::shared_ptr<app::PerformanceRepository> make_performance_store(std::shared_ptr<Database> db);

}  // namespace shenpi::store
