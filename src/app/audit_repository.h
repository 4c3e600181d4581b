#pragma once
// The port through which app::AuditLog reaches storage. Implemented once in
// src/store/audit_store.cpp for SQLite and PostgreSQL; tests/contract/audit_store_test.cpp
// holds both to it. The repository assigns sequence numbers and links the chain; what a
// hash is and how a checkpoint is signed stay with the caller (callbacks), so storage
// knows no cryptography.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/audit/audit_entry.h"
#include "core/result.h"

namespace shenpi::app {

//! A signed statement "entry `seq` has hash `hash`" (see core::checkpoint_message).
struct AuditCheckpoint {
  std::int64_t seq = 0;
  std::string hash;            //!< hex SHA-256 of entry `seq`, as signed
  std::string signature_hex;   //!< 128 hex characters: Ed25519 detached signature
  std::string public_key_hex;  //!< 64 hex characters: the key that signed
  std::int64_t created_at_unix_ms = 0;

  bool operator==(const AuditCheckpoint&) const = default;
};

//! The newest entry as recorded in the head row: seq 0 and the genesis hash when empty.
struct AuditHead {
  std::int64_t seq = 0;
  std::string hash;
  std::int64_t max_entry_seq = 0;  //!< max(seq) of the entries, read in the same snapshot
};

//! What to search for; empty / unset members do not filter. All filters combine with AND.
struct AuditFilter {
  std::string actor;  //!< equals actor_id or actor_name
  std::string object_type;
  std::string object_id;  //!< only together with object_type
  std::string action;
  std::string department_code;               //!< exactly this department
  std::optional<std::int64_t> from_unix_ms;  //!< at_unix_ms >= from
  std::optional<std::int64_t> to_unix_ms;    //!< at_unix_ms < to
  std::int64_t before_seq = 0;  //!< page cursor: only entries with seq < before_seq (0: none)
  int limit = 50;               //!< page size, 1–1000
};

//! One page of a search, newest first.
struct AuditPage {
  std::vector<core::AuditEntry> entries;
  std::int64_t next_before_seq = 0;  //!< cursor for the next page, 0 when this is the last
};

class AuditRepository {
 public:
  //! Computes the hex hash of a complete entry (seq and prev_hash set, hash empty).
  using Hasher = std::function<std::string(const core::AuditEntry&)>;
  //! Given the entry just linked (hash set), the checkpoint to store with it, if any.
  using Checkpointer = std::function<std::optional<AuditCheckpoint>(const core::AuditEntry&)>;

  virtual ~AuditRepository() = default;

  //! Appends `content` (its seq, prev_hash and hash are ignored) inside one write
  //! transaction: reads the head, assigns seq = head.seq + 1 and prev_hash = head.hash,
  //! sets hash = hasher(entry), inserts the entry and, when `checkpointer` (may be empty)
  //! returns one, the checkpoint, and moves the head. Concurrent appends from any number
  //! of threads or nodes are serialised, so seqs are gapless and the chain is linear.
  //! Returns the stored entry. On failure nothing is stored.
  virtual Result<core::AuditEntry> append(const core::AuditEntry& content, const Hasher& hasher,
                                          const Checkpointer& checkpointer) = 0;

  //! The head row and max(seq) of the entries, from one snapshot.
  virtual Result<AuditHead> head() = 0;

  //! Up to `limit` entries with seq >= first_seq, in seq order (whatever is stored: gaps
  //! and oddities are for the verifier to find).
  virtual Result<std::vector<core::AuditEntry>> range(std::int64_t first_seq, int limit) = 0;

  //! Entries matching `filter`, newest (highest seq) first.
  virtual Result<AuditPage> search(const AuditFilter& filter) = 0;

  //! Up to `limit` checkpoints with seq >= first_seq, in seq order.
  virtual Result<std::vector<AuditCheckpoint>> checkpoints(std::int64_t first_seq, int limit) = 0;
};

//! An audit entry to append inside another write transaction (see AuditLog::plan() and
//! store::append_audit_in()): the content and the callbacks AuditRepository::append takes.
struct AuditAppend {
  core::AuditEntry content;
  AuditRepository::Hasher hasher;
  AuditRepository::Checkpointer checkpointer;
};

}  // namespace shenpi::app
