// Group commit in isolation: N threads calling store::Database::write (Shenpi's SQLite
// adapter: one writer thread, group commit, WAL, synchronous=FULL) with the rows of a
// submission, to be set beside raw_sqlite on the same disk. No HTTP, no JSON, no PDF:
// the store's share of the cost only. See bench/README.md.
//
//   store_bench --db FILE --schema 0007_cases.sql [--mode insert|update] [--threads N]
//               [--seconds S] [--doc-bytes B] [--cases N] [--rate OPS_PER_S]
//
// Closed loop by default (each thread writes again as soon as its write returns); with
// --rate, an open loop at that total rate, each write's latency counted from the moment it
// was due (so a stall is not hidden by the writes it delayed). Prints one line:
// `store <mode> threads=N ops=… seconds=… ops_per_s=… p50_ms=… p99_ms=… max_ms=…`.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/db.h"
#include "store/sql_script.h"
#include "store/sqlite/sqlite_database.h"

namespace {

using shenpi::Result;
using shenpi::store::Database;
using shenpi::store::Session;

struct Options {
  std::string db;
  std::string schema;
  std::string mode = "insert";
  int threads = 8;
  double seconds = 5;
  int doc_bytes = 2000;
  int cases = 2000;
  double rate = 0;  // 0: closed loop
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "store_bench: %s\n", what.c_str());
  std::exit(1);
}

// The same rows as raw_sqlite.cpp writes (keep the two in step).
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

Result<void> insert_case(Session& s, const std::string& number, const std::string& doc) {
  const std::int64_t at = now_ms();
  SHENPI_TRY(s.exec(kInsertCase, {number, at, at, doc}));
  SHENPI_TRY(s.exec(kInsertEvent, {number, at, std::string("applicant"), std::string("submit"),
                                   std::string("draft"), std::string("submitted")}));
  return shenpi::ok_result();
}

Result<void> update_case(Session& s, const std::string& number, std::int64_t version,
                         const std::string& doc) {
  const std::int64_t at = now_ms();
  SHENPI_ASSIGN(std::int64_t changed, s.exec(kUpdateCase, {version + 1, std::string("in_review"),
                                                           at, doc, number, version}));
  if (changed != 1) {
    return shenpi::make_error(shenpi::ErrorKind::precondition, "stale_version", "版本已变");
  }
  SHENPI_TRY(
      s.exec(kInsertEvent, {number, at, std::string("reviewer"), std::string("review_opinion"),
                            std::string("in_review"), std::string("in_review")}));
  return shenpi::ok_result();
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
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
    else if (a == "--rate")
      o.rate = std::atof(next().c_str());
    else
      die("unknown argument " + a);
  }
  if (o.db.empty() || o.schema.empty()) die("--db and --schema are required");
  if (o.mode != "insert" && o.mode != "update") die("--mode is insert or update");
  if (o.threads < 1) o.threads = 1;
  if (o.mode == "update" && o.cases < o.threads) die("--cases must be at least --threads");

  auto opened = shenpi::store::open_sqlite(o.db);
  if (!opened.ok()) die(opened.error().message);
  std::shared_ptr<Database> db = *opened;
  {
    std::ifstream in(o.schema);
    if (!in) die("cannot read " + o.schema);
    std::stringstream ss;
    ss << in.rdbuf();
    Result<void> r = db->write([&](Session& s) -> Result<void> {
      for (const std::string& statement : shenpi::store::split_sql_script(ss.str())) {
        SHENPI_TRY(s.exec(statement));
      }
      if (o.mode == "update") {
        for (int c = 0; c < o.cases; ++c) {
          const std::string number = case_number(999, c);
          SHENPI_TRY(insert_case(s, number, doc_of(o.doc_bytes, number)));
        }
      }
      return shenpi::ok_result();
    });
    if (!r.ok()) die(r.error().message);
  }

  using Clock = std::chrono::steady_clock;
  std::atomic<bool> stop{false};
  std::atomic<long> ops{0}, failures{0};
  std::mutex mu;
  std::vector<double> latencies_ms;
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  const auto interval = o.rate > 0 ? std::chrono::duration<double>(o.threads / o.rate)
                                   : std::chrono::duration<double>(0);
  for (int t = 0; t < o.threads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<double> mine;
      std::vector<std::int64_t> versions;
      for (int c = t; c < o.cases; c += o.threads) versions.push_back(1);
      // Threads start staggered over one interval so that the open loop is spread evenly.
      auto due = start + std::chrono::duration_cast<Clock::duration>(interval * t / o.threads);
      for (long seq = 0; !stop.load(std::memory_order_relaxed); ++seq) {
        if (o.rate > 0) {
          std::this_thread::sleep_until(due);
        } else {
          due = Clock::now();
        }
        Result<void> r;
        if (o.mode == "insert") {
          const std::string number = case_number(t, seq);
          const std::string doc = doc_of(o.doc_bytes, number);
          r = db->write([&](Session& s) { return insert_case(s, number, doc); });
        } else {
          const std::size_t k = static_cast<std::size_t>(seq) % versions.size();
          const std::string number = case_number(999, t + static_cast<long>(k) * o.threads);
          const std::string doc = doc_of(o.doc_bytes, number);
          r = db->write([&](Session& s) { return update_case(s, number, versions[k], doc); });
          if (r.ok()) ++versions[k];
        }
        const auto done = Clock::now();
        if (!r.ok()) {
          ++failures;
          if (failures.load() == 1)
            std::fprintf(stderr, "store_bench: %s\n", r.error().message.c_str());
        } else {
          ops.fetch_add(1, std::memory_order_relaxed);
          mine.push_back(std::chrono::duration<double, std::milli>(done - due).count());
        }
        if (o.rate > 0) due += std::chrono::duration_cast<Clock::duration>(interval);
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& th : threads) th.join();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  const double p50 = percentile(latencies_ms, 0.50);
  const double p99 = percentile(latencies_ms, 0.99);
  const double mx =
      latencies_ms.empty() ? 0 : *std::max_element(latencies_ms.begin(), latencies_ms.end());
  std::printf(
      "store %s threads=%d ops=%ld seconds=%.2f ops_per_s=%.0f p50_ms=%.2f p99_ms=%.2f "
      "max_ms=%.2f failures=%ld\n",
      o.mode.c_str(), o.threads, ops.load(), secs, static_cast<double>(ops.load()) / secs, p50, p99,
      mx, failures.load());
  return failures.load() == 0 ? 0 : 1;
}
