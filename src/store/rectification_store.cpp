#include "store/rectification_store.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "store/audit_rows.h"
#include "store/db_values.h"
#include "store/outbox_rows.h"
#include "store/sql_lists.h"

namespace shenpi::store {
namespace {

using app::Notice;

constexpr const char* kNoticeColumns =
    "SELECT n.id, n.department_code, d.name, n.subject, n.body, n.case_numbers, n.warning_ids, "
    "n.issued_by_id, n.issued_by_name, n.issuer_role, n.issued_on, n.issued_at, "
    "n.reply_due_on, n.state, n.reply, n.replied_by_id, n.replied_by_name, n.replied_on, "
    "n.replied_at FROM rectification_notices n "
    "LEFT JOIN departments d ON d.code = n.department_code";

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t j = std::min(text.find(' ', i), text.size());
    if (j > i) out.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

template <typename T>
std::string join_words(const std::vector<T>& items) {
  std::string out;
  for (const T& v : items) {
    if (!out.empty()) out += ' ';
    if constexpr (std::is_same_v<T, std::string>) {
      out += v;
    } else {
      out += std::to_string(v);
    }
  }
  return out;
}

Result<Notice> notice_of(const Rows& r, std::size_t i) {
  Notice n;
  n.id = r.int64(i, 0);
  n.department_code = r.text(i, 1);
  n.department_name = r.is_null(i, 2) ? std::string() : r.text(i, 2);
  n.subject = r.text(i, 3);
  n.body = r.text(i, 4);
  n.case_numbers = split_words(r.text(i, 5));
  for (const std::string& w : split_words(r.text(i, 6))) {
    std::int64_t id = 0;
    std::from_chars(w.data(), w.data() + w.size(), id);
    n.warning_ids.push_back(id);
  }
  n.issued_by_id = r.text(i, 7);
  n.issued_by_name = r.text(i, 8);
  n.issuer_role = r.text(i, 9);
  n.issued_on = r.text(i, 10);
  n.issued_at = r.int64(i, 11);
  n.reply_due_on = r.text(i, 12);
  const auto state = core::parse_notice_state(r.text(i, 13));
  if (!state) {
    return make_error(ErrorKind::internal, "notice_row_corrupt",
                      "整改通知数据损坏：state " + r.text(i, 13));
  }
  n.state = *state;
  n.reply = r.text(i, 14);
  n.replied_by_id = r.text(i, 15);
  n.replied_by_name = r.text(i, 16);
  n.replied_on = r.text(i, 17);
  n.replied_at = r.int64(i, 18);
  return n;
}

Result<std::optional<Notice>> find_in(Session& s, std::int64_t id) {
  SHENPI_ASSIGN(Rows r, s.query(std::string(kNoticeColumns) + " WHERE n.id = ?", {id}));
  if (r.empty()) return std::optional<Notice>();
  SHENPI_ASSIGN(Notice n, notice_of(r, 0));
  return std::optional<Notice>(std::move(n));
}

Result<std::vector<std::string>> business_leads(Session& s, const std::string& dept) {
  SHENPI_ASSIGN(Rows r, s.query("SELECT g.account_id FROM role_grants g JOIN accounts a "
                                "ON a.id = g.account_id WHERE g.role = 'business_lead' AND "
                                "g.department_code = ? AND a.status = 'active' "
                                "ORDER BY g.account_id",
                                {dept}));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r.size(); ++i) out.push_back(r.text(i, 0));
  return out;
}

Result<void> announce_in(Session& s, const Notice& n, const app::AnnounceNotice& announce) {
  SHENPI_ASSIGN(std::vector<std::string> leads, business_leads(s, n.department_code));
  SHENPI_ASSIGN(app::NoticeAnnouncement a, announce(n, leads));
  // The audit append, then the outbox insert, last: both take locks held to commit.
  SHENPI_TRY(append_audit_in(s, a.audit.content, a.audit.hasher, a.audit.checkpointer));
  return insert_outbox_event(s, a.event);
}

// The warnings WHERE clause shared by counts and list.
std::string warning_where(const app::DashboardWarningFilter& f, std::vector<Param>& params) {
  std::string sql = " WHERE 1 = 1";
  if (!f.department.empty()) {
    sql += " AND w.department_code = ?";
    params.emplace_back(f.department);
  }
  if (f.rule) {
    sql += " AND w.rule = ?";
    params.emplace_back(std::string(core::to_string(*f.rule)));
  }
  if (f.state) {
    sql += " AND w.state = ?";
    params.emplace_back(std::string(core::to_string(*f.state)));
  }
  if (!f.from.empty()) {
    sql += " AND w.first_seen_on >= ?";
    params.emplace_back(f.from);
  }
  if (!f.to.empty()) {
    sql += " AND w.first_seen_on <= ?";
    params.emplace_back(f.to);
  }
  return sql;
}

class RectificationStore final : public app::RectificationRepository {
 public:
  explicit RectificationStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<Notice> issue(const Notice& in, const app::AnnounceNotice& announce) override {
    return write_value<Notice>(*db_, [&](Session& s) -> Result<Notice> {
      SHENPI_ASSIGN(Rows dept,
                    s.query("SELECT name FROM departments WHERE code = ?", {in.department_code}));
      if (dept.empty()) {
        return make_error(ErrorKind::not_found, "department_not_found", "部门不存在", "department");
      }
      for (const std::string& number : in.case_numbers) {
        SHENPI_ASSIGN(Rows c, s.query("SELECT 1 FROM cases WHERE number = ?", {number}));
        if (c.empty()) {
          return make_error(ErrorKind::not_found, "case_not_found", "办件不存在：" + number,
                            "cases");
        }
      }
      for (std::int64_t id : in.warning_ids) {
        SHENPI_ASSIGN(Rows w, s.query("SELECT 1 FROM warnings WHERE id = ? AND "
                                      "department_code = ?",
                                      {id, in.department_code}));
        if (w.empty()) {
          return make_error(ErrorKind::invalid_input, "warning_not_in_department",
                            "警示 " + std::to_string(id) + " 不存在或不属于该部门", "warnings");
        }
      }
      SHENPI_ASSIGN(
          std::int64_t id,
          s.insert("INSERT INTO rectification_notices (department_code, subject, body, "
                   "case_numbers, warning_ids, issued_by_id, issued_by_name, issuer_role, "
                   "issued_on, issued_at, reply_due_on, state) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                   {in.department_code, in.subject, in.body, join_words(in.case_numbers),
                    join_words(in.warning_ids), in.issued_by_id, in.issued_by_name, in.issuer_role,
                    in.issued_on, in.issued_at, in.reply_due_on}));
      SHENPI_ASSIGN(std::optional<Notice> stored, find_in(s, id));
      if (!stored) return make_error(ErrorKind::internal, "notice_lost", "整改通知写入失败");
      SHENPI_TRY(announce_in(s, *stored, announce));
      return std::move(*stored);
    });
  }

  Result<std::optional<Notice>> find(std::int64_t id) override {
    return read_value<std::optional<Notice>>(
        *db_, [&](Session& s) -> Result<std::optional<Notice>> { return find_in(s, id); });
  }

  Result<Notice> reply(std::int64_t id, const Notice& r,
                       const app::AnnounceNotice& announce) override {
    return write_value<Notice>(*db_, [&](Session& s) -> Result<Notice> {
      // One statement decides who answers: a second reply finds the state moved on.
      SHENPI_ASSIGN(
          std::int64_t changed,
          s.exec("UPDATE rectification_notices SET state = 'answered', reply = ?, "
                 "replied_by_id = ?, replied_by_name = ?, replied_on = ?, "
                 "replied_at = ? WHERE id = ? AND state = 'open'",
                 {r.reply, r.replied_by_id, r.replied_by_name, r.replied_on, r.replied_at, id}));
      SHENPI_ASSIGN(std::optional<Notice> stored, find_in(s, id));
      if (!stored) {
        return make_error(ErrorKind::not_found, "notice_not_found", "整改通知不存在");
      }
      if (changed != 1) {
        return make_error(ErrorKind::conflict, "notice_answered", "该整改通知已答复");
      }
      SHENPI_TRY(announce_in(s, *stored, announce));
      return std::move(*stored);
    });
  }

  Result<std::vector<Notice>> notices(const app::NoticeFilter& f) override {
    return read_value<std::vector<Notice>>(*db_, [&](Session& s) -> Result<std::vector<Notice>> {
      std::string sql = std::string(kNoticeColumns) + " WHERE 1 = 1";
      std::vector<Param> params;
      if (f.departments) {
        if (f.departments->empty()) return std::vector<Notice>();
        sql += " AND n.department_code IN (" + placeholders(f.departments->size()) + ")";
        for (const std::string& d : *f.departments) params.emplace_back(d);
      }
      if (!f.department.empty()) {
        sql += " AND n.department_code = ?";
        params.emplace_back(f.department);
      }
      if (f.status) {
        switch (*f.status) {
          case core::NoticeStatus::awaiting:
            sql += " AND n.state = 'open' AND n.reply_due_on >= ?";
            params.emplace_back(f.today);
            break;
          case core::NoticeStatus::overdue:
            sql += " AND n.state = 'open' AND n.reply_due_on < ?";
            params.emplace_back(f.today);
            break;
          case core::NoticeStatus::answered:
            sql += " AND n.state = 'answered' AND n.replied_on <= n.reply_due_on";
            break;
          case core::NoticeStatus::answered_late:
            sql += " AND n.state = 'answered' AND n.replied_on > n.reply_due_on";
            break;
        }
      }
      if (!f.issued_from.empty()) {
        sql += " AND n.issued_on >= ?";
        params.emplace_back(f.issued_from);
      }
      if (!f.issued_to.empty()) {
        sql += " AND n.issued_on <= ?";
        params.emplace_back(f.issued_to);
      }
      // Overdue (open, deadline passed) first, earliest deadline first; then newest.
      sql +=
          " ORDER BY CASE WHEN n.state = 'open' AND n.reply_due_on < ? THEN 0 ELSE 1 END, "
          "CASE WHEN n.state = 'open' AND n.reply_due_on < ? THEN n.reply_due_on ELSE '' END, "
          "n.id DESC LIMIT ?";
      params.emplace_back(f.today);
      params.emplace_back(f.today);
      params.emplace_back(static_cast<std::int64_t>(std::clamp(f.limit, 1, 5000)));
      SHENPI_ASSIGN(Rows r, s.query(sql, params));
      std::vector<Notice> out;
      for (std::size_t i = 0; i < r.size(); ++i) {
        SHENPI_ASSIGN(Notice n, notice_of(r, i));
        out.push_back(std::move(n));
      }
      return out;
    });
  }

  Result<std::vector<app::DepartmentSignals>> open_signals(
      const std::string& department, const std::string& today,
      const std::string& yellow_until) override {
    return read_value<std::vector<app::DepartmentSignals>>(
        *db_, [&](Session& s) -> Result<std::vector<app::DepartmentSignals>> {
          std::vector<Param> params{today, today, yellow_until, yellow_until};
          std::string sql =
              "SELECT o.department_code, MAX(d.name), "
              "SUM(CASE WHEN o.due_on < ? THEN o.n ELSE 0 END), "
              "SUM(CASE WHEN o.due_on >= ? AND o.due_on <= ? THEN o.n ELSE 0 END), "
              "SUM(CASE WHEN o.due_on > ? THEN o.n ELSE 0 END) "
              "FROM open_case_counts o LEFT JOIN departments d ON d.code = o.department_code "
              "WHERE o.n > 0";
          if (!department.empty()) {
            sql += " AND o.department_code = ?";
            params.emplace_back(department);
          }
          sql += " GROUP BY o.department_code ORDER BY o.department_code";
          SHENPI_ASSIGN(Rows r, s.query(sql, params));
          std::vector<app::DepartmentSignals> out;
          for (std::size_t i = 0; i < r.size(); ++i) {
            app::DepartmentSignals d;
            d.department_code = r.text(i, 0);
            d.department_name = r.is_null(i, 1) ? std::string() : r.text(i, 1);
            d.red = r.int64(i, 2);
            d.yellow = r.int64(i, 3);
            d.green = r.int64(i, 4);
            out.push_back(std::move(d));
          }
          return out;
        });
  }

  Result<std::vector<app::LateCase>> late_cases(const std::string& department,
                                                const std::string& today, int limit) override {
    return read_value<std::vector<app::LateCase>>(
        *db_, [&](Session& s) -> Result<std::vector<app::LateCase>> {
          std::vector<Param> params{today};
          std::string sql =
              "SELECT k.case_number, c.title, k.department_code, d.name, c.state, k.due_on "
              "FROM open_case_keys k JOIN cases c ON c.number = k.case_number "
              "LEFT JOIN departments d ON d.code = k.department_code WHERE k.due_on < ?";
          if (!department.empty()) {
            sql += " AND k.department_code = ?";
            params.emplace_back(department);
          }
          sql += " ORDER BY k.due_on, k.case_number LIMIT ?";
          params.emplace_back(static_cast<std::int64_t>(std::clamp(limit, 1, 5000)));
          SHENPI_ASSIGN(Rows r, s.query(sql, params));
          std::vector<app::LateCase> out;
          for (std::size_t i = 0; i < r.size(); ++i) {
            out.push_back(app::LateCase{r.text(i, 0), r.text(i, 1), r.text(i, 2),
                                        r.is_null(i, 3) ? std::string() : r.text(i, 3),
                                        r.text(i, 4), r.text(i, 5)});
          }
          return out;
        });
  }

  Result<std::vector<app::WarningCount>> warning_counts(
      const app::DashboardWarningFilter& f) override {
    return read_value<std::vector<app::WarningCount>>(
        *db_, [&](Session& s) -> Result<std::vector<app::WarningCount>> {
          std::vector<Param> params;
          const std::string sql = "SELECT w.rule, w.state, COUNT(*) FROM warnings w" +
                                  warning_where(f, params) +
                                  " GROUP BY w.rule, w.state ORDER BY w.rule, w.state";
          SHENPI_ASSIGN(Rows r, s.query(sql, params));
          std::vector<app::WarningCount> out;
          for (std::size_t i = 0; i < r.size(); ++i) {
            const auto rule = core::parse_warning_rule(r.text(i, 0));
            const auto state = core::parse_warning_state(r.text(i, 1));
            if (!rule || !state) continue;  // a rule of a later version: not charted here
            out.push_back(app::WarningCount{*rule, *state, r.int64(i, 2)});
          }
          return out;
        });
  }

  Result<std::vector<app::Warning>> warnings(const app::DashboardWarningFilter& f) override {
    return read_value<std::vector<app::Warning>>(
        *db_, [&](Session& s) -> Result<std::vector<app::Warning>> {
          std::vector<Param> params;
          std::string sql =
              "SELECT w.id, w.case_number, w.department_code, d.name, w.rule, w.part_seq, "
              "w.task_id, w.days_late, w.legal_days_late, w.due_on, w.state, w.first_seen_on, "
              "w.last_seen_on FROM warnings w LEFT JOIN departments d ON d.code = "
              "w.department_code" +
              warning_where(f, params) + " ORDER BY w.days_late DESC, w.id DESC LIMIT ?";
          params.emplace_back(static_cast<std::int64_t>(std::clamp(f.limit, 1, 5000)));
          SHENPI_ASSIGN(Rows r, s.query(sql, params));
          std::vector<app::Warning> out;
          for (std::size_t i = 0; i < r.size(); ++i) {
            const auto rule = core::parse_warning_rule(r.text(i, 4));
            const auto state = core::parse_warning_state(r.text(i, 10));
            if (!rule || !state) continue;
            app::Warning w;
            w.id = r.int64(i, 0);
            w.case_number = r.text(i, 1);
            w.department_code = r.text(i, 2);
            w.department_name = r.is_null(i, 3) ? std::string() : r.text(i, 3);
            w.rule = *rule;
            w.part_seq = static_cast<int>(r.int64(i, 5));
            w.task_id = r.int64(i, 6);
            w.days_late = static_cast<int>(r.int64(i, 7));
            w.legal_days_late = static_cast<int>(r.int64(i, 8));
            w.due_on = r.text(i, 9);
            w.state = *state;
            w.first_seen_on = r.text(i, 11);
            w.last_seen_on = r.text(i, 12);
            out.push_back(std::move(w));
          }
          return out;
        });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::RectificationRepository> make_rectification_store(
    std::shared_ptr<Database> db) {
  return std::make_shared<RectificationStore>(std::move(db));
}

}  // namespace shenpi::store
