#pragma once
// A fresh, empty database per test, for either dialect, removed again afterwards.
//
// SQLite: a file in a new temporary directory. PostgreSQL: a uniquely named database
// created through the admin URL in the environment variable SHENPI_TEST_PG_URL (for
// example postgresql://postgres@127.0.0.1:54329/postgres) and dropped at the end;
// scripts/with-postgres.sh starts a throwaway server and sets it.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "store/db.h"

namespace shenpi::store::testing {

//! The admin URL from SHENPI_TEST_PG_URL, or nullopt when it is not set.
std::optional<std::string> pg_admin_url();

//! `url` with its database name replaced by `dbname` (query parameters kept).
std::string with_dbname(const std::string& url, const std::string& dbname);

class ScratchDatabase {
 public:
  //! Creates the scratch database; nullopt (with the reason in `why`) when the dialect
  //! cannot be tested here, i.e. PostgreSQL without SHENPI_TEST_PG_URL, or on failure.
  static std::unique_ptr<ScratchDatabase> create(Dialect dialect, std::string* why);
  ScratchDatabase() = default;
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  Dialect dialect() const { return dialect_; }
  //! The URL to pass to open_database.
  const std::string& url() const { return url_; }
  //! SQLite: the temporary directory; empty for PostgreSQL.
  const std::string& dir() const { return dir_; }
  //! PostgreSQL: the database name; empty for SQLite.
  const std::string& dbname() const { return dbname_; }

 private:
  Dialect dialect_ = Dialect::sqlite;
  std::string url_;
  std::string dir_;
  std::string dbname_;
  std::string admin_url_;
};

//! Runs one SQL command on the admin connection (PostgreSQL); empty string on success,
//! else the error text.
std::string pg_admin_exec(const std::string& sql);

//! Printable test-name suffix for a dialect.
std::string dialect_name(const ::testing::TestParamInfo<Dialect>& info);

//! Base of the dialect-parameterised suites: a fresh database, migrated, in `db_`.
class DialectTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::unique_ptr<ScratchDatabase> scratch_;
  std::shared_ptr<Database> db_;
};

}  // namespace shenpi::store::testing
