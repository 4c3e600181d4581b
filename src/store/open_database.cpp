// open_database: picks the adapter by URL scheme and brings the schema up to date.
#include <charconv>
#include <string>
#include <vector>

#include "resources/resources.h"
#include "store/db.h"
#include "store/postgres/pg_database.h"
#include "store/sql_script.h"
#include "store/sqlite/sqlite_database.h"

namespace shenpi::store {
namespace {

// Key of the advisory lock that serialises migrations across processes on PostgreSQL
// (the ASCII of "SHENPI").
constexpr std::int64_t kMigrationLockKey = 0x5348454E5049;

struct Migration {
  int version = 0;
  std::string name;
  std::string_view sql;
};

// The embedded migrations of a dialect, in order. A file must be named NNNN_name.sql;
// anything else in the folder is a packaging bug.
Result<std::vector<Migration>> migrations_for(Dialect dialect) {
  const std::string prefix =
      std::string("src/store/migrations/") + (dialect == Dialect::sqlite ? "sqlite/" : "postgres/");
  std::vector<Migration> out;
  for (std::string_view path : resource_names(prefix)) {
    const std::string_view file = path.substr(prefix.size());
    const std::size_t underscore = file.find('_');
    const bool named = underscore == 4 && file.size() > 9 && file.ends_with(".sql");
    Migration m;
    if (named) {
      auto [ptr, ec] = std::from_chars(file.data(), file.data() + 4, m.version);
      if (ec != std::errc() || ptr != file.data() + 4) m.version = 0;
    }
    if (m.version <= 0) {
      return make_error(ErrorKind::internal, "bad_migration_name",
                        "迁移文件名应为 NNNN_名称.sql：" + std::string(path));
    }
    m.name = std::string(file.substr(5, file.size() - 5 - 4));
    m.sql = *resource(path);
    if (!out.empty() && out.back().version >= m.version) {
      return make_error(ErrorKind::internal, "bad_migration_order",
                        "迁移编号重复：" + std::string(path));
    }
    out.push_back(std::move(m));
  }
  return out;
}

Result<void> lock_migrations(Session& s) {
  if (s.dialect() == Dialect::postgres) {
    // Held until the transaction ends: two processes starting at once take turns, and the
    // second sees what the first applied.
    SHENPI_TRY(s.query("SELECT pg_advisory_xact_lock(?)", {kMigrationLockKey}));
  }
  return ok_result();
}

Result<void> migrate(Database& db) {
  SHENPI_ASSIGN(const std::vector<Migration> migrations, migrations_for(db.dialect()));
  SHENPI_TRY(db.write([](Session& s) -> Result<void> {
    SHENPI_TRY(lock_migrations(s));
    const char* ddl =
        s.dialect() == Dialect::postgres
            ? "CREATE TABLE IF NOT EXISTS schema_migrations ("
              " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
              " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            : "CREATE TABLE IF NOT EXISTS schema_migrations ("
              " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
              " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))";
    SHENPI_TRY(s.exec(ddl));
    return ok_result();
  }));
  // Each migration in its own transaction: a failure leaves the ones before it applied
  // and itself not at all.
  for (const Migration& m : migrations) {
    Result<void> r = db.write([&m](Session& s) -> Result<void> {
      SHENPI_TRY(lock_migrations(s));
      SHENPI_ASSIGN(Rows done, s.query("SELECT 1 FROM schema_migrations WHERE version = ?",
                                       {std::int64_t{m.version}}));
      if (!done.empty()) return ok_result();
      for (const std::string& statement : split_sql_script(m.sql)) {
        SHENPI_TRY(s.exec(statement));
      }
      SHENPI_TRY(s.exec("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                        {std::int64_t{m.version}, m.name}));
      return ok_result();
    });
    if (!r.ok()) {
      Error e = r.take_error();
      e.message = "数据库迁移 " + std::to_string(m.version) + "_" + m.name + " 失败：" + e.message;
      return e;
    }
  }
  return ok_result();
}

}  // namespace

Result<std::shared_ptr<Database>> open_database(const std::string& url, Workload workload) {
  std::shared_ptr<Database> db;
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(7);
    // Also accept the URL form sqlite:///abs/path (and sqlite://rel/path).
    if (path.starts_with("//")) path = path.substr(2);
    SqliteOptions options;
    if (workload == Workload::server) {
      options.writer_cache_kib = 65536;
      options.background_checkpoint = true;
    }
    SHENPI_ASSIGN(db, open_sqlite(path, options));
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    SHENPI_ASSIGN(db, open_postgres(url));
  } else {
    return make_error(ErrorKind::invalid_input, "bad_database_url",
                      "数据库地址应以 sqlite: 或 postgresql:// 开头", "db");
  }
  SHENPI_TRY(migrate(*db));
  return db;
}

}  // namespace shenpi::store
