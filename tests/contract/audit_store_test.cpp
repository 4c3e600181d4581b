// The audit trail on both dialects: app::AuditRepository as implemented by
// store::make_audit_store, and app::AuditLog over it with real SHA-256 and Ed25519
// (src/crypto). The tamper tests change the tables with raw SQL, as someone with write
// access to the database would, and check that verify() names the right entry.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/audit_log.h"
#include "contract/scratch_database.h"
#include "core/audit/audit_entry.h"
#include "crypto/signer.h"
#include "store/audit_store.h"

namespace shenpi::store {
namespace {

using app::AuditCheckpoint;
using app::AuditEvent;
using app::AuditFilter;
using app::AuditLog;
using app::AuditVerifyReport;
using core::AuditEntry;

constexpr std::int64_t kT0 = 1714537496789;  // 2024-05-01 12:24:56.789 Beijing

std::shared_ptr<crypto::Signer> signer_from(char fill) {
  auto s = crypto::Signer::from_seed(std::string(crypto::Signer::kSeedBytes, fill));
  EXPECT_TRUE(s.ok());
  return std::make_shared<crypto::Signer>(std::move(s).value());
}

app::AuditCrypto crypto_of(std::shared_ptr<crypto::Signer> signer) {
  app::AuditCrypto c;
  c.sha256_hex = [](std::string_view b) { return crypto::sha256_hex(b); };
  c.sign = [signer](std::string_view b) { return signer->sign(b); };
  c.verify = [](std::string_view b, std::string_view sig, std::string_view pk) {
    return crypto::Signer::verify(b, sig, pk);
  };
  c.public_key = signer->public_key();
  return c;
}

AuditEvent event(int i, const std::string& actor = "clerk-1",
                 const std::string& dept = "445100-SCJGJ") {
  AuditEvent e;
  e.at_unix_ms = kT0 + i * 1000;
  e.actor_id = "acc-" + actor;
  e.actor_name = actor;
  e.role = "clerk";
  e.department_code = dept;
  e.address = "10.0.0." + std::to_string(i % 250);
  e.request_id = "req-" + std::to_string(i);
  e.action = "case.update";
  e.object_type = "case";
  e.object_id = "SP-" + std::to_string(i);
  e.outcome = "success";
  e.before_json = R"({"state":"submitted"})";
  e.after_json = R"({"state":"accepted","备注":"材料齐全"})";
  return e;
}

class AuditContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    repo_ = make_audit_store(db_);
    signer_ = signer_from('k');
  }
  void TearDown() override {
    repo_.reset();
    DialectTest::TearDown();
  }

  std::unique_ptr<AuditLog> make_log(int every, std::shared_ptr<app::AuditRepository> repo = {}) {
    return std::make_unique<AuditLog>(repo ? repo : repo_, crypto_of(signer_), every,
                                      [] { return kT0; });
  }

  // Records `count` events 1..count.
  void fill(AuditLog& log, int count) {
    for (int i = 1; i <= count; ++i) ASSERT_TRUE(log.record(event(i)).ok());
  }

  // Runs raw SQL as an attacker with write access would; expects it to succeed.
  void raw(const std::string& sql, const std::vector<Param>& params = {}) {
    auto r = db_->write([&](Session& s) -> Result<void> {
      SHENPI_TRY(s.exec(sql, params));
      return ok_result();
    });
    ASSERT_TRUE(r.ok()) << sql << ": " << r.error().message;
  }

  AuditEntry entry(std::int64_t seq) {
    auto r = repo_->range(seq, 1);
    EXPECT_TRUE(r.ok());
    EXPECT_FALSE(r->empty());
    return r->empty() ? AuditEntry{} : r->front();
  }

  // Rewrites the stored hashes and links from `from_seq` to the end so every plain hash
  // is right again, and moves the head along: what an attacker who knows the format does.
  void rehash_from(std::int64_t from_seq) {
    std::string prev =
        from_seq == 1 ? std::string(core::kAuditGenesisHash) : entry(from_seq - 1).hash;
    auto all = repo_->range(from_seq, 1000);
    ASSERT_TRUE(all.ok());
    for (AuditEntry e : *all) {
      e.prev_hash = prev;
      e.hash = crypto::sha256_hex(core::canonical_bytes(e));
      raw("UPDATE audit_entries SET prev_hash = ?, hash = ? WHERE seq = ?",
          {e.prev_hash, e.hash, e.seq});
      prev = e.hash;
    }
    raw("UPDATE audit_head SET hash = ? WHERE id = 1", {prev});
  }

  AuditVerifyReport verify(AuditLog& log) {
    auto r = log.verify();
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : AuditVerifyReport{};
  }

  std::shared_ptr<app::AuditRepository> repo_;
  std::shared_ptr<crypto::Signer> signer_;
};

// ---- append, read, search -----------------------------------------------------------------

TEST_P(AuditContract, AppendsAGaplessLinkedChain) {
  auto log = make_log(100);
  std::string prev(core::kAuditGenesisHash);
  for (int i = 1; i <= 5; ++i) {
    auto e = log->append(event(i));
    ASSERT_TRUE(e.ok()) << e.error().message;
    EXPECT_EQ(e->seq, i);
    EXPECT_EQ(e->prev_hash, prev);
    EXPECT_EQ(e->hash, crypto::sha256_hex(core::canonical_bytes(*e)));
    prev = e->hash;
  }
  auto stored = repo_->range(1, 100);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 5u);
  EXPECT_EQ(stored->at(2).seq, 3);
  EXPECT_EQ(stored->at(2).after_json, R"({"state":"accepted","备注":"材料齐全"})");
  EXPECT_EQ(stored->back().hash, prev);
  auto head = repo_->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 5);
  EXPECT_EQ(head->hash, prev);
  EXPECT_EQ(head->max_entry_seq, 5);
  auto tail = repo_->range(4, 100);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 2u);
  EXPECT_EQ(tail->front().seq, 4);
}

TEST_P(AuditContract, EmptyTrailVerifies) {
  auto log = make_log(100);
  const AuditVerifyReport r = verify(*log);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.entries, 0);
  EXPECT_EQ(r.checkpoints, 0);
}

TEST_P(AuditContract, SignsACheckpointEveryNEntries) {
  auto log = make_log(3);
  fill(*log, 7);
  auto cps = repo_->checkpoints(1, 100);
  ASSERT_TRUE(cps.ok());
  ASSERT_EQ(cps->size(), 2u);
  for (const AuditCheckpoint& cp : *cps) {
    EXPECT_EQ(cp.hash, entry(cp.seq).hash);
    EXPECT_EQ(cp.public_key_hex, signer_->public_key_hex());
    EXPECT_EQ(cp.created_at_unix_ms, kT0);
    std::string sig;
    ASSERT_TRUE(core::from_hex(cp.signature_hex, &sig));
    EXPECT_TRUE(crypto::Signer::verify(core::checkpoint_message(cp.seq, cp.hash), sig,
                                       signer_->public_key()));
  }
  EXPECT_EQ(cps->at(0).seq, 3);
  EXPECT_EQ(cps->at(1).seq, 6);
  const AuditVerifyReport r = verify(*log);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.entries, 7);
  EXPECT_EQ(r.checkpoints, 2);
}

TEST_P(AuditContract, VerifiesAcrossManyPages) {
  // More entries and checkpoints than one verification page (500) holds.
  auto log = make_log(1);
  fill(*log, 601);
  const AuditVerifyReport r = verify(*log);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.entries, 601);
  EXPECT_EQ(r.checkpoints, 601);
}

TEST_P(AuditContract, StoresHostileTextExactlyAsHashed) {
  auto log = make_log(100);
  AuditEvent e = event(1);
  e.actor_name = std::string("bad\0name\xff", 9);
  e.address = "'; DROP TABLE audit_entries; --";
  auto stored = log->append(e);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->actor_name, "bad\xEF\xBF\xBDname\xEF\xBF\xBD");
  EXPECT_EQ(entry(1), *stored);
  EXPECT_TRUE(verify(*log).ok);
}

TEST_P(AuditContract, RefusesAnEventWithoutAction) {
  auto log = make_log(100);
  AuditEvent e = event(1);
  e.action.clear();
  auto r = log->record(e);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
}

TEST_P(AuditContract, SearchesNewestFirstByActorObjectActionDepartmentAndTime) {
  auto log = make_log(100);
  for (int i = 1; i <= 12; ++i) {
    AuditEvent e =
        event(i, i % 3 == 0 ? "王五" : "clerk-1", i % 2 == 0 ? "445100-WSJKJ" : "445100-SCJGJ");
    if (i == 5) e.action = "session.login";
    ASSERT_TRUE(log->record(e).ok());
  }
  auto seqs = [&](const AuditFilter& f) {
    std::vector<std::int64_t> out;
    auto page = repo_->search(f);
    EXPECT_TRUE(page.ok());
    if (page.ok()) {
      for (const auto& e : page->entries) out.push_back(e.seq);
    }
    return out;
  };
  AuditFilter f;
  f.actor = "王五";
  EXPECT_EQ(seqs(f), (std::vector<std::int64_t>{12, 9, 6, 3}));
  f.actor = "acc-王五";  // by account id as well
  EXPECT_EQ(seqs(f), (std::vector<std::int64_t>{12, 9, 6, 3}));
  f = {};
  f.object_type = "case";
  f.object_id = "SP-7";
  EXPECT_EQ(seqs(f), (std::vector<std::int64_t>{7}));
  f = {};
  f.action = "session.login";
  EXPECT_EQ(seqs(f), (std::vector<std::int64_t>{5}));
  f = {};
  f.department_code = "445100-WSJKJ";
  f.actor = "王五";
  EXPECT_EQ(seqs(f), (std::vector<std::int64_t>{12, 6}));
  f = {};
  f.from_unix_ms = kT0 + 4000;  // from event 4 …
  f.to_unix_ms = kT0 + 7000;    // … up to but not including event 7
  EXPECT_EQ(seqs(f), (std::vector<std::int64_t>{6, 5, 4}));

  // Paging by cursor: 5 + 5 + 2, newest first, no overlap.
  f = {};
  f.limit = 5;
  auto p1 = repo_->search(f);
  ASSERT_TRUE(p1.ok());
  ASSERT_EQ(p1->entries.size(), 5u);
  EXPECT_EQ(p1->entries.front().seq, 12);
  EXPECT_EQ(p1->next_before_seq, 8);
  f.before_seq = p1->next_before_seq;
  auto p2 = repo_->search(f);
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->entries.front().seq, 7);
  f.before_seq = p2->next_before_seq;
  auto p3 = repo_->search(f);
  ASSERT_TRUE(p3.ok());
  EXPECT_EQ(p3->entries.size(), 2u);
  EXPECT_EQ(p3->next_before_seq, 0);
}

TEST_P(AuditContract, DepartmentScopeLimitsSearchAndExport) {
  auto log = make_log(100);
  for (int i = 1; i <= 6; ++i) {
    ASSERT_TRUE(log->record(event(i, "clerk-1", i <= 2 ? "445100-WSJKJ" : "445100-SCJGJ")).ok());
  }
  const std::optional<std::string> health = "445100-WSJKJ";
  auto page = log->search({}, health);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 2u);
  for (const auto& e : page->entries) EXPECT_EQ(e.department_code, "445100-WSJKJ");
  AuditFilter other;
  other.department_code = "445100-SCJGJ";
  auto denied = log->search(other, health);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().kind, ErrorKind::forbidden);
  auto city = log->search(other, std::nullopt);
  ASSERT_TRUE(city.ok());
  EXPECT_EQ(city->entries.size(), 4u);

  auto csv = log->export_csv({}, health);
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv->find("\r\n2,2024-05-01 12:24:58.789,acc-clerk-1,clerk-1,"), std::string::npos);
  EXPECT_EQ(std::count(csv->begin(), csv->end(), '\n'), 3);  // header + 2 rows
  auto too_many = log->export_csv({}, std::nullopt, 5);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().kind, ErrorKind::too_large);
}

TEST_P(AuditContract, ConcurrentAppendsFromFourThreadsStayGaplessAndLinked) {
  // On PostgreSQL two of the threads use a second pool to the same database, as a second
  // application node would.
  std::shared_ptr<app::AuditRepository> second = repo_;
  std::shared_ptr<Database> second_db;
  if (GetParam() == Dialect::postgres) {
    auto db2 = open_database(scratch_->url());
    ASSERT_TRUE(db2.ok()) << db2.error().message;
    second_db = *db2;
    second = make_audit_store(second_db);
  }
  auto log_a = make_log(10);
  auto log_b = make_log(10, second);
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      AuditLog& log = t % 2 == 0 ? *log_a : *log_b;
      for (int i = 0; i < kEach; ++i) {
        if (!log.record(event(i, "thread-" + std::to_string(t))).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto all = repo_->range(1, 1000);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), static_cast<std::size_t>(kThreads * kEach));
  std::set<std::string> request_ids;
  for (std::size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ(all->at(i).seq, static_cast<std::int64_t>(i + 1));
    request_ids.insert(all->at(i).actor_name + "/" + all->at(i).request_id);
  }
  EXPECT_EQ(request_ids.size(), static_cast<std::size_t>(kThreads * kEach));
  const AuditVerifyReport r = verify(*log_a);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.entries, kThreads * kEach);
  EXPECT_EQ(r.checkpoints, kThreads * kEach / 10);
}

// ---- tampering ----------------------------------------------------------------------------

TEST_P(AuditContract, DetectsAChangedField) {
  auto log = make_log(100);
  fill(*log, 10);
  raw("UPDATE audit_entries SET outcome = 'denied' WHERE seq = 5");
  const AuditVerifyReport r = verify(*log);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 5);
  EXPECT_NE(r.reason.find("entry changed"), std::string::npos) << r.reason;
  EXPECT_EQ(r.entries, 4);
}

TEST_P(AuditContract, DetectsADeletedEntry) {
  auto log = make_log(100);
  fill(*log, 10);
  raw("DELETE FROM audit_entries WHERE seq = 5");
  const AuditVerifyReport r = verify(*log);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 5);
  EXPECT_NE(r.reason.find("missing"), std::string::npos) << r.reason;
}

TEST_P(AuditContract, DetectsAnEntryInsertedInTheMiddle) {
  auto log = make_log(100);
  fill(*log, 10);
  // Make room at 5 by moving 5…10 to 6…11, then forge a well-formed entry 5 linked to 4
  // with a correct hash of its own, and move the head: only entry 6 (the old 5, whose
  // hash covers seq 5 and the old link) can give it away.
  raw("UPDATE audit_entries SET seq = seq + 1000 WHERE seq >= 5");
  raw("UPDATE audit_entries SET seq = seq - 999 WHERE seq >= 1000");
  AuditEntry forged = entry(4);
  forged.seq = 5;
  forged.action = "case.approve";
  forged.prev_hash = entry(4).hash;
  forged.hash = crypto::sha256_hex(core::canonical_bytes(forged));
  raw("INSERT INTO audit_entries (seq, at_unix_ms, actor_id, actor_name, role, "
      "department_code, address, request_id, action, object_type, object_id, outcome, "
      "before_json, after_json, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {forged.seq, forged.at_unix_ms, forged.actor_id, forged.actor_name, forged.role,
       forged.department_code, forged.address, forged.request_id, forged.action, forged.object_type,
       forged.object_id, forged.outcome, forged.before_json, forged.after_json, forged.prev_hash,
       forged.hash});
  raw("UPDATE audit_head SET seq = 11 WHERE id = 1");
  const AuditVerifyReport r = verify(*log);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 6);
  EXPECT_NE(r.reason.find("prev_hash"), std::string::npos) << r.reason;
}

TEST_P(AuditContract, DetectsAnEntryAppendedBehindTheApplicationsBack) {
  auto log = make_log(100);
  fill(*log, 4);
  AuditEntry extra = entry(4);
  extra.seq = 5;
  extra.prev_hash = extra.hash;
  extra.hash = crypto::sha256_hex(core::canonical_bytes(extra));
  raw("INSERT INTO audit_entries (seq, at_unix_ms, action, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?)",
      {extra.seq, extra.at_unix_ms, extra.action, extra.prev_hash, extra.hash});
  const AuditVerifyReport r = verify(*log);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 5);
  EXPECT_NE(r.reason.find("beyond the head"), std::string::npos) << r.reason;
}

TEST_P(AuditContract, DetectsReorderedEntries) {
  auto log = make_log(100);
  fill(*log, 10);
  raw("UPDATE audit_entries SET seq = 1003 WHERE seq = 3");
  raw("UPDATE audit_entries SET seq = 3 WHERE seq = 4");
  raw("UPDATE audit_entries SET seq = 4 WHERE seq = 1003");
  const AuditVerifyReport r = verify(*log);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
}

TEST_P(AuditContract, DetectsATruncatedTailWhenTheHeadWasLeftAlone) {
  auto log = make_log(100);
  fill(*log, 10);
  raw("DELETE FROM audit_entries WHERE seq >= 9");
  const AuditVerifyReport r = verify(*log);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 9);
}

TEST_P(AuditContract, ATailCutBackToACheckpointWithTheHeadMovedIsTheKnownLimit) {
  // Documented limit (docs/decisions/0007): removing the newest entries after the last
  // checkpoint and moving the head back leaves a valid, shorter trail. Only the count
  // gives it away, which is why verify reports it.
  auto log = make_log(4);
  fill(*log, 10);
  const std::string hash8 = entry(8).hash;
  raw("DELETE FROM audit_entries WHERE seq >= 9");
  raw("UPDATE audit_head SET seq = 8, hash = ? WHERE id = 1", {hash8});
  const AuditVerifyReport r = verify(*log);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.entries, 8);  // not 10: compare with the last count you know
}

TEST_P(AuditContract, DetectsAChangeReHashedThroughTheWholeChain) {
  auto log = make_log(4);
  fill(*log, 10);
  raw("UPDATE audit_entries SET outcome = 'denied' WHERE seq = 2");
  rehash_from(2);
  const AuditVerifyReport r = verify(*log);
  EXPECT_FALSE(r.ok);
  // Every plain hash and link is right again; the checkpoint signed at 4 is not.
  EXPECT_EQ(r.first_bad_seq, 4);
  EXPECT_NE(r.reason.find("re-hashed"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("1–4"), std::string::npos) << r.reason;
}

TEST_P(AuditContract, DetectsCheckpointsDeletedToHideAReHash) {
  auto log = make_log(4);
  fill(*log, 10);
  raw("UPDATE audit_entries SET outcome = 'denied' WHERE seq = 6");
  rehash_from(6);
  raw("DELETE FROM audit_checkpoints WHERE seq >= 8");
  const AuditVerifyReport r = verify(*log);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 8);
  EXPECT_NE(r.reason.find("checkpoint is missing"), std::string::npos) << r.reason;
}

TEST_P(AuditContract, DetectsACheckpointForgedWithAnotherKey) {
  auto log = make_log(4);
  fill(*log, 10);
  raw("UPDATE audit_entries SET outcome = 'denied' WHERE seq = 2");
  rehash_from(2);
  // The attacker signs fresh checkpoints with a key of their own and stores its public key.
  auto forger = signer_from('f');
  for (std::int64_t seq : {4, 8}) {
    const std::string hash = entry(seq).hash;
    raw("UPDATE audit_checkpoints SET hash = ?, signature_hex = ?, public_key_hex = ? "
        "WHERE seq = ?",
        {hash, core::to_hex(forger->sign(core::checkpoint_message(seq, hash))),
         forger->public_key_hex(), seq});
  }
  AuditVerifyReport r = verify(*log);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4);
  EXPECT_NE(r.reason.find("another key"), std::string::npos) << r.reason;

  // Keeping our public key beside the forged signature does not help either.
  raw("UPDATE audit_checkpoints SET public_key_hex = ?", {signer_->public_key_hex()});
  r = verify(*log);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4);
  EXPECT_NE(r.reason.find("invalid signature"), std::string::npos) << r.reason;
}

TEST_P(AuditContract, AVerifierWithAnotherKeyRejectsTheCheckpoints) {
  auto log = make_log(4);
  fill(*log, 5);
  AuditLog stranger(repo_, crypto_of(signer_from('s')), 4, [] { return kT0; });
  auto r = stranger.verify();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->first_bad_seq, 4);
}

INSTANTIATE_TEST_SUITE_P(Dialects, AuditContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
