#pragma once
// Store-internal: appending an audit entry inside a write transaction that someone else
// opened, so that a change and its audit entry commit or roll back together (the case
// store writes a transition's entry this way; AuditStore::append wraps it in its own
// transaction).
#include <vector>

#include "app/audit_repository.h"
#include "core/audit/audit_entry.h"
#include "core/result.h"
#include "store/db.h"

namespace shenpi::store {

//! Appends `content` (its seq, prev_hash and hash are ignored) through `s`, which must be
//! inside Database::write: reads the head row (on PostgreSQL with a row lock held until
//! commit, which serialises appends across nodes), assigns seq = head.seq + 1 and
//! prev_hash = head.hash, sets hash = hasher(entry), inserts the entry and the checkpoint
//! `checkpointer` (may be empty) returns for it, and moves the head. Returns the stored
//! entry. internal "audit_hook" when a callback returns a malformed hash or checkpoint,
//! internal "audit_head_missing" without a head row; on any error the caller must roll
//! the transaction back.
Result<core::AuditEntry> append_audit_in(Session& s, const core::AuditEntry& content,
                                         const app::AuditRepository::Hasher& hasher,
                                         const app::AuditRepository::Checkpointer& checkpointer);

//! Appends `entries` in order through `s`, as append_audit_in() would one after the other
//! (each with its own hasher and checkpointer), with one read and one move of the head
//! and a multi-row INSERT per few dozen entries: what a batch of system events (a
//! supervision pass's warnings) costs instead of three statements per entry. Returns
//! the stored entries in order; the same errors as append_audit_in().
Result<std::vector<core::AuditEntry>> append_audits_in(
    Session& s, const std::vector<app::AuditAppend>& entries);

}  // namespace shenpi::store
