#include "store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace shenpi::store {
namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// Leaves a cached statement ready for its next use however the current use ends.
class StmtReset {
 public:
  explicit StmtReset(sqlite3_stmt* s) : s_(s) {}
  ~StmtReset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  StmtReset(const StmtReset&) = delete;
  StmtReset& operator=(const StmtReset&) = delete;

 private:
  sqlite3_stmt* s_;
};

// Maps an SQLite result code to our error kinds: failures of the disk or of locking are
// `unavailable` (the caller may retry later), constraint violations `conflict`, the rest
// are bugs (`internal`).
Error sqlite_error(sqlite3* db, int rc) {
  const int primary = rc & 0xFF;
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (primary) {
    case SQLITE_CONSTRAINT:
      return make_error(ErrorKind::conflict, "constraint_violation",
                        "数据与已有记录冲突或引用了不存在的记录（" + detail + "）");
    case SQLITE_FULL:
      return make_error(ErrorKind::unavailable, "disk_full",
                        "存储空间已满，暂时无法保存，请稍后再试");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return make_error(ErrorKind::unavailable, "database_busy", "数据库繁忙，请稍后再试");
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PROTOCOL:
      return make_error(ErrorKind::unavailable, "database_unavailable",
                        "数据库暂时不可用，请稍后再试（" + detail + "）");
    default:
      return make_error(ErrorKind::internal, "database_error", "数据库错误：" + detail);
  }
}

// Process-wide settings, which SQLite accepts only before its first use. Memory
// statistics off: with them on, every allocation SQLite makes (page cache pages, statement
// memory) takes one global mutex shared by the writer and all readers, and the process never
// asks for the statistics. Not calling this is harmless: SQLite then keeps its defaults.
void configure_library_once() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

// One SQLite connection with its statement cache. Used by one thread at a time.
class Connection {
 public:
  explicit Connection(DbPtr db) : db_(std::move(db)) {}

  static Result<std::unique_ptr<Connection>> open(const std::string& path, bool reader,
                                                  const SqliteOptions& options) {
    configure_library_once();
    sqlite3* raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    DbPtr db(raw);  // sqlite3_open_v2 may hand out a handle even when it fails
    if (rc != SQLITE_OK) {
      return make_error(ErrorKind::unavailable, "database_unavailable",
                        "无法打开数据库文件 " + path + "（" +
                            (db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)) + "）");
    }
    sqlite3_extended_result_codes(db.get(), 1);
    sqlite3_busy_timeout(db.get(), options.busy_timeout_ms);
    auto conn = std::make_unique<Connection>(std::move(db));
    if (reader) {
      SHENPI_TRY(conn->exec_plain("PRAGMA query_only = ON"));
    } else {
      // WAL lets readers proceed while the writer writes; FULL makes each commit durable
      // on power loss, not only on a crash of the process.
      SHENPI_TRY(conn->enable_wal(options.busy_timeout_ms));
      SHENPI_TRY(conn->exec_plain("PRAGMA synchronous = FULL"));
      // Group commit runs each job in a savepoint, so SQLite keeps a statement journal of
      // every page a job changes, to roll that job back alone. In a file (the default,
      // under /var/tmp) each of those pages is one more pwrite on the writer thread, which
      // every request waits for; in memory it costs a copy. Sized by one group's pages.
      SHENPI_TRY(conn->exec_plain("PRAGMA temp_store = MEMORY"));
      // When to checkpoint is the Checkpointer's (below). The WAL file is cut back to
      // 64 MiB after a checkpoint.
      SHENPI_TRY(conn->exec_plain("PRAGMA journal_size_limit = 67108864"));
    }
    // Readers get 16 MiB each (SQLite's default is 2 MiB); the writer what the options say
    // (a server's keeps the indexes every submission writes — cases, tasks, events, audit,
    // outbox — in memory instead of reading them back from the OS on each insert).
    const int cache_kib = reader ? 16384 : std::max(512, options.writer_cache_kib);
    SHENPI_TRY(conn->exec_plain(("PRAGMA cache_size = -" + std::to_string(cache_kib)).c_str()));
    SHENPI_TRY(conn->exec_plain("PRAGMA foreign_keys = ON"));
    return conn;
  }

  //! Runs SQL without parameters (pragmas, transaction control); rows are discarded.
  Result<void> exec_plain(const char* sql) {
    char* msg = nullptr;
    const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &msg);
    sqlite3_free(msg);
    if (rc != SQLITE_OK) return sqlite_error(db_.get(), rc);
    return ok_result();
  }

  //! Switches the database file to WAL. Doing so needs an exclusive lock, and SQLite
  //! answers BUSY at once, without its busy handler, while another connection holds a
  //! lock, as when several processes open a new database together: so retry until the
  //! busy timeout has passed.
  Result<void> enable_wal(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      Result<void> r = exec_plain("PRAGMA journal_mode = WAL");
      if (r.ok()) return r;
      const int rc = sqlite3_extended_errcode(db_.get()) & 0xFF;
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) ||
          std::chrono::steady_clock::now() >= deadline) {
        return r;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  Result<Rows> query(std::string_view sql, const std::vector<Param>& params) {
    SHENPI_ASSIGN(sqlite3_stmt * stmt, prepare(sql));
    Rows rows;
    if (stmt == nullptr) return rows;  // the SQL held only a comment
    StmtReset reset(stmt);
    SHENPI_TRY(bind(stmt, params));
    const int ncol = sqlite3_column_count(stmt);
    rows.columns.reserve(static_cast<std::size_t>(ncol));
    for (int c = 0; c < ncol; ++c) rows.columns.emplace_back(sqlite3_column_name(stmt, c));
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return sqlite_error(db_.get(), rc);
      std::vector<Rows::Cell> row(static_cast<std::size_t>(ncol));
      for (int c = 0; c < ncol; ++c) {
        Rows::Cell& cell = row[static_cast<std::size_t>(c)];
        const int type = sqlite3_column_type(stmt, c);
        if (type == SQLITE_NULL) continue;
        cell.null = false;
        if (type == SQLITE_BLOB) {
          const void* p = sqlite3_column_blob(stmt, c);
          const int n = sqlite3_column_bytes(stmt, c);
          if (p != nullptr)
            cell.text.assign(static_cast<const char*>(p), static_cast<std::size_t>(n));
        } else {
          const unsigned char* p = sqlite3_column_text(stmt, c);
          const int n = sqlite3_column_bytes(stmt, c);
          if (p != nullptr) {
            cell.text.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
          }
        }
      }
      rows.rows.push_back(std::move(row));
    }
    return rows;
  }

  Result<std::int64_t> exec(std::string_view sql, const std::vector<Param>& params) {
    SHENPI_ASSIGN(sqlite3_stmt * stmt, prepare(sql));
    if (stmt == nullptr) return std::int64_t{0};
    StmtReset reset(stmt);
    SHENPI_TRY(bind(stmt, params));
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return sqlite_error(db_.get(), rc);
    }
    return static_cast<std::int64_t>(sqlite3_changes64(db_.get()));
  }

  Result<std::int64_t> insert(std::string_view sql, const std::vector<Param>& params) {
    SHENPI_TRY(exec(sql, params));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.get()));
  }

  sqlite3* handle() const { return db_.get(); }

  //! Records the memory of this connection's page cache, for stats() on other threads.
  //! Called by the thread using the connection, after using it.
  void note_cache_use() {
    int current = 0, highwater = 0;
    if (sqlite3_db_status(db_.get(), SQLITE_DBSTATUS_CACHE_USED, &current, &highwater, 0) ==
        SQLITE_OK) {
      cache_bytes_.store(current, std::memory_order_relaxed);
    }
  }
  std::int64_t cache_bytes() const { return cache_bytes_.load(std::memory_order_relaxed); }

  //! True when the connection is inside a transaction (autocommit is off).
  bool in_transaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

  //! True when deferred foreign-key constraints are violated right now, i.e. COMMIT
  //! would fail.
  bool deferred_foreign_key_violations() {
    int current = 0, highwater = 0;
    sqlite3_db_status(db_.get(), SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highwater, 0);
    return current != 0;
  }

 private:
  // Statements are prepared once per connection and kept; the cache is bounded so that
  // SQL built at run time (IN lists of varying length) cannot grow it without end.
  static constexpr std::size_t kMaxCachedStatements = 256;

  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    std::string key(sql);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second.get();
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    StmtPtr stmt(raw);
    if (rc != SQLITE_OK) return sqlite_error(db_.get(), rc);
    if (!stmt) return static_cast<sqlite3_stmt*>(nullptr);
    if (cache_.size() >= kMaxCachedStatements) cache_.clear();
    sqlite3_stmt* p = stmt.get();
    cache_.emplace(std::move(key), std::move(stmt));
    return p;
  }

  Result<void> bind(sqlite3_stmt* stmt, const std::vector<Param>& params) {
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      return make_error(ErrorKind::internal, "bad_parameters",
                        "SQL 参数个数不符：需要 " + std::to_string(expected) + " 个，给了 " +
                            std::to_string(params.size()) + " 个");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      const Param& p = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(p)) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (const auto* n = std::get_if<std::int64_t>(&p)) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else if (const auto* d = std::get_if<double>(&p)) {
        rc = sqlite3_bind_double(stmt, idx, *d);
      } else if (const auto* s = std::get_if<std::string>(&p)) {
        rc = sqlite3_bind_text64(stmt, idx, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else if (const auto* b = std::get_if<Blob>(&p)) {
        rc = sqlite3_bind_blob64(stmt, idx, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return sqlite_error(db_.get(), rc);
    }
    return ok_result();
  }

  DbPtr db_;
  std::unordered_map<std::string, StmtPtr> cache_;
  std::atomic<std::int64_t> cache_bytes_{0};
};

class SqliteSession final : public Session {
 public:
  explicit SqliteSession(Connection& c) : c_(c) {}
  Dialect dialect() const override { return Dialect::sqlite; }
  Result<Rows> query(std::string_view sql, const std::vector<Param>& params) override {
    return c_.query(sql, params);
  }
  Result<std::int64_t> exec(std::string_view sql, const std::vector<Param>& params) override {
    return c_.exec(sql, params);
  }
  Result<std::int64_t> insert(std::string_view sql, const std::vector<Param>& params) override {
    return c_.insert(sql, params);
  }

 private:
  Connection& c_;
};

// Runs fn inside the transaction begun by `begin` on c: commits when fn succeeds, rolls
// back when fn or the commit fails, so nothing half-written stays behind.
Result<void> run_transaction(Connection& c, const char* begin,
                             const std::function<Result<void>(Session&)>& fn) {
  SHENPI_TRY(c.exec_plain(begin));
  SqliteSession session(c);
  Result<void> r = fn(session);
  if (r.ok()) {
    Result<void> commit = c.exec_plain("COMMIT");
    if (commit.ok()) return ok_result();
    r = std::move(commit);
  }
  if (c.in_transaction()) (void)c.exec_plain("ROLLBACK");
  return r;
}

// ---- group commit ---------------------------------------------------------------------
//
// Every write() becomes a job on a queue. One writer thread owns the write connection and
// drains the queue: it takes the jobs waiting (at most kMaxGroupJobs), opens one
// transaction, runs each job inside its own savepoint and commits once, so that one fsync
// of the WAL makes the whole group durable. Each caller is woken only after the commit of
// its group, so write() keeps its contract: fn ran in a transaction, and when write()
// returns success the changes are durable; when fn fails, its savepoint is rolled back and
// nothing of it is kept, while the other jobs of the group are unaffected.
//
// Jobs run in queue order and each sees what the jobs before it in the group wrote, which
// is exactly what it would have seen had they committed one by one. A job that reads
// through db.read() instead of its Session does not see those uncommitted rows (as before,
// when it could not see the writer's open transaction either).
//
// The writer never waits to fill a group: with an empty queue it commits at once, so a
// lone request pays no added latency. Under load, the jobs that arrive while a group's
// transaction is running join it until it holds kMaxGroupJobs jobs or has run for
// kGroupBudget; later arrivals form the next group.

constexpr std::size_t kMaxGroupJobs = 64;
constexpr auto kGroupBudget = std::chrono::milliseconds(4);

// One write() call waiting for the writer. Lives on the caller's stack: the writer must
// not touch it after finish() returns.
//
// The caller sleeps on a condition variable rather than std::binary_semaphore: libstdc++'s
// semaphore spins with sched_yield before it sleeps, and with 32 workers waiting for a
// commit that takes milliseconds those yields were 7 % of the server's CPU under load
// (perf, bench/submit), taken from the writer thread, which is the bottleneck.
struct WriteJob {
  explicit WriteJob(const std::function<Result<void>(Session&)>& f) : fn(f) {}
  const std::function<Result<void>(Session&)>& fn;
  Result<void> result;

  //! The writer's last touch of the job. Notifies under the lock, so the caller cannot
  //! see `done` and destroy the job before notify_one has returned.
  void finish() {
    std::lock_guard<std::mutex> lock(mu);
    done = true;
    cv.notify_one();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return done; });
  }

 private:
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
};

// The database the current thread is the writer of, if any: a job that calls write()
// again on the same database would wait for itself forever, so that is refused.
thread_local const void* t_writer_of = nullptr;

// The error a job gets when its own work was fine but its group's transaction was lost
// (rolled back by SQLite on a full disk or an I/O error, or the COMMIT failed): failures of
// the disk or of locking keep their `unavailable` kind so that the caller may retry;
// anything else is an `internal` error, since the job itself did nothing wrong.
Error group_error(const Error& cause) {
  if (cause.kind == ErrorKind::unavailable) return cause;
  return make_error(ErrorKind::internal, "transaction_lost",
                    "数据库事务未能提交，本次保存未生效（" + cause.message + "）");
}

// Copies the WAL back into the database file on a thread of its own, so that the
// checkpoint's copy and fsync are not paid by the requests of the group whose commit
// crossed the threshold. SQLite's default checkpoints inside COMMIT on the writer: with
// 16,000 frames between checkpoints every few hundred submissions waited tens of
// milliseconds more, which made the p99 latency at half load (bench/submit).
//
// The writer's WAL hook (called after each commit with the WAL's length in frames) wakes
// this thread past kBackgroundFrames. A PASSIVE checkpoint runs beside the writer's
// commits, but it can never start the WAL over: SQLite does that when a write begins
// after a complete checkpoint with no reader still in the WAL, and under a steady read
// load some reader always is ("checkpoint starvation"). So past kWriterFrames the writer
// runs a RESTART checkpoint itself: it copies what the background checkpoints left,
// waits up to kRestartWait for the readers still in the WAL (new readers read the
// database file and do not hold it up), and starts the WAL over. Under four readers that
// never pause that took 130–200 ms, once per kWriterFrames (the contract test). Without
// it the WAL grew past its threshold and stayed there, and since the hook then fired on
// every commit, every group paid a checkpoint and an fsync of the database file: the
// soak's server fell behind late in two runs of five. A RESTART that cannot finish in
// time (a long report reading) copies what it can, as PASSIVE, and is tried again
// kBackgroundFrames later. Without a checkpoint connection (one-shot commands) the hook
// is SQLite's own, every kWriterFrames.
class Checkpointer {
 public:
  static constexpr int kBackgroundFrames = 4000;
  static constexpr int kWriterFrames = 16000;
  static constexpr std::chrono::milliseconds kRestartWait{500};

  //! `busy_timeout_ms`: the writer's own, restored after each RESTART.
  Checkpointer(std::unique_ptr<Connection> own, Connection& writer, int busy_timeout_ms)
      : own_(std::move(own)), writer_(writer.handle()), busy_timeout_ms_(busy_timeout_ms) {
    if (!own_) {
      sqlite3_wal_autocheckpoint(writer_, kWriterFrames);
      return;
    }
    sqlite3_wal_hook(writer_, &Checkpointer::on_commit, this);
    thread_ = std::thread([this] { loop(); });
  }
  //! Needs the writer thread stopped: the hook is taken off the writer connection.
  ~Checkpointer() {
    if (!thread_.joinable()) return;
    sqlite3_wal_hook(writer_, nullptr, nullptr);
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  //! The WAL's length in frames after the last commit (0 without a checkpoint thread).
  int wal_frames() const { return wal_frames_.load(std::memory_order_relaxed); }
  //! RESTART checkpoints that started the WAL over.
  std::int64_t restarts() const { return restarts_.load(std::memory_order_relaxed); }

 private:
  // SQLite's WAL hook: on the writer thread, after a commit, with the WAL's frame count.
  static int on_commit(void* self, sqlite3* db, const char* name, int frames) {
    auto* cp = static_cast<Checkpointer*>(self);
    cp->wal_frames_.store(frames, std::memory_order_relaxed);
    if (frames >= cp->restart_at_) {
      cp->restart(db, name, frames);
    } else if (frames >= kBackgroundFrames) {
      {
        std::lock_guard<std::mutex> lock(cp->mu_);
        cp->wanted_ = true;
      }
      cp->cv_.notify_one();
    }
    return SQLITE_OK;
  }

  // On the writer thread, between two transactions. Best effort, as SQLite's own
  // auto-checkpoint: a failure leaves the WAL longer until the next try.
  void restart(sqlite3* db, const char* name, int frames) {
    // SQLite lets one checkpoint run at a time and fails a second at once: while the
    // background one copies, try again after the next commit.
    std::unique_lock<std::mutex> running(checkpointing_, std::try_to_lock);
    if (!running.owns_lock()) return;
    RestartWait wait{std::chrono::steady_clock::now() + kRestartWait};
    sqlite3_busy_handler(db, &RestartWait::again, &wait);
    const int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    sqlite3_busy_timeout(db, busy_timeout_ms_);
    if (rc == SQLITE_OK) {
      restart_at_ = kWriterFrames;
      restarts_.fetch_add(1, std::memory_order_relaxed);
    } else {
      restart_at_ = frames + kBackgroundFrames;
    }
  }

  // The busy handler of a RESTART: retry every 0.2 ms until the deadline.
  struct RestartWait {
    std::chrono::steady_clock::time_point deadline;
    static int again(void* self, int) {
      if (std::chrono::steady_clock::now() >= static_cast<RestartWait*>(self)->deadline) return 0;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      return 1;
    }
  };

  void loop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return stopping_ || wanted_; });
      if (stopping_) return;
      wanted_ = false;
      lock.unlock();
      {
        std::lock_guard<std::mutex> running(checkpointing_);
        (void)sqlite3_wal_checkpoint_v2(own_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                        nullptr);
      }
      lock.lock();
    }
  }

  std::unique_ptr<Connection> own_;
  sqlite3* writer_;  // the writer's handle, outlives this
  int busy_timeout_ms_;
  int restart_at_ = kWriterFrames;  // writer thread only
  std::mutex checkpointing_;        // held by whoever runs a checkpoint of ours
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;    // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::atomic<int> wal_frames_{0};
  std::atomic<std::int64_t> restarts_{0};
  std::thread thread_;
};

class SqliteDatabase final : public Database {
 public:
  //! `checkpointer`, when given, copies the WAL into the database on a thread of its own
  //! (see Checkpointer); without it the writer checkpoints as SQLite does by default.
  SqliteDatabase(std::string path, std::unique_ptr<Connection> writer,
                 std::vector<std::unique_ptr<Connection>> readers,
                 std::unique_ptr<Connection> checkpointer, int busy_timeout_ms)
      : path_(std::move(path)),
        writer_(std::move(writer)),
        idle_readers_(std::move(readers)),
        reader_count_(static_cast<int>(idle_readers_.size())),
        all_(connections(*writer_, idle_readers_)),
        checkpointer_(std::move(checkpointer), *writer_, busy_timeout_ms),
        writer_thread_([this] { writer_loop(); }) {}

  // Callers of write() are blocked on their jobs, so none can be left behind: the writer
  // drains the queue before it stops. The checkpointer stops after it (member order).
  ~SqliteDatabase() override {
    {
      std::lock_guard<std::mutex> lock(queue_mu_);
      stopping_ = true;
    }
    queue_cv_.notify_one();
    writer_thread_.join();
  }

  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Dialect dialect() const override { return Dialect::sqlite; }

  Result<void> read(const std::function<Result<void>(Session&)>& fn) override {
    std::unique_ptr<Connection> c = checkout();
    // A read transaction gives fn one consistent snapshot of the database.
    Result<void> r = run_transaction(*c, "BEGIN", fn);
    c->note_cache_use();
    checkin(std::move(c));
    return r;
  }

  //! Queues fn for the writer thread and blocks until its group has committed (or fn has
  //! failed and been rolled back). Calling write() from inside a write callback of the
  //! same database is a bug (it would deadlock) and fails with an internal error.
  Result<void> write(const std::function<Result<void>(Session&)>& fn) override {
    if (t_writer_of == this) {
      return make_error(ErrorKind::internal, "nested_write",
                        "写事务内不能再次请求写事务（会造成死锁）");
    }
    WriteJob job(fn);
    {
      std::lock_guard<std::mutex> lock(queue_mu_);
      if (writer_busy_.load(std::memory_order_relaxed) != 0 || !queue_.empty()) {
        waits_.fetch_add(1, std::memory_order_relaxed);
      }
      queue_.push_back(&job);
    }
    queue_cv_.notify_one();
    job.wait();
    return std::move(job.result);
  }

  Result<void> ping() override {
    return read([](Session& s) -> Result<void> {
      SHENPI_TRY(s.query("SELECT 1"));
      return ok_result();
    });
  }

  PoolStats stats() const override {
    PoolStats st;
    st.size = reader_count_ + 1;
    {
      std::lock_guard<std::mutex> lock(pool_mu_);
      st.in_use = reader_count_ - static_cast<int>(idle_readers_.size());
    }
    st.in_use += writer_busy_.load(std::memory_order_relaxed);
    st.waits = waits_.load(std::memory_order_relaxed);
    for (const Connection* c : all_) st.cache_bytes += c->cache_bytes();
    st.wal_frames = checkpointer_.wal_frames();
    st.wal_restarts = checkpointer_.restarts();
    return st;
  }

  std::string describe() const override { return "sqlite:" + path_; }

 private:
  void writer_loop() {
    t_writer_of = this;
    std::vector<WriteJob*> group;
    group.reserve(kMaxGroupJobs);
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(queue_mu_);
        queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left to do
        writer_busy_.store(1, std::memory_order_relaxed);
        take_jobs(group);
      }
      run_group(group);
      writer_->note_cache_use();
      {
        // Idle before the callers wake, so that a caller's next write() does not count
        // as a wait and stats() taken after write() returns sees the writer free.
        std::lock_guard<std::mutex> lock(queue_mu_);
        if (queue_.empty()) writer_busy_.store(0, std::memory_order_relaxed);
      }
      for (WriteJob* job : group) job->finish();  // each job is gone after this
      group.clear();
    }
  }

  // Moves waiting jobs onto the group, up to kMaxGroupJobs. Needs queue_mu_ held.
  void take_jobs(std::vector<WriteJob*>& group) {
    while (!queue_.empty() && group.size() < kMaxGroupJobs) {
      group.push_back(queue_.front());
      queue_.pop_front();
    }
  }

  // Puts jobs that were taken but never ran back at the head of the queue, in order.
  void requeue(std::vector<WriteJob*>& group, std::size_t first) {
    if (first >= group.size()) return;
    {
      std::lock_guard<std::mutex> lock(queue_mu_);
      queue_.insert(queue_.begin(), group.begin() + static_cast<std::ptrdiff_t>(first),
                    group.end());
    }
    group.resize(first);
  }

  // Runs the jobs of `group` in one transaction and leaves each job's outcome in its
  // result. The group may grow while it runs (late arrivals, within the budget) and may
  // shrink (jobs after a lost transaction go back to the queue for the next group).
  void run_group(std::vector<WriteJob*>& group) {
    Connection& c = *writer_;
    if (Result<void> begin = c.exec_plain("BEGIN IMMEDIATE"); !begin.ok()) {
      for (WriteJob* job : group) job->result = begin.error();
      return;
    }
    const auto started = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < group.size(); ++i) {
      run_job(c, *group[i]);
      if (!c.in_transaction()) {
        // SQLite rolled the whole transaction back by itself (disk full, I/O error…):
        // the jobs before this one lost their work too. The failing job keeps its own
        // error; the ones after it have not run yet and go into the next group.
        const Error cause =
            group[i]->result.ok()
                ? make_error(ErrorKind::internal, "transaction_lost", "数据库事务意外中止")
                : group[i]->result.error();
        if (group[i]->result.ok()) group[i]->result = group_error(cause);
        for (std::size_t k = 0; k < i; ++k) group[k]->result = group_error(cause);
        requeue(group, i + 1);
        return;
      }
      if (i + 1 == group.size() && group.size() < kMaxGroupJobs &&
          std::chrono::steady_clock::now() - started < kGroupBudget) {
        std::lock_guard<std::mutex> lock(queue_mu_);
        take_jobs(group);
      }
    }
    if (Result<void> commit = c.exec_plain("COMMIT"); !commit.ok()) {
      if (c.in_transaction()) (void)c.exec_plain("ROLLBACK");
      // Jobs that failed on their own keep their own error: they would have failed anyway.
      for (WriteJob* job : group) {
        if (job->result.ok()) job->result = group_error(commit.error());
      }
    }
  }

  // Runs one job inside SAVEPOINT j … RELEASE j, rolling back to the savepoint when the
  // job fails so that the rest of the transaction stays as it was before the job.
  static void run_job(Connection& c, WriteJob& job) {
    // The savepoint statements go through the statement cache (exec), not sqlite3_exec,
    // which would parse them again for every job of every group.
    if (Result<std::int64_t> sp = c.exec("SAVEPOINT j", {}); !sp.ok()) {
      job.result = sp.error();
      return;
    }
    SqliteSession session(c);
    Result<void> r;
    try {
      r = job.fn(session);
    } catch (const std::exception& e) {
      // The writer thread must survive a throwing callback; the caller gets a bug report.
      r = make_error(ErrorKind::internal, "write_callback_threw",
                     std::string("写事务回调抛出异常：") + e.what());
    } catch (...) {
      r = make_error(ErrorKind::internal, "write_callback_threw", "写事务回调抛出异常");
    }
    if (!c.in_transaction()) {
      job.result = std::move(r);
      return;  // the caller sees the lost transaction
    }
    if (r.ok() && c.deferred_foreign_key_violations()) {
      // A deferred constraint is checked at COMMIT, which would fail the whole group:
      // fail this job now, as its own commit would have failed.
      r = make_error(ErrorKind::conflict, "constraint_violation",
                     "数据与已有记录冲突或引用了不存在的记录（FOREIGN KEY constraint failed）");
    }
    if (r.ok()) {
      if (Result<std::int64_t> released = c.exec("RELEASE j", {}); !released.ok()) {
        r = released.error();
      }
      if (r.ok()) {
        job.result = std::move(r);
        return;
      }
    }
    if (!c.exec("ROLLBACK TO j", {}).ok() || !c.exec("RELEASE j", {}).ok()) {
      // The job's changes could not be undone on their own: give up the whole
      // transaction, which the caller then handles as lost.
      if (c.in_transaction()) (void)c.exec_plain("ROLLBACK");
    }
    job.result = std::move(r);
  }

  // Every connection, for stats(); they live as long as the database.
  static std::vector<const Connection*> connections(
      const Connection& writer, const std::vector<std::unique_ptr<Connection>>& readers) {
    std::vector<const Connection*> all{&writer};
    for (const auto& r : readers) all.push_back(r.get());
    return all;
  }

  std::unique_ptr<Connection> checkout() {
    std::unique_lock<std::mutex> lock(pool_mu_);
    if (idle_readers_.empty()) {
      waits_.fetch_add(1, std::memory_order_relaxed);
      pool_cv_.wait(lock, [this] { return !idle_readers_.empty(); });
    }
    std::unique_ptr<Connection> c = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    return c;
  }

  void checkin(std::unique_ptr<Connection> c) {
    {
      std::lock_guard<std::mutex> lock(pool_mu_);
      idle_readers_.push_back(std::move(c));
    }
    pool_cv_.notify_one();
  }

  const std::string path_;
  std::unique_ptr<Connection> writer_;  // used by the writer thread only
  mutable std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  const int reader_count_;
  const std::vector<const Connection*> all_;
  std::atomic<int> writer_busy_{0};
  std::atomic<std::int64_t> waits_{0};
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<WriteJob*> queue_;  // guarded by queue_mu_
  bool stopping_ = false;        // guarded by queue_mu_
  Checkpointer checkpointer_;    // before the writer thread, which its hook serves
  std::thread writer_thread_;    // last: starts once everything above is constructed
};

}  // namespace

Result<std::shared_ptr<Database>> open_sqlite(const std::string& path,
                                              const SqliteOptions& options) {
  if (path.empty()) {
    return make_error(ErrorKind::invalid_input, "bad_database_url", "SQLite 数据库路径为空", "db");
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return make_error(ErrorKind::unavailable, "database_unavailable",
                        "无法创建数据目录 " + parent.string() + "（" + ec.message() + "）");
    }
  }
  // The writer comes first: it creates the file and switches it to WAL before any reader
  // opens it.
  SHENPI_ASSIGN(auto writer, Connection::open(path, false, options));
  std::vector<std::unique_ptr<Connection>> readers;
  const int n = options.readers < 1 ? 1 : options.readers;
  for (int i = 0; i < n; ++i) {
    SHENPI_ASSIGN(auto reader, Connection::open(path, true, options));
    readers.push_back(std::move(reader));
  }
  std::unique_ptr<Connection> checkpointer;
  if (options.background_checkpoint) {
    SHENPI_ASSIGN(checkpointer, Connection::open(path, true, options));
    // A checkpoint syncs the WAL before copying it and the database after (FULL), so that
    // a crash in the middle loses nothing; query_only does not stop the checkpoint API.
    SHENPI_TRY(checkpointer->exec_plain("PRAGMA synchronous = FULL"));
  }
  return std::shared_ptr<Database>(
      std::make_shared<SqliteDatabase>(path, std::move(writer), std::move(readers),
                                       std::move(checkpointer), options.busy_timeout_ms));
}

}  // namespace shenpi::store
