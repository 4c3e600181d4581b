#include "store/audit_rows.h"

#include <optional>
#include <string>

namespace shenpi::store {
namespace {

Error bad_hook(const std::string& what) {
  return make_error(ErrorKind::internal, "audit_hook", "审计记录的哈希或签名无效：" + what);
}

Error head_missing() {
  return make_error(ErrorKind::internal, "audit_head_missing", "审计链头记录缺失");
}

}  // namespace

Result<core::AuditEntry> append_audit_in(Session& s, const core::AuditEntry& content,
                                         const app::AuditRepository::Hasher& hasher,
                                         const app::AuditRepository::Checkpointer& checkpointer) {
  core::AuditEntry e = content;
  // The head row is the one point every append passes through. On PostgreSQL the row
  // lock is held until commit, so concurrent appends on any node take turns, and under
  // READ COMMITTED the waiting one then reads the head its predecessor committed. On
  // SQLite the single writer connection already serialises writes.
  const char* read_head = s.dialect() == Dialect::postgres
                              ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                              : "SELECT seq, hash FROM audit_head WHERE id = 1";
  SHENPI_ASSIGN(Rows head, s.query(read_head));
  if (head.size() != 1) return head_missing();
  e.seq = head.int64(0, 0) + 1;
  e.prev_hash = head.text(0, 1);
  e.hash.clear();
  e.hash = hasher(e);
  if (e.hash.size() != 64) return bad_hook("hash");
  SHENPI_TRY(
      s.exec("INSERT INTO audit_entries (seq, at_unix_ms, actor_id, actor_name, role, "
             "department_code, address, request_id, action, object_type, object_id, outcome, "
             "before_json, after_json, prev_hash, hash) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             {e.seq, e.at_unix_ms, e.actor_id, e.actor_name, e.role, e.department_code, e.address,
              e.request_id, e.action, e.object_type, e.object_id, e.outcome, e.before_json,
              e.after_json, e.prev_hash, e.hash}));
  if (checkpointer) {
    const std::optional<app::AuditCheckpoint> cp = checkpointer(e);
    if (cp) {
      if (cp->seq != e.seq || cp->hash != e.hash) return bad_hook("checkpoint");
      SHENPI_TRY(s.exec(
          "INSERT INTO audit_checkpoints (seq, hash, signature_hex, public_key_hex, "
          "created_at_unix_ms) VALUES (?, ?, ?, ?, ?)",
          {cp->seq, cp->hash, cp->signature_hex, cp->public_key_hex, cp->created_at_unix_ms}));
    }
  }
  SHENPI_ASSIGN(std::int64_t moved,
                s.exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", {e.seq, e.hash}));
  if (moved != 1) return head_missing();
  return e;
}

}  // namespace shenpi::store
