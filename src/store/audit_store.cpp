#include "store/audit_store.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "store/audit_rows.h"
#include "store/db_values.h"

namespace shenpi::store {
namespace {

using app::AuditCheckpoint;
using app::AuditFilter;
using app::AuditHead;
using app::AuditPage;
using core::AuditEntry;

constexpr const char* kEntryColumns =
    "seq, at_unix_ms, actor_id, actor_name, role, department_code, address, request_id, "
    "action, object_type, object_id, outcome, before_json, after_json, prev_hash, hash";

constexpr int kMaxPage = 1000;

AuditEntry entry_from_row(const Rows& r, std::size_t i) {
  AuditEntry e;
  std::size_t c = 0;
  e.seq = r.int64(i, c++);
  e.at_unix_ms = r.int64(i, c++);
  for (std::string* f : {&e.actor_id, &e.actor_name, &e.role, &e.department_code, &e.address,
                         &e.request_id, &e.action, &e.object_type, &e.object_id, &e.outcome,
                         &e.before_json, &e.after_json, &e.prev_hash, &e.hash}) {
    *f = r.text(i, c++);
  }
  return e;
}

std::vector<AuditEntry> entries_from(const Rows& r) {
  std::vector<AuditEntry> out;
  out.reserve(r.size());
  for (std::size_t i = 0; i < r.size(); ++i) out.push_back(entry_from_row(r, i));
  return out;
}

class AuditStore final : public app::AuditRepository {
 public:
  explicit AuditStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<AuditEntry> append(const AuditEntry& content, const Hasher& hasher,
                            const Checkpointer& checkpointer) override {
    return write_value<AuditEntry>(
        *db_, [&](Session& s) { return append_audit_in(s, content, hasher, checkpointer); });
  }

  Result<AuditHead> head() override {
    AuditHead h;
    SHENPI_TRY(db_->read([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT seq, hash, (SELECT max(seq) FROM audit_entries) "
                                    "FROM audit_head WHERE id = 1"));
      if (r.size() != 1) {
        return make_error(ErrorKind::internal, "audit_head_missing", "审计链头记录缺失");
      }
      h.seq = r.int64(0, 0);
      h.hash = r.text(0, 1);
      h.max_entry_seq = r.int64(0, 2);  // 0 when there is no entry (NULL)
      return ok_result();
    }));
    return h;
  }

  Result<std::vector<AuditEntry>> range(std::int64_t first_seq, int limit) override {
    std::vector<AuditEntry> out;
    limit = std::clamp(limit, 1, kMaxPage);
    SHENPI_TRY(db_->read([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows r, s.query(std::string("SELECT ") + kEntryColumns +
                                        " FROM audit_entries WHERE seq >= ? ORDER BY seq LIMIT ?",
                                    {first_seq, std::int64_t{limit}}));
      out = entries_from(r);
      return ok_result();
    }));
    return out;
  }

  Result<AuditPage> search(const AuditFilter& f) override {
    std::string where;
    std::vector<Param> params;
    auto add = [&](const char* condition) {
      where += where.empty() ? " WHERE " : " AND ";
      where += condition;
    };
    if (!f.actor.empty()) {
      add("(actor_id = ? OR actor_name = ?)");
      params.emplace_back(f.actor);
      params.emplace_back(f.actor);
    }
    if (!f.object_type.empty()) {
      add("object_type = ?");
      params.emplace_back(f.object_type);
      if (!f.object_id.empty()) {
        add("object_id = ?");
        params.emplace_back(f.object_id);
      }
    }
    if (!f.action.empty()) {
      add("action = ?");
      params.emplace_back(f.action);
    }
    if (!f.department_code.empty()) {
      add("department_code = ?");
      params.emplace_back(f.department_code);
    }
    if (f.from_unix_ms) {
      add("at_unix_ms >= ?");
      params.emplace_back(*f.from_unix_ms);
    }
    if (f.to_unix_ms) {
      add("at_unix_ms < ?");
      params.emplace_back(*f.to_unix_ms);
    }
    if (f.before_seq > 0) {
      add("seq < ?");
      params.emplace_back(f.before_seq);
    }
    const int limit = std::clamp(f.limit, 1, kMaxPage);
    // One row more than asked tells whether another page follows.
    params.emplace_back(std::int64_t{limit} + 1);
    AuditPage page;
    SHENPI_TRY(db_->read([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows r, s.query(std::string("SELECT ") + kEntryColumns + " FROM audit_entries" +
                                        where + " ORDER BY seq DESC LIMIT ?",
                                    params));
      page.entries = entries_from(r);
      return ok_result();
    }));
    if (page.entries.size() > static_cast<std::size_t>(limit)) {
      page.entries.resize(static_cast<std::size_t>(limit));
      page.next_before_seq = page.entries.back().seq;
    }
    return page;
  }

  Result<std::vector<AuditCheckpoint>> checkpoints(std::int64_t first_seq, int limit) override {
    std::vector<AuditCheckpoint> out;
    limit = std::clamp(limit, 1, kMaxPage);
    SHENPI_TRY(db_->read([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT seq, hash, signature_hex, public_key_hex, "
                                    "created_at_unix_ms FROM audit_checkpoints "
                                    "WHERE seq >= ? ORDER BY seq LIMIT ?",
                                    {first_seq, std::int64_t{limit}}));
      out.reserve(r.size());
      for (std::size_t i = 0; i < r.size(); ++i) {
        out.push_back({r.int64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.int64(i, 4)});
      }
      return ok_result();
    }));
    return out;
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::AuditRepository> make_audit_store(std::shared_ptr<Database> db) {
  return std::make_shared<AuditStore>(std::move(db));
}

}  // namespace shenpi::store
