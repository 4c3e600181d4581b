#include "store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
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

// One SQLite connection with its statement cache. Used by one thread at a time.
class Connection {
 public:
  explicit Connection(DbPtr db) : db_(std::move(db)) {}

  static Result<std::unique_ptr<Connection>> open(const std::string& path, bool reader,
                                                  const SqliteOptions& options) {
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
    }
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

  //! True when the connection is inside a transaction (autocommit is off).
  bool in_transaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

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

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, std::unique_ptr<Connection> writer,
                 std::vector<std::unique_ptr<Connection>> readers)
      : path_(std::move(path)),
        writer_(std::move(writer)),
        idle_readers_(std::move(readers)),
        reader_count_(static_cast<int>(idle_readers_.size())) {}

  Dialect dialect() const override { return Dialect::sqlite; }

  Result<void> read(const std::function<Result<void>(Session&)>& fn) override {
    std::unique_ptr<Connection> c = checkout();
    // A read transaction gives fn one consistent snapshot of the database.
    Result<void> r = run_transaction(*c, "BEGIN", fn);
    checkin(std::move(c));
    return r;
  }

  Result<void> write(const std::function<Result<void>(Session&)>& fn) override {
    std::unique_lock<std::mutex> lock(write_mu_, std::try_to_lock);
    if (!lock.owns_lock()) {
      waits_.fetch_add(1, std::memory_order_relaxed);
      lock.lock();
    }
    writer_busy_.store(1, std::memory_order_relaxed);
    Result<void> r = run_transaction(*writer_, "BEGIN IMMEDIATE", fn);
    writer_busy_.store(0, std::memory_order_relaxed);
    return r;
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
    return st;
  }

  std::string describe() const override { return "sqlite:" + path_; }

 private:
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
  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;
  mutable std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  const int reader_count_;
  std::atomic<int> writer_busy_{0};
  std::atomic<std::int64_t> waits_{0};
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
  return std::shared_ptr<Database>(
      std::make_shared<SqliteDatabase>(path, std::move(writer), std::move(readers)));
}

}  // namespace shenpi::store
