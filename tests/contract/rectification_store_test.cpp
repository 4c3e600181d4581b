// app::RectificationRepository as implemented by store::make_rectification_store, and the
// dashboard's projection of open cases (store::sync_open_case), on both dialects: open
// cases are counted per department and signal from the projection and follow every case
// change; a notice is stored with its audit entry and its outbox event to the department's
// business leads in one transaction, answered once, listed by derived status.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "contract/scratch_database.h"
#include "core/audit/audit_entry.h"
#include "crypto/signer.h"
#include "store/dashboard_rows.h"
#include "store/rectification_store.h"

namespace shenpi::store {
namespace {

using app::Notice;

constexpr const char* kD1 = "445100-SCJGJ";
constexpr const char* kD2 = "445100-ZRZYJ";
const std::string kLead = "00000000-0000-4000-8000-000000000001";

class RectificationContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = make_rectification_store(db_);
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

  //! Writes case `number` as the case store does: the row, then the projection.
  void put_case(const std::string& number, const std::string& state, const std::string& dept,
                const std::string& due_on) {
    ASSERT_TRUE(db_->write([&](Session& s) -> Result<void> {
                     SHENPI_TRY(s.exec(
                         "INSERT INTO cases (number, version, state, title, lead_department_code, "
                         "applicant_account_id, due_on, doc) VALUES (?, 1, ?, '食品经营许可', ?, "
                         "'A', ?, '{}') ON CONFLICT (number) DO UPDATE SET state = ?, "
                         "lead_department_code = ?, due_on = ?",
                         {number, state, dept, due_on, state, dept, due_on}));
                     return sync_open_case(s, number, state, dept, due_on);
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

  std::vector<std::vector<std::int64_t>> signals(const std::string& dept = "") {
    auto r = store_->open_signals(dept, "2026-10-12", "2026-10-14");
    EXPECT_TRUE(r.ok()) << r.error().message;
    std::vector<std::vector<std::int64_t>> out;
    if (r.ok()) {
      for (const auto& s : *r) out.push_back({s.green, s.yellow, s.red});
    }
    return out;
  }

  app::AnnounceNotice announcer(bool fail = false) {
    return [this, fail](const Notice& n,
                        const std::vector<std::string>& leads) -> Result<app::NoticeAnnouncement> {
      if (fail) return make_error(ErrorKind::internal, "boom", "announce failed");
      app::NoticeAnnouncement a;
      a.audit.content.at_unix_ms = 1;
      a.audit.content.actor_name = "supervisor";
      a.audit.content.action = "supervision.notice_issue";
      a.audit.content.object_type = "rectification_notice";
      a.audit.content.object_id = std::to_string(n.id);
      a.audit.content.outcome = "success";
      a.audit.hasher = [](const core::AuditEntry& e) {
        return crypto::sha256_hex(core::canonical_bytes(e));
      };
      const std::string id = std::to_string(++events_);
      a.event.event_id = std::string(32 - id.size(), '0') + id;
      a.event.topic = "supervision.notice";
      a.event.department_code = n.department_code;
      a.event.payload_json = "{}";
      a.event.recipients = leads;
      a.event.created_at = 1;
      leads_ = leads;
      return a;
    };
  }

  Notice draft(const std::string& dept = kD1, const std::string& issued_on = "2026-10-12",
               const std::string& due = "2026-10-14") {
    Notice n;
    n.department_code = dept;
    n.subject = "受理超期";
    n.body = "请说明原因。";
    n.issued_by_id = "B";
    n.issued_by_name = "监察员";
    n.issuer_role = "supervisor";
    n.issued_on = issued_on;
    n.issued_at = 1;
    n.reply_due_on = due;
    return n;
  }

  std::shared_ptr<app::RectificationRepository> store_;
  int events_ = 0;
  std::vector<std::string> leads_;
};

TEST_P(RectificationContract, OpenCasesAreCountedBySignalAndFollowEveryChange) {
  put_case("C1", "in_review", kD1, "2026-10-09");   // red: due before today
  put_case("C2", "accepted", kD1, "2026-10-12");    // yellow: due today
  put_case("C3", "suspended", kD1, "2026-10-14");   // yellow: the last yellow day
  put_case("C4", "in_review", kD1, "2026-10-15");   // green
  put_case("C5", "approved", kD2, "2026-10-01");    // red, the other department
  put_case("C6", "delivered", kD1, "");             // closed: not counted
  put_case("C7", "correction_requested", kD1, "");  // no clock: not counted
  EXPECT_EQ(signals(), (std::vector<std::vector<std::int64_t>>{{1, 2, 1}, {0, 0, 1}}));
  EXPECT_EQ(signals(kD2), (std::vector<std::vector<std::int64_t>>{{0, 0, 1}}));

  put_case("C4", "in_review", kD1, "2026-10-08");  // extended the other way: now red
  put_case("C1", "delivered", kD1, "");            // delivered: gone
  put_case("C2", "accepted", kD2, "2026-10-12");   // another lead department
  put_case("C2", "accepted", kD2, "2026-10-12");   // written again unchanged: still once
  EXPECT_EQ(signals(), (std::vector<std::vector<std::int64_t>>{{0, 1, 1}, {0, 1, 1}}));
  EXPECT_EQ(count("SELECT SUM(n) FROM open_case_counts"), 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM open_case_keys"), 4);

  auto late = store_->late_cases("", "2026-10-12", 10);
  ASSERT_TRUE(late.ok()) << late.error().message;
  ASSERT_EQ(late->size(), 2u);
  EXPECT_EQ((*late)[0].number, "C5") << "earliest due first";
  EXPECT_EQ((*late)[0].department_name, "潮州市自然资源局");
  EXPECT_EQ((*late)[0].state, "approved");
  EXPECT_EQ((*late)[1].number, "C4");
  EXPECT_EQ((*late)[1].title, "食品经营许可");
  auto mine = store_->late_cases(kD1, "2026-10-12", 10);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].number, "C4");
  auto one = store_->late_cases("", "2026-10-12", 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
}

TEST_P(RectificationContract, ANoticeIsStoredWithItsAuditEntryAndEventOrNotAtAll) {
  put_case("C1", "in_review", kD1, "2026-10-09");
  const std::int64_t audit_before = count("SELECT COUNT(*) FROM audit_entries");
  ASSERT_TRUE(db_->write([](Session& s) -> Result<void> {
                   SHENPI_TRY(s.exec(
                       "INSERT INTO warnings (case_number, department_code, rule, days_late, "
                       "first_seen_on, last_seen_on) VALUES ('C1', ?, 'case_late', 1, "
                       "'2026-10-12', '2026-10-12')",
                       {std::string(kD1)}));
                   return ok_result();
                 })
                  .ok());
  const std::int64_t warning_id = count("SELECT MAX(id) FROM warnings");

  Notice n = draft();
  n.case_numbers = {"C1"};
  n.warning_ids = {warning_id};
  auto issued = store_->issue(n, announcer());
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  EXPECT_GT(issued->id, 0);
  EXPECT_EQ(issued->department_name, "潮州市市场监督管理局");
  EXPECT_EQ(issued->state, core::NoticeState::open);
  EXPECT_EQ(issued->case_numbers, std::vector<std::string>{"C1"});
  EXPECT_EQ(issued->warning_ids, std::vector<std::int64_t>{warning_id});
  EXPECT_EQ(leads_, std::vector<std::string>{kLead}) << "the department's business leads";
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_entries"), audit_before + 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE topic = 'supervision.notice'"), 1);

  // Refused references, and a failed announcement, leave nothing behind.
  Notice bad = draft("445100-NOPE");
  EXPECT_EQ(store_->issue(bad, announcer()).error().code, "department_not_found");
  bad = draft();
  bad.case_numbers = {"C404"};
  EXPECT_EQ(store_->issue(bad, announcer()).error().code, "case_not_found");
  bad = draft(kD2);
  bad.warning_ids = {warning_id};
  EXPECT_EQ(store_->issue(bad, announcer()).error().code, "warning_not_in_department");
  EXPECT_FALSE(store_->issue(draft(), announcer(true)).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM rectification_notices"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_entries"), audit_before + 1);

  // Answered once.
  Notice r;
  r.reply = "已整改。";
  r.replied_by_id = kLead;
  r.replied_by_name = "业务负责人";
  r.replied_on = "2026-10-13";
  r.replied_at = 2;
  auto answered = store_->reply(issued->id, r, announcer());
  ASSERT_TRUE(answered.ok()) << answered.error().message;
  EXPECT_EQ(answered->state, core::NoticeState::answered);
  EXPECT_EQ(answered->reply, "已整改。");
  EXPECT_EQ(answered->replied_on, "2026-10-13");
  EXPECT_EQ(store_->reply(issued->id, r, announcer()).error().code, "notice_answered");
  EXPECT_EQ(store_->reply(999999, r, announcer()).error().code, "notice_not_found");
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events"), 2);
  auto found = store_->find(issued->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->replied_by_name, "业务负责人");
}

TEST_P(RectificationContract, NoticesAreListedByDerivedStatusOverdueFirst) {
  ASSERT_TRUE(store_->issue(draft(kD1, "2026-10-01", "2026-10-09"), announcer()).ok());  // 1
  ASSERT_TRUE(store_->issue(draft(kD1, "2026-10-02", "2026-10-12"), announcer()).ok());  // 2
  ASSERT_TRUE(store_->issue(draft(kD2, "2026-10-03", "2026-10-08"), announcer()).ok());  // 3
  ASSERT_TRUE(store_->issue(draft(kD2, "2026-10-05", "2026-10-09"), announcer()).ok());  // 4
  const std::int64_t first = count("SELECT MIN(id) FROM rectification_notices");
  Notice r;
  r.reply = "已整改。";
  r.replied_on = "2026-10-10";  // late for 4
  ASSERT_TRUE(store_->reply(first + 3, r, announcer()).ok());

  const auto ids = [&](app::NoticeFilter f) {
    f.today = "2026-10-12";
    auto list = store_->notices(f);
    EXPECT_TRUE(list.ok()) << list.error().message;
    std::vector<std::int64_t> out;
    if (list.ok()) {
      for (const Notice& n : *list) out.push_back(n.id - first + 1);
    }
    return out;
  };
  app::NoticeFilter all;
  EXPECT_EQ(ids(all), (std::vector<std::int64_t>{3, 1, 4, 2}))
      << "overdue by earliest deadline, then newest";
  app::NoticeFilter f;
  f.status = core::NoticeStatus::overdue;
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{3, 1}));
  f.status = core::NoticeStatus::awaiting;
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{2})) << "due today: still in time";
  f.status = core::NoticeStatus::answered_late;
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{4}));
  f.status = core::NoticeStatus::answered;
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{}));
  app::NoticeFilter dept;
  dept.departments = std::vector<std::string>{kD2};
  EXPECT_EQ(ids(dept), (std::vector<std::int64_t>{3, 4}));
  dept.departments = std::vector<std::string>{};
  EXPECT_EQ(ids(dept), (std::vector<std::int64_t>{}));
  app::NoticeFilter period;
  period.issued_from = "2026-10-02";
  period.issued_to = "2026-10-03";
  EXPECT_EQ(ids(period), (std::vector<std::int64_t>{3, 2}));
}

TEST_P(RectificationContract, WarningsAreCountedByRuleStateAndPeriod) {
  put_case("C1", "in_review", kD1, "2026-10-09");
  put_case("C2", "in_review", kD2, "2026-10-09");
  ASSERT_TRUE(
      db_->write([](Session& s) -> Result<void> {
           const char* sql =
               "INSERT INTO warnings (case_number, department_code, rule, days_late, "
               "state, first_seen_on, last_seen_on) VALUES (?, ?, ?, ?, ?, ?, ?)";
           SHENPI_TRY(s.exec(
               sql, {std::string("C1"), std::string(kD1), std::string("case_late"), std::int64_t{3},
                     std::string("open"), std::string("2026-10-12"), std::string("2026-10-14")}));
           SHENPI_TRY(s.exec(
               sql, {std::string("C1"), std::string(kD1), std::string("task_late"), std::int64_t{1},
                     std::string("closed"), std::string("2026-10-13"), std::string("2026-10-13")}));
           SHENPI_TRY(s.exec(
               sql, {std::string("C2"), std::string(kD2), std::string("case_late"), std::int64_t{5},
                     std::string("open"), std::string("2026-09-30"), std::string("2026-10-14")}));
           return ok_result();
         })
          .ok());
  app::DashboardWarningFilter f;
  auto counts = store_->warning_counts(f);
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  ASSERT_EQ(counts->size(), 2u);
  EXPECT_EQ((*counts)[0].rule, core::WarningRule::case_late);
  EXPECT_EQ((*counts)[0].count, 2);
  EXPECT_EQ((*counts)[1].rule, core::WarningRule::task_late);
  EXPECT_EQ((*counts)[1].state, core::WarningState::closed);

  f.from = "2026-10-01";
  f.department = kD1;
  counts = store_->warning_counts(f);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->size(), 2u);
  f.rule = core::WarningRule::case_late;
  f.state = core::WarningState::open;
  auto list = store_->warnings(f);
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].days_late, 3);
  EXPECT_EQ((*list)[0].department_name, "潮州市市场监督管理局");

  app::DashboardWarningFilter everything;
  list = store_->warnings(everything);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].days_late, 5) << "most days late first";
}

INSTANTIATE_TEST_SUITE_P(Dialects, RectificationContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
