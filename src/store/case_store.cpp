#include "store/case_store.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/case_json.h"
#include "store/audit_rows.h"
#include "store/dashboard_rows.h"
#include "store/db_values.h"
#include "store/document_rows.h"
#include "store/outbox_rows.h"
#include "store/sql_lists.h"

namespace shenpi::store {
namespace {

using app::CaseCommit;
using app::CaseFilter;
using app::CaseSummary;
using app::IdempotencyRecord;
using app::StoredCase;
using app::TaskFilter;
using app::TaskRow;

constexpr int kMaxPage = 1000;
// The daily sequence has five digits, and more once a region files more than 99,999 cases
// in a day (a load test does; a city does not): an application is never refused for want
// of a number. Numbers stay unique, as a longer sequence is never a padded shorter one.
constexpr std::int64_t kMaxSeq = 9999999;

Error corrupt(const std::string& what) {
  return make_error(ErrorKind::internal, "case_row_corrupt", "办件数据损坏：" + what);
}

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// The sequence, zero-padded to at least five digits.
std::string sequence_digits(std::int64_t seq) {
  std::string s = std::to_string(seq);
  return std::string(s.size() < 5 ? 5 - s.size() : 0, '0') + s;
}

// What lists show as the case's name: the bundle's, else the (single) item's.
std::string title_of(const core::Case& c) {
  if (c.is_bundle()) return c.bundle_name;
  return c.parts.empty() ? std::string() : c.parts.front().item_name;
}

// The time and date of the change: its last event's. nullopt when it has none.
std::optional<std::pair<std::int64_t, std::string>> updated_of(const CaseCommit& commit) {
  if (commit.events.empty()) return std::nullopt;
  return std::make_pair(commit.events.back().at_unix_ms, commit.events.back().on);
}

Param null_or(const std::optional<std::int64_t>& v) { return v ? Param{*v} : Param{nullptr}; }
Param null_or(const std::optional<std::string>& v) { return v ? Param{*v} : Param{nullptr}; }

// ---- the common write of create() and update() ------------------------------------------

Result<void> write_departments(Session& s, const core::Case& c) {
  std::set<std::string> codes;
  if (!c.lead_department_code.empty()) codes.insert(c.lead_department_code);
  for (const core::CasePart& p : c.parts) {
    if (!p.department_code.empty()) codes.insert(p.department_code);
  }
  for (const std::string& code : codes) {
    SHENPI_TRY(
        s.exec("INSERT INTO case_departments (case_number, department_code) VALUES (?, ?) "
               "ON CONFLICT (case_number, department_code) DO NOTHING",
               {c.number, code}));
  }
  return ok_result();
}

Result<void> write_tasks(Session& s, const core::Case& c, const CaseCommit& commit) {
  SHENPI_TRY(s.exec("DELETE FROM case_tasks WHERE case_number = ?", {c.number}));
  for (const core::Task& t : c.tasks) {
    std::string due;
    if (t.state == core::TaskState::open) {
      if (auto it = commit.task_due_on.find(t.id); it != commit.task_due_on.end()) due = it->second;
    }
    SHENPI_TRY(s.exec(
        "INSERT INTO case_tasks (case_number, task_id, part_seq, stage, department_code, state, "
        "assignee_id, assignee_name, created_on, due_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {c.number, t.id, std::int64_t{t.part_seq}, std::string(core::to_string(t.stage)),
         t.department_code, std::string(core::to_string(t.state)), t.assignee_id, t.assignee_name,
         t.created_on, std::move(due)}));
  }
  return ok_result();
}

Result<void> write_events(Session& s, const std::string& number,
                          const std::vector<core::CaseEvent>& events) {
  for (const core::CaseEvent& e : events) {
    SHENPI_TRY(s.exec(
        "INSERT INTO case_events (case_number, at_unix_ms, on_date, actor_id, actor_name, "
        "actor_role, department_code, action, from_state, to_state, part_seq, reason, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {number, e.at_unix_ms, e.on, e.actor_id, e.actor_name, e.actor_role, e.department_code,
         e.action, e.from_state, e.to_state, std::int64_t{e.part_seq}, e.reason, e.detail}));
  }
  return ok_result();
}

Result<void> attach_uploads(Session& s, const std::string& number,
                            const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    // An upload joins one case only: one attached elsewhere is not taken over.
    SHENPI_ASSIGN(std::int64_t changed,
                  s.exec("UPDATE uploads SET case_number = ? WHERE id = ? AND "
                         "(case_number IS NULL OR case_number = '' OR case_number = ?)",
                         {number, id, number}));
    if (changed != 1) {
      return make_error(ErrorKind::conflict, "upload_unavailable",
                        "材料不存在或已用于其他办件：" + id, "materials");
    }
  }
  return ok_result();
}

// Everything after the case row: projections, timeline, uploads, documents, the audit
// entry and, last, the outbox events (on PostgreSQL insert_outbox_event takes an advisory
// lock held to commit, and the audit head row lock before it: both are taken as late as
// possible and always in this order).
Result<void> write_rest(Session& s, const core::Case& c, const CaseCommit& commit) {
  SHENPI_TRY(write_departments(s, c));
  SHENPI_TRY(
      sync_open_case(s, c.number, core::to_string(c.state), c.lead_department_code, commit.due_on));
  SHENPI_TRY(write_tasks(s, c, commit));
  SHENPI_TRY(write_events(s, c.number, commit.events));
  SHENPI_TRY(attach_uploads(s, c.number, commit.upload_ids));
  for (const app::DocumentRecord& d : commit.documents) {
    SHENPI_TRY(insert_document_row(s, d));
  }
  if (commit.audit) {
    const app::AuditAppend& a = *commit.audit;
    SHENPI_TRY(append_audit_in(s, a.content, a.hasher, a.checkpointer));
  }
  for (const app::OutboxEvent& e : commit.outbox) {
    SHENPI_TRY(insert_outbox_event(s, e));
  }
  return ok_result();
}

// ---- reading ------------------------------------------------------------------------------

Result<std::vector<core::CaseEvent>> read_events(Session& s, std::string_view number) {
  SHENPI_ASSIGN(Rows r, s.query("SELECT at_unix_ms, on_date, actor_id, actor_name, actor_role, "
                                "department_code, action, from_state, to_state, part_seq, "
                                "reason, detail FROM case_events WHERE case_number = ? "
                                "ORDER BY id",
                                {std::string(number)}));
  std::vector<core::CaseEvent> out;
  out.reserve(r.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    core::CaseEvent e;
    e.at_unix_ms = r.int64(i, 0);
    e.on = r.text(i, 1);
    e.actor_id = r.text(i, 2);
    e.actor_name = r.text(i, 3);
    e.actor_role = r.text(i, 4);
    e.department_code = r.text(i, 5);
    e.action = r.text(i, 6);
    e.from_state = r.text(i, 7);
    e.to_state = r.text(i, 8);
    e.part_seq = static_cast<int>(r.int64(i, 9));
    e.reason = r.text(i, 10);
    e.detail = r.text(i, 11);
    out.push_back(std::move(e));
  }
  return out;
}

Result<core::CaseState> state_of(const std::string& text) {
  const std::optional<core::CaseState> st = core::parse_case_state(text);
  if (!st) return corrupt("state " + text);
  return *st;
}

class CaseStore final : public app::CaseRepository {
 public:
  explicit CaseStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::string> create(
      std::string_view region_code, std::string_view date_compact,
      const std::function<Result<CaseCommit>(const std::string&)>& build) override {
    if (!all_digits(region_code)) {
      return make_error(ErrorKind::invalid_input, "bad_region_code", "行政区划代码无效");
    }
    if (date_compact.size() != 8 || !all_digits(date_compact)) {
      return make_error(ErrorKind::invalid_input, "bad_date", "日期应为 YYYYMMDD");
    }
    const std::string region(region_code);
    const std::string day(date_compact);
    return write_value<std::string>(*db_, [&](Session& s) -> Result<std::string> {
      // The counter row holds the next sequence of the region and day. The upsert takes
      // its row lock on PostgreSQL (held to commit), so concurrent creates on any node
      // take turns on it; on SQLite the single writer serialises them.
      SHENPI_TRY(s.exec(
          "INSERT INTO case_counters (region_code, day, next_seq) VALUES (?, ?, 2) "
          "ON CONFLICT (region_code, day) DO UPDATE SET next_seq = case_counters.next_seq + 1",
          {region, day}));
      SHENPI_ASSIGN(Rows r, s.query("SELECT next_seq - 1 FROM case_counters "
                                    "WHERE region_code = ? AND day = ?",
                                    {region, day}));
      if (r.size() != 1) return corrupt("case_counters");
      const std::int64_t seq = r.int64(0, 0);
      if (seq > kMaxSeq) {
        return make_error(ErrorKind::unavailable, "case_numbers_exhausted",
                          "今日办件编号已用完，请明日再试");
      }
      const std::string number = region + day + sequence_digits(seq);

      SHENPI_ASSIGN(CaseCommit commit, build(number));
      if (commit.idempotency) {
        const IdempotencyRecord& k = *commit.idempotency;
        SHENPI_ASSIGN(
            std::int64_t inserted,
            s.exec("INSERT INTO idempotency_keys (account_id, key, request_hash, case_number, "
                   "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, key) DO NOTHING",
                   {k.account_id, k.key, k.request_hash, number, k.created_at}));
        if (inserted != 1) {
          return make_error(ErrorKind::conflict, "idempotency_key_taken",
                            "该请求标识（Idempotency-Key）已被使用");
        }
      }
      core::Case c = std::move(commit.c);
      c.number = number;
      c.version = 1;
      const auto updated = updated_of(commit);
      const std::int64_t at = updated ? updated->first : 0;
      SHENPI_TRY(s.exec(
          "INSERT INTO cases (number, version, state, title, bundle_code, region_code, "
          "lead_department_code, applicant_account_id, applicant_name, submitted_on, due_on, "
          "updated_on, updated_at, created_at, doc) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {number, c.version, std::string(core::to_string(c.state)), title_of(c), c.bundle_code,
           c.region_code, c.lead_department_code, c.applicant_account_id, c.applicant_name,
           c.submitted_on, commit.due_on, updated ? updated->second : c.created_on, at, at,
           app::case_to_json(c)}));
      SHENPI_TRY(write_rest(s, c, commit));
      return number;
    });
  }

  Result<void> update(const CaseCommit& commit) override {
    core::Case c = commit.c;
    c.version = commit.expected_version + 1;
    const auto updated = updated_of(commit);
    return db_->write([&](Session& s) -> Result<void> {
      // The version check and the write are one statement: on PostgreSQL a concurrent
      // update waits for the row lock and then finds the version moved on (0 rows).
      SHENPI_ASSIGN(
          std::int64_t changed,
          s.exec("UPDATE cases SET version = ?, state = ?, title = ?, bundle_code = ?, "
                 "region_code = ?, lead_department_code = ?, applicant_account_id = ?, "
                 "applicant_name = ?, submitted_on = ?, due_on = ?, "
                 "updated_on = COALESCE(?, updated_on), updated_at = COALESCE(?, updated_at), "
                 "doc = ? WHERE number = ? AND version = ?",
                 {c.version, std::string(core::to_string(c.state)), title_of(c), c.bundle_code,
                  c.region_code, c.lead_department_code, c.applicant_account_id, c.applicant_name,
                  c.submitted_on, commit.due_on,
                  null_or(updated ? std::optional<std::string>(updated->second) : std::nullopt),
                  null_or(updated ? std::optional<std::int64_t>(updated->first) : std::nullopt),
                  app::case_to_json(c), c.number, commit.expected_version}));
      if (changed != 1) {
        SHENPI_ASSIGN(Rows r, s.query("SELECT version FROM cases WHERE number = ?", {c.number}));
        if (r.empty()) return make_error(ErrorKind::not_found, "case_not_found", "办件不存在");
        return make_error(ErrorKind::precondition, "stale_version",
                          "办件已被他人更新，请刷新后重试");
      }
      return write_rest(s, c, commit);
    });
  }

  Result<std::optional<StoredCase>> find(std::string_view number) override {
    return read_value<std::optional<StoredCase>>(
        *db_, [&](Session& s) -> Result<std::optional<StoredCase>> {
          SHENPI_ASSIGN(Rows r,
                        s.query("SELECT doc FROM cases WHERE number = ?", {std::string(number)}));
          if (r.empty()) return std::optional<StoredCase>();
          Result<core::Case> c = app::case_from_json(r.text(0, 0));
          if (!c.ok()) return corrupt(std::string(number) + ": " + c.error().message);
          StoredCase out;
          out.c = std::move(c).value();
          SHENPI_ASSIGN(out.events, read_events(s, number));
          return std::optional<StoredCase>(std::move(out));
        });
  }

  Result<std::optional<IdempotencyRecord>> idempotency(std::string_view account_id,
                                                       std::string_view key) override {
    return read_value<std::optional<IdempotencyRecord>>(
        *db_, [&](Session& s) -> Result<std::optional<IdempotencyRecord>> {
          SHENPI_ASSIGN(Rows r, s.query("SELECT account_id, key, request_hash, case_number, "
                                        "created_at FROM idempotency_keys "
                                        "WHERE account_id = ? AND key = ?",
                                        {std::string(account_id), std::string(key)}));
          if (r.empty()) return std::optional<IdempotencyRecord>();
          return std::optional<IdempotencyRecord>(IdempotencyRecord{
              r.text(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3), r.int64(0, 4)});
        });
  }

  Result<std::vector<CaseSummary>> list(const CaseFilter& f) override {
    std::string where;
    std::vector<Param> params;
    auto add = [&](const std::string& condition) {
      where += where.empty() ? " WHERE " : " AND ";
      where += condition;
    };
    if (!f.applicant_account_id.empty()) {
      add("applicant_account_id = ?");
      params.emplace_back(f.applicant_account_id);
    }
    if (!f.departments.empty()) {
      add("number IN (SELECT case_number FROM case_departments WHERE department_code IN (" +
          placeholders(f.departments.size()) + "))");
      for (const std::string& d : f.departments) params.emplace_back(d);
    }
    if (f.state) {
      add("state = ?");
      params.emplace_back(std::string(core::to_string(*f.state)));
    }
    params.emplace_back(std::int64_t{std::clamp(f.limit, 1, kMaxPage)});
    params.emplace_back(std::int64_t{std::max(f.offset, 0)});
    const std::string sql =
        "SELECT number, state, version, title, lead_department_code, applicant_account_id, "
        "applicant_name, submitted_on, due_on, updated_on FROM cases" +
        where + " ORDER BY updated_at DESC, number DESC LIMIT ? OFFSET ?";
    return read_value<std::vector<CaseSummary>>(
        *db_, [&](Session& s) -> Result<std::vector<CaseSummary>> {
          SHENPI_ASSIGN(Rows r, s.query(sql, params));
          std::vector<CaseSummary> out;
          out.reserve(r.size());
          for (std::size_t i = 0; i < r.size(); ++i) {
            CaseSummary c;
            c.number = r.text(i, 0);
            SHENPI_ASSIGN(c.state, state_of(r.text(i, 1)));
            c.version = r.int64(i, 2);
            c.title = r.text(i, 3);
            c.lead_department_code = r.text(i, 4);
            c.applicant_account_id = r.text(i, 5);
            c.applicant_name = r.text(i, 6);
            c.submitted_on = r.text(i, 7);
            c.due_on = r.text(i, 8);
            c.updated_on = r.text(i, 9);
            out.push_back(std::move(c));
          }
          return out;
        });
  }

  Result<std::vector<TaskRow>> tasks(const TaskFilter& f) override {
    std::string sql =
        "SELECT t.case_number, t.task_id, t.part_seq, t.stage, t.department_code, "
        "t.assignee_id, t.assignee_name, t.created_on, t.due_on, c.title, c.applicant_name, "
        "c.state, c.version FROM case_tasks t JOIN cases c ON c.number = t.case_number "
        "WHERE t.state = 'open'";
    std::vector<Param> params;
    if (!f.departments.empty()) {
      sql += " AND t.department_code IN (" + placeholders(f.departments.size()) + ")";
      for (const std::string& d : f.departments) params.emplace_back(d);
    }
    if (!f.stages.empty()) {
      sql += " AND t.stage IN (" + placeholders(f.stages.size()) + ")";
      for (core::TaskStage st : f.stages) params.emplace_back(std::string(core::to_string(st)));
    }
    if (!f.assignee_id.empty()) {
      sql += " AND t.assignee_id = ?";
      params.emplace_back(f.assignee_id);
    }
    // Earliest due first; tasks without a due date after all others.
    sql +=
        " ORDER BY CASE WHEN t.due_on = '' THEN 1 ELSE 0 END, t.due_on, t.case_number, "
        "t.task_id LIMIT ?";
    params.emplace_back(std::int64_t{std::clamp(f.limit, 1, kMaxPage)});
    return read_value<std::vector<TaskRow>>(*db_, [&](Session& s) -> Result<std::vector<TaskRow>> {
      SHENPI_ASSIGN(Rows r, s.query(sql, params));
      std::vector<TaskRow> out;
      out.reserve(r.size());
      for (std::size_t i = 0; i < r.size(); ++i) {
        TaskRow t;
        t.case_number = r.text(i, 0);
        t.task_id = r.int64(i, 1);
        t.part_seq = static_cast<int>(r.int64(i, 2));
        const std::optional<core::TaskStage> stage = core::parse_task_stage(r.text(i, 3));
        if (!stage) return corrupt("task stage " + r.text(i, 3));
        t.stage = *stage;
        t.department_code = r.text(i, 4);
        t.assignee_id = r.text(i, 5);
        t.assignee_name = r.text(i, 6);
        t.created_on = r.text(i, 7);
        t.due_on = r.text(i, 8);
        t.title = r.text(i, 9);
        t.applicant_name = r.text(i, 10);
        SHENPI_ASSIGN(t.case_state, state_of(r.text(i, 11)));
        t.case_version = r.int64(i, 12);
        out.push_back(std::move(t));
      }
      return out;
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::CaseRepository> make_case_store(std::shared_ptr<Database> db) {
  return std::make_shared<CaseStore>(std::move(db));
}

}  // namespace shenpi::store
