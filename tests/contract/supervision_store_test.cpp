// app::SupervisionRepository as implemented by store::make_supervision_store, on both
// dialects: a pass touches only what is due (or recently changed), each case once a day
// and version; a warning is stored once, with its audit entry and its outbox event to the
// department's business leads, in the batch's transaction; nothing of a failed batch is
// kept. On PostgreSQL, two nodes passing at once never take the same case, and the batch
// of a node that dies is taken over by the other.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/case_json.h"
#include "contract/scratch_database.h"
#include "core/audit/audit_entry.h"
#include "crypto/signer.h"
#include "store/supervision_store.h"

namespace shenpi::store {
namespace {

using app::BatchRequest;
using app::BatchResult;
using core::WarningFinding;
using core::WarningRule;

constexpr const char* kD1 = "445100-SCJGJ";
constexpr const char* kD2 = "445100-ZRZYJ";
const std::string kLead = "00000000-0000-4000-8000-000000000001";

WarningFinding finding(WarningRule rule, const char* dept, int days, int part = -1,
                       std::int64_t task = 0) {
  WarningFinding f;
  f.rule = rule;
  f.department_code = dept;
  f.days_late = days;
  f.legal_days_late = days;
  f.part_seq = part;
  f.task_id = task;
  f.due_on = "2026-10-09";
  return f;
}

class SupervisionContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = make_supervision_store(db_);
    ASSERT_TRUE(
        db_->write([](Session& s) -> Result<void> {
             SHENPI_TRY(s.exec("INSERT INTO regions (code, name) VALUES ('445100', '潮州市')"));
             SHENPI_TRY(
                 s.exec("INSERT INTO departments (code, name, region_code, kind) VALUES "
                        "(?, '潮州市市场监督管理局', '445100', 'approval'), "
                        "(?, '潮州市自然资源局', '445100', 'approval')",
                        {std::string(kD1), std::string(kD2)}));
             SHENPI_TRY(
                 s.exec("INSERT INTO accounts (id, kind, login_index, username, display_name, "
                        "password_hash, department_code, created_at) VALUES "
                        "(?, 'staff', ?, 'lead', '业务负责人', 'x', ?, 0)",
                        {kLead, std::string(64, 'a'), std::string(kD1)}));
             SHENPI_TRY(
                 s.exec("INSERT INTO role_grants (account_id, role, department_code) VALUES "
                        "(?, 'business_lead', ?)",
                        {kLead, std::string(kD1)}));
             return ok_result();
           })
            .ok());
  }

  //! A case row as the case store writes it: open in `state`, due on `due_on`, last
  //! changed on `updated_on`, with one open task due on `task_due` ("" for none).
  void add_case(const std::string& number, const std::string& state, const std::string& due_on,
                const std::string& task_due = "", const std::string& updated_on = "2026-09-01") {
    core::Case c;
    c.number = number;
    c.version = 1;
    c.state = *core::parse_case_state(state);
    c.lead_department_code = kD1;
    c.applicant_account_id = "A";
    const std::string doc = app::case_to_json(c);
    ASSERT_TRUE(db_->write([&](Session& s) -> Result<void> {
                     SHENPI_TRY(
                         s.exec("INSERT INTO cases (number, version, state, lead_department_code, "
                                "applicant_account_id, due_on, updated_on, doc) "
                                "VALUES (?, 1, ?, ?, 'A', ?, ?, ?)",
                                {number, state, std::string(kD1), due_on, updated_on, doc}));
                     if (!task_due.empty()) {
                       SHENPI_TRY(
                           s.exec("INSERT INTO case_tasks (case_number, task_id, part_seq, stage, "
                                  "department_code, state, due_on) VALUES (?, 1, 0, 'review', ?, "
                                  "'open', ?)",
                                  {number, std::string(kD2), task_due}));
                     }
                     return ok_result();
                   })
                    .ok());
  }

  void bump_version(const std::string& number) {
    ASSERT_TRUE(db_->write([&](Session& s) -> Result<void> {
                     SHENPI_TRY(s.exec("UPDATE cases SET version = version + 1 WHERE number = ?",
                                       {number}));
                     return ok_result();
                   })
                    .ok());
  }

  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->read([&](Session& s) -> Result<void> {
                     SHENPI_ASSIGN(Rows r, s.query(sql));
                     n = r.int64(0, 0);
                     return ok_result();
                   })
                    .ok());
    return n;
  }

  //! The evaluator: records which cases it saw, answers findings_[number].
  app::EvaluateCase evaluator() {
    return [this](const app::SupervisedCase& sc) -> Result<std::vector<WarningFinding>> {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back(sc.c.number);
      return findings_[sc.c.number];
    };
  }

  app::AnnounceWarning announcer() {
    return [this](const app::Warning& w,
                  const std::vector<std::string>& leads) -> Result<app::WarningAnnouncement> {
      app::WarningAnnouncement a;
      a.audit.content.at_unix_ms = 1;
      a.audit.content.actor_name = "system";
      a.audit.content.action = "supervision.warning";
      a.audit.content.object_type = "case";
      a.audit.content.object_id = w.case_number;
      a.audit.content.outcome = "success";
      a.audit.hasher = [](const core::AuditEntry& e) {
        return crypto::sha256_hex(core::canonical_bytes(e));
      };
      const std::string id = std::to_string(++events_);
      a.event.event_id = std::string(32 - id.size(), '0') + id;
      a.event.topic = "supervision.warning";
      a.event.case_number = w.case_number;
      a.event.department_code = w.department_code;
      a.event.payload_json = "{}";
      a.event.recipients = leads;
      a.event.created_at = 1;
      announced_.push_back(w);
      return a;
    };
  }

  //! A pass as SupervisionService runs it: candidates `chunk` at a time, claimed in
  //! batches of `limit`.
  Result<BatchResult> pass(const std::string& today, const std::string& changed_since = "",
                           int limit = 100, int chunk = 20000) {
    app::CandidateRequest want;
    want.today = today;
    want.changed_since = changed_since;
    want.limit = chunk;
    BatchRequest req;
    req.today = today;
    BatchResult total;
    for (;;) {
      SHENPI_ASSIGN(std::vector<std::string> candidates, store_->due_cases(want));
      for (std::size_t from = 0; from < candidates.size(); from += limit) {
        const auto first = candidates.begin() + static_cast<std::ptrdiff_t>(from);
        req.numbers.assign(first, first + static_cast<std::ptrdiff_t>(std::min<std::size_t>(
                                              limit, candidates.size() - from)));
        SHENPI_ASSIGN(BatchResult b, store_->run_batch(req, evaluator(), announcer()));
        total.claimed += b.claimed;
        total.examined += b.examined;
        total.updated += b.updated;
        for (auto& w : b.created) total.created.push_back(w);
      }
      if (candidates.size() < static_cast<std::size_t>(chunk)) break;
      want.after = candidates.back();
    }
    return total;
  }

  std::set<std::string> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    std::set<std::string> out(seen_.begin(), seen_.end());
    seen_.clear();
    return out;
  }

  std::shared_ptr<app::SupervisionRepository> store_;
  std::mutex mu_;
  std::vector<std::string> seen_;
  std::map<std::string, std::vector<WarningFinding>> findings_;
  std::atomic<int> events_{0};
  std::vector<app::Warning> announced_;
};

TEST_P(SupervisionContract, APassTouchesOnlyWhatIsDueOncePerDayAndVersion) {
  add_case("C1", "in_review", "2026-10-09");                // due before today
  add_case("C2", "in_review", "2026-10-20");                // not due yet
  add_case("C3", "in_review", "2026-10-30", "2026-10-09");  // its open task is due
  add_case("C4", "delivered", "");                          // closed
  add_case("C5", "correction_requested", "");               // the applicant's turn
  add_case("C6", "in_review", "2026-10-12");                // due today: not late yet

  auto r = pass("2026-10-12");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->examined, 2);
  EXPECT_EQ(seen(), (std::set<std::string>{"C1", "C3"}));

  // The same day again: nothing to do. A change (new version) is looked at again.
  r = pass("2026-10-12");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->examined, 0);
  bump_version("C3");
  r = pass("2026-10-12");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(seen(), (std::set<std::string>{"C3"}));

  // The next day everything due is looked at again, the newly due too.
  r = pass("2026-10-13");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(seen(), (std::set<std::string>{"C1", "C3", "C6"}));
}

TEST_P(SupervisionContract, RecentlyChangedCasesAreExaminedEvenWhenNothingIsDue) {
  add_case("C1", "refused", "2026-11-30", "", "2026-10-10");
  add_case("C2", "refused", "2026-11-30", "", "2026-09-01");
  ASSERT_TRUE(pass("2026-10-12").ok());
  EXPECT_TRUE(seen().empty());
  ASSERT_TRUE(pass("2026-10-13", "2026-10-06").ok());
  EXPECT_EQ(seen(), (std::set<std::string>{"C1"}));
}

TEST_P(SupervisionContract, ChangedSinceAnInstantNarrowsTheChangedCasesToThoseAfterIt) {
  add_case("C1", "refused", "2026-11-30", "", "2026-10-10");
  add_case("C2", "refused", "2026-11-30", "", "2026-10-10");
  add_case("C3", "in_review", "2026-10-09", "", "2026-09-01");  // due: found either way
  ASSERT_TRUE(db_->write([](Session& s) -> Result<void> {
                   SHENPI_TRY(s.exec("UPDATE cases SET updated_at = 1000 WHERE number = 'C1'"));
                   SHENPI_TRY(s.exec("UPDATE cases SET updated_at = 5000 WHERE number = 'C2'"));
                   return ok_result();
                 })
                  .ok());
  app::CandidateRequest want;
  want.today = "2026-10-12";
  want.changed_since = "2026-10-06";
  auto week = store_->due_cases(want);
  ASSERT_TRUE(week.ok()) << week.error().message;
  EXPECT_EQ(*week, (std::vector<std::string>{"C1", "C2", "C3"}));
  want.changed_since_ms = 5000;  // at or after
  auto since = store_->due_cases(want);
  ASSERT_TRUE(since.ok()) << since.error().message;
  EXPECT_EQ(*since, (std::vector<std::string>{"C2", "C3"}));
}

TEST_P(SupervisionContract, AWarningIsStoredOnceWithItsAuditEntryAndEvent) {
  add_case("C1", "in_review", "2026-10-09");
  findings_["C1"] = {finding(WarningRule::case_late, kD1, 1),
                     finding(WarningRule::task_late, kD2, 1, 0, 3)};
  const std::int64_t audit_before = count("SELECT COUNT(*) FROM audit_entries");

  auto r = pass("2026-10-12");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->created.size(), 2u);
  EXPECT_GT(r->created[0].id, 0);
  EXPECT_EQ(r->created[0].department_name, "潮州市市场监督管理局");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_entries"), audit_before + 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE topic = 'supervision.warning'"), 2);
  // The business lead of 市场监督管理局 is told of its warning; 自然资源局 has none.
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_recipients"), 1);
  ASSERT_EQ(announced_.size(), 2u);
  // Both entries were appended in one go: still one unbroken chain, its head on the last.
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_entries a JOIN audit_entries b "
                  "ON b.seq = a.seq + 1 WHERE b.prev_hash <> a.hash"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_head h JOIN audit_entries e ON e.seq = h.seq "
                  "AND e.hash = h.hash WHERE h.seq = (SELECT MAX(seq) FROM audit_entries)"),
            1);

  // A day later, a day later still: the days move on, nothing is created twice.
  findings_["C1"] = {finding(WarningRule::case_late, kD1, 2),
                     finding(WarningRule::task_late, kD2, 2, 0, 3)};
  r = pass("2026-10-13");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->created.empty());
  EXPECT_EQ(r->updated, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM warnings"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events"), 2);

  app::WarningFilter all;
  auto list = store_->warnings(all);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  for (const app::Warning& w : *list) {
    EXPECT_EQ(w.days_late, 2);
    EXPECT_EQ(w.first_seen_on, "2026-10-12");
    EXPECT_EQ(w.last_seen_on, "2026-10-13");
    EXPECT_EQ(w.state, core::WarningState::open);
  }

  // A rehearsal of an earlier day never moves the figures back.
  findings_["C1"] = {finding(WarningRule::case_late, kD1, 1)};
  bump_version("C1");
  ASSERT_TRUE(pass("2026-10-12").ok());
  list = store_->warnings(all);
  ASSERT_TRUE(list.ok());
  for (const app::Warning& w : *list) EXPECT_EQ(w.days_late, 2);
}

TEST_P(SupervisionContract, NothingOfAFailedBatchIsKept) {
  add_case("C1", "in_review", "2026-10-09");
  findings_["C1"] = {finding(WarningRule::case_late, kD1, 1)};
  BatchRequest req;
  req.today = "2026-10-12";
  req.numbers = {"C1"};
  auto failing = [](const app::Warning&,
                    const std::vector<std::string>&) -> Result<app::WarningAnnouncement> {
    return make_error(ErrorKind::unavailable, "down", "审计不可用");
  };
  EXPECT_FALSE(store_->run_batch(req, evaluator(), failing).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM warnings"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM supervision_checks"), 0);
  // The next pass does the work.
  auto r = pass("2026-10-12");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->created.size(), 1u);
}

TEST_P(SupervisionContract, CandidatesComeInChunksAfterTheCursor) {
  for (int i = 0; i < 7; ++i) {
    add_case("C" + std::to_string(i), "in_review", "2026-10-09");
    findings_["C" + std::to_string(i)] = {finding(WarningRule::case_late, kD1, 1),
                                          finding(WarningRule::task_late, kD2, 1, 0, 2)};
  }
  app::CandidateRequest want;
  want.today = "2026-10-12";
  want.limit = 3;
  want.after = "C2";
  auto some = store_->due_cases(want);
  ASSERT_TRUE(some.ok()) << some.error().message;
  EXPECT_EQ(*some, (std::vector<std::string>{"C3", "C4", "C5"}));
  BatchRequest too_many;
  too_many.today = "2026-10-12";
  too_many.numbers.assign(1001, "C1");
  auto refused = store_->run_batch(too_many, evaluator(), announcer());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "batch_too_large");

  // Chunks of 3 in batches of 2: every case once, every warning with its id and entry.
  auto r = pass("2026-10-12", "", 2, 3);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->examined, 7);
  EXPECT_EQ(seen().size(), 7u);
  ASSERT_EQ(r->created.size(), 14u);
  std::set<std::int64_t> ids;
  for (const app::Warning& w : r->created) ids.insert(w.id);
  EXPECT_EQ(ids.size(), 14u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM warnings w JOIN audit_entries a ON a.object_id = "
                  "w.case_number AND a.action = 'supervision.warning'"),
            28);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_recipients"), 7);
  EXPECT_TRUE(store_->due_cases(want)->empty()) << "all checked today";
}

TEST_P(SupervisionContract, TheListIsFilteredByDepartmentsStateAndCase) {
  add_case("C1", "in_review", "2026-10-09");
  add_case("C2", "in_review", "2026-10-09");
  findings_["C1"] = {finding(WarningRule::case_late, kD1, 3)};
  findings_["C2"] = {finding(WarningRule::opinion_late, kD2, 5, 1)};
  ASSERT_TRUE(pass("2026-10-12").ok());

  app::WarningFilter f;
  auto list = store_->warnings(f);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].case_number, "C2") << "most days late first";

  f.departments = std::vector<std::string>{kD1};
  list = store_->warnings(f);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].rule, WarningRule::case_late);

  f.departments = std::vector<std::string>{};
  EXPECT_TRUE(store_->warnings(f)->empty());

  app::WarningFilter by_case;
  by_case.case_number = "C2";
  EXPECT_EQ(store_->warnings(by_case)->size(), 1u);
  by_case.state = core::WarningState::closed;
  EXPECT_TRUE(store_->warnings(by_case)->empty());
}

TEST_P(SupervisionContract, PassesRunningAtOnceExamineEachCaseOnce) {
  for (int i = 0; i < 40; ++i) {
    add_case("C" + std::to_string(100 + i), "in_review", "2026-10-09");
    findings_["C" + std::to_string(100 + i)] = {finding(WarningRule::case_late, kD1, 1)};
  }
  std::atomic<bool> failed{false};
  auto node = [&] {
    if (!pass("2026-10-12", "", 5).ok()) failed = true;
  };
  std::thread a(node);
  std::thread b(node);
  a.join();
  b.join();
  EXPECT_FALSE(failed);
  {
    std::lock_guard<std::mutex> lock(mu_);
    EXPECT_EQ(seen_.size(), 40u) << "every case examined exactly once";
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM warnings"), 40);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events"), 40);
}

// PostgreSQL: node A holds a batch (its rows locked) while node B passes: B skips A's
// cases. Then A dies before committing: B's next pass takes A's cases over.
TEST_P(SupervisionContract, ANodeSkipsWhatAnotherHoldsAndTakesOverWhenItDies) {
  if (GetParam() != Dialect::postgres) {
    GTEST_SKIP() << "SQLite has one writer: passes cannot overlap";
  }
  for (int i = 0; i < 6; ++i) add_case("C" + std::to_string(i), "in_review", "2026-10-09");
  std::promise<void> a_holds;
  std::promise<void> b_done;
  std::shared_future<void> b_done_f = b_done.get_future().share();
  std::set<std::string> a_seen;
  // A claims the first three; B, passing meanwhile, asks for all six.
  BatchRequest req;
  req.today = "2026-10-12";
  req.numbers = {"C0", "C1", "C2"};
  BatchRequest all = req;
  all.numbers = {"C0", "C1", "C2", "C3", "C4", "C5"};
  std::thread node_a([&] {
    bool first = true;
    auto eval = [&](const app::SupervisedCase& sc) -> Result<std::vector<WarningFinding>> {
      a_seen.insert(sc.c.number);
      if (first) {
        first = false;
        a_holds.set_value();
        b_done_f.wait();
      }
      if (a_seen.size() == 3) return make_error(ErrorKind::unavailable, "died", "节点失效");
      return std::vector<WarningFinding>{finding(WarningRule::case_late, kD1, 1)};
    };
    EXPECT_FALSE(store_->run_batch(req, eval, announcer()).ok());
  });
  a_holds.get_future().wait();
  auto b = store_->run_batch(all, evaluator(), announcer());
  b_done.set_value();
  node_a.join();
  ASSERT_TRUE(b.ok()) << b.error().message;
  std::set<std::string> b_seen = seen();
  EXPECT_EQ(a_seen, (std::set<std::string>{"C0", "C1", "C2"}));
  EXPECT_EQ(b_seen, (std::set<std::string>{"C3", "C4", "C5"})) << "B skipped what A held";

  auto r = pass("2026-10-12");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(seen(), (std::set<std::string>{"C0", "C1", "C2"})) << "B took A's batch over";
  EXPECT_EQ(count("SELECT COUNT(*) FROM supervision_checks WHERE checked_on = '2026-10-12'"), 6);
}

INSTANTIATE_TEST_SUITE_P(Dialects, SupervisionContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
