#pragma once
// The SQLite adapter of store::Database: one writer connection, owned by a writer thread
// that commits the writes waiting together in one transaction (group commit, see
// sqlite_database.cpp), and a pool of read-only connections, all in WAL mode so that
// readers never wait for the writer.
#include <memory>
#include <string>

#include "store/db.h"

namespace shenpi::store {

struct SqliteOptions {
  int readers = 4;             //!< read connections in the pool
  int busy_timeout_ms = 5000;  //!< how long a connection waits for a lock held elsewhere
  //! The writer connection's page cache. A server keeps the indexes every submission
  //! writes in a large one (64 MiB); a one-shot command reads most pages once, and filling
  //! a large cache would only cost it a page fault per page, so it keeps SQLite's 2 MiB.
  int writer_cache_kib = 2048;
  //! Checkpoint the WAL on a thread of its own (a server, where requests would otherwise
  //! wait for checkpoints inside their commits) instead of on the writer.
  bool background_checkpoint = false;
};

//! Opens (creating it and its parent directory when missing) the database file at `path`.
//! unavailable when the file cannot be created or opened. Applies no migrations.
Result<std::shared_ptr<Database>> open_sqlite(const std::string& path,
                                              const SqliteOptions& options = {});

}  // namespace shenpi::store
