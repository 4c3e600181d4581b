#pragma once
// A small dialect-neutral database interface over SQLite and PostgreSQL. Repositories are
// written once against it (see docs/decisions/0002-one-repository-two-dialects.md).
//
// SQL uses `?` placeholders; the PostgreSQL adapter rewrites them to $1, $2, …
// Parameters are always bound, never spliced into the text. Write SQL in the common
// subset of both dialects; where they differ, branch on dialect().
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace shenpi::store {

enum class Dialect { sqlite, postgres };

//! Binary data, bound as BLOB (SQLite) or bytea (PostgreSQL).
struct Blob {
  std::string bytes;
};

using Param = std::variant<std::nullptr_t, std::int64_t, double, std::string, Blob>;

//! A fully read result set. Values are kept as text (or bytes) with a null flag; the
//! typed getters convert and report a bad conversion as ErrorKind::internal via ok().
class Rows {
 public:
  struct Cell {
    bool null = true;
    std::string text;  //!< text form; for blobs, the raw bytes
  };
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;

  std::size_t size() const { return rows.size(); }
  bool empty() const { return rows.empty(); }
  bool is_null(std::size_t row, std::size_t col) const { return rows[row][col].null; }
  const std::string& text(std::size_t row, std::size_t col) const { return rows[row][col].text; }
  std::int64_t int64(std::size_t row, std::size_t col) const;  //!< 0 when null
  bool boolean(std::size_t row, std::size_t col) const;        //!< accepts 0/1, t/f
  double real(std::size_t row, std::size_t col) const;
};

//! A connection lent for the duration of one read or write callback.
class Session {
 public:
  virtual ~Session() = default;
  virtual Dialect dialect() const = 0;
  //! Runs a statement returning rows.
  virtual Result<Rows> query(std::string_view sql, const std::vector<Param>& params = {}) = 0;
  //! Runs a statement; returns the number of rows changed.
  virtual Result<std::int64_t> exec(std::string_view sql,
                                    const std::vector<Param>& params = {}) = 0;
  //! Runs an INSERT and returns the generated id of column `id`. (SQLite: last_insert_rowid;
  //! PostgreSQL: appends RETURNING id.)
  virtual Result<std::int64_t> insert(std::string_view sql,
                                      const std::vector<Param>& params = {}) = 0;
};

struct PoolStats {
  int size = 0;            //!< connections in the pool (readers + the writer)
  int in_use = 0;          //!< connections lent right now
  std::int64_t waits = 0;  //!< times a caller had to wait for a connection
  //! Page-cache memory the connections hold (SQLite, as of each one's last use; bounded by
  //! their cache sizes). 0 where the database server keeps the cache (PostgreSQL).
  std::int64_t cache_bytes = 0;
  //! SQLite server: the WAL's length in frames after the last commit, and the checkpoints
  //! that started it over (a length that only grows means checkpoints are starved).
  int wal_frames = 0;
  std::int64_t wal_restarts = 0;
};

//! A database: a pool of connections. Safe to use from many threads.
class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  //! Runs fn on a read connection (a consistent snapshot for its duration).
  virtual Result<void> read(const std::function<Result<void>(Session&)>& fn) = 0;
  //! Runs fn inside one write transaction: committed when fn succeeds, rolled back when it
  //! fails. On SQLite writes are serialised through the one writer connection.
  virtual Result<void> write(const std::function<Result<void>(Session&)>& fn) = 0;
  //! A cheap round trip; unavailable when the database cannot be reached.
  virtual Result<void> ping() = 0;
  virtual PoolStats stats() const = 0;
  //! Human-readable location without secrets (the path, or host/dbname without password).
  virtual std::string describe() const = 0;
};

//! What a process opens the database for: a long-running server keeps more in memory
//! than a one-shot command (see SqliteOptions::writer_cache_kib).
enum class Workload { command, server };

//! Opens "sqlite:PATH" or a "postgresql://…" / "postgres://…" URL, and applies pending
//! migrations (src/store/migrations/<dialect>/NNNN_*.sql, in order, each in a transaction,
//! recorded in schema_migrations). invalid_input for an unknown scheme; unavailable when
//! the database cannot be opened or reached.
Result<std::shared_ptr<Database>> open_database(const std::string& url,
                                                Workload workload = Workload::command);

}  // namespace shenpi::store
