#include "store/supervision_store.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "app/case_json.h"
#include "store/audit_rows.h"
#include "store/db_values.h"
#include "store/outbox_rows.h"
#include "store/sql_lists.h"

namespace shenpi::store {
namespace {

using app::BatchRequest;
using app::BatchResult;
using app::Warning;
using app::WarningFilter;

constexpr int kMaxBatch = 1000;

// The states in which a clock runs (cases.due_on is then set).
constexpr const char* kOpenStates =
    "('submitted', 'accepted', 'in_review', 'suspended', 'approved', 'refused')";

Error corrupt(const std::string& what) {
  return make_error(ErrorKind::internal, "warning_row_corrupt", "警示数据损坏：" + what);
}

// The candidates: due or recently changed cases not checked today at their version,
// numbered after the cursor, in number order. Parameters: today, after, today, after,
// [changed_since (a day, or with by_instant Unix ms), after,] today, limit.
//
// SQLite reads index entries only (migration 0013): the due cases' numbers and versions
// from cases_by_state_due, the due tasks' case numbers from case_tasks_open_due, the
// changed cases' from cases_by_updated_on; a case row is read only for a case due by a
// task alone and checked today (its version is not in a task's index entry). Reading a
// case row per due case is what made a pass that finds nothing cost a page read per due
// case. The walk covers every due entry whatever the limit (the cursor cannot narrow a
// range on the due date), which is why a pass reads its candidates in large chunks and
// claims them in batches, rather than looking for each batch afresh.
std::string candidates_sql(const Session& s, bool with_changed, bool by_instant) {
  // The changed cases since a day (index on updated_on) or since an instant (updated_at).
  const std::string changed_since = by_instant ? "updated_at >= ?" : "updated_on >= ?";
  if (s.dialect() == Dialect::postgres) {
    std::string sql =
        "SELECT c.number FROM cases c "
        "LEFT JOIN supervision_checks k ON k.case_number = c.number "
        "WHERE c.number IN ("
        "SELECT number FROM cases WHERE state IN " +
        std::string(kOpenStates) +
        " AND due_on > '' AND due_on < ? AND number > ? "
        "UNION SELECT case_number FROM case_tasks WHERE state = 'open' AND due_on > '' "
        "AND due_on < ? AND case_number > ?";
    if (with_changed) {
      sql += " UNION SELECT number FROM cases WHERE " + changed_since + " AND number > ?";
    }
    sql +=
        ") AND (k.case_number IS NULL OR k.checked_on <> ? OR k.checked_version <> c.version) "
        "ORDER BY c.number LIMIT ?";
    return sql;
  }
  std::string sql =
      "SELECT d.number FROM (SELECT number, MAX(version) AS version FROM ("
      "SELECT number, version FROM cases WHERE state IN " +
      std::string(kOpenStates) +
      " AND due_on > '' AND due_on < ? AND number > ? "
      "UNION ALL SELECT case_number, NULL FROM case_tasks WHERE state = 'open' "
      "AND due_on > '' AND due_on < ? AND case_number > ?";
  if (with_changed) {
    sql +=
        " UNION ALL SELECT number, version FROM cases WHERE " + changed_since + " AND number > ?";
  }
  sql +=
      ") GROUP BY number) d LEFT JOIN supervision_checks k ON k.case_number = d.number "
      "WHERE k.case_number IS NULL OR k.checked_on <> ? OR k.checked_version <> "
      "COALESCE(d.version, (SELECT version FROM cases WHERE number = d.number)) "
      "ORDER BY d.number LIMIT ?";
  return sql;
}

// The claim of a batch: those of `n` candidate cases not checked today at their current
// version, with their versions and documents, in number order. Parameters: the numbers,
// then today. PostgreSQL locks the rows (FOR UPDATE OF c SKIP LOCKED): two nodes passing
// at once take disjoint cases, and a node that dies releases its rows with its
// connection. SQLite's single writer runs the claim and the rest of the batch as one
// transaction.
std::string claim_sql(const Session& s, std::size_t n) {
  std::string sql =
      "SELECT c.number, c.version, c.doc FROM cases c "
      "LEFT JOIN supervision_checks k ON k.case_number = c.number WHERE c.number IN (" +
      placeholders(n) +
      ") AND (k.case_number IS NULL OR k.checked_on <> ? OR k.checked_version <> c.version) "
      "ORDER BY c.number";
  if (s.dialect() == Dialect::postgres) sql += " FOR UPDATE OF c SKIP LOCKED";
  return sql;
}

// The timelines of `numbers`, each oldest first: one query for the batch.
Result<std::map<std::string, std::vector<core::CaseEvent>>> read_events(
    Session& s, const std::vector<std::string>& numbers) {
  std::map<std::string, std::vector<core::CaseEvent>> out;
  if (numbers.empty()) return out;
  std::vector<Param> params(numbers.begin(), numbers.end());
  SHENPI_ASSIGN(Rows r, s.query("SELECT case_number, on_date, action, part_seq, reason, "
                                "actor_id, department_code FROM case_events WHERE case_number "
                                "IN (" +
                                    placeholders(numbers.size()) + ") ORDER BY case_number, id",
                                params));
  for (std::size_t i = 0; i < r.size(); ++i) {
    core::CaseEvent e;
    e.on = r.text(i, 1);
    e.action = r.text(i, 2);
    e.part_seq = static_cast<int>(r.int64(i, 3));
    e.reason = r.text(i, 4);
    e.actor_id = r.text(i, 5);
    e.department_code = r.text(i, 6);
    out[r.text(i, 0)].push_back(std::move(e));
  }
  return out;
}

struct Existing {
  std::int64_t id = 0;
  int days_late = 0;
  int legal_days_late = 0;
  std::string due_on;
  std::string last_seen_on;
};
using Key = std::tuple<std::string, int, std::int64_t>;  // rule, part_seq, task_id

// The warnings already recorded for `numbers`, by case: one query for the batch.
Result<std::map<std::string, std::map<Key, Existing>>> existing_warnings(
    Session& s, const std::vector<std::string>& numbers) {
  std::map<std::string, std::map<Key, Existing>> out;
  if (numbers.empty()) return out;
  std::vector<Param> params(numbers.begin(), numbers.end());
  SHENPI_ASSIGN(Rows r, s.query("SELECT id, rule, part_seq, task_id, days_late, legal_days_late, "
                                "due_on, last_seen_on, case_number FROM warnings "
                                "WHERE case_number IN (" +
                                    placeholders(numbers.size()) + ")",
                                params));
  for (std::size_t i = 0; i < r.size(); ++i) {
    Existing e;
    e.id = r.int64(i, 0);
    e.days_late = static_cast<int>(r.int64(i, 4));
    e.legal_days_late = static_cast<int>(r.int64(i, 5));
    e.due_on = r.text(i, 6);
    e.last_seen_on = r.text(i, 7);
    out[r.text(i, 8)].emplace(Key{r.text(i, 1), static_cast<int>(r.int64(i, 2)), r.int64(i, 3)}, e);
  }
  return out;
}

// The active business leads (业务负责人) of a department: who is told of its warnings.
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

Result<std::string> department_name(Session& s, const std::string& dept) {
  SHENPI_ASSIGN(Rows r, s.query("SELECT name FROM departments WHERE code = ?", {dept}));
  return r.empty() ? std::string() : r.text(0, 0);
}

// A claimed case: its number, the version it is judged at and its document.
struct Claimed {
  std::string number;
  std::int64_t version = 0;
  std::string doc;
};

// Marks `cases` checked on `today` at their versions: one upsert per hundred cases.
Result<void> mark_checked(Session& s, const std::vector<const Claimed*>& cases,
                          const std::string& today) {
  constexpr std::size_t kPerStatement = rows_per_statement(3);
  SHENPI_TRY(for_each_chunk(
      cases.size(), kPerStatement, [&](std::size_t from, std::size_t n) -> Result<void> {
        std::string sql =
            "INSERT INTO supervision_checks (case_number, checked_on, checked_version) VALUES " +
            value_rows(n, 3);
        std::vector<Param> params;
        params.reserve(n * 3);
        for (std::size_t i = 0; i < n; ++i) {
          const Claimed& c = *cases[from + i];
          params.emplace_back(c.number);
          params.emplace_back(today);
          params.emplace_back(c.version);
        }
        sql +=
            " ON CONFLICT (case_number) DO UPDATE SET checked_on = excluded.checked_on, "
            "checked_version = excluded.checked_version";
        SHENPI_TRY(s.exec(sql, params));
        return ok_result();
      }));
  return ok_result();
}

// PostgreSQL: the claim reads the checks as of the statement's start, so a case another
// node checked and committed while the claim ran can be claimed again once that node's
// lock is gone. Read again, now that the rows are locked (READ COMMITTED sees the commit),
// and leave those alone. SQLite's single writer has nothing to re-read: its claim and the
// rest of the batch are one transaction on the one writer connection.
Result<std::set<std::string>> checked_meanwhile(Session& s, const std::vector<Claimed>& claimed,
                                                const std::string& today) {
  std::set<std::string> out;
  if (s.dialect() != Dialect::postgres || claimed.empty()) return out;
  std::vector<Param> params{today};
  std::map<std::string, std::int64_t> version;
  for (const Claimed& c : claimed) {
    params.emplace_back(c.number);
    version[c.number] = c.version;
  }
  SHENPI_ASSIGN(Rows r, s.query("SELECT case_number, checked_version FROM supervision_checks "
                                "WHERE checked_on = ? AND case_number IN (" +
                                    placeholders(claimed.size()) + ")",
                                params));
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (version[r.text(i, 0)] == r.int64(i, 1)) out.insert(r.text(i, 0));
  }
  return out;
}

Result<Warning> warning_of(const Rows& r, std::size_t i) {
  Warning w;
  w.id = r.int64(i, 0);
  w.case_number = r.text(i, 1);
  w.department_code = r.text(i, 2);
  w.department_name = r.is_null(i, 3) ? std::string() : r.text(i, 3);
  const auto rule = core::parse_warning_rule(r.text(i, 4));
  if (!rule) return corrupt("rule " + r.text(i, 4));
  w.rule = *rule;
  w.part_seq = static_cast<int>(r.int64(i, 5));
  w.task_id = r.int64(i, 6);
  w.days_late = static_cast<int>(r.int64(i, 7));
  w.legal_days_late = static_cast<int>(r.int64(i, 8));
  w.due_on = r.text(i, 9);
  const auto state = core::parse_warning_state(r.text(i, 10));
  if (!state) return corrupt("state " + r.text(i, 10));
  w.state = *state;
  w.first_seen_on = r.text(i, 11);
  w.last_seen_on = r.text(i, 12);
  return w;
}

class SupervisionStore final : public app::SupervisionRepository {
 public:
  explicit SupervisionStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::vector<std::string>> due_cases(const app::CandidateRequest& req) override {
    if (req.today.size() != 10) {
      return make_error(ErrorKind::invalid_input, "bad_date", "日期应为 YYYY-MM-DD", "today");
    }
    return read_value<std::vector<std::string>>(
        *db_, [&](Session& s) -> Result<std::vector<std::string>> {
          const bool with_changed = !req.changed_since.empty();
          const bool by_instant = with_changed && req.changed_since_ms > 0;
          std::vector<Param> params{req.today, req.after, req.today, req.after};
          if (with_changed) {
            if (by_instant) {
              params.emplace_back(req.changed_since_ms);
            } else {
              params.emplace_back(req.changed_since);
            }
            params.emplace_back(req.after);
          }
          params.emplace_back(req.today);
          params.emplace_back(static_cast<std::int64_t>(std::max(1, req.limit)));
          SHENPI_ASSIGN(Rows r, s.query(candidates_sql(s, with_changed, by_instant), params));
          std::vector<std::string> out;
          out.reserve(r.size());
          for (std::size_t i = 0; i < r.size(); ++i) out.push_back(std::move(r.rows[i][0].text));
          return out;
        });
  }

  Result<BatchResult> run_batch(const BatchRequest& req, const app::EvaluateCase& evaluate,
                                const app::AnnounceWarning& announce) override {
    if (req.today.size() != 10) {
      return make_error(ErrorKind::invalid_input, "bad_date", "日期应为 YYYY-MM-DD", "today");
    }
    if (req.numbers.size() > static_cast<std::size_t>(kMaxBatch)) {
      return make_error(ErrorKind::invalid_input, "batch_too_large",
                        "每批最多 " + std::to_string(kMaxBatch) + " 件", "numbers");
    }
    return write_value<BatchResult>(*db_, [&](Session& s) -> Result<BatchResult> {
      BatchResult out;
      if (req.numbers.empty()) return out;
      std::vector<Param> params(req.numbers.begin(), req.numbers.end());
      params.emplace_back(req.today);
      SHENPI_ASSIGN(Rows claimed, s.query(claim_sql(s, req.numbers.size()), params));
      out.claimed = static_cast<int>(claimed.size());
      std::vector<Claimed> cases;
      cases.reserve(claimed.size());
      for (std::size_t i = 0; i < claimed.size(); ++i) {
        Claimed c;
        c.number = claimed.text(i, 0);
        c.version = claimed.int64(i, 1);
        c.doc = std::move(claimed.rows[i][2].text);
        cases.push_back(std::move(c));
      }
      SHENPI_ASSIGN(std::set<std::string> done, checked_meanwhile(s, cases, req.today));
      std::vector<const Claimed*> examined;
      std::vector<std::string> numbers;
      examined.reserve(cases.size());
      numbers.reserve(cases.size());
      for (const Claimed& c : cases) {
        if (done.count(c.number) != 0) continue;
        examined.push_back(&c);
        numbers.push_back(c.number);
      }
      out.examined = static_cast<int>(examined.size());
      SHENPI_ASSIGN(auto timelines, read_events(s, numbers));

      // Judge every case first, then read the warnings already recorded for those that
      // deserve any (one query), then record in case order.
      std::vector<std::pair<const Claimed*, std::vector<core::WarningFinding>>> judged;
      std::vector<std::string> with_findings;
      for (const Claimed* c : examined) {
        Result<core::Case> parsed = app::case_from_json(c->doc);
        if (!parsed.ok()) continue;  // damaged: checked without warnings (see the header)
        app::SupervisedCase sc;
        sc.c = std::move(parsed).value();
        sc.c.number = c->number;
        if (auto it = timelines.find(c->number); it != timelines.end()) {
          sc.events = std::move(it->second);
        }
        SHENPI_ASSIGN(std::vector<core::WarningFinding> findings, evaluate(sc));
        if (findings.empty()) continue;
        with_findings.push_back(c->number);
        judged.emplace_back(c, std::move(findings));
      }
      SHENPI_ASSIGN(auto recorded, existing_warnings(s, with_findings));
      std::map<std::string, std::string> names;  // department code → name, per batch
      static const std::map<Key, Existing> kNone;
      for (const auto& [c, findings] : judged) {
        const auto it = recorded.find(c->number);
        SHENPI_TRY(update_or_plan(s, req.today, c->number, findings,
                                  it == recorded.end() ? kNone : it->second, names, out));
      }
      SHENPI_TRY(insert_warnings(s, out.created));
      SHENPI_TRY(mark_checked(s, examined, req.today));

      // Announce last: the audit append and the outbox insert take locks (on PostgreSQL)
      // that serialise every writer of the trail and the feed until commit.
      std::map<std::string, std::vector<std::string>> leads;
      std::vector<app::AuditAppend> audits;
      std::vector<app::OutboxEvent> events;
      audits.reserve(out.created.size());
      events.reserve(out.created.size());
      for (const Warning& w : out.created) {
        auto it = leads.find(w.department_code);
        if (it == leads.end()) {
          SHENPI_ASSIGN(auto l, business_leads(s, w.department_code));
          it = leads.emplace(w.department_code, std::move(l)).first;
        }
        SHENPI_ASSIGN(app::WarningAnnouncement a, announce(w, it->second));
        audits.push_back(std::move(a.audit));
        events.push_back(std::move(a.event));
      }
      SHENPI_TRY(append_audits_in(s, audits));
      SHENPI_TRY(insert_outbox_events(s, events));
      return out;
    });
  }

  Result<std::vector<Warning>> warnings(const WarningFilter& f) override {
    return read_value<std::vector<Warning>>(*db_, [&](Session& s) -> Result<std::vector<Warning>> {
      std::string sql =
          "SELECT w.id, w.case_number, w.department_code, d.name, w.rule, w.part_seq, w.task_id, "
          "w.days_late, w.legal_days_late, w.due_on, w.state, w.first_seen_on, w.last_seen_on "
          "FROM warnings w LEFT JOIN departments d ON d.code = w.department_code WHERE 1 = 1";
      std::vector<Param> params;
      if (f.departments) {
        if (f.departments->empty()) return std::vector<Warning>();
        sql += " AND w.department_code IN (" + placeholders(f.departments->size()) + ")";
        for (const std::string& d : *f.departments) params.emplace_back(d);
      }
      if (!f.department.empty()) {
        sql += " AND w.department_code = ?";
        params.emplace_back(f.department);
      }
      if (f.state) {
        sql += " AND w.state = ?";
        params.emplace_back(std::string(core::to_string(*f.state)));
      }
      if (!f.case_number.empty()) {
        sql += " AND w.case_number = ?";
        params.emplace_back(f.case_number);
      }
      sql += " ORDER BY w.days_late DESC, w.id DESC LIMIT ?";
      params.emplace_back(static_cast<std::int64_t>(std::clamp(f.limit, 1, 5000)));
      SHENPI_ASSIGN(Rows r, s.query(sql, params));
      std::vector<Warning> out;
      out.reserve(r.size());
      for (std::size_t i = 0; i < r.size(); ++i) {
        SHENPI_ASSIGN(Warning w, warning_of(r, i));
        out.push_back(std::move(w));
      }
      return out;
    });
  }

  Result<std::optional<Warning>> find_warning(std::int64_t id) override {
    return read_value<std::optional<Warning>>(
        *db_, [&](Session& s) -> Result<std::optional<Warning>> { return find_warning_in(s, id); });
  }

  Result<Warning> change_warning_state(std::int64_t id, const std::vector<core::WarningState>& from,
                                       core::WarningState to,
                                       const app::PlanWarningAudit& plan) override {
    return write_value<Warning>(*db_, [&](Session& s) -> Result<Warning> {
      SHENPI_ASSIGN(std::optional<Warning> before, find_warning_in(s, id));
      if (!before) return make_error(ErrorKind::not_found, "warning_not_found", "警示不存在");
      if (std::find(from.begin(), from.end(), before->state) == from.end()) {
        return before->state == core::WarningState::closed
                   ? make_error(ErrorKind::conflict, "warning_closed", "该警示已办结")
                   : make_error(ErrorKind::conflict, "warning_state", "该警示当前状态不允许此操作");
      }
      // The state read is the guard: a change that another node committed meanwhile
      // leaves nothing to update here.
      SHENPI_ASSIGN(std::int64_t changed,
                    s.exec("UPDATE warnings SET state = ? WHERE id = ? AND state = ?",
                           {std::string(core::to_string(to)), id,
                            std::string(core::to_string(before->state))}));
      if (changed != 1) {
        return make_error(ErrorKind::conflict, "warning_state", "该警示已被他人处理，请刷新后重试");
      }
      Warning after = *before;
      after.state = to;
      SHENPI_ASSIGN(app::AuditAppend a, plan(*before, after));
      SHENPI_TRY(append_audit_in(s, a.content, a.hasher, a.checkpointer));
      return after;
    });
  }

 private:
  static Result<std::optional<Warning>> find_warning_in(Session& s, std::int64_t id) {
    SHENPI_ASSIGN(
        Rows r,
        s.query("SELECT w.id, w.case_number, w.department_code, d.name, w.rule, w.part_seq, "
                "w.task_id, w.days_late, w.legal_days_late, w.due_on, w.state, w.first_seen_on, "
                "w.last_seen_on FROM warnings w LEFT JOIN departments d ON d.code = "
                "w.department_code WHERE w.id = ?",
                {id}));
    if (r.empty()) return std::optional<Warning>();
    SHENPI_ASSIGN(Warning w, warning_of(r, 0));
    return std::optional<Warning>(std::move(w));
  }

  // Moves the recorded findings on (never back: a pass for an earlier day leaves a later
  // day's figures alone) and adds the new ones to out.created, to be inserted together.
  Result<void> update_or_plan(Session& s, const std::string& today, const std::string& number,
                              const std::vector<core::WarningFinding>& findings,
                              const std::map<Key, Existing>& existing,
                              std::map<std::string, std::string>& names, BatchResult& out) {
    for (const core::WarningFinding& f : findings) {
      const std::string rule(core::to_string(f.rule));
      const auto it = existing.find(Key{rule, f.part_seq, f.task_id});
      if (it != existing.end()) {
        const Existing& e = it->second;
        if (e.last_seen_on > today) continue;
        if (e.last_seen_on == today && e.days_late == f.days_late &&
            e.legal_days_late == f.legal_days_late && e.due_on == f.due_on) {
          continue;
        }
        SHENPI_TRY(
            s.exec("UPDATE warnings SET days_late = ?, legal_days_late = ?, due_on = ?, "
                   "last_seen_on = ? WHERE id = ?",
                   {static_cast<std::int64_t>(f.days_late),
                    static_cast<std::int64_t>(f.legal_days_late), f.due_on, today, e.id}));
        if (e.days_late != f.days_late) ++out.updated;
        continue;
      }
      Warning w;
      w.case_number = number;
      w.department_code = f.department_code;
      w.rule = f.rule;
      w.part_seq = f.part_seq;
      w.task_id = f.task_id;
      w.days_late = f.days_late;
      w.legal_days_late = f.legal_days_late;
      w.due_on = f.due_on;
      w.first_seen_on = today;
      w.last_seen_on = today;
      auto name = names.find(f.department_code);
      if (name == names.end()) {
        SHENPI_ASSIGN(std::string n, department_name(s, f.department_code));
        name = names.emplace(f.department_code, std::move(n)).first;
      }
      w.department_name = name->second;
      out.created.push_back(std::move(w));
    }
    return ok_result();
  }

  // Inserts `created` (ids unset) with multi-row INSERTs and sets each one's id from the
  // rows returned, matched by the warning's key (the order of RETURNING rows is not
  // promised).
  static Result<void> insert_warnings(Session& s, std::vector<Warning>& created) {
    constexpr std::size_t kColumns = 10;
    constexpr std::size_t kPerStatement = rows_per_statement(kColumns);
    SHENPI_TRY(for_each_chunk(
        created.size(), kPerStatement, [&](std::size_t from, std::size_t n) -> Result<void> {
          std::vector<Param> params;
          params.reserve(n * kColumns);
          std::map<std::tuple<std::string, std::string, int, std::int64_t>, Warning*> by_key;
          for (std::size_t i = 0; i < n; ++i) {
            Warning& w = created[from + i];
            const std::string rule(core::to_string(w.rule));
            by_key[{w.case_number, rule, w.part_seq, w.task_id}] = &w;
            params.emplace_back(w.case_number);
            params.emplace_back(w.department_code);
            params.emplace_back(rule);
            params.emplace_back(static_cast<std::int64_t>(w.part_seq));
            params.emplace_back(w.task_id);
            params.emplace_back(static_cast<std::int64_t>(w.days_late));
            params.emplace_back(static_cast<std::int64_t>(w.legal_days_late));
            params.emplace_back(w.due_on);
            params.emplace_back(w.first_seen_on);
            params.emplace_back(w.last_seen_on);
          }
          SHENPI_ASSIGN(
              Rows ids,
              s.query("INSERT INTO warnings (case_number, department_code, rule, part_seq, "
                      "task_id, days_late, legal_days_late, due_on, first_seen_on, "
                      "last_seen_on) VALUES " +
                          value_rows(n, kColumns) +
                          " RETURNING id, case_number, rule, part_seq, task_id",
                      params));
          if (ids.size() != n) return corrupt("inserted " + std::to_string(ids.size()));
          for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto it = by_key.find({ids.text(i, 1), ids.text(i, 2),
                                         static_cast<int>(ids.int64(i, 3)), ids.int64(i, 4)});
            if (it == by_key.end()) return corrupt("returned key");
            it->second->id = ids.int64(i, 0);
          }
          return ok_result();
        }));
    return ok_result();
  }

  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::SupervisionRepository> make_supervision_store(std::shared_ptr<Database> db) {
  return std::make_shared<SupervisionStore>(std::move(db));
}

}  // namespace shenpi::store
