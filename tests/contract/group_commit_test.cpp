// Group commit: many concurrent Database::write calls, each keeping the contract of
// src/store/db.h (committed when fn succeeds, nothing kept and fn's own error when it
// fails), while on SQLite the writes that wait together commit in one transaction.
//
// Durability of a commit across a power cut is covered by the crash tests (issue 6).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "contract/scratch_database.h"
#include "store/db.h"

namespace shenpi::store {
namespace {

using testing::DialectTest;
using testing::ScratchDatabase;

Result<void> create_rows_table(Session& s) {
  SHENPI_TRY(s.exec("CREATE TABLE gc_rows (k TEXT PRIMARY KEY, n BIGINT NOT NULL)"));
  return ok_result();
}

Result<void> insert_row(Session& s, const std::string& k, std::int64_t n = 0) {
  SHENPI_TRY(s.exec("INSERT INTO gc_rows (k, n) VALUES (?, ?)", {k, n}));
  return ok_result();
}

// The keys stored, as the applicant would find them after the fact.
std::set<std::string> stored_keys(Database& db) {
  std::set<std::string> keys;
  Result<void> r = db.read([&](Session& s) -> Result<void> {
    SHENPI_ASSIGN(Rows rows, s.query("SELECT k FROM gc_rows"));
    for (std::size_t i = 0; i < rows.size(); ++i) keys.insert(rows.text(i, 0));
    return ok_result();
  });
  EXPECT_TRUE(r.ok()) << r.error().message;
  return keys;
}

std::int64_t committed_count(Database& db) {
  std::int64_t n = -1;
  Result<void> r = db.read([&](Session& s) -> Result<void> {
    SHENPI_ASSIGN(Rows rows, s.query("SELECT COUNT(*) FROM gc_rows"));
    n = rows.int64(0, 0);
    return ok_result();
  });
  EXPECT_TRUE(r.ok()) << r.error().message;
  return n;
}

// ---- both dialects: the contract under concurrency -------------------------------------

class GroupCommitContract : public DialectTest {};

TEST_P(GroupCommitContract, ManyThreadsWritingAtOnceAllCommitExactlyOnce) {
  ASSERT_TRUE(db_->write(create_rows_table).ok());
  constexpr int kThreads = 8;
  constexpr int kWrites = 40;
  std::atomic<int> failures{0};
  std::atomic<int> not_visible_after_return{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const std::string key = std::to_string(t) + "-" + std::to_string(i);
        Result<void> r = db_->write([&](Session& s) { return insert_row(s, key, i); });
        if (!r.ok()) {
          ++failures;
          continue;
        }
        // Committed before write() returned: any reader sees it now.
        Result<void> seen = db_->read([&](Session& s) -> Result<void> {
          SHENPI_ASSIGN(Rows rows, s.query("SELECT n FROM gc_rows WHERE k = ?", {key}));
          if (rows.size() != 1) ++not_visible_after_return;
          return ok_result();
        });
        if (!seen.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(not_visible_after_return.load(), 0);
  EXPECT_EQ(committed_count(*db_), kThreads * kWrites);
  EXPECT_EQ(stored_keys(*db_).size(), static_cast<std::size_t>(kThreads * kWrites));
  EXPECT_EQ(db_->stats().in_use, 0);
}

TEST_P(GroupCommitContract, FailingWritesAmongConcurrentOnesKeepNothingAndTheirOwnError) {
  ASSERT_TRUE(db_->write(create_rows_table).ok());
  ASSERT_TRUE(db_->write([](Session& s) { return insert_row(s, "taken"); }).ok());
  constexpr int kThreads = 6;
  constexpr int kWrites = 30;
  std::mutex mu;
  std::map<std::string, Error> errors;  // key → the error its write returned
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const std::string key = std::to_string(t) + "-" + std::to_string(i);
        Result<void> r = db_->write([&](Session& s) -> Result<void> {
          SHENPI_TRY(insert_row(s, key, i));
          if (i % 3 == 1) {
            return make_error(ErrorKind::invalid_input, "own_error_" + key, "本次申请材料不全",
                              "field_" + key);
          }
          if (i % 3 == 2) return insert_row(s, "taken");  // a unique-key conflict
          return ok_result();
        });
        if (!r.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          errors.emplace(key, r.error());
        }
      }
    });
  }
  for (auto& th : threads) th.join();

  const std::set<std::string> keys = stored_keys(*db_);
  int kept = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kWrites; ++i) {
      const std::string key = std::to_string(t) + "-" + std::to_string(i);
      const auto err = errors.find(key);
      if (i % 3 == 0) {
        EXPECT_TRUE(keys.contains(key)) << key;
        EXPECT_TRUE(err == errors.end()) << key << ": " << err->second.message;
        ++kept;
        continue;
      }
      EXPECT_FALSE(keys.contains(key)) << key << " failed, yet its row was kept";
      ASSERT_TRUE(err != errors.end()) << key << " should have failed";
      if (i % 3 == 1) {
        EXPECT_EQ(err->second.kind, ErrorKind::invalid_input);
        EXPECT_EQ(err->second.code, "own_error_" + key);
        EXPECT_EQ(err->second.field, "field_" + key);
      } else {
        EXPECT_EQ(err->second.kind, ErrorKind::conflict) << err->second.message;
      }
    }
  }
  EXPECT_EQ(committed_count(*db_), kept + 1);  // and "taken"
}

INSTANTIATE_TEST_SUITE_P(Dialects, GroupCommitContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

// ---- SQLite: the writer thread and its groups -------------------------------------------

class SqliteGroupCommit : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    scratch_ = ScratchDatabase::create(Dialect::sqlite, &why);
    ASSERT_TRUE(scratch_) << why;
    auto db = open_database(scratch_->url());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = *db;
    ASSERT_TRUE(db_->write(create_rows_table).ok());
  }
  void TearDown() override {
    release_writer();
    for (auto& th : threads_) th.join();
    db_.reset();
    scratch_.reset();
  }

  // Occupies the writer with a job that waits until release_writer(), so that writes
  // started meanwhile queue up and then run as one group, in the order they were queued.
  void hold_writer() {
    std::atomic<bool> entered{false};
    threads_.emplace_back([this, &entered] {
      Result<void> r = db_->write([&](Session&) -> Result<void> {
        entered = true;
        while (!released_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return ok_result();
      });
      EXPECT_TRUE(r.ok());
    });
    while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void release_writer() { released_ = true; }

  // Starts write(fn) on its own thread and returns once the job waits in the queue (the
  // writer being held), so that jobs queue in the order of the calls. The outcome lands in
  // *out when the write returns.
  void queue_write(std::function<Result<void>(Session&)> fn, Result<void>* out) {
    const std::int64_t waits = db_->stats().waits;
    threads_.emplace_back([this, fn = std::move(fn), out] { *out = db_->write(fn); });
    while (db_->stats().waits == waits) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  void join_all() {
    for (auto& th : threads_) th.join();
    threads_.clear();
  }

  std::unique_ptr<ScratchDatabase> scratch_;
  std::shared_ptr<Database> db_;
  std::atomic<bool> released_{false};
  std::vector<std::thread> threads_;
};

TEST_F(SqliteGroupCommit, WritesQueuedTogetherCommitTogetherAndAFailureInTheMiddleStaysOut) {
  constexpr int kJobs = 12;
  std::vector<Result<void>> results(kJobs);
  // For each job: rows it saw in its own transaction minus rows committed (seen by a
  // reader) before it inserted its own. Non-zero only when earlier jobs of the same group
  // wrote rows that were not yet committed, i.e. the jobs share one transaction.
  std::vector<std::int64_t> uncommitted_seen(kJobs, -1);
  hold_writer();
  for (int j = 0; j < kJobs; ++j) {
    queue_write(
        [this, j, &uncommitted_seen](Session& s) -> Result<void> {
          SHENPI_ASSIGN(Rows mine, s.query("SELECT COUNT(*) FROM gc_rows"));
          uncommitted_seen[j] = mine.int64(0, 0) - committed_count(*db_);
          SHENPI_TRY(insert_row(s, "job-" + std::to_string(j), j));
          if (j == kJobs / 2)
            return make_error(ErrorKind::conflict, "already_decided", "已作出决定");
          return ok_result();
        },
        &results[j]);
  }
  release_writer();
  join_all();

  const std::set<std::string> keys = stored_keys(*db_);
  for (int j = 0; j < kJobs; ++j) {
    const std::string key = "job-" + std::to_string(j);
    if (j == kJobs / 2) {
      ASSERT_FALSE(results[j].ok());
      EXPECT_EQ(results[j].error().code, "already_decided");
      EXPECT_FALSE(keys.contains(key));
    } else {
      EXPECT_TRUE(results[j].ok()) << key << ": " << results[j].error().message;
      EXPECT_TRUE(keys.contains(key)) << key;
    }
  }
  EXPECT_EQ(committed_count(*db_), kJobs - 1);
  // Queued in order, run in order, in one transaction: the last job saw the rows of every
  // successful job before it, none of them committed yet.
  EXPECT_EQ(uncommitted_seen[0], 0);
  EXPECT_EQ(uncommitted_seen[kJobs - 1], kJobs - 2);
  EXPECT_EQ(db_->stats().in_use, 0);
}

TEST_F(SqliteGroupCommit, TransactionLostMidGroupFailsTheJobsBeforeItAndTheRestGoOn) {
  Result<void> before, culprit, after;
  hold_writer();
  queue_write([](Session& s) { return insert_row(s, "before"); }, &before);
  // What SQLite does by itself on a full disk or an I/O error: the whole transaction is
  // rolled back, and the statement reports the failure.
  queue_write(
      [](Session& s) -> Result<void> {
        SHENPI_TRY(insert_row(s, "culprit"));
        SHENPI_TRY(s.exec("ROLLBACK"));
        return make_error(ErrorKind::unavailable, "disk_full",
                          "存储空间已满，暂时无法保存，请稍后再试");
      },
      &culprit);
  queue_write([](Session& s) { return insert_row(s, "after"); }, &after);
  release_writer();
  join_all();

  ASSERT_FALSE(culprit.ok());
  EXPECT_EQ(culprit.error().code, "disk_full");
  // The job before it had its work undone with the transaction: it must not report success.
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().kind, ErrorKind::unavailable);
  // The job after it had not run yet: it runs in the next group.
  EXPECT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(stored_keys(*db_), (std::set<std::string>{"after"}));
}

TEST_F(SqliteGroupCommit, ADeferredForeignKeyViolationFailsOnlyItsOwnJob) {
  ASSERT_TRUE(db_->write([](Session& s) -> Result<void> {
                   SHENPI_TRY(s.exec("CREATE TABLE gc_parent (id INTEGER PRIMARY KEY)"));
                   SHENPI_TRY(s.exec(
                       "CREATE TABLE gc_child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES "
                       "gc_parent (id) DEFERRABLE INITIALLY DEFERRED)"));
                   return ok_result();
                 })
                  .ok());
  Result<void> good1, orphan, good2;
  hold_writer();
  queue_write([](Session& s) { return insert_row(s, "good1"); }, &good1);
  queue_write(
      [](Session& s) -> Result<void> {
        SHENPI_TRY(s.exec("INSERT INTO gc_child (id, parent) VALUES (1, 999)"));
        return insert_row(s, "orphan");
      },
      &orphan);
  queue_write([](Session& s) { return insert_row(s, "good2"); }, &good2);
  release_writer();
  join_all();

  EXPECT_TRUE(good1.ok()) << good1.error().message;
  EXPECT_TRUE(good2.ok()) << good2.error().message;
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().kind, ErrorKind::conflict);
  EXPECT_EQ(stored_keys(*db_), (std::set<std::string>{"good1", "good2"}));
}

TEST_F(SqliteGroupCommit, AWriteInsideAWriteIsRefusedInsteadOfDeadlocking) {
  Result<void> inner;
  Result<void> outer = db_->write([&](Session& s) -> Result<void> {
    inner = db_->write([](Session& s2) { return insert_row(s2, "inner"); });
    return insert_row(s, "outer");
  });
  EXPECT_TRUE(outer.ok());
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().kind, ErrorKind::internal);
  EXPECT_EQ(inner.error().code, "nested_write");
  EXPECT_EQ(stored_keys(*db_), (std::set<std::string>{"outer"}));
}

TEST_F(SqliteGroupCommit, AThrowingCallbackFailsAloneAndTheWriterCarriesOn) {
  Result<void> thrower = db_->write([](Session& s) -> Result<void> {
    SHENPI_TRY(insert_row(s, "thrower"));
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(thrower.ok());
  EXPECT_EQ(thrower.error().kind, ErrorKind::internal);
  EXPECT_TRUE(db_->write([](Session& s) { return insert_row(s, "next"); }).ok());
  EXPECT_EQ(stored_keys(*db_), (std::set<std::string>{"next"}));
}

TEST_F(SqliteGroupCommit, ALoneWriteIsNotHeldBackAndLeavesTheWriterIdle) {
  // With nobody else writing the writer commits at once: a hundred sequential writes take
  // a hundred commits' time, never a group-filling delay each (generous bound for slow CI).
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(
        db_->write([i](Session& s) { return insert_row(s, "k" + std::to_string(i)); }).ok());
  }
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, std::chrono::seconds(20));
  EXPECT_EQ(committed_count(*db_), 100);
  const PoolStats st = db_->stats();
  EXPECT_EQ(st.in_use, 0);
  EXPECT_EQ(st.waits, 0);        // one caller at a time never waited for the writer
  EXPECT_GT(st.cache_bytes, 0);  // the writer's and the reader's page caches hold pages
}

}  // namespace
}  // namespace shenpi::store

namespace shenpi::store {
namespace {

std::uintmax_t file_size_or_zero(const std::string& path) {
  std::error_code ec;
  const std::uintmax_t n = std::filesystem::file_size(path, ec);
  return ec ? 0 : n;
}

TEST(SqliteServerCheckpoint, TheWalIsCopiedIntoTheDatabaseWhileWritesGoOn) {
  // A server's database checkpoints on a thread of its own once the WAL passes 4,000
  // frames, long before the writer's own threshold (16,000): the rows reach the database
  // file without any write having waited for it, and nothing is lost or doubled.
  std::string why;
  auto scratch = testing::ScratchDatabase::create(Dialect::sqlite, &why);
  ASSERT_TRUE(scratch) << why;
  const std::string path = scratch->url().substr(std::string("sqlite:").size());
  auto opened = open_database(scratch->url(), Workload::server);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::shared_ptr<Database> db = *opened;
  ASSERT_TRUE(db->write([](Session& s) -> Result<void> {
                  SHENPI_TRY(s.exec("CREATE TABLE big (k BIGINT PRIMARY KEY, body TEXT)"));
                  return ok_result();
                }).ok());
  const std::uintmax_t before = file_size_or_zero(path);
  // ~6,000 pages of 4 KiB: past the background threshold, well short of the writer's.
  const std::string body(3500, 'x');
  constexpr int kRows = 6000;
  for (int i = 0; i < kRows; i += 50) {
    ASSERT_TRUE(db->write([&](Session& s) -> Result<void> {
                    for (int k = i; k < i + 50; ++k) {
                      SHENPI_TRY(s.exec("INSERT INTO big (k, body) VALUES (?, ?)",
                                        {std::int64_t{k}, body}));
                    }
                    return ok_result();
                  }).ok());
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (file_size_or_zero(path) < before + 12u * 1024 * 1024 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(file_size_or_zero(path), before + 12u * 1024 * 1024)
      << "the WAL was not checkpointed into the database file";
  std::int64_t n = -1;
  ASSERT_TRUE(db->read([&](Session& s) -> Result<void> {
                  SHENPI_ASSIGN(Rows r, s.query("SELECT COUNT(*) FROM big"));
                  n = r.int64(0, 0);
                  return ok_result();
                }).ok());
  EXPECT_EQ(n, kRows);
  db.reset();  // the checkpointer stops with the database
}

TEST(SqliteServerCheckpoint, TheWalStartsOverUnderASteadyReadLoad) {
  // Readers that never pause keep some snapshot in the WAL at every instant, so PASSIVE
  // checkpoints alone never let it start over ("checkpoint starvation"): past 16,000
  // frames the writer's RESTART checkpoint waits for them and starts it over, and the WAL
  // is short again while the reads and the writes go on.
  std::string why;
  auto scratch = testing::ScratchDatabase::create(Dialect::sqlite, &why);
  ASSERT_TRUE(scratch) << why;
  auto opened = open_database(scratch->url(), Workload::server);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::shared_ptr<Database> db = *opened;
  ASSERT_TRUE(db->write([](Session& s) -> Result<void> {
                  SHENPI_TRY(s.exec("CREATE TABLE big (k BIGINT PRIMARY KEY, body TEXT)"));
                  SHENPI_TRY(s.exec("INSERT INTO big (k, body) VALUES (-1, 'seed')"));
                  return ok_result();
                }).ok());
  std::atomic<bool> done{false};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        (void)db->read([](Session& s) -> Result<void> {
          // A page's worth of reading (a list, a report): the last 200 rows.
          SHENPI_TRY(s.query(
              "SELECT sum(length(body)) FROM (SELECT body FROM big ORDER BY k DESC LIMIT 200)"));
          return ok_result();
        });
        ++reads;
      }
    });
  }
  // ~20,000 pages: past the writer's threshold, with the readers going all along.
  const std::string body(3500, 'x');
  constexpr int kRows = 20000;
  int most_frames = 0;
  for (int i = 0; i < kRows; i += 100) {
    ASSERT_TRUE(db->write([&](Session& s) -> Result<void> {
                    for (int k = i; k < i + 100; ++k) {
                      SHENPI_TRY(s.exec("INSERT INTO big (k, body) VALUES (?, ?)",
                                        {std::int64_t{k}, body}));
                    }
                    return ok_result();
                  }).ok());
    most_frames = std::max(most_frames, db->stats().wal_frames);
  }
  const PoolStats st = db->stats();
  done = true;
  for (std::thread& t : readers) t.join();
  EXPECT_GT(reads.load(), 100);
  // Four readers that never pause starve the checkpoints on this VM every time (with
  // PASSIVE only the WAL ended 21,692 frames long); should a slow machine give SQLite a
  // quiet moment to start the WAL over by itself, the WAL is short all the same.
  EXPECT_LT(st.wal_frames, 16000) << "the WAL kept growing: checkpoints starved";
  if (most_frames >= 16000) {
    EXPECT_GE(st.wal_restarts, 1) << "reached " << most_frames;
  }
}

}  // namespace
}  // namespace shenpi::store
