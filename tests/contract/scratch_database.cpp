#include "contract/scratch_database.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace shenpi::store::testing {
namespace {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};

std::atomic<int> counter{0};

}  // namespace

std::optional<std::string> pg_admin_url() {
  const char* v = std::getenv("SHENPI_TEST_PG_URL");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::string with_dbname(const std::string& url, const std::string& dbname) {
  const std::size_t scheme = url.find("://");
  const std::size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t query = url.find('?', authority);
  const std::size_t slash = url.find('/', authority);
  const std::size_t path_end = query == std::string::npos ? url.size() : query;
  const std::string rest = query == std::string::npos ? "" : url.substr(query);
  if (slash == std::string::npos || slash > path_end) {
    return url.substr(0, path_end) + "/" + dbname + rest;
  }
  return url.substr(0, slash) + "/" + dbname + rest;
}

std::string pg_admin_exec(const std::string& sql) {
  const auto admin = pg_admin_url();
  if (!admin) return "SHENPI_TEST_PG_URL is not set";
  std::unique_ptr<PGconn, ConnCloser> c(PQconnectdb(admin->c_str()));
  if (PQstatus(c.get()) != CONNECTION_OK) return PQerrorMessage(c.get());
  std::unique_ptr<PGresult, ResultClearer> r(PQexec(c.get(), sql.c_str()));
  const ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return PQresultErrorMessage(r.get());
  return "";
}

std::unique_ptr<ScratchDatabase> ScratchDatabase::create(Dialect dialect, std::string* why) {
  auto s = std::make_unique<ScratchDatabase>();
  s->dialect_ = dialect;
  if (dialect == Dialect::sqlite) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "shenpi-contract-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) == nullptr) {
      *why = "mkdtemp failed";
      return nullptr;
    }
    s->dir_ = buf.data();
    s->url_ = "sqlite:" + s->dir_ + "/shenpi.db";
    return s;
  }
  const auto admin = pg_admin_url();
  if (!admin) {
    *why =
        "SHENPI_TEST_PG_URL is not set: PostgreSQL contract tests skipped "
        "(run under scripts/with-postgres.sh to include them)";
    return nullptr;
  }
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  s->dbname_ = "shenpi_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
               std::to_string(now % 1000000007);
  // FILE_COPY (PostgreSQL 15+) copies the tiny template faster than logging it to WAL;
  // older servers do not know the option, so they get the plain statement.
  const std::string create =
      "CREATE DATABASE " + s->dbname_ + " TEMPLATE template0 ENCODING 'UTF8'";
  std::string err = pg_admin_exec(create + " STRATEGY FILE_COPY");
  if (!err.empty()) err = pg_admin_exec(create);
  if (!err.empty()) {
    *why = "CREATE DATABASE failed: " + err;
    return nullptr;
  }
  s->admin_url_ = *admin;
  s->url_ = with_dbname(*admin, s->dbname_);
  return s;
}

ScratchDatabase::~ScratchDatabase() {
  if (dialect_ == Dialect::sqlite) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  } else if (!dbname_.empty()) {
    (void)pg_admin_exec("DROP DATABASE IF EXISTS " + dbname_ + " WITH (FORCE)");
  }
}

std::string dialect_name(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::sqlite ? "SQLite" : "PostgreSQL";
}

void DialectTest::SetUp() {
  std::string why;
  scratch_ = ScratchDatabase::create(GetParam(), &why);
  if (!scratch_) {
    if (GetParam() == Dialect::postgres && !pg_admin_url()) GTEST_SKIP() << why;
    FAIL() << why;
  }
  auto db = open_database(scratch_->url());
  ASSERT_TRUE(db.ok()) << db.error().message;
  db_ = *db;
}

void DialectTest::TearDown() {
  db_.reset();  // closes every connection before the database is dropped
  scratch_.reset();
}

}  // namespace shenpi::store::testing
