#pragma once
// The outbox repository over the dialect-neutral Database: one implementation for SQLite
// and PostgreSQL, held to app::OutboxRepository by tests/contract/outbox_store_test.cpp.
//
// Claims differ by dialect only in how rows are locked: PostgreSQL selects them
// FOR UPDATE SKIP LOCKED, so that concurrent claimers on several nodes pass each other
// by; SQLite's single writer connection serialises claimers anyway.
#include <memory>

#include "app/outbox_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! The outbox stored in `db` (migrations applied), retrying failed emails per `policy`.
std::shared_ptr<app::OutboxRepository> make_outbox_store(std::shared_ptr<Database> db,
                                                         app::RetryPolicy policy = {});

}  // namespace shenpi::store
