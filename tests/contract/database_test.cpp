// The Database/Session contract of src/store/db.h, on SQLite and PostgreSQL alike.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "contract/scratch_database.h"
#include "resources/resources.h"
#include "store/db.h"
#include "store/postgres/pg_database.h"
#include "store/sql_script.h"

namespace shenpi::store {
namespace {

using testing::DialectTest;
using testing::ScratchDatabase;

std::string all_bytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
  s += std::string("\0\0tail\0", 7);
  return s;
}

Result<void> create_scratch_table(Session& s) {
  const char* ddl =
      s.dialect() == Dialect::postgres
          ? "CREATE TABLE scratch (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " t TEXT, n BIGINT, r DOUBLE PRECISION, b BYTEA)"
          : "CREATE TABLE scratch (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " t TEXT, n INTEGER, r REAL, b BLOB)";
  SHENPI_TRY(s.exec(ddl));
  return ok_result();
}

class DatabaseContract : public DialectTest {};

TEST_P(DatabaseContract, ReportsItsDialectAndPings) {
  EXPECT_EQ(db_->dialect(), GetParam());
  EXPECT_TRUE(db_->ping().ok());
  EXPECT_FALSE(db_->describe().empty());
}

TEST_P(DatabaseContract, BlobsWithNulBytesRoundTrip) {
  const std::string bytes = all_bytes();
  ASSERT_TRUE(db_->write(create_scratch_table).ok());
  std::int64_t id = 0, empty_id = 0;
  ASSERT_TRUE(db_->write([&](Session& s) -> Result<void> {
                   SHENPI_ASSIGN(id, s.insert("INSERT INTO scratch (b) VALUES (?)", {Blob{bytes}}));
                   SHENPI_ASSIGN(empty_id,
                                 s.insert("INSERT INTO scratch (b) VALUES (?)", {Blob{}}));
                   return ok_result();
                 })
                  .ok());
  EXPECT_NE(id, empty_id);
  ASSERT_TRUE(db_->read([&](Session& s) -> Result<void> {
                   SHENPI_ASSIGN(Rows r, s.query("SELECT b FROM scratch WHERE id = ?", {id}));
                   EXPECT_EQ(r.size(), 1u);
                   EXPECT_FALSE(r.is_null(0, 0));
                   EXPECT_EQ(r.text(0, 0), bytes);
                   SHENPI_ASSIGN(Rows e, s.query("SELECT b FROM scratch WHERE id = ?", {empty_id}));
                   EXPECT_FALSE(e.is_null(0, 0));
                   EXPECT_EQ(e.text(0, 0), "");
                   return ok_result();
                 })
                  .ok());
}

TEST_P(DatabaseContract, ParametersOfEveryKindRoundTrip) {
  ASSERT_TRUE(db_->write(create_scratch_table).ok());
  const std::int64_t big = (std::int64_t{1} << 53) + 1;
  const std::string tricky = "it's \"quoted\" ? and 中文";
  ASSERT_TRUE(db_->write([&](Session& s) -> Result<void> {
                   SHENPI_TRY(s.insert("INSERT INTO scratch (t, n, r) VALUES (?, ?, ?)",
                                       {tricky, big, 0.1}));
                   SHENPI_TRY(s.insert("INSERT INTO scratch (t, n, r) VALUES (?, ?, ?)",
                                       {nullptr, std::int64_t{-42}, -2.5}));
                   return ok_result();
                 })
                  .ok());
  ASSERT_TRUE(db_->read([&](Session& s) -> Result<void> {
                   SHENPI_ASSIGN(Rows r, s.query("SELECT t, n, r FROM scratch ORDER BY id"));
                   EXPECT_EQ(r.size(), 2u);
                   EXPECT_EQ(r.text(0, 0), tricky);
                   EXPECT_EQ(r.int64(0, 1), big);
                   EXPECT_DOUBLE_EQ(r.real(0, 2), 0.1);
                   EXPECT_TRUE(r.is_null(1, 0));
                   EXPECT_EQ(r.int64(1, 1), -42);
                   EXPECT_DOUBLE_EQ(r.real(1, 2), -2.5);
                   // A question mark inside a literal is text, not a placeholder.
                   SHENPI_ASSIGN(Rows q, s.query("SELECT '?', n FROM scratch WHERE n = ?", {big}));
                   EXPECT_EQ(q.size(), 1u);
                   EXPECT_EQ(q.text(0, 0), "?");
                   return ok_result();
                 })
                  .ok());
}

TEST_P(DatabaseContract, ExecCountsChangedRows) {
  ASSERT_TRUE(db_->write(create_scratch_table).ok());
  std::int64_t changed = -1;
  ASSERT_TRUE(db_->write([&](Session& s) -> Result<void> {
                   for (int i = 0; i < 3; ++i)
                     SHENPI_TRY(s.exec("INSERT INTO scratch (n) VALUES (?)", {std::int64_t{i}}));
                   SHENPI_ASSIGN(changed, s.exec("UPDATE scratch SET t = 'x' WHERE n >= ?",
                                                 {std::int64_t{1}}));
                   return ok_result();
                 })
                  .ok());
  EXPECT_EQ(changed, 2);
}

TEST_P(DatabaseContract, FailedWriteLeavesNothingBehind) {
  Result<void> r = db_->write([](Session& s) -> Result<void> {
    SHENPI_TRY(s.exec("INSERT INTO regions (code, name) VALUES ('445100', '潮州市')"));
    SHENPI_TRY(s.exec("UPDATE catalogue_meta SET generation = 99"));
    return make_error(ErrorKind::invalid_input, "late_failure", "之后失败");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "late_failure");
  ASSERT_TRUE(db_->read([](Session& s) -> Result<void> {
                   SHENPI_ASSIGN(Rows n, s.query("SELECT COUNT(*) FROM regions"));
                   EXPECT_EQ(n.int64(0, 0), 0);
                   SHENPI_ASSIGN(Rows g, s.query("SELECT generation FROM catalogue_meta"));
                   EXPECT_EQ(g.int64(0, 0), 1);
                   return ok_result();
                 })
                  .ok());
  // The writer is usable again afterwards.
  EXPECT_TRUE(db_->write([](Session& s) -> Result<void> {
                   SHENPI_TRY(
                       s.exec("INSERT INTO regions (code, name) VALUES ('445100', '潮州市')"));
                   return ok_result();
                 })
                  .ok());
}

TEST_P(DatabaseContract, ConstraintViolationIsConflictAndRollsBack) {
  ASSERT_TRUE(db_->write([](Session& s) -> Result<void> {
                   SHENPI_TRY(
                       s.exec("INSERT INTO regions (code, name) VALUES ('445100', '潮州市')"));
                   return ok_result();
                 })
                  .ok());
  Result<void> r = db_->write([](Session& s) -> Result<void> {
    SHENPI_TRY(s.exec("INSERT INTO regions (code, name) VALUES ('445102', '湘桥区')"));
    SHENPI_TRY(s.exec("INSERT INTO regions (code, name) VALUES ('445100', '重复')"));
    return ok_result();
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::conflict);
  // Foreign keys are enforced too.
  Result<void> fk = db_->write([](Session& s) -> Result<void> {
    SHENPI_TRY(
        s.exec("INSERT INTO departments (code, name, region_code, kind) "
               "VALUES ('D', '某局', '999999', 'approval')"));
    return ok_result();
  });
  ASSERT_FALSE(fk.ok());
  EXPECT_EQ(fk.error().kind, ErrorKind::conflict);
  ASSERT_TRUE(db_->read([](Session& s) -> Result<void> {
                   SHENPI_ASSIGN(Rows n, s.query("SELECT code FROM regions"));
                   EXPECT_EQ(n.size(), 1u);
                   return ok_result();
                 })
                  .ok());
}

TEST_P(DatabaseContract, BadSqlIsInternal) {
  Result<void> r = db_->read([](Session& s) -> Result<void> {
    SHENPI_TRY(s.query("SELECT no_such_column FROM regions"));
    return ok_result();
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::internal);
}

TEST_P(DatabaseContract, MigrationsAreRecordedAndIdempotentOnReopen) {
  const std::string prefix = std::string("src/store/migrations/") +
                             (GetParam() == Dialect::sqlite ? "sqlite/" : "postgres/");
  const std::size_t files = resource_names(prefix).size();
  ASSERT_GE(files, 1u);
  ASSERT_TRUE(db_->write([](Session& s) -> Result<void> {
                   SHENPI_TRY(
                       s.exec("INSERT INTO regions (code, name) VALUES ('445100', '潮州市')"));
                   return ok_result();
                 })
                  .ok());
  db_.reset();
  for (int round = 0; round < 2; ++round) {
    auto again = open_database(scratch_->url());
    ASSERT_TRUE(again.ok()) << again.error().message;
    ASSERT_TRUE(
        (*again)
            ->read([&](Session& s) -> Result<void> {
              SHENPI_ASSIGN(
                  Rows m,
                  s.query(
                      "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"));
              EXPECT_EQ(m.size(), files);
              EXPECT_EQ(m.int64(0, 0), 1);
              EXPECT_EQ(m.text(0, 1), "catalogue");
              EXPECT_FALSE(m.text(0, 2).empty());
              SHENPI_ASSIGN(Rows r, s.query("SELECT name FROM regions"));
              EXPECT_EQ(r.size(), 1u);
              return ok_result();
            })
            .ok());
  }
}

TEST_P(DatabaseContract, TwoProcessesMigratingAtOnceBothSucceed) {
  std::string why;
  auto fresh = ScratchDatabase::create(GetParam(), &why);
  ASSERT_TRUE(fresh) << why;
  std::vector<Result<std::shared_ptr<Database>>> results(
      4, Result<std::shared_ptr<Database>>(make_error(ErrorKind::internal, "unset", "")));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = open_database(fresh->url()); });
  }
  for (auto& t : threads) t.join();
  for (auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE((*r)->read([](Session& s) -> Result<void> {
                      SHENPI_ASSIGN(Rows m, s.query("SELECT COUNT(*) FROM schema_migrations"));
                      EXPECT_GE(m.int64(0, 0), 1);
                      SHENPI_ASSIGN(Rows g, s.query("SELECT COUNT(*) FROM catalogue_meta"));
                      EXPECT_EQ(g.int64(0, 0), 1);  // the seed row was inserted once
                      return ok_result();
                    })
                    .ok());
  }
  results.clear();
}

TEST_P(DatabaseContract, ReadersAndWriterInParallel) {
  ASSERT_TRUE(db_->write(create_scratch_table).ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto r = db_->read([](Session& s) -> Result<void> {
          SHENPI_TRY(s.query("SELECT COUNT(*) FROM scratch"));
          return ok_result();
        });
        if (!r.ok()) ++failures;
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 20; ++i) {
      auto r = db_->write([i](Session& s) -> Result<void> {
        SHENPI_TRY(s.exec("INSERT INTO scratch (n) VALUES (?)", {std::int64_t{i}}));
        return ok_result();
      });
      if (!r.ok()) ++failures;
    }
  });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(db_->read([](Session& s) -> Result<void> {
                   SHENPI_ASSIGN(Rows r, s.query("SELECT COUNT(*) FROM scratch"));
                   EXPECT_EQ(r.int64(0, 0), 20);
                   return ok_result();
                 })
                  .ok());
  const PoolStats st = db_->stats();
  EXPECT_GE(st.size, 2);
  EXPECT_EQ(st.in_use, 0);
  EXPECT_GE(st.waits, 0);
}

TEST_P(DatabaseContract, StatsCountLentConnections) {
  int inside = -1;
  ASSERT_TRUE(db_->read([&](Session&) -> Result<void> {
                   inside = db_->stats().in_use;
                   return ok_result();
                 })
                  .ok());
  EXPECT_EQ(inside, 1);
  EXPECT_EQ(db_->stats().in_use, 0);
}

INSTANTIATE_TEST_SUITE_P(Dialects, DatabaseContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

// ---- URLs and dialect-specific behaviour --------------------------------------------------

TEST(OpenDatabase, UnknownSchemeIsInvalidInput) {
  for (const char* url : {"mysql://root@localhost/shenpi", "shenpi.db", "", "sqlite:"}) {
    auto db = open_database(url);
    ASSERT_FALSE(db.ok()) << url;
    EXPECT_EQ(db.error().kind, ErrorKind::invalid_input) << url;
    EXPECT_EQ(db.error().field, "db") << url;
  }
}

TEST(OpenDatabase, UnreachablePostgresIsUnavailableAndQuick) {
  const auto start = std::chrono::steady_clock::now();
  auto db = open_database("postgresql://postgres:secret@127.0.0.1:1/shenpi?connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(db.error().message.find("secret"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(OpenDatabase, BadPoolSizeIsInvalidInput) {
  auto db = open_database("postgresql://postgres@127.0.0.1:1/shenpi?pool_size=0");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind, ErrorKind::invalid_input);
}

TEST(SqliteDatabase, CreatesTheParentDirectoryAndAcceptsUrlForm) {
  std::string why;
  auto scratch = ScratchDatabase::create(Dialect::sqlite, &why);
  ASSERT_TRUE(scratch) << why;
  const std::string path = scratch->dir() + "/a/b/shenpi.db";
  {
    auto db = open_database("sqlite://" + path);
    ASSERT_TRUE(db.ok()) << db.error().message;
    EXPECT_EQ((*db)->describe(), "sqlite:" + path);
    EXPECT_EQ((*db)->stats().size, 5);  // four readers and the writer
  }
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(SqliteDatabase, UnopenablePathIsUnavailable) {
  std::string why;
  auto scratch = ScratchDatabase::create(Dialect::sqlite, &why);
  ASSERT_TRUE(scratch) << why;
  const std::string file = scratch->dir() + "/plain-file";
  std::ofstream(file) << std::string(4096, 'x');
  auto db = open_database("sqlite:" + file + "/shenpi.db");  // a file where a directory should be
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind, ErrorKind::unavailable);
  auto garbage = open_database("sqlite:" + file);  // not a database
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().kind, ErrorKind::unavailable);
}

class PostgresOnly : public DialectTest {
 protected:
  void SetUp() override {
    if (!testing::pg_admin_url()) {
      GTEST_SKIP() << "SHENPI_TEST_PG_URL is not set: PostgreSQL contract tests skipped";
    }
    DialectTest::SetUp();
  }
};

TEST_P(PostgresOnly, DescribeHidesThePasswordAndPoolSizeIsHonoured) {
  // Trust authentication accepts any password, so one can be put in the URL to check
  // that it never shows.
  std::string url = scratch_->url();
  const std::size_t at = url.find('@');
  ASSERT_NE(at, std::string::npos) << "the admin URL must name a user";
  url.insert(at, ":s3cret-pw");
  url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("pool_size=3");
  auto db = open_database(url);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ((*db)->describe().find("s3cret"), std::string::npos);
  EXPECT_NE((*db)->describe().find(scratch_->dbname()), std::string::npos);
  EXPECT_EQ((*db)->stats().size, 3);
  EXPECT_TRUE((*db)->ping().ok());
}

TEST_P(PostgresOnly, ConnectionKilledMidTransactionIsUnavailableThenRecovers) {
  Result<void> r = db_->write([](Session& s) -> Result<void> {
    SHENPI_TRY(s.query("SELECT pg_terminate_backend(pg_backend_pid())"));
    return ok_result();
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  EXPECT_FALSE(r.error().message.empty());
  EXPECT_TRUE(db_->ping().ok());
}

TEST_P(PostgresOnly, IdleConnectionsKilledByTheServerAreReplaced) {
  ASSERT_TRUE(db_->ping().ok());
  const std::string err = testing::pg_admin_exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
      scratch_->dbname() + "'");
  ASSERT_EQ(err, "");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(db_->ping().ok());
  EXPECT_TRUE(db_->ping().ok());
}

INSTANTIATE_TEST_SUITE_P(Dialects, PostgresOnly, ::testing::Values(Dialect::postgres),
                         testing::dialect_name);

TEST(Placeholders, RewrittenOutsideQuotesAndComments) {
  EXPECT_EQ(rewrite_placeholders("SELECT ? , '?', \"a?\", ? -- ?\n, ?"),
            "SELECT $1 , '?', \"a?\", $2 -- ?\n, $3");
  EXPECT_EQ(rewrite_placeholders("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  EXPECT_EQ(rewrite_placeholders("no params"), "no params");
}

TEST(SqlScript, SplitsStatementsOutsideQuotesAndComments) {
  const auto parts = split_sql_script(
      "-- heading; not a statement\nCREATE TABLE a (x TEXT DEFAULT ';');\n"
      "/* block; comment */ INSERT INTO a VALUES ('it''s; fine');\n\n;  \n"
      "INSERT INTO a VALUES ('{\"f\":[]}')");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "CREATE TABLE a (x TEXT DEFAULT ';')");
  EXPECT_EQ(parts[1], "INSERT INTO a VALUES ('it''s; fine')");
  EXPECT_EQ(parts[2], "INSERT INTO a VALUES ('{\"f\":[]}')");
}

}  // namespace
}  // namespace shenpi::store
