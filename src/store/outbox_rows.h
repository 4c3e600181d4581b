#pragma once
// Writing an outbox event inside someone else's write transaction: the one call a store
// makes to report a change, so that the change and its event commit or roll back
// together (the transactional outbox; docs/decisions/0009-outbox.md).
#include <vector>

#include "app/outbox.h"
#include "core/result.h"
#include "store/db.h"

namespace shenpi::store {

//! Inserts `event` and its recipients through `s`, which must be inside Database::write.
//! invalid_input "bad_event" when event_id is not 32 lower-case hex characters or the
//! topic is empty; conflict "event_exists" for an event_id already stored (the
//! surrounding transaction is then to be rolled back). On PostgreSQL it takes a
//! transaction-scoped advisory lock, so that feed ids commit in the order they are
//! handed out: call it as the last statement of the transaction to hold the lock briefly.
Result<void> insert_outbox_event(Session& s, const app::OutboxEvent& event);

//! Inserts `events` in order, as insert_outbox_event() would one after the other, with
//! one lock, one check of the ids and of the recipients, and multi-row INSERTs: what a
//! batch of system events (a supervision pass's warnings) costs instead of several
//! statements per event. The same errors (also for an id repeated within `events`).
Result<void> insert_outbox_events(Session& s, const std::vector<app::OutboxEvent>& events);

}  // namespace shenpi::store
