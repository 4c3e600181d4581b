#include "store/upload_store.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/db_values.h"

namespace shenpi::store {
namespace {

using app::UploadInfo;

constexpr const char* kColumns =
    "id, owner_account_id, filename, kind, content_type, size, sha256, created_at, case_number";

// At most this many ids in one IN (…) list; longer lists are read in slices.
constexpr std::size_t kIdsPerQuery = 100;

Param text(std::string_view s) { return std::string(s); }

UploadInfo upload_from_row(const Rows& r, std::size_t i) {
  UploadInfo u;
  u.id = r.text(i, 0);
  u.owner_account_id = r.text(i, 1);
  u.filename = r.text(i, 2);
  u.kind = r.text(i, 3);
  u.content_type = r.text(i, 4);
  u.size = r.int64(i, 5);
  u.sha256 = r.text(i, 6);
  u.created_at = r.int64(i, 7);
  u.case_number = r.text(i, 8);  // "" when NULL
  return u;
}

bool is_unique_violation(const Error& e) {
  const std::string& m = e.message;
  return m.find("UNIQUE") != std::string::npos || m.find("unique") != std::string::npos ||
         m.find("duplicate") != std::string::npos;
}

class UploadStore final : public app::UploadRepository {
 public:
  explicit UploadStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<void> add(const UploadInfo& u, std::string_view bytes) override {
    return db_->write([&](Session& s) -> Result<void> {
      // Checked first so that a taken id is a clean conflict on both dialects (a failed
      // INSERT would abort the PostgreSQL transaction); the primary key still decides a race.
      SHENPI_ASSIGN(Rows taken, s.query("SELECT 1 FROM uploads WHERE id = ?", {text(u.id)}));
      if (!taken.empty()) return upload_exists();
      // The bytes travel to the database only when no copy is kept yet; two sessions
      // storing the same new content at once both insert, and ON CONFLICT keeps one.
      SHENPI_ASSIGN(Rows kept,
                    s.query("SELECT 1 FROM upload_blobs WHERE sha256 = ?", {text(u.sha256)}));
      if (kept.empty()) {
        SHENPI_TRY(
            s.exec("INSERT INTO upload_blobs (sha256, bytes) VALUES (?, ?) ON CONFLICT (sha256) DO "
                   "NOTHING",
                   {text(u.sha256), Blob{std::string(bytes)}}));
      }
      Result<std::int64_t> n = s.exec(
          "INSERT INTO uploads (id, owner_account_id, filename, kind, content_type, size, sha256, "
          "created_at, case_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {text(u.id), text(u.owner_account_id), text(u.filename), text(u.kind),
           text(u.content_type), u.size, text(u.sha256), u.created_at,
           u.case_number.empty() ? Param(nullptr) : text(u.case_number)});
      if (!n.ok()) {
        if (is_unique_violation(n.error())) return upload_exists();
        return n.take_error();
      }
      return ok_result();
    });
  }

  Result<std::optional<UploadInfo>> find(std::string_view id) override {
    using Out = std::optional<UploadInfo>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(
          Rows r,
          s.query(std::string("SELECT ") + kColumns + " FROM uploads WHERE id = ?", {text(id)}));
      if (r.empty()) return Out();
      return Out(upload_from_row(r, 0));
    });
  }

  Result<std::vector<UploadInfo>> find_many(const std::vector<std::string>& ids) override {
    using Out = std::vector<UploadInfo>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      Out out;
      for (std::size_t from = 0; from < ids.size(); from += kIdsPerQuery) {
        const std::size_t n = std::min(kIdsPerQuery, ids.size() - from);
        std::string sql = std::string("SELECT ") + kColumns + " FROM uploads WHERE id IN (";
        std::vector<Param> params;
        params.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
          sql += i == 0 ? "?" : ", ?";
          params.push_back(text(ids[from + i]));
        }
        sql += ")";
        SHENPI_ASSIGN(Rows r, s.query(sql, params));
        for (std::size_t i = 0; i < r.size(); ++i) out.push_back(upload_from_row(r, i));
      }
      return out;
    });
  }

  Result<std::optional<std::string>> bytes(std::string_view sha256) override {
    using Out = std::optional<std::string>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(Rows r,
                    s.query("SELECT bytes FROM upload_blobs WHERE sha256 = ?", {text(sha256)}));
      if (r.empty()) return Out();
      return Out(std::move(r.rows[0][0].text));
    });
  }

 private:
  static Error upload_exists() {
    return make_error(ErrorKind::conflict, "upload_exists", "附件编号已被占用，请重试");
  }

  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::UploadRepository> make_upload_store(std::shared_ptr<Database> db) {
  return std::make_shared<UploadStore>(std::move(db));
}

}  // namespace shenpi::store
