// Cases on both dialects: app::CaseRepository as implemented by store::make_case_store.
// What a change writes (the case, its timeline, its documents, its notifications, its
// audit entry, its uploads) commits together or not at all; numbers are unique and
// sequential per region and day under concurrent filing; a stale version writes nothing;
// lists and work queues read the projections in the documented order.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/audit_log.h"
#include "app/case_json.h"
#include "contract/scratch_database.h"
#include "crypto/signer.h"
#include "store/audit_store.h"
#include "store/case_store.h"

namespace shenpi::store {
namespace {

using app::CaseCommit;
using app::CaseFilter;
using app::TaskFilter;
using core::Case;
using core::CaseState;
using core::TaskStage;
using core::TaskState;

constexpr std::int64_t kT0 = 1795843200000;  // 2026-11-28 13:20 Beijing
constexpr const char* kRegion = "445100";
constexpr const char* kDay = "20261128";
constexpr const char* kLead = "445100-SCJGJ";
constexpr const char* kHealth = "445100-WSJKJ";
constexpr const char* kFire = "445100-XFJY";

core::Task task(std::int64_t id, TaskStage stage, const std::string& dept,
                TaskState state = TaskState::open, int part_seq = 0) {
  core::Task t;
  t.id = id;
  t.part_seq = part_seq;
  t.stage = stage;
  t.department_code = dept;
  t.state = state;
  t.created_on = "2026-11-28";
  return t;
}

core::CaseEvent event(const std::string& action, std::int64_t at, const std::string& from,
                      const std::string& to, const std::string& reason = {}) {
  core::CaseEvent e;
  e.at_unix_ms = at;
  e.on = "2026-11-" + std::to_string(28 + static_cast<int>((at - kT0) / 86400000));
  e.actor_id = "acc-1";
  e.actor_name = "张三";
  e.actor_role = "applicant";
  e.department_code = "";
  e.action = action;
  e.from_state = from;
  e.to_state = to;
  e.reason = reason;
  e.detail = "materials=2";
  return e;
}

// A submitted single-item case of `applicant`, decided by `dept` (lead: kLead), with an
// open acceptance task.
Case submitted_case(const std::string& applicant = "acc-1", const std::string& dept = kLead,
                    const std::string& item_name = "食品经营许可") {
  Case c;
  c.state = CaseState::submitted;
  c.region_code = kRegion;
  c.lead_department_code = kLead;
  c.lead_department_name = "潮州市市场监督管理局";
  c.applicant_account_id = applicant;
  c.applicant_kind = "person";
  c.applicant_name = "张三";
  c.data_json = R"({"店名":"老潮州牛肉丸"})";
  c.created_on = "2026-11-28";
  c.submitted_on = "2026-11-28";
  c.received_on = "2026-11-28";
  core::CasePart p;
  p.item_code = "SC-001";
  p.item_name = item_name;
  p.department_code = dept;
  c.parts.push_back(p);
  c.tasks.push_back(task(1, TaskStage::acceptance, kLead, TaskState::open, -1));
  c.next_task_id = 2;
  return c;
}

std::string event_id(int i) {
  std::string hex = "0123456789abcdef";
  std::string id(32, '0');
  for (int k = 0; k < 8 && i > 0; ++k, i /= 16) id[31 - k] = hex[i % 16];
  return id;
}

app::OutboxEvent outbox(int i, const std::string& number) {
  app::OutboxEvent e;
  e.event_id = event_id(i);
  e.topic = "case.submitted";
  e.case_number = number;
  e.department_code = kLead;
  e.payload_json = R"({"number":")" + number + R"("})";
  e.created_at = kT0 / 1000;
  return e;
}

std::shared_ptr<crypto::Signer> test_signer() {
  auto s = crypto::Signer::from_seed(std::string(crypto::Signer::kSeedBytes, 'c'));
  EXPECT_TRUE(s.ok());
  return std::make_shared<crypto::Signer>(std::move(s).value());
}

app::AuditCrypto crypto_of(const std::shared_ptr<crypto::Signer>& signer) {
  app::AuditCrypto c;
  c.sha256_hex = [](std::string_view b) { return crypto::sha256_hex(b); };
  c.sign = [signer](std::string_view b) { return signer->sign(b); };
  c.verify = [](std::string_view b, std::string_view sig, std::string_view pk) {
    return crypto::Signer::verify(b, sig, pk);
  };
  c.public_key = signer->public_key();
  return c;
}

class CaseContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    repo_ = make_case_store(db_);
    audit_repo_ = make_audit_store(db_);
    audit_ = std::make_unique<app::AuditLog>(audit_repo_, crypto_of(test_signer()), 2,
                                             [] { return kT0; });
  }
  void TearDown() override {
    audit_.reset();
    audit_repo_.reset();
    repo_.reset();
    DialectTest::TearDown();
  }

  // Creates `c` with a "submit" event; the commit may be adjusted by `more`.
  std::string create(const Case& c, std::int64_t at = kT0,
                     const std::function<void(CaseCommit&)>& more = {}, const char* day = kDay) {
    auto r = repo_->create(kRegion, day, [&](const std::string& number) -> Result<CaseCommit> {
      CaseCommit commit;
      commit.c = c;
      commit.c.number = number;
      commit.c.version = 1;
      commit.events.push_back(event("submit", at, "draft", "submitted"));
      for (const core::Task& t : c.tasks) commit.task_due_on[t.id] = "2026-12-05";
      if (more) more(commit);
      return commit;
    });
    EXPECT_TRUE(r.ok()) << r.error().code << " " << r.error().message;
    return r.ok() ? *r : std::string();
  }

  // The stored case, or a failure.
  app::StoredCase stored(const std::string& number) {
    auto r = repo_->find(number);
    EXPECT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r.ok() && r->has_value()) << number;
    return r.ok() && r->has_value() ? **r : app::StoredCase{};
  }

  std::int64_t count(const std::string& sql, const std::vector<Param>& params = {}) {
    std::int64_t n = -1;
    auto r = db_->read([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows rows, s.query(sql, params));
      n = rows.int64(0, 0);
      return ok_result();
    });
    EXPECT_TRUE(r.ok()) << sql << ": " << r.error().message;
    return n;
  }

  void raw(const std::string& sql, const std::vector<Param>& params = {}) {
    auto r = db_->write([&](Session& s) -> Result<void> {
      SHENPI_TRY(s.exec(sql, params));
      return ok_result();
    });
    ASSERT_TRUE(r.ok()) << sql << ": " << r.error().message;
  }

  std::optional<app::AuditAppend> audit_plan(const std::string& action, const std::string& number) {
    app::AuditEvent e;
    e.at_unix_ms = kT0;
    e.actor_id = "acc-clerk";
    e.actor_name = "李窗口";
    e.role = "clerk";
    e.department_code = kLead;
    e.action = action;
    e.object_type = "case";
    e.object_id = number;
    e.outcome = "success";
    auto p = audit_->plan(e);
    EXPECT_TRUE(p.ok());
    return p.ok() ? std::optional<app::AuditAppend>(*p) : std::nullopt;
  }

  std::int64_t audit_seq() {
    auto h = audit_repo_->head();
    EXPECT_TRUE(h.ok());
    return h.ok() ? h->seq : -1;
  }

  // The commit that accepts a stored case read at `from`.
  CaseCommit accept_commit(const app::StoredCase& from, std::int64_t at) {
    CaseCommit commit;
    commit.c = from.c;
    commit.expected_version = from.c.version;
    commit.c.version = from.c.version + 1;
    commit.c.state = CaseState::accepted;
    commit.c.accepted_on = "2026-11-30";
    for (core::Task& t : commit.c.tasks) {
      if (t.stage == TaskStage::acceptance) {
        t.state = TaskState::done;
        t.done_on = "2026-11-30";
      }
    }
    commit.c.tasks.push_back(
        task(commit.c.next_task_id++, TaskStage::review, commit.c.parts[0].department_code));
    commit.task_due_on[commit.c.tasks.back().id] = "2026-12-28";
    commit.due_on = "2026-12-28";
    commit.events.push_back(event("accept", at, "submitted", "accepted", "材料齐全"));
    return commit;
  }

  std::shared_ptr<app::CaseRepository> repo_;
  std::shared_ptr<app::AuditRepository> audit_repo_;
  std::unique_ptr<app::AuditLog> audit_;
};

// ---- numbers ----------------------------------------------------------------------------------

TEST_P(CaseContract, NumbersAreRegionDayAndASequence) {
  EXPECT_EQ(create(submitted_case()), "4451002026112800001");
  EXPECT_EQ(create(submitted_case()), "4451002026112800002");
  // Another day starts again at 1.
  EXPECT_EQ(create(submitted_case(), kT0, {}, "20261129"), "4451002026112900001");
  EXPECT_EQ(create(submitted_case()), "4451002026112800003");
  auto bad = repo_->create("44A100", kDay,
                           [](const std::string&) -> Result<CaseCommit> { return CaseCommit{}; });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  auto bad_day = repo_->create(
      kRegion, "2026-11-28", [](const std::string&) -> Result<CaseCommit> { return CaseCommit{}; });
  ASSERT_FALSE(bad_day.ok());
  EXPECT_EQ(bad_day.error().kind, ErrorKind::invalid_input);
}

// The 99,999th case of a day is not the last one: the sequence grows a digit.
TEST_P(CaseContract, TheSequenceGrowsADigitAfterThe99999thCaseOfADay) {
  ASSERT_TRUE(db_->write([](Session& s) -> Result<void> {
                   SHENPI_TRY(
                       s.exec("INSERT INTO case_counters (region_code, day, next_seq) "
                              "VALUES ('445100', '20261128', 99999)"));
                   return ok_result();
                 })
                  .ok());
  EXPECT_EQ(create(submitted_case()), "4451002026112899999");
  EXPECT_EQ(create(submitted_case()), "44510020261128100000");
  EXPECT_EQ(create(submitted_case()), "44510020261128100001");
}

TEST_P(CaseContract, NumbersStayUniqueAndGaplessUnderConcurrentFiling) {
  constexpr int kThreads = 4;
  constexpr int kEach = 6;
  std::mutex mu;
  std::vector<std::string> numbers;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = repo_->create(kRegion, kDay, [&](const std::string& number) -> Result<CaseCommit> {
          CaseCommit commit;
          commit.c = submitted_case("acc-" + std::to_string(t));
          commit.c.number = number;
          commit.c.version = 1;
          commit.events.push_back(event("submit", kT0 + i, "draft", "submitted"));
          return commit;
        });
        if (!r.ok()) {
          ++failures;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        numbers.push_back(*r);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::sort(numbers.begin(), numbers.end());
  std::vector<std::string> expected;
  for (int i = 1; i <= kThreads * kEach; ++i) {
    const std::string seq = std::to_string(i);
    expected.push_back(std::string(kRegion) + kDay + std::string(5 - seq.size(), '0') + seq);
  }
  EXPECT_EQ(numbers, expected);
  EXPECT_EQ(count("SELECT count(*) FROM cases"), kThreads * kEach);
  EXPECT_EQ(count("SELECT count(*) FROM case_events"), kThreads * kEach);
}

// ---- create and read back -----------------------------------------------------------------

TEST_P(CaseContract, CreateStoresTheCaseItsTimelineAndProjections) {
  Case c = submitted_case("acc-1", kHealth);
  c.number = "ignored";  // the store names the case
  c.version = 9;
  const std::string number = create(c, kT0, [&](CaseCommit& commit) {
    commit.events.push_back(event("created", kT0 + 1, "", "submitted", "备注：窗口代办"));
    commit.due_on = "2026-12-05";
  });
  const app::StoredCase s = stored(number);
  EXPECT_EQ(s.c.number, number);
  EXPECT_EQ(s.c.version, 1);
  EXPECT_EQ(s.c.state, CaseState::submitted);
  EXPECT_EQ(s.c.data_json, R"({"店名":"老潮州牛肉丸"})");
  ASSERT_EQ(s.c.parts.size(), 1u);
  EXPECT_EQ(s.c.parts[0].department_code, kHealth);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].action, "submit");
  EXPECT_EQ(s.events[0].at_unix_ms, kT0);
  EXPECT_EQ(s.events[0].on, "2026-11-28");
  EXPECT_EQ(s.events[0].actor_name, "张三");
  EXPECT_EQ(s.events[0].actor_role, "applicant");
  EXPECT_EQ(s.events[0].from_state, "draft");
  EXPECT_EQ(s.events[0].to_state, "submitted");
  EXPECT_EQ(s.events[0].part_seq, -1);
  EXPECT_EQ(s.events[0].detail, "materials=2");
  EXPECT_EQ(s.events[1].action, "created");
  EXPECT_EQ(s.events[1].reason, "备注：窗口代办");
  // The stored document is the case as the row says it is.
  EXPECT_EQ(count("SELECT count(*) FROM cases WHERE number = ? AND version = 1 AND "
                  "due_on = '2026-12-05' AND title = '食品经营许可'",
                  {number}),
            1);
  // Departments: the lead and the part's department.
  EXPECT_EQ(count("SELECT count(*) FROM case_departments WHERE case_number = ?", {number}), 2);

  auto missing = repo_->find("4451002026112899999");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(CaseContract, EventsReadBackInOrderAcrossChanges) {
  const std::string number = create(submitted_case());
  app::StoredCase s = stored(number);
  for (int i = 1; i <= 4; ++i) {
    CaseCommit commit;
    commit.c = s.c;
    commit.expected_version = s.c.version;
    commit.c.version = s.c.version + 1;
    // Timestamps deliberately not increasing: the timeline is in the order written.
    commit.events.push_back(event("step-" + std::to_string(i), kT0 - i, "submitted", "submitted"));
    commit.events.push_back(event("note-" + std::to_string(i), kT0 - i, "submitted", "submitted"));
    ASSERT_TRUE(repo_->update(commit).ok());
    s = stored(number);
  }
  EXPECT_EQ(s.c.version, 5);
  std::vector<std::string> actions;
  for (const auto& e : s.events) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"submit", "step-1", "note-1", "step-2", "note-2",
                                               "step-3", "note-3", "step-4", "note-4"}));
}

// ---- idempotency ----------------------------------------------------------------------------

TEST_P(CaseContract, AnIdempotencyKeyIsTakenOnce) {
  auto with_key = [](CaseCommit& commit) {
    commit.idempotency =
        app::IdempotencyRecord{"acc-1", "key-1", std::string(64, 'a'), "", 1795843200};
  };
  const std::string first = create(submitted_case(), kT0, with_key);
  auto rec = repo_->idempotency("acc-1", "key-1");
  ASSERT_TRUE(rec.ok());
  ASSERT_TRUE(rec->has_value());
  EXPECT_EQ((*rec)->case_number, first);
  EXPECT_EQ((*rec)->request_hash, std::string(64, 'a'));
  EXPECT_EQ((*rec)->created_at, 1795843200);

  const std::int64_t seq_before = audit_seq();
  auto again = repo_->create(kRegion, kDay, [&](const std::string& number) -> Result<CaseCommit> {
    CaseCommit commit;
    commit.c = submitted_case();
    commit.c.number = number;
    commit.events.push_back(event("submit", kT0, "draft", "submitted"));
    commit.outbox.push_back(outbox(1, number));
    commit.audit = audit_plan("case.submit", number);
    with_key(commit);
    return commit;
  });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(again.error().code, "idempotency_key_taken");
  // Nothing of the second request was written, not even its number.
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM case_events"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM outbox_events"), 0);
  EXPECT_EQ(audit_seq(), seq_before);
  EXPECT_EQ(create(submitted_case()), "4451002026112800002");

  // The same key of another account is another key.
  create(submitted_case("acc-2"), kT0, [](CaseCommit& commit) {
    commit.idempotency = app::IdempotencyRecord{"acc-2", "key-1", "", "", 0};
  });
  auto none = repo_->idempotency("acc-3", "key-1");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

// ---- optimistic concurrency and atomicity ---------------------------------------------------

TEST_P(CaseContract, AStaleVersionWritesNothing) {
  const std::string number = create(submitted_case());
  const app::StoredCase read = stored(number);
  ASSERT_TRUE(repo_->update(accept_commit(read, kT0 + 1000)).ok());
  const std::int64_t seq_before = audit_seq();

  // A second person acting on what they read before the first change.
  CaseCommit late = accept_commit(read, kT0 + 2000);
  late.c.state = CaseState::not_accepted;
  late.outbox.push_back(outbox(7, number));
  late.audit = audit_plan("case.refuse_acceptance", number);
  auto r = repo_->update(late);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::precondition);
  EXPECT_EQ(r.error().code, "stale_version");
  EXPECT_EQ(r.error().message, "办件已被他人更新，请刷新后重试");

  const app::StoredCase now = stored(number);
  EXPECT_EQ(now.c.version, 2);
  EXPECT_EQ(now.c.state, CaseState::accepted);
  EXPECT_EQ(now.events.size(), 2u);
  EXPECT_EQ(count("SELECT count(*) FROM outbox_events"), 0);
  EXPECT_EQ(audit_seq(), seq_before);

  CaseCommit ghost = late;
  ghost.c.number = "4451002026112899999";
  auto nf = repo_->update(ghost);
  ASSERT_FALSE(nf.ok());
  EXPECT_EQ(nf.error().kind, ErrorKind::not_found);
}

TEST_P(CaseContract, ConcurrentUpdatesOfOneVersionLetExactlyOneWin) {
  const std::string number = create(submitted_case());
  const app::StoredCase read = stored(number);
  constexpr int kThreads = 4;
  std::atomic<int> won{0};
  std::atomic<int> stale{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      CaseCommit commit = accept_commit(read, kT0 + t);
      commit.outbox.push_back(outbox(100 + t, number));
      auto r = repo_->update(commit);
      if (r.ok()) {
        ++won;
      } else if (r.error().code == "stale_version") {
        ++stale;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(stale.load(), kThreads - 1);
  EXPECT_EQ(stored(number).events.size(), 2u);
  EXPECT_EQ(count("SELECT count(*) FROM outbox_events"), 1);
}

TEST_P(CaseContract, AFailingStepRollsBackTheWholeChange) {
  const std::string first = create(submitted_case(), kT0, [](CaseCommit& commit) {
    commit.outbox.push_back(outbox(1, commit.c.number));
  });
  const std::int64_t seq_before = audit_seq();

  // A new case whose notification repeats an event id: no case, no number used.
  auto r = repo_->create(kRegion, kDay, [&](const std::string& number) -> Result<CaseCommit> {
    CaseCommit commit;
    commit.c = submitted_case("acc-2");
    commit.c.number = number;
    commit.events.push_back(event("submit", kT0, "draft", "submitted"));
    commit.audit = audit_plan("case.submit", number);
    commit.outbox.push_back(outbox(2, number));
    commit.outbox.push_back(outbox(1, number));
    return commit;
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "event_exists");
  auto gone = repo_->find("4451002026112800002");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM case_events"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM case_tasks"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM case_departments"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM outbox_events"), 1);
  EXPECT_EQ(audit_seq(), seq_before);

  // A change of an existing case failing at its last step leaves the case as it was.
  const app::StoredCase read = stored(first);
  CaseCommit change = accept_commit(read, kT0 + 1000);
  change.audit = audit_plan("case.accept", first);
  change.outbox.push_back(outbox(1, first));
  auto u = repo_->update(change);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().code, "event_exists");
  const app::StoredCase after = stored(first);
  EXPECT_EQ(after.c.version, 1);
  EXPECT_EQ(after.c.state, CaseState::submitted);
  EXPECT_EQ(after.events.size(), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM case_tasks WHERE state = 'open' AND stage = 'acceptance'"),
            1);
  EXPECT_EQ(audit_seq(), seq_before);

  // A failing build writes nothing either.
  auto b = repo_->create(kRegion, kDay, [](const std::string&) -> Result<CaseCommit> {
    return make_error(ErrorKind::invalid_input, "bad_form", "表单有误");
  });
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, "bad_form");
  EXPECT_EQ(create(submitted_case()), "4451002026112800002");
}

TEST_P(CaseContract, DocumentsUploadsAndNotificationsJoinTheCase) {
  // An applicant account with two uploads.
  raw("INSERT INTO accounts (id, kind, login_index, display_name, password_hash, created_at) "
      "VALUES (?, 'person', ?, '张三', 'x', 0)",
      {std::string(36, '1'), std::string(64, 'b')});
  raw("INSERT INTO upload_blobs (sha256, bytes) VALUES (?, ?)",
      {std::string(64, 'e'), Blob{"%PDF-1.4"}});
  for (const char* id : {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}) {
    raw("INSERT INTO uploads (id, owner_account_id, filename, kind, content_type, size, sha256, "
        "created_at) VALUES (?, ?, 'a.pdf', 'pdf', 'application/pdf', 8, ?, 0)",
        {std::string(id), std::string(36, '1'), std::string(64, 'e')});
  }
  const std::string number = create(submitted_case(), kT0, [&](CaseCommit& commit) {
    commit.upload_ids = {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    app::DocumentRecord d;
    d.content.kind = core::DocumentKind::receipt;
    d.content.case_number = commit.c.number;
    d.content.issued_on = "2026-11-28";
    d.verify_code = "ABCD-EFGH-JKLM-NPQR";
    d.sha256 = std::string(64, '1');
    d.signature_hex = std::string(128, '2');
    d.public_key_hex = std::string(64, '3');
    d.created_at = kT0 / 1000;
    commit.documents.push_back(d);
    app::OutboxEvent e = outbox(3, commit.c.number);
    e.recipients = {std::string(36, '1')};
    commit.outbox.push_back(e);
  });
  EXPECT_EQ(count("SELECT count(*) FROM uploads WHERE case_number = ?", {number}), 1);
  EXPECT_EQ(count("SELECT count(*) FROM case_documents WHERE case_number = ?", {number}), 1);
  EXPECT_EQ(count("SELECT count(*) FROM outbox_events WHERE case_number = ?", {number}), 1);
  EXPECT_EQ(count("SELECT count(*) FROM outbox_recipients"), 1);

  // An upload already attached to another case is not taken over, and the change fails.
  const app::StoredCase read = stored(number);
  const std::string other = create(submitted_case());
  CaseCommit steal;
  steal.c = stored(other).c;
  steal.expected_version = 1;
  steal.events.push_back(event("submit_correction", kT0 + 5, "correction_requested", "submitted"));
  steal.upload_ids = {"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
  auto r = repo_->update(steal);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "upload_unavailable");
  EXPECT_EQ(count("SELECT count(*) FROM uploads WHERE case_number = ?", {number}), 1);
  EXPECT_EQ(count("SELECT count(*) FROM uploads WHERE case_number IS NULL"), 1);
  EXPECT_EQ(stored(other).c.version, 1);
  // Attaching again to the same case is harmless.
  CaseCommit again = accept_commit(read, kT0 + 10);
  again.upload_ids = {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"};
  ASSERT_TRUE(repo_->update(again).ok());
  EXPECT_EQ(count("SELECT count(*) FROM uploads WHERE case_number = ?", {number}), 2);
}

// ---- the audit chain ------------------------------------------------------------------------

TEST_P(CaseContract, TheAuditChainStillVerifiesAfterCaseCommits) {
  ASSERT_TRUE(audit_
                  ->record(app::AuditEvent{kT0, "acc-x", "x", "clerk", kLead, "", "",
                                           "session.login", "account", "acc-x", "success", "", ""})
                  .ok());
  std::vector<std::string> numbers;
  for (int i = 0; i < 3; ++i) {
    numbers.push_back(create(submitted_case(), kT0 + i, [&](CaseCommit& commit) {
      commit.audit = audit_plan("case.submit", commit.c.number);
    }));
  }
  const app::StoredCase s = stored(numbers[1]);
  CaseCommit change = accept_commit(s, kT0 + 100);
  change.audit = audit_plan("case.accept", numbers[1]);
  ASSERT_TRUE(repo_->update(change).ok());
  ASSERT_TRUE(audit_
                  ->record(app::AuditEvent{kT0, "acc-x", "x", "clerk", kLead, "", "",
                                           "session.logout", "account", "acc-x", "success", "", ""})
                  .ok());

  auto report = audit_->verify();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->ok) << report->reason;
  EXPECT_EQ(report->entries, 6);
  EXPECT_EQ(report->checkpoints, 3);
  app::AuditFilter f;
  f.object_type = "case";
  f.object_id = numbers[1];
  auto page = audit_repo_->search(f);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0].action, "case.accept");
  EXPECT_EQ(page->entries[1].action, "case.submit");
}

// ---- lists and queues --------------------------------------------------------------------------

TEST_P(CaseContract, ListsFilterByApplicantDepartmentAndState) {
  const std::string a = create(submitted_case("acc-1", kLead, "食品经营许可"), kT0);
  const std::string b = create(submitted_case("acc-2", kHealth, "公共场所卫生许可"), kT0 + 10);
  Case bundle = submitted_case("acc-1", kFire, "消防安全检查");
  bundle.bundle_code = "B-CANYIN";
  bundle.bundle_name = "开办餐饮店";
  const std::string c = create(bundle, kT0 + 20);

  auto numbers = [&](const CaseFilter& f) {
    auto r = repo_->list(f);
    EXPECT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& s : *r) out.push_back(s.number);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(numbers(CaseFilter{}), (V{c, b, a}));  // most recently updated first
  CaseFilter mine;
  mine.applicant_account_id = "acc-1";
  EXPECT_EQ(numbers(mine), (V{c, a}));
  CaseFilter health;
  health.departments = {kHealth};
  EXPECT_EQ(numbers(health), (V{b}));
  CaseFilter lead;
  lead.departments = {kLead};  // the lead of all three
  EXPECT_EQ(numbers(lead), (V{c, b, a}));
  CaseFilter two;
  two.departments = {kFire, kHealth};
  EXPECT_EQ(numbers(two), (V{c, b}));
  CaseFilter page;
  page.limit = 1;
  page.offset = 1;
  EXPECT_EQ(numbers(page), (V{b}));

  // Accepting a changes its state and brings it to the top.
  ASSERT_TRUE(repo_->update(accept_commit(stored(a), kT0 + 86400000)).ok());
  EXPECT_EQ(numbers(CaseFilter{}), (V{a, c, b}));
  CaseFilter accepted;
  accepted.state = CaseState::accepted;
  EXPECT_EQ(numbers(accepted), (V{a}));
  accepted.applicant_account_id = "acc-2";
  EXPECT_EQ(numbers(accepted), V{});

  auto rows = repo_->list(mine);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const app::CaseSummary& top = rows->front();
  EXPECT_EQ(top.number, a);
  EXPECT_EQ(top.state, CaseState::accepted);
  EXPECT_EQ(top.version, 2);
  EXPECT_EQ(top.title, "食品经营许可");
  EXPECT_EQ(top.lead_department_code, kLead);
  EXPECT_EQ(top.applicant_name, "张三");
  EXPECT_EQ(top.submitted_on, "2026-11-28");
  EXPECT_EQ(top.due_on, "2026-12-28");
  EXPECT_EQ(top.updated_on, "2026-11-29");
  EXPECT_EQ(rows->back().title, "开办餐饮店");
}

TEST_P(CaseContract, WorkQueuesAreOpenTasksEarliestDueFirst) {
  // a: acceptance (lead) due 12-05; a done review task that must not show.
  Case ca = submitted_case("acc-1");
  ca.tasks.push_back(task(2, TaskStage::review, kLead, TaskState::done));
  ca.next_task_id = 3;
  const std::string a = create(ca, kT0, [](CaseCommit& commit) {
    commit.task_due_on = {{1, "2026-12-05"}, {2, "2026-12-01"}};
  });
  // b: a review task of the lead without a due date, and the health department's
  // decision due 12-01, claimed.
  Case cb = submitted_case("acc-2", kHealth, "公共场所卫生许可");
  cb.tasks = {task(1, TaskStage::review, kLead), task(2, TaskStage::decision, kHealth)};
  cb.tasks[1].assignee_id = "u-1";
  cb.tasks[1].assignee_name = "赵审批";
  const std::string b = create(cb, kT0, [](CaseCommit& commit) {
    commit.task_due_on = {{2, "2026-12-01"}};
  });
  // c: acceptance due 12-05, like a: case number breaks the tie.
  const std::string c = create(submitted_case("acc-3"));

  auto queue = [&](const TaskFilter& f) {
    auto r = repo_->tasks(f);
    EXPECT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& t : *r) out.push_back(t.case_number + "#" + std::to_string(t.task_id));
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(queue(TaskFilter{}), (V{b + "#2", a + "#1", c + "#1", b + "#1"}));
  TaskFilter lead;
  lead.departments = {kLead};
  EXPECT_EQ(queue(lead), (V{a + "#1", c + "#1", b + "#1"}));
  lead.stages = {TaskStage::review, TaskStage::decision};
  EXPECT_EQ(queue(lead), (V{b + "#1"}));
  TaskFilter both;
  both.departments = {kHealth, kLead};
  both.stages = {TaskStage::decision};
  EXPECT_EQ(queue(both), (V{b + "#2"}));
  TaskFilter mine;
  mine.assignee_id = "u-1";
  EXPECT_EQ(queue(mine), (V{b + "#2"}));
  TaskFilter small;
  small.limit = 2;
  EXPECT_EQ(queue(small), (V{b + "#2", a + "#1"}));

  auto rows = repo_->tasks(mine);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  const app::TaskRow& t = rows->front();
  EXPECT_EQ(t.stage, TaskStage::decision);
  EXPECT_EQ(t.department_code, kHealth);
  EXPECT_EQ(t.part_seq, 0);
  EXPECT_EQ(t.assignee_name, "赵审批");
  EXPECT_EQ(t.created_on, "2026-11-28");
  EXPECT_EQ(t.due_on, "2026-12-01");
  EXPECT_EQ(t.title, "公共场所卫生许可");
  EXPECT_EQ(t.applicant_name, "张三");
  EXPECT_EQ(t.case_state, CaseState::submitted);
  EXPECT_EQ(t.case_version, 1);

  // Accepting a closes its acceptance task and opens a review task due 12-28.
  ASSERT_TRUE(repo_->update(accept_commit(stored(a), kT0 + 1)).ok());
  EXPECT_EQ(queue(TaskFilter{}), (V{b + "#2", c + "#1", a + "#3", b + "#1"}));
  auto after = repo_->tasks(lead);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ(after->at(0).case_number, a);
  EXPECT_EQ(after->at(0).case_state, CaseState::accepted);
  EXPECT_EQ(after->at(0).case_version, 2);
}

INSTANTIATE_TEST_SUITE_P(Dialects, CaseContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
