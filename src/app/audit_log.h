#pragma once
// The tamper-evident audit trail (Art. 24; issue 3 "Audit trail"): AuditLog records each
// AuditEvent as a hash-chained entry, signs a checkpoint every N entries, verifies the
// whole trail, and serves the security officers' search and CSV export.
// Why it is built this way, and what it cannot detect: docs/decisions/0007-audit-hash-chain.md.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/audit_repository.h"
#include "app/audit_sink.h"
#include "core/result.h"

namespace shenpi::app {

//! The cryptography AuditLog needs, wired by the composition root to src/crypto (so that
//! src/app stays free of libsodium). All members must be set.
struct AuditCrypto {
  //! Lower-case hex SHA-256 of the bytes.
  std::function<std::string(std::string_view bytes)> sha256_hex;
  //! The raw 64-byte Ed25519 signature of the bytes with the audit signing key.
  std::function<std::string(std::string_view bytes)> sign;
  //! True when `signature` (raw) is a valid Ed25519 signature of `bytes` by the raw
  //! 32-byte `public_key`.
  std::function<bool(std::string_view bytes, std::string_view signature,
                     std::string_view public_key)>
      verify;
  //! The raw 32-byte public key of the signing key: new checkpoints carry it, and
  //! verify() accepts checkpoints signed by this key only.
  std::string public_key;
};

//! The outcome of AuditLog::verify().
struct AuditVerifyReport {
  std::int64_t entries = 0;      //!< entries examined (up to the head when verify started)
  std::int64_t checkpoints = 0;  //!< checkpoints examined
  bool ok = true;
  std::int64_t first_bad_seq = 0;  //!< the first entry found wrong; 0 when ok
  std::string reason;              //!< why, in Chinese then English; empty when ok
};

class AuditLog final : public AuditSink {
 public:
  static constexpr int kDefaultCheckpointEvery = 100;

  //! `checkpoint_every` (N, at least 1): a checkpoint is signed for every entry whose
  //! seq is a multiple of N. verify() expects that spacing, so keep N fixed for a trail.
  //! `now_unix_ms` stamps checkpoints (tests pass a fixed clock).
  AuditLog(std::shared_ptr<AuditRepository> repo, AuditCrypto crypto,
           int checkpoint_every = kDefaultCheckpointEvery,
           std::function<std::int64_t()> now_unix_ms = {});

  //! Appends the event as the next entry, with its checkpoint when one is due, in one
  //! transaction. Text fields are stored as valid UTF-8 (invalid sequences and NUL become
  //! U+FFFD). invalid_input when `action` is empty.
  Result<void> record(const AuditEvent& event) override;

  //! Like record(), returning the stored entry (seq and hashes set).
  Result<core::AuditEntry> append(const AuditEvent& event);

  //! What append() would write, for a repository that appends the entry inside its own
  //! write transaction (a case change and its audit entry commit together or not at all).
  //! The callbacks refer to this AuditLog: it must outlive them.
  Result<AuditAppend> plan(const AuditEvent& event) const;

  //! Walks every entry in seq order, a page at a time (constant memory), and every
  //! checkpoint, up to the head as it was when verify() started (appends going on meanwhile
  //! are not examined). Reports the first problem found:
  //!  - head row and stored entries disagree (entries removed from or added at the end);
  //!  - a seq missing (deleted) or out of order;
  //!  - prev_hash not the hash of the entry before (inserted, removed or reordered);
  //!  - hash not the SHA-256 of the entry's canonical bytes (changed);
  //!  - a checkpoint with a bad signature, signed by another key, for a seq that does not
  //!    exist, or whose hash differs from the entry's (the chain was re-hashed after a
  //!    change: the signatures catch what plain hashes cannot);
  //!  - a checkpoint missing: more than N entries after the previous one.
  //! Limit: removing the newest entries (with the checkpoints among them) and moving the
  //! head back leaves a shorter trail that no hash can tell from the real one, and the up
  //! to N-1 unsigned entries after the newest remaining checkpoint can then be rewritten;
  //! compare the reported count with the last count you know (the CLI prints it). Any
  //! change at or before a remaining checkpoint is found.
  //! An Error only when the database cannot be read; tampering is reported in the report.
  Result<AuditVerifyReport> verify();

  //! One page of entries matching `filter`, newest first. `department_scope`: nullopt for
  //! city-wide readers (centre, supervisors); a department code restricts the results to
  //! that department, and a filter naming another department is forbidden. Who may call
  //! with which scope is decided by the caller's permission check.
  Result<AuditPage> search(AuditFilter filter, const std::optional<std::string>& department_scope);

  //! All entries matching `filter` (newest first, its cursor and limit ignored) as CSV with
  //! a UTF-8 BOM and a bilingual header (core::audit_csv_*). too_large beyond `max_rows`
  //! entries: narrow the filter. Same scope rule as search().
  Result<std::string> export_csv(AuditFilter filter,
                                 const std::optional<std::string>& department_scope,
                                 std::int64_t max_rows = 100000);

 private:
  std::optional<AuditCheckpoint> checkpoint_for(const core::AuditEntry& e) const;

  std::shared_ptr<AuditRepository> repo_;
  AuditCrypto crypto_;
  std::string public_key_hex_;
  int checkpoint_every_;
  std::function<std::int64_t()> now_unix_ms_;
};

}  // namespace shenpi::app
