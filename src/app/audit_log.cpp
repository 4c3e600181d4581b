#include "app/audit_log.h"

#include <chrono>
#include <deque>
#include <utility>
#include <vector>

#include "core/audit/audit_entry.h"

namespace shenpi::app {
namespace {

using core::AuditEntry;

// Entries and checkpoints read per round trip while verifying: memory stays bounded by
// this, whatever the length of the trail.
constexpr int kVerifyPage = 500;
constexpr int kExportPage = 1000;

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string n(std::int64_t v) { return std::to_string(v); }

// Walks checkpoints in seq order alongside the entries, a page at a time.
class CheckpointCursor {
 public:
  explicit CheckpointCursor(AuditRepository& repo) : repo_(repo) {}

  //! The next checkpoint not yet consumed, or nullopt at the end.
  Result<std::optional<AuditCheckpoint>> peek() {
    if (buffer_.empty() && !exhausted_) {
      SHENPI_ASSIGN(std::vector<AuditCheckpoint> page, repo_.checkpoints(next_seq_, kVerifyPage));
      if (page.size() < static_cast<std::size_t>(kVerifyPage)) exhausted_ = true;
      if (!page.empty()) next_seq_ = page.back().seq + 1;
      buffer_.assign(page.begin(), page.end());
    }
    if (buffer_.empty()) return std::optional<AuditCheckpoint>();
    return std::optional<AuditCheckpoint>(buffer_.front());
  }
  void pop() { buffer_.pop_front(); }

 private:
  AuditRepository& repo_;
  std::deque<AuditCheckpoint> buffer_;
  std::int64_t next_seq_ = 1;
  bool exhausted_ = false;
};

}  // namespace

AuditLog::AuditLog(std::shared_ptr<AuditRepository> repo, AuditCrypto crypto, int checkpoint_every,
                   std::function<std::int64_t()> now_unix_ms)
    : repo_(std::move(repo)),
      crypto_(std::move(crypto)),
      public_key_hex_(core::to_hex(crypto_.public_key)),
      checkpoint_every_(checkpoint_every < 1 ? 1 : checkpoint_every),
      now_unix_ms_(now_unix_ms ? std::move(now_unix_ms) : system_now_ms) {}

Result<void> AuditLog::record(const AuditEvent& event) {
  SHENPI_TRY(append(event));
  return ok_result();
}

Result<AuditEntry> AuditLog::append(const AuditEvent& ev) {
  SHENPI_ASSIGN(AuditAppend a, plan(ev));
  return repo_->append(a.content, a.hasher, a.checkpointer);
}

Result<AuditAppend> AuditLog::plan(const AuditEvent& ev) const {
  if (ev.action.empty()) {
    return make_error(ErrorKind::invalid_input, "audit_action_missing", "审计事件缺少操作名称",
                      "action");
  }
  AuditEntry e;
  e.at_unix_ms = ev.at_unix_ms;
  e.actor_id = core::valid_utf8_text(ev.actor_id);
  e.actor_name = core::valid_utf8_text(ev.actor_name);
  e.role = core::valid_utf8_text(ev.role);
  e.department_code = core::valid_utf8_text(ev.department_code);
  e.address = core::valid_utf8_text(ev.address);
  e.request_id = core::valid_utf8_text(ev.request_id);
  e.action = core::valid_utf8_text(ev.action);
  e.object_type = core::valid_utf8_text(ev.object_type);
  e.object_id = core::valid_utf8_text(ev.object_id);
  e.outcome = core::valid_utf8_text(ev.outcome);
  e.before_json = core::valid_utf8_text(ev.before_json);
  e.after_json = core::valid_utf8_text(ev.after_json);
  AuditAppend a;
  a.content = std::move(e);
  a.hasher = [this](const AuditEntry& linked) {
    return crypto_.sha256_hex(core::canonical_bytes(linked));
  };
  a.checkpointer = [this](const AuditEntry& linked) { return checkpoint_for(linked); };
  return a;
}

std::optional<AuditCheckpoint> AuditLog::checkpoint_for(const AuditEntry& e) const {
  if (e.seq % checkpoint_every_ != 0) return std::nullopt;
  AuditCheckpoint cp;
  cp.seq = e.seq;
  cp.hash = e.hash;
  cp.signature_hex = core::to_hex(crypto_.sign(core::checkpoint_message(e.seq, e.hash)));
  cp.public_key_hex = public_key_hex_;
  cp.created_at_unix_ms = now_unix_ms_();
  return cp;
}

Result<AuditVerifyReport> AuditLog::verify() {
  AuditVerifyReport report;
  auto bad = [&report](std::int64_t seq, const std::string& zh, const std::string& en) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.reason = zh + " / " + en;
    return report;
  };

  // The head and max(seq) come from one snapshot; appends move both in one transaction,
  // so on an untouched trail they agree even while the server keeps writing.
  SHENPI_ASSIGN(const AuditHead head, repo_->head());
  const std::int64_t target = head.seq;

  CheckpointCursor checkpoints(*repo_);
  std::int64_t expected = 1;
  std::string prev_hash(core::kAuditGenesisHash);
  std::int64_t last_checkpoint = 0;  // seq of the newest good checkpoint, 0 = start
  const std::int64_t every = checkpoint_every_;
  while (expected <= target) {
    SHENPI_ASSIGN(const std::vector<AuditEntry> page, repo_->range(expected, kVerifyPage));
    if (page.empty()) break;
    for (const AuditEntry& e : page) {
      if (e.seq > target) break;
      if (e.seq != expected) {
        return bad(expected, "第 " + n(expected) + " 条记录缺失（被删除）",
                   "entry " + n(expected) + " is missing (deleted)");
      }
      if (e.prev_hash != prev_hash) {
        return bad(e.seq,
                   "第 " + n(e.seq) + " 条记录的前一哈希与第 " + n(e.seq - 1) +
                       " 条不符（记录被插入、删除或调换）",
                   "entry " + n(e.seq) + ": prev_hash is not the hash of entry " + n(e.seq - 1) +
                       " (entries inserted, removed or reordered)");
      }
      // canonical_bytes leaves out `hash` itself.
      if (crypto_.sha256_hex(core::canonical_bytes(e)) != e.hash) {
        return bad(e.seq, "第 " + n(e.seq) + " 条记录的内容与哈希不符（记录被修改）",
                   "entry " + n(e.seq) + ": hash does not match its content (entry changed)");
      }
      ++report.entries;
      for (;;) {
        SHENPI_ASSIGN(const std::optional<AuditCheckpoint> cp, checkpoints.peek());
        if (!cp || cp->seq > e.seq) break;
        checkpoints.pop();
        ++report.checkpoints;
        if (cp->seq < e.seq) {  // cannot happen while entries are gapless; kept as a guard
          return bad(cp->seq, "第 " + n(cp->seq) + " 条检查点对应的记录不存在",
                     "checkpoint " + n(cp->seq) + " refers to a missing entry");
        }
        if (cp->public_key_hex != public_key_hex_) {
          return bad(cp->seq, "第 " + n(cp->seq) + " 条检查点由其他密钥签名",
                     "checkpoint " + n(cp->seq) + " is signed by another key (" +
                         cp->public_key_hex + ")");
        }
        std::string signature;
        if (!core::from_hex(cp->signature_hex, &signature) ||
            !crypto_.verify(core::checkpoint_message(cp->seq, cp->hash), signature,
                            crypto_.public_key)) {
          return bad(cp->seq, "第 " + n(cp->seq) + " 条检查点的签名无效",
                     "checkpoint " + n(cp->seq) + ": invalid signature");
        }
        if (cp->hash != e.hash) {
          return bad(
              cp->seq,
              "第 " + n(cp->seq) + " 条记录与已签名的检查点不符：第 " + n(last_checkpoint + 1) +
                  "–" + n(cp->seq) + " 条之间的记录被改写并重新计算了哈希",
              "entry " + n(cp->seq) + " differs from its signed checkpoint: entries " +
                  n(last_checkpoint + 1) + "–" + n(cp->seq) + " were rewritten and re-hashed");
        }
        last_checkpoint = cp->seq;
      }
      // Checkpoints are signed at every multiple of N; one missing means checkpoints were
      // deleted, typically to hide a rewrite of the entries they covered.
      if (e.seq - last_checkpoint >= every) {
        return bad(e.seq, "第 " + n(e.seq) + " 条记录缺少签名检查点（检查点被删除）",
                   "entry " + n(e.seq) + ": its signed checkpoint is missing (deleted)");
      }
      prev_hash = e.hash;
      ++expected;
    }
    if (page.back().seq >= target) break;
  }
  // The tail after the newest checkpoint is covered by hashes and the head row only. Both
  // can be rewritten by whoever can write the tables, so a tail cut back with the head
  // moved along cannot be told from a shorter honest trail: the caller shows the count.
  if (expected <= target) {
    return bad(
        expected,
        "第 " + n(expected) + "–" + n(target) + " 条记录缺失（链头记录为 " + n(target) + " 条）",
        "entries " + n(expected) + "–" + n(target) + " are missing (the head says " + n(target) +
            ")");
  }
  if (target > 0 && head.hash != prev_hash) {
    return bad(target, "链头哈希与第 " + n(target) + " 条记录不符",
               "the head's hash differs from entry " + n(target));
  }
  if (head.max_entry_seq > target) {
    return bad(
        target + 1, "链头之后存在多余的记录（第 " + n(target + 1) + " 条起）",
        "entries beyond the head from " + n(target + 1) + " (appended outside the application)");
  }
  return report;
}

Result<AuditPage> AuditLog::search(AuditFilter filter,
                                   const std::optional<std::string>& department_scope) {
  if (department_scope) {
    if (!filter.department_code.empty() && filter.department_code != *department_scope) {
      return make_error(ErrorKind::forbidden, "audit_scope", "只能查看本单位的审计记录",
                        "department_code");
    }
    filter.department_code = *department_scope;
  }
  return repo_->search(filter);
}

Result<std::string> AuditLog::export_csv(AuditFilter filter,
                                         const std::optional<std::string>& department_scope,
                                         std::int64_t max_rows) {
  filter.before_seq = 0;
  filter.limit = kExportPage;
  std::string out = core::audit_csv_header();
  std::int64_t rows = 0;
  for (;;) {
    SHENPI_ASSIGN(AuditPage page, search(filter, department_scope));
    rows += static_cast<std::int64_t>(page.entries.size());
    if (rows > max_rows) {
      return make_error(ErrorKind::too_large, "audit_export_too_large",
                        "导出的审计记录超过 " + n(max_rows) + " 条，请缩小查询范围");
    }
    for (const AuditEntry& e : page.entries) out += core::audit_csv_row(e);
    if (page.next_before_seq == 0) break;
    filter.before_seq = page.next_before_seq;
  }
  return out;
}

}  // namespace shenpi::app
