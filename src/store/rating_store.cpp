#include "store/rating_store.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "store/audit_rows.h"
#include "store/db_values.h"
#include "store/outbox_rows.h"

namespace shenpi::store {
namespace {

constexpr const char* kColumns =
    "id, version, case_number, account_id, department_code, department_name, item_name, level, "
    "comment, rated_on, defaulted, follow_up, follow_up_due_on, callback_note, outcome, "
    "follow_up_done_on, appeal_reason, appealed_on, appeal_decision, appeal_note, "
    "appeal_decided_on";

Param text(std::string_view s) { return std::string(s); }

Result<core::Rating> from_row(const Rows& r, std::size_t i) {
  core::Rating x;
  x.id = r.int64(i, 0);
  x.version = r.int64(i, 1);
  x.case_number = r.text(i, 2);
  x.account_id = r.text(i, 3);
  x.department_code = r.text(i, 4);
  x.department_name = r.text(i, 5);
  x.item_name = r.text(i, 6);
  const auto level = core::parse_rating_level(r.text(i, 7));
  const auto follow = core::parse_follow_up_state(r.text(i, 11));
  if (!level || !follow) {
    return make_error(ErrorKind::internal, "rating_row_invalid", "stored rating unreadable");
  }
  x.level = *level;
  x.comment = r.text(i, 8);
  x.rated_on = r.text(i, 9);
  x.defaulted = r.boolean(i, 10);
  x.follow_up = *follow;
  x.follow_up_due_on = r.text(i, 12);
  x.callback_note = r.text(i, 13);
  x.outcome = r.text(i, 14);
  x.follow_up_done_on = r.text(i, 15);
  x.appeal_reason = r.text(i, 16);
  x.appealed_on = r.text(i, 17);
  x.appeal_decision = r.text(i, 18);
  x.appeal_note = r.text(i, 19);
  x.appeal_decided_on = r.text(i, 20);
  return x;
}

// The mutable columns, in the order of the UPDATE below.
std::vector<Param> follow_up_values(const core::Rating& x) {
  return {text(core::to_string(x.follow_up)),
          text(x.follow_up_due_on),
          text(x.callback_note),
          text(x.outcome),
          text(x.follow_up_done_on),
          text(x.appeal_reason),
          text(x.appealed_on),
          text(x.appeal_decision),
          text(x.appeal_note),
          text(x.appeal_decided_on)};
}

Result<void> write_rest(Session& s, const app::RatingCommit& c) {
  if (c.audit)
    SHENPI_TRY(append_audit_in(s, c.audit->content, c.audit->hasher, c.audit->checkpointer));
  for (const app::OutboxEvent& ev : c.outbox) SHENPI_TRY(insert_outbox_event(s, ev));
  return ok_result();
}

Error already_rated() {
  return make_error(ErrorKind::conflict, "already_rated", "该办件已评价，不能重复评价");
}

class RatingStore final : public app::RatingRepository {
 public:
  explicit RatingStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::int64_t> insert(const app::RatingCommit& c) override {
    const core::Rating& x = c.rating;
    return write_value<std::int64_t>(*db_, [&](Session& s) -> Result<std::int64_t> {
      // ON CONFLICT DO NOTHING keeps a race between two nodes a clean conflict on both
      // dialects (a failed INSERT would abort the PostgreSQL transaction).
      std::vector<Param> p{
          text(x.case_number),     text(x.account_id), text(x.department_code),
          text(x.department_name), text(x.item_name),  text(core::to_string(x.level)),
          text(x.comment),         text(x.rated_on),   std::int64_t{x.defaulted ? 1 : 0}};
      for (Param& v : follow_up_values(x)) p.push_back(std::move(v));
      p.emplace_back(c.now_ms);
      SHENPI_ASSIGN(std::int64_t n,
                    s.exec("INSERT INTO ratings (version, case_number, account_id, "
                           "department_code, department_name, item_name, level, comment, "
                           "rated_on, defaulted, follow_up, follow_up_due_on, callback_note, "
                           "outcome, follow_up_done_on, appeal_reason, appealed_on, "
                           "appeal_decision, appeal_note, appeal_decided_on, created_at) VALUES "
                           "(1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT (case_number) DO NOTHING",
                           p));
      if (n == 0) return already_rated();
      SHENPI_ASSIGN(Rows r,
                    s.query("SELECT id FROM ratings WHERE case_number = ?", {text(x.case_number)}));
      if (r.size() != 1) return make_error(ErrorKind::internal, "rating_row_invalid", "no id");
      const std::int64_t id = r.int64(0, 0);
      SHENPI_TRY(write_rest(s, c));
      return id;
    });
  }

  Result<void> update(const app::RatingCommit& c) override {
    const core::Rating& x = c.rating;
    return db_->write([&](Session& s) -> Result<void> {
      std::vector<Param> p{c.expected_version + 1};
      for (Param& v : follow_up_values(x)) p.push_back(std::move(v));
      p.emplace_back(x.id);
      p.emplace_back(c.expected_version);
      SHENPI_ASSIGN(std::int64_t n,
                    s.exec("UPDATE ratings SET version = ?, follow_up = ?, follow_up_due_on = ?, "
                           "callback_note = ?, outcome = ?, follow_up_done_on = ?, "
                           "appeal_reason = ?, appealed_on = ?, appeal_decision = ?, "
                           "appeal_note = ?, appeal_decided_on = ? WHERE id = ? AND version = ?",
                           p));
      if (n == 0) {
        SHENPI_ASSIGN(Rows r, s.query("SELECT 1 FROM ratings WHERE id = ?", {x.id}));
        if (r.empty()) return make_error(ErrorKind::not_found, "rating_not_found", "评价不存在");
        return make_error(ErrorKind::precondition, "stale_version",
                          "该整改已被他人更新，请刷新后重试");
      }
      return write_rest(s, c);
    });
  }

  Result<std::optional<core::Rating>> find(std::int64_t id) override {
    return one(std::string("SELECT ") + kColumns + " FROM ratings WHERE id = ?", {id});
  }

  Result<std::optional<core::Rating>> find_by_case(std::string_view number) override {
    return one(std::string("SELECT ") + kColumns + " FROM ratings WHERE case_number = ?",
               {text(number)});
  }

  Result<std::vector<core::Rating>> list(const app::RatingFilter& f) override {
    std::string where;
    std::vector<Param> params;
    auto add = [&](const std::string& condition) {
      where += where.empty() ? " WHERE " : " AND ";
      where += condition;
    };
    auto in_list = [&](std::size_t n) {
      std::string s = "(";
      for (std::size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ", ?";
      return s + ")";
    };
    if (!f.departments.empty()) {
      add("department_code IN " + in_list(f.departments.size()));
      for (const std::string& d : f.departments) params.push_back(text(d));
    }
    if (!f.follow_up.empty()) {
      add("follow_up IN " + in_list(f.follow_up.size()));
      for (core::FollowUpState st : f.follow_up) params.push_back(text(core::to_string(st)));
    }
    if (f.bad_only) add("level IN ('dissatisfied', 'very_dissatisfied')");
    params.emplace_back(std::int64_t{std::clamp(f.limit, 1, 1000)});
    const std::string sql = std::string("SELECT ") + kColumns + " FROM ratings" + where +
                            " ORDER BY rated_on DESC, id DESC LIMIT ?";
    return read_value<std::vector<core::Rating>>(
        *db_, [&](Session& s) -> Result<std::vector<core::Rating>> {
          SHENPI_ASSIGN(Rows r, s.query(sql, params));
          std::vector<core::Rating> out;
          for (std::size_t i = 0; i < r.size(); ++i) {
            SHENPI_ASSIGN(core::Rating x, from_row(r, i));
            out.push_back(std::move(x));
          }
          return out;
        });
  }

  Result<std::vector<app::UnratedCase>> unrated_delivered(std::string_view delivered_by,
                                                          int limit) override {
    using Out = std::vector<app::UnratedCase>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(
          Rows r,
          s.query("SELECT c.number, c.applicant_account_id, c.lead_department_code, "
                  "COALESCE(d.name, ''), c.title, c.updated_on FROM cases c "
                  "LEFT JOIN departments d ON d.code = c.lead_department_code "
                  "WHERE c.state = 'delivered' AND c.updated_on <> '' AND c.updated_on <= ? "
                  "AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.case_number = c.number) "
                  "ORDER BY c.updated_on, c.number LIMIT ?",
                  {text(delivered_by), std::int64_t{std::clamp(limit, 1, 10000)}}));
      Out out;
      for (std::size_t i = 0; i < r.size(); ++i) {
        out.push_back(app::UnratedCase{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3),
                                       r.text(i, 4), r.text(i, 5)});
      }
      return out;
    });
  }

  Result<std::vector<std::string>> role_holders(std::string_view role,
                                                std::string_view department_code) override {
    using Out = std::vector<std::string>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      std::string sql = "SELECT DISTINCT account_id FROM role_grants WHERE role = ?";
      std::vector<Param> p{text(role)};
      if (!department_code.empty()) {
        sql += " AND department_code = ?";
        p.push_back(text(department_code));
      }
      sql += " ORDER BY account_id";
      SHENPI_ASSIGN(Rows r, s.query(sql, p));
      Out out;
      for (std::size_t i = 0; i < r.size(); ++i) out.push_back(r.text(i, 0));
      return out;
    });
  }

 private:
  Result<std::optional<core::Rating>> one(const std::string& sql, std::vector<Param> params) {
    using Out = std::optional<core::Rating>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(Rows r, s.query(sql, params));
      if (r.empty()) return Out();
      SHENPI_ASSIGN(core::Rating x, from_row(r, 0));
      return Out(std::move(x));
    });
  }

  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::RatingRepository> make_rating_store(std::shared_ptr<Database> db) {
  return std::make_shared<RatingStore>(std::move(db));
}

}  // namespace shenpi::store
