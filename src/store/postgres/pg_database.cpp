#include "store/postgres/pg_database.h"

#include <libpq-fe.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

namespace shenpi::store {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat; stable across server versions.
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kByteaOid = 17;

constexpr int kDefaultPoolSize = 8;
constexpr int kMaxPoolSize = 256;
// How long a caller waits for a free connection before giving up with `unavailable`.
constexpr std::chrono::seconds kCheckoutTimeout{30};

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;

struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

struct ConninfoFree {
  void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};

std::string trimmed(const char* s) {
  std::string out = s != nullptr ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

Error connection_lost() {
  return make_error(ErrorKind::unavailable, "database_unavailable", "数据库连接中断，请稍后再试");
}

// Maps a failed statement to our error kinds by its SQLSTATE class.
Error pg_error(PGconn* c, const PGresult* r) {
  if (PQstatus(c) == CONNECTION_BAD) return connection_lost();
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  const std::string detail = trimmed(r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(c));
  const std::string cls = sqlstate.substr(0, 2);
  if (cls == "23") {
    return make_error(ErrorKind::conflict, "constraint_violation",
                      "数据与已有记录冲突或引用了不存在的记录（" + detail + "）");
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return make_error(ErrorKind::conflict, "concurrent_update", "数据正被同时修改，请重试");
  }
  if (sqlstate == "53100") {
    return make_error(ErrorKind::unavailable, "disk_full",
                      "存储空间已满，暂时无法保存，请稍后再试");
  }
  if (cls == "08" || cls == "53" || cls == "57" || cls == "58") {
    return make_error(ErrorKind::unavailable, "database_unavailable",
                      "数据库暂时不可用，请稍后再试（" + detail + "）");
  }
  return make_error(ErrorKind::internal, "database_error", "数据库错误：" + detail);
}

std::string decode_bytea_hex(const char* p, int n) {
  // The server's bytea_output is "hex" by default since 9.0: \x followed by two hex digits
  // per byte. Anything else is returned as is.
  if (n < 2 || p[0] != '\\' || p[1] != 'x') return std::string(p, static_cast<std::size_t>(n));
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  std::string out;
  out.reserve(static_cast<std::size_t>(n - 2) / 2);
  for (int i = 2; i + 1 < n; i += 2) {
    out.push_back(static_cast<char>((nibble(p[i]) << 4) | nibble(p[i + 1])));
  }
  return out;
}

class PgSession final : public Session {
 public:
  explicit PgSession(PGconn* c) : c_(c) {}
  Dialect dialect() const override { return Dialect::postgres; }

  Result<Rows> query(std::string_view sql, const std::vector<Param>& params) override {
    SHENPI_ASSIGN(ResultPtr r, run(sql, params));
    Rows rows;
    const int ncol = PQnfields(r.get());
    const int nrow = PQntuples(r.get());
    rows.columns.reserve(static_cast<std::size_t>(ncol));
    for (int c = 0; c < ncol; ++c) rows.columns.emplace_back(PQfname(r.get(), c));
    rows.rows.reserve(static_cast<std::size_t>(nrow));
    for (int i = 0; i < nrow; ++i) {
      std::vector<Rows::Cell> row(static_cast<std::size_t>(ncol));
      for (int c = 0; c < ncol; ++c) {
        if (PQgetisnull(r.get(), i, c)) continue;
        Rows::Cell& cell = row[static_cast<std::size_t>(c)];
        cell.null = false;
        const char* v = PQgetvalue(r.get(), i, c);
        const int len = PQgetlength(r.get(), i, c);
        if (PQftype(r.get(), c) == kByteaOid) {
          cell.text = decode_bytea_hex(v, len);
        } else {
          cell.text.assign(v, static_cast<std::size_t>(len));
        }
      }
      rows.rows.push_back(std::move(row));
    }
    return rows;
  }

  Result<std::int64_t> exec(std::string_view sql, const std::vector<Param>& params) override {
    SHENPI_ASSIGN(ResultPtr r, run(sql, params));
    const char* n = PQcmdTuples(r.get());
    std::int64_t changed = 0;
    if (n != nullptr && *n != '\0')
      std::from_chars(n, n + std::char_traits<char>::length(n), changed);
    return changed;
  }

  Result<std::int64_t> insert(std::string_view sql, const std::vector<Param>& params) override {
    std::string with_returning(sql);
    with_returning += " RETURNING id";
    SHENPI_ASSIGN(Rows rows, query(with_returning, params));
    if (rows.empty()) {
      return make_error(ErrorKind::internal, "no_id", "插入语句没有返回编号");
    }
    return rows.int64(0, 0);
  }

  //! Runs SQL without parameters (transaction control).
  Result<void> plain(const char* sql) {
    ResultPtr r(PQexec(c_, sql));
    if (!r) return connection_lost();
    const ExecStatusType st = PQresultStatus(r.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return pg_error(c_, r.get());
    return ok_result();
  }

 private:
  Result<ResultPtr> run(std::string_view sql, const std::vector<Param>& params) {
    const std::string text = rewrite_placeholders(sql);
    const std::size_t n = params.size();
    std::vector<Oid> types(n, 0);
    std::vector<std::string> storage(n);
    std::vector<const char*> values(n, nullptr);
    std::vector<int> lengths(n, 0);
    std::vector<int> formats(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const Param& p = params[i];
      if (const auto* v = std::get_if<std::int64_t>(&p)) {
        types[i] = kInt8Oid;
        storage[i] = std::to_string(*v);
        values[i] = storage[i].c_str();
      } else if (const auto* d = std::get_if<double>(&p)) {
        types[i] = kFloat8Oid;
        char buf[64];
        auto res = std::to_chars(buf, buf + sizeof buf, *d);
        storage[i].assign(buf, res.ptr);
        values[i] = storage[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&p)) {
        types[i] = kTextOid;
        values[i] = s->c_str();
      } else if (const auto* b = std::get_if<Blob>(&p)) {
        // Binary format: the bytes go as they are, NUL bytes included.
        types[i] = kByteaOid;
        values[i] = b->bytes.data();
        lengths[i] = static_cast<int>(b->bytes.size());
        formats[i] = 1;
      }
    }
    ResultPtr r(PQexecParams(c_, text.c_str(), static_cast<int>(n), types.data(), values.data(),
                             lengths.data(), formats.data(), 0));
    if (!r) return connection_lost();
    const ExecStatusType st = PQresultStatus(r.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
      return pg_error(c_, r.get());
    }
    return r;
  }

  PGconn* c_;
};

struct PgUrl {
  std::string conninfo;  //!< what libpq gets: the URL without pool_size, with defaults added
  int pool_size = kDefaultPoolSize;
};

Result<PgUrl> prepare_url(const std::string& url) {
  PgUrl out;
  const std::size_t q = url.find('?');
  std::string base = url.substr(0, q);
  std::vector<std::string> kept;
  bool has_connect_timeout = false;
  if (q != std::string::npos) {
    std::string_view rest = std::string_view(url).substr(q + 1);
    while (!rest.empty()) {
      const std::size_t amp = rest.find('&');
      const std::string_view part = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      if (part.empty()) continue;
      const std::string_view key = part.substr(0, part.find('='));
      if (key == "pool_size") {
        const std::size_t eq = part.find('=');
        const std::string_view value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
        int n = 0;
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || ptr != value.data() + value.size() || n < 1 || n > kMaxPoolSize) {
          return make_error(ErrorKind::invalid_input, "bad_database_url",
                            "数据库地址中的 pool_size 必须是 1 到 256 之间的整数", "db");
        }
        out.pool_size = n;
        continue;
      }
      if (key == "connect_timeout") has_connect_timeout = true;
      kept.emplace_back(part);
    }
  }
  // Never wait forever for a server that does not answer.
  if (!has_connect_timeout) kept.emplace_back("connect_timeout=5");
  out.conninfo = base;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    out.conninfo += i == 0 ? '?' : '&';
    out.conninfo += kept[i];
  }
  return out;
}

// host:port/dbname and the user, never the password.
std::string describe_conninfo(const std::string& conninfo) {
  char* err = nullptr;
  std::unique_ptr<PQconninfoOption, ConninfoFree> opts(PQconninfoParse(conninfo.c_str(), &err));
  if (err != nullptr) PQfreemem(err);
  if (!opts) return "postgresql://(无效地址)";
  std::string user, host, hostaddr, port, dbname;
  for (PQconninfoOption* o = opts.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string_view k = o->keyword;
    if (k == "user") user = o->val;
    if (k == "host") host = o->val;
    if (k == "hostaddr") hostaddr = o->val;
    if (k == "port") port = o->val;
    if (k == "dbname") dbname = o->val;
  }
  if (host.empty()) host = hostaddr.empty() ? "localhost" : hostaddr;
  std::string out = "postgresql://";
  if (!user.empty()) out += user + "@";
  out += host;
  if (!port.empty()) out += ":" + port;
  out += "/" + dbname;
  return out;
}

void ignore_notice(void*, const char*) {}

Result<ConnPtr> connect(const std::string& conninfo) {
  ConnPtr c(PQconnectdb(conninfo.c_str()));
  if (!c)
    return make_error(ErrorKind::unavailable, "database_unavailable", "无法连接 PostgreSQL 数据库");
  if (PQstatus(c.get()) != CONNECTION_OK) {
    // libpq's text names the host and port: an operator's detail, not for every client.
    return make_error(ErrorKind::unavailable, "database_unavailable",
                      "无法连接数据库，请稍后再试（database unreachable）");
  }
  // Notices such as "relation already exists, skipping" are not errors; keep stderr clean.
  PQsetNoticeProcessor(c.get(), ignore_notice, nullptr);
  return c;
}

class PgDatabase final : public Database {
 public:
  PgDatabase(PgUrl url, ConnPtr first)
      : conninfo_(std::move(url.conninfo)),
        description_(describe_conninfo(conninfo_)),
        pool_size_(url.pool_size) {
    idle_.push_back(std::move(first));
    total_ = 1;
  }

  Dialect dialect() const override { return Dialect::postgres; }

  Result<void> read(const std::function<Result<void>(Session&)>& fn) override {
    // REPEATABLE READ gives fn one snapshot; READ ONLY keeps a read path from writing.
    return transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
  }

  Result<void> write(const std::function<Result<void>(Session&)>& fn) override {
    return transaction("BEGIN", fn);
  }

  Result<void> ping() override {
    return read([](Session& s) -> Result<void> {
      SHENPI_TRY(s.query("SELECT 1"));
      return ok_result();
    });
  }

  PoolStats stats() const override {
    std::lock_guard<std::mutex> lock(mu_);
    PoolStats st;
    st.size = pool_size_;
    st.in_use = total_ - static_cast<int>(idle_.size());
    st.waits = waits_;
    return st;
  }

  std::string describe() const override { return description_; }

 private:
  Result<void> transaction(const char* begin, const std::function<Result<void>(Session&)>& fn) {
    SHENPI_ASSIGN(ConnPtr c, checkout());
    PgSession session(c.get());
    Result<void> began = session.plain(begin);
    if (!began.ok() && PQstatus(c.get()) == CONNECTION_BAD) {
      // The server closed the connection while it sat in the pool (a restart, an idle
      // timeout). Nothing has run yet, so reconnecting and beginning again is safe.
      PQreset(c.get());
      if (PQstatus(c.get()) == CONNECTION_OK) began = session.plain(begin);
    }
    if (!began.ok()) {
      checkin(std::move(c));
      return began;
    }
    Result<void> r = fn(session);
    if (r.ok()) {
      Result<void> commit = session.plain("COMMIT");
      if (!commit.ok()) r = std::move(commit);
    } else if (PQstatus(c.get()) == CONNECTION_OK) {
      (void)session.plain("ROLLBACK");
    }
    checkin(std::move(c));
    return r;
  }

  Result<ConnPtr> checkout() {
    std::unique_lock<std::mutex> lock(mu_);
    bool counted_wait = false;
    for (;;) {
      if (!idle_.empty()) {
        ConnPtr c = std::move(idle_.back());
        idle_.pop_back();
        lock.unlock();
        if (PQstatus(c.get()) == CONNECTION_BAD) PQreset(c.get());
        if (PQstatus(c.get()) != CONNECTION_OK) {
          discard();
          return connection_lost();
        }
        return c;
      }
      if (total_ < pool_size_) {
        ++total_;
        lock.unlock();
        Result<ConnPtr> c = connect(conninfo_);
        if (!c.ok()) discard();
        return c;
      }
      if (!counted_wait) {
        ++waits_;
        counted_wait = true;
      }
      const bool woke = cv_.wait_for(lock, kCheckoutTimeout,
                                     [this] { return !idle_.empty() || total_ < pool_size_; });
      if (!woke) {
        return make_error(ErrorKind::unavailable, "database_busy", "数据库连接繁忙，请稍后再试");
      }
    }
  }

  // Returns a connection to the pool, or drops it when it is broken or still inside a
  // transaction (the next checkout then makes a fresh one).
  void checkin(ConnPtr c) {
    const bool healthy =
        PQstatus(c.get()) == CONNECTION_OK && PQtransactionStatus(c.get()) == PQTRANS_IDLE;
    if (!healthy) {
      c.reset();
      discard();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      idle_.push_back(std::move(c));
    }
    cv_.notify_one();
  }

  void discard() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --total_;
    }
    cv_.notify_one();
  }

  const std::string conninfo_;
  const std::string description_;
  const int pool_size_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ConnPtr> idle_;
  int total_ = 0;  //!< connections that exist: idle plus lent
  std::int64_t waits_ = 0;
};

}  // namespace

std::string rewrite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      // A doubled quote ('it''s') closes and reopens the run, which copies it unchanged.
      const std::size_t end = sql.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

Result<std::shared_ptr<Database>> open_postgres(const std::string& url) {
  SHENPI_ASSIGN(PgUrl prepared, prepare_url(url));
  SHENPI_ASSIGN(ConnPtr first, connect(prepared.conninfo));
  return std::shared_ptr<Database>(
      std::make_shared<PgDatabase>(std::move(prepared), std::move(first)));
}

}  // namespace shenpi::store
