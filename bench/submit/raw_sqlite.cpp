// The baseline of bench/submit and bench/approve: a plain SQLite loop writing the rows a
// submission (or a case action) writes, one durable transaction each, with no server, no
// queue and no grouping. See bench/README.md.
//
//   raw_sqlite --db FILE --schema 0007_cases.sql [--mode insert|update] [--threads N]
//              [--seconds S] [--doc-bytes B] [--cases N]
//
// Each thread has its own connection in WAL mode with synchronous=FULL (as Shenpi's writer
// connection), and loops: BEGIN IMMEDIATE; one case row (INSERT, or for --mode update an
// UPDATE of the same width with the version check); one case_events row; COMMIT. The
// tables and indexes are those of the real migration (--schema). Several threads take
// turns on SQLite's write lock through its busy handler, as a naive multi-threaded server
// would. Prints one line: `raw <mode> threads=N ops=… seconds=… ops_per_s=…`.
//
// Built by the bench scripts with: g++ -O2 -std=c++20 raw_sqlite.cpp -lsqlite3 -pthread
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
  std::string db;
  std::string schema;
  std::string mode = "insert";
  int threads = 1;
  double seconds = 5;
  int doc_bytes = 2000;
  int cases = 2000;  // update mode: cases prepared beforehand and updated round robin
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "raw_sqlite: %s\n", what.c_str());
  std::exit(1);
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

void exec(sqlite3* db, const std::string& sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg != nullptr ? msg : sqlite3_errmsg(db);
    sqlite3_free(msg);
    die(sql.substr(0, 60) + ": " + m);
  }
}

DbPtr open(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) die("cannot open " + path);
  sqlite3_busy_timeout(db.get(), 10000);
  exec(db.get(), "PRAGMA journal_mode = WAL");
  exec(db.get(), "PRAGMA synchronous = FULL");
  exec(db.get(), "PRAGMA foreign_keys = ON");
  return db;
}

StmtPtr prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    die(std::string(sql).substr(0, 60) + ": " + sqlite3_errmsg(db));
  }
  return StmtPtr(raw);
}

void step_done(sqlite3* db, sqlite3_stmt* s) {
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) die(std::string("step: ") + sqlite3_errmsg(db));
  sqlite3_reset(s);
}

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

// A case number of the real width: region (6) + date (8) + 5 digits, made unique per
// thread and sequence (the last 11 characters carry them).
std::string case_number(int thread, long seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "445100%03d%08ld", thread % 1000, seq % 100000000);
  return buf;
}

std::string doc_of(int bytes, const std::string& number) {
  std::string doc = "{\"number\":\"" + number + "\",\"data\":\"";
  while (static_cast<int>(doc.size()) < bytes - 2) doc.push_back('x');
  return doc + "\"}";
}

const char* kInsertCase =
    "INSERT INTO cases (number, version, state, title, bundle_code, region_code, "
    "lead_department_code, applicant_account_id, applicant_name, submitted_on, due_on, "
    "updated_on, updated_at, created_at, doc) "
    "VALUES (?, 1, 'submitted', '食品经营许可', '', '445100', '445100-SCJGJ', "
    "'9f0c6a1e-0000-4000-8000-000000000001', '张三', '2026-11-28', '2026-12-05', "
    "'2026-11-28', ?, ?, ?)";
const char* kUpdateCase =
    "UPDATE cases SET version = ?, state = ?, title = '食品经营许可', bundle_code = '', "
    "region_code = '445100', lead_department_code = '445100-SCJGJ', "
    "applicant_account_id = '9f0c6a1e-0000-4000-8000-000000000001', applicant_name = '张三', "
    "submitted_on = '2026-11-28', due_on = '2026-12-26', updated_on = '2026-11-28', "
    "updated_at = ?, doc = ? WHERE number = ? AND version = ?";
const char* kInsertEvent =
    "INSERT INTO case_events (case_number, at_unix_ms, on_date, actor_id, actor_name, "
    "actor_role, department_code, action, from_state, to_state, part_seq, reason, detail) "
    "VALUES (?, ?, '2026-11-28', '9f0c6a1e-0000-4000-8000-000000000001', '张三', ?, "
    "'445100-SCJGJ', ?, ?, ?, 0, '', '')";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void insert_case(sqlite3* db, sqlite3_stmt* ins, sqlite3_stmt* ev, const std::string& number,
                 const std::string& doc) {
  const std::int64_t at = now_ms();
  bind_text(ins, 1, number);
  sqlite3_bind_int64(ins, 2, at);
  sqlite3_bind_int64(ins, 3, at);
  bind_text(ins, 4, doc);
  step_done(db, ins);
  bind_text(ev, 1, number);
  sqlite3_bind_int64(ev, 2, at);
  bind_text(ev, 3, "applicant");
  bind_text(ev, 4, "submit");
  bind_text(ev, 5, "draft");
  bind_text(ev, 6, "submitted");
  step_done(db, ev);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--db")
      o.db = next();
    else if (a == "--schema")
      o.schema = next();
    else if (a == "--mode")
      o.mode = next();
    else if (a == "--threads")
      o.threads = std::atoi(next().c_str());
    else if (a == "--seconds")
      o.seconds = std::atof(next().c_str());
    else if (a == "--doc-bytes")
      o.doc_bytes = std::atoi(next().c_str());
    else if (a == "--cases")
      o.cases = std::atoi(next().c_str());
    else
      die("unknown argument " + a);
  }
  if (o.db.empty() || o.schema.empty()) die("--db and --schema are required");
  if (o.mode != "insert" && o.mode != "update") die("--mode is insert or update");
  if (o.threads < 1) o.threads = 1;

  {
    std::ifstream in(o.schema);
    if (!in) die("cannot read " + o.schema);
    std::stringstream ss;
    ss << in.rdbuf();
    DbPtr db = open(o.db);
    exec(db.get(), ss.str());
    if (o.mode == "update") {
      // The cases the actions act on, committed in one go before the clock starts.
      exec(db.get(), "BEGIN");
      StmtPtr ins = prepare(db.get(), kInsertCase);
      StmtPtr ev = prepare(db.get(), kInsertEvent);
      for (int c = 0; c < o.cases; ++c) {
        const std::string number = case_number(999, c);
        insert_case(db.get(), ins.get(), ev.get(), number, doc_of(o.doc_bytes, number));
      }
      exec(db.get(), "COMMIT");
    }
  }

  std::atomic<bool> stop{false};
  std::atomic<long> ops{0};
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < o.threads; ++t) {
    threads.emplace_back([&, t] {
      DbPtr db = open(o.db);
      StmtPtr ins = prepare(db.get(), kInsertCase);
      StmtPtr upd = prepare(db.get(), kUpdateCase);
      StmtPtr ev = prepare(db.get(), kInsertEvent);
      StmtPtr begin = prepare(db.get(), "BEGIN IMMEDIATE");
      StmtPtr commit = prepare(db.get(), "COMMIT");
      long seq = 0;
      std::vector<int> versions;  // update mode: the version of each case this thread owns
      for (int c = t; c < o.cases; c += o.threads) versions.push_back(1);
      while (!stop.load(std::memory_order_relaxed)) {
        step_done(db.get(), begin.get());
        if (o.mode == "insert") {
          const std::string number = case_number(t, seq);
          insert_case(db.get(), ins.get(), ev.get(), number, doc_of(o.doc_bytes, number));
        } else {
          if (versions.empty()) die("--cases must be at least --threads");
          const std::size_t k = static_cast<std::size_t>(seq) % versions.size();
          const std::string number = case_number(999, t + static_cast<long>(k) * o.threads);
          const std::int64_t at = now_ms();
          sqlite3_bind_int64(upd.get(), 1, versions[k] + 1);
          bind_text(upd.get(), 2, "in_review");
          sqlite3_bind_int64(upd.get(), 3, at);
          bind_text(upd.get(), 4, doc_of(o.doc_bytes, number));
          bind_text(upd.get(), 5, number);
          sqlite3_bind_int64(upd.get(), 6, versions[k]);
          step_done(db.get(), upd.get());
          if (sqlite3_changes(db.get()) != 1) die("update changed no row");
          ++versions[k];
          bind_text(ev.get(), 1, number);
          sqlite3_bind_int64(ev.get(), 2, at);
          bind_text(ev.get(), 3, "reviewer");
          bind_text(ev.get(), 4, "review_opinion");
          bind_text(ev.get(), 5, "in_review");
          bind_text(ev.get(), 6, "in_review");
          step_done(db.get(), ev.get());
        }
        step_done(db.get(), commit.get());
        ++seq;
        ops.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& th : threads) th.join();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("raw %s threads=%d ops=%ld seconds=%.2f ops_per_s=%.0f\n", o.mode.c_str(), o.threads,
              ops.load(), secs, static_cast<double>(ops.load()) / secs);
  return 0;
}
