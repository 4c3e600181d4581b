#include "store/audit_rows.h"

#include <optional>
#include <string>
#include <vector>

#include "store/sql_lists.h"

namespace shenpi::store {
namespace {

Error bad_hook(const std::string& what) {
  return make_error(ErrorKind::internal, "audit_hook", "审计记录的哈希或签名无效：" + what);
}

Error head_missing() {
  return make_error(ErrorKind::internal, "audit_head_missing", "审计链头记录缺失");
}

constexpr std::size_t kEntryColumns = 16;

void bind_entry(std::vector<Param>& params, const core::AuditEntry& e) {
  params.emplace_back(e.seq);
  params.emplace_back(e.at_unix_ms);
  params.emplace_back(e.actor_id);
  params.emplace_back(e.actor_name);
  params.emplace_back(e.role);
  params.emplace_back(e.department_code);
  params.emplace_back(e.address);
  params.emplace_back(e.request_id);
  params.emplace_back(e.action);
  params.emplace_back(e.object_type);
  params.emplace_back(e.object_id);
  params.emplace_back(e.outcome);
  params.emplace_back(e.before_json);
  params.emplace_back(e.after_json);
  params.emplace_back(e.prev_hash);
  params.emplace_back(e.hash);
}

Result<void> insert_entries(Session& s, const std::vector<core::AuditEntry>& entries) {
  constexpr std::size_t kPerStatement = rows_per_statement(kEntryColumns);
  SHENPI_TRY(for_each_chunk(
      entries.size(), kPerStatement, [&](std::size_t from, std::size_t n) -> Result<void> {
        std::vector<Param> params;
        params.reserve(n * kEntryColumns);
        for (std::size_t i = 0; i < n; ++i) bind_entry(params, entries[from + i]);
        SHENPI_TRY(
            s.exec("INSERT INTO audit_entries (seq, at_unix_ms, actor_id, actor_name, role, "
                   "department_code, address, request_id, action, object_type, object_id, outcome, "
                   "before_json, after_json, prev_hash, hash) VALUES " +
                       value_rows(n, kEntryColumns),
                   params));
        return ok_result();
      }));
  return ok_result();
}

}  // namespace

Result<std::vector<core::AuditEntry>> append_audits_in(
    Session& s, const std::vector<app::AuditAppend>& entries) {
  std::vector<core::AuditEntry> out;
  if (entries.empty()) return out;
  // The head row is the one point every append passes through. On PostgreSQL the row
  // lock is held until commit, so concurrent appends on any node take turns, and under
  // READ COMMITTED the waiting one then reads the head its predecessor committed. On
  // SQLite the single writer connection already serialises writes.
  const char* read_head = s.dialect() == Dialect::postgres
                              ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                              : "SELECT seq, hash FROM audit_head WHERE id = 1";
  SHENPI_ASSIGN(Rows head, s.query(read_head));
  if (head.size() != 1) return head_missing();
  std::int64_t seq = head.int64(0, 0);
  std::string prev = head.text(0, 1);

  // Chain every entry first (each hash covers its predecessor's), then write them.
  out.reserve(entries.size());
  std::vector<app::AuditCheckpoint> checkpoints;
  for (const app::AuditAppend& a : entries) {
    core::AuditEntry e = a.content;
    e.seq = ++seq;
    e.prev_hash = prev;
    e.hash.clear();
    e.hash = a.hasher(e);
    if (e.hash.size() != 64) return bad_hook("hash");
    if (a.checkpointer) {
      const std::optional<app::AuditCheckpoint> cp = a.checkpointer(e);
      if (cp) {
        if (cp->seq != e.seq || cp->hash != e.hash) return bad_hook("checkpoint");
        checkpoints.push_back(*cp);
      }
    }
    prev = e.hash;
    out.push_back(std::move(e));
  }
  SHENPI_TRY(insert_entries(s, out));
  for (const app::AuditCheckpoint& cp : checkpoints) {
    SHENPI_TRY(
        s.exec("INSERT INTO audit_checkpoints (seq, hash, signature_hex, public_key_hex, "
               "created_at_unix_ms) VALUES (?, ?, ?, ?, ?)",
               {cp.seq, cp.hash, cp.signature_hex, cp.public_key_hex, cp.created_at_unix_ms}));
  }
  SHENPI_ASSIGN(std::int64_t moved,
                s.exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", {seq, prev}));
  if (moved != 1) return head_missing();
  return out;
}

Result<core::AuditEntry> append_audit_in(Session& s, const core::AuditEntry& content,
                                         const app::AuditRepository::Hasher& hasher,
                                         const app::AuditRepository::Checkpointer& checkpointer) {
  SHENPI_ASSIGN(std::vector<core::AuditEntry> stored,
                append_audits_in(s, {app::AuditAppend{content, hasher, checkpointer}}));
  return std::move(stored.front());
}

}  // namespace shenpi::store
