#include "store/complaint_store.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "store/audit_rows.h"
#include "store/db_values.h"
#include "store/outbox_rows.h"

namespace shenpi::store {
namespace {

using app::ComplaintCommit;
using app::StoredComplaint;

constexpr const char* kColumns =
    "number, version, state, subject, case_number, department_code, department_name, "
    "staff_name, content, contact_name, phone_sealed, account_id, tracking_hash, filed_on, "
    "due_on, assignee_id, assignee_name, outcome, findings, answer, answered_on, feedback, "
    "closed_on, disputes";
constexpr std::int64_t kMaxSeq = 99999;

Param text(std::string_view s) { return std::string(s); }

Error corrupt(std::string_view what) {
  return make_error(ErrorKind::internal, "complaint_row_invalid",
                    "stored complaint unreadable: " + std::string(what));
}

std::string five_digits(std::int64_t n) {
  std::string s = std::to_string(n);
  return std::string(s.size() < 5 ? 5 - s.size() : 0, '0') + s;
}

// A row of kColumns (phone_sealed when `with_phone`).
Result<app::ComplaintRecord> from_row(const Rows& r, std::size_t i, bool with_phone) {
  app::ComplaintRecord rec;
  core::Complaint& c = rec.c;
  c.number = r.text(i, 0);
  c.version = r.int64(i, 1);
  const auto state = core::parse_complaint_state(r.text(i, 2));
  const auto subject = core::parse_complaint_subject(r.text(i, 3));
  const auto outcome = core::parse_complaint_outcome(r.text(i, 17));
  if (!state || !subject || !outcome) return corrupt(c.number);
  c.state = *state;
  c.subject = *subject;
  c.case_number = r.text(i, 4);
  c.department_code = r.text(i, 5);
  c.department_name = r.text(i, 6);
  c.staff_name = r.text(i, 7);
  c.content = r.text(i, 8);
  c.contact_name = r.text(i, 9);
  if (with_phone) rec.phone_sealed = r.text(i, 10);
  c.account_id = r.text(i, 11);
  c.tracking_hash = r.text(i, 12);
  c.filed_on = r.text(i, 13);
  c.due_on = r.text(i, 14);
  c.assignee_id = r.text(i, 15);
  c.assignee_name = r.text(i, 16);
  c.outcome = *outcome;
  c.findings = r.text(i, 18);
  c.answer = r.text(i, 19);
  c.answered_on = r.text(i, 20);
  c.feedback = r.text(i, 21);
  c.closed_on = r.text(i, 22);
  c.disputes = static_cast<int>(r.int64(i, 23));
  return rec;
}

// The history entry, the audit entry and, last, the outbox events (on PostgreSQL
// insert_outbox_event takes an advisory lock that should be held briefly).
Result<void> write_rest(Session& s, const ComplaintCommit& c, const std::string& number) {
  const core::ComplaintEvent& e = c.event;
  SHENPI_TRY(s.exec(
      "INSERT INTO complaint_events (complaint_number, at_unix_ms, on_date, actor_id, actor_name, "
      "actor_role, action, from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {text(number), e.at_unix_ms, text(e.on), text(e.actor_id), text(e.actor_name),
       text(e.actor_role), text(e.action), text(e.from_state), text(e.to_state), text(e.note)}));
  if (c.audit)
    SHENPI_TRY(append_audit_in(s, c.audit->content, c.audit->hasher, c.audit->checkpointer));
  for (const app::OutboxEvent& ev : c.outbox) SHENPI_TRY(insert_outbox_event(s, ev));
  return ok_result();
}

std::vector<Param> values(const core::Complaint& c, std::int64_t version,
                          const std::string& phone) {
  return {text(c.number),
          version,
          text(core::to_string(c.state)),
          text(core::to_string(c.subject)),
          text(c.case_number),
          text(c.department_code),
          text(c.department_name),
          text(c.staff_name),
          text(c.content),
          text(c.contact_name),
          Blob{phone},
          text(c.account_id),
          text(c.tracking_hash),
          text(c.filed_on),
          text(c.due_on),
          text(c.assignee_id),
          text(c.assignee_name),
          text(core::to_string(c.outcome)),
          text(c.findings),
          text(c.answer),
          text(c.answered_on),
          text(c.feedback),
          text(c.closed_on),
          std::int64_t{c.disputes}};
}

class ComplaintStore final : public app::ComplaintRepository {
 public:
  explicit ComplaintStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::string> create(
      std::string_view date_compact,
      const std::function<Result<ComplaintCommit>(const std::string&)>& build) override {
    if (date_compact.size() != 8) {
      return make_error(ErrorKind::invalid_input, "bad_date", "date must be YYYYMMDD");
    }
    return write_value<std::string>(*db_, [&](Session& s) -> Result<std::string> {
      // The counter row is locked by the upsert until commit (PostgreSQL), or the single
      // writer serialises (SQLite): numbers are unique across nodes.
      SHENPI_TRY(
          s.exec("INSERT INTO complaint_counters (day, next_seq) VALUES (?, 2) "
                 "ON CONFLICT (day) DO UPDATE SET next_seq = complaint_counters.next_seq + 1",
                 {text(date_compact)}));
      SHENPI_ASSIGN(Rows r, s.query("SELECT next_seq - 1 FROM complaint_counters WHERE day = ?",
                                    {text(date_compact)}));
      if (r.size() != 1) return corrupt("complaint_counters");
      const std::int64_t seq = r.int64(0, 0);
      if (seq > kMaxSeq) {
        return make_error(ErrorKind::unavailable, "complaint_numbers_exhausted",
                          "今日投诉编号已用完，请明日再试");
      }
      const std::string number = "TS" + std::string(date_compact) + five_digits(seq);
      SHENPI_ASSIGN(ComplaintCommit commit, build(number));
      commit.record.c.number = number;
      std::vector<Param> p = values(commit.record.c, 1, commit.record.phone_sealed);
      p.emplace_back(commit.now_ms);
      p.emplace_back(commit.now_ms);
      SHENPI_TRY(s.exec(std::string("INSERT INTO complaints (") + kColumns +
                            ", created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        p));
      SHENPI_TRY(write_rest(s, commit, number));
      return number;
    });
  }

  Result<void> update(const ComplaintCommit& commit) override {
    const core::Complaint& c = commit.record.c;
    return db_->write([&](Session& s) -> Result<void> {
      std::vector<Param> p = values(c, commit.expected_version + 1, commit.record.phone_sealed);
      p.erase(p.begin());  // number goes last, into the WHERE clause
      p.emplace_back(commit.now_ms);
      p.emplace_back(text(c.number));
      p.emplace_back(commit.expected_version);
      SHENPI_ASSIGN(
          std::int64_t n,
          s.exec("UPDATE complaints SET version = ?, state = ?, subject = ?, case_number = ?, "
                 "department_code = ?, department_name = ?, staff_name = ?, content = ?, "
                 "contact_name = ?, phone_sealed = ?, account_id = ?, tracking_hash = ?, "
                 "filed_on = ?, due_on = ?, assignee_id = ?, assignee_name = ?, outcome = ?, "
                 "findings = ?, answer = ?, answered_on = ?, feedback = ?, closed_on = ?, "
                 "disputes = ?, updated_at = ? WHERE number = ? AND version = ?",
                 p));
      if (n == 0) {
        SHENPI_ASSIGN(Rows r,
                      s.query("SELECT 1 FROM complaints WHERE number = ?", {text(c.number)}));
        if (r.empty()) return make_error(ErrorKind::not_found, "complaint_not_found", "投诉不存在");
        return make_error(ErrorKind::precondition, "stale_version",
                          "投诉已被他人更新，请刷新后重试");
      }
      return write_rest(s, commit, c.number);
    });
  }

  Result<std::optional<StoredComplaint>> find(std::string_view number) override {
    using Out = std::optional<StoredComplaint>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(Rows r,
                    s.query(std::string("SELECT ") + kColumns + " FROM complaints WHERE number = ?",
                            {text(number)}));
      if (r.empty()) return Out();
      StoredComplaint out;
      SHENPI_ASSIGN(out.record, from_row(r, 0, true));
      SHENPI_ASSIGN(Rows e, s.query("SELECT at_unix_ms, on_date, actor_id, actor_name, actor_role, "
                                    "action, from_state, to_state, note FROM complaint_events "
                                    "WHERE complaint_number = ? ORDER BY id",
                                    {text(number)}));
      for (std::size_t i = 0; i < e.size(); ++i) {
        core::ComplaintEvent ev;
        ev.at_unix_ms = e.int64(i, 0);
        ev.on = e.text(i, 1);
        ev.actor_id = e.text(i, 2);
        ev.actor_name = e.text(i, 3);
        ev.actor_role = e.text(i, 4);
        ev.action = e.text(i, 5);
        ev.from_state = e.text(i, 6);
        ev.to_state = e.text(i, 7);
        ev.note = e.text(i, 8);
        out.events.push_back(std::move(ev));
      }
      return Out(std::move(out));
    });
  }

  Result<std::vector<core::Complaint>> list(const app::ComplaintFilter& f) override {
    std::string where;
    std::vector<Param> params;
    auto add = [&](const std::string& condition, Param p) {
      where += where.empty() ? " WHERE " : " AND ";
      where += condition;
      params.push_back(std::move(p));
    };
    if (!f.account_id.empty()) add("account_id = ?", text(f.account_id));
    if (!f.include_staff_subjects) add("subject <> ?", text("staff"));
    if (f.state) add("state = ?", text(core::to_string(*f.state)));
    if (!f.assignee_id.empty()) add("assignee_id = ?", text(f.assignee_id));
    params.emplace_back(std::int64_t{std::clamp(f.limit, 1, 1000)});
    const std::string sql = std::string("SELECT ") + kColumns + " FROM complaints" + where +
                            " ORDER BY updated_at DESC, number DESC LIMIT ?";
    return read_value<std::vector<core::Complaint>>(
        *db_, [&](Session& s) -> Result<std::vector<core::Complaint>> {
          SHENPI_ASSIGN(Rows r, s.query(sql, params));
          std::vector<core::Complaint> out;
          for (std::size_t i = 0; i < r.size(); ++i) {
            SHENPI_ASSIGN(app::ComplaintRecord rec, from_row(r, i, false));
            out.push_back(std::move(rec.c));
          }
          return out;
        });
  }

  Result<std::vector<std::pair<std::string, std::string>>> role_holders(
      std::string_view role, std::string_view department_code) override {
    using Out = std::vector<std::pair<std::string, std::string>>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      std::string sql =
          "SELECT DISTINCT a.id, a.display_name FROM role_grants g JOIN accounts a ON a.id = "
          "g.account_id WHERE g.role = ?";
      std::vector<Param> p{text(role)};
      if (!department_code.empty()) {
        sql += " AND g.department_code = ?";
        p.push_back(text(department_code));
      }
      sql += " ORDER BY a.display_name, a.id";
      SHENPI_ASSIGN(Rows r, s.query(sql, p));
      Out out;
      for (std::size_t i = 0; i < r.size(); ++i) out.emplace_back(r.text(i, 0), r.text(i, 1));
      return out;
    });
  }

  Result<std::optional<std::string>> department_name(std::string_view code) override {
    using Out = std::optional<std::string>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT name FROM departments WHERE code = ?", {text(code)}));
      if (r.empty()) return Out();
      return Out(r.text(0, 0));
    });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::ComplaintRepository> make_complaint_store(std::shared_ptr<Database> db) {
  return std::make_shared<ComplaintStore>(std::move(db));
}

}  // namespace shenpi::store
