#pragma once
// Rectification notices and the supervision dashboard's aggregates over the
// dialect-neutral Database: one implementation for SQLite and PostgreSQL, held to
// app::RectificationRepository by tests/contract/rectification_store_test.cpp. Tables:
// src/store/migrations/<dialect>/0012_rectification.sql; it reads the projections of
// 0007_cases.sql (through open_case_keys / open_case_counts) and the warnings of 0010.
#include <memory>

#include "app/rectification_repository.h"
#include "store/db.h"

namespace shenpi::store {

std::shared_ptr<app::RectificationRepository> make_rectification_store(
    std::shared_ptr<Database> db);

}  // namespace shenpi::store
