// app::ComplaintRepository and app::RatingRepository as implemented by
// store::make_complaint_store / make_rating_store, on both dialects: numbers unique per
// day, sealed phones kept byte for byte, optimistic concurrency, one rating per case,
// and a change written together with its notifications or not at all.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "contract/scratch_database.h"
#include "store/complaint_store.h"
#include "store/rating_store.h"

namespace shenpi::store {
namespace {

constexpr std::int64_t kT0 = 1795000000000;  // ms
constexpr const char* kDept = "445100-SCJGJ";

std::string account_id(int n) {
  std::string s = "00000000-0000-4000-8000-" + std::string(12, '0');
  const std::string tail = std::to_string(n);
  s.replace(s.size() - tail.size(), tail.size(), tail);
  return s;
}

std::string event_id(int n) {
  std::string s(32, 'e');
  const std::string tail = std::to_string(n);
  s.replace(s.size() - tail.size(), tail.size(), tail);
  return s;
}

class ComplaintContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    raw("INSERT INTO regions (code, name) VALUES ('445100', '潮州市')");
    raw("INSERT INTO departments (code, name, region_code, kind) VALUES (?, "
        "'潮州市市场监督管理局', "
        "'445100', 'approval')",
        {std::string(kDept)});
    raw("INSERT INTO departments (code, name, region_code, kind) VALUES ('445100-JCJ', "
        "'潮州市监察局', '445100', 'supervision')");
    for (int n = 1; n <= 4; ++n) {
      const bool staff = n <= 2;
      raw("INSERT INTO accounts (id, kind, login_index, username, display_name, password_hash, "
          "department_code, created_at) VALUES (?, ?, ?, ?, ?, 'x', ?, 0)",
          {account_id(n), std::string(staff ? "staff" : "person"),
           std::string(64, static_cast<char>('a' + n)),
           staff ? Param("user" + std::to_string(n)) : Param(nullptr), "账号" + std::to_string(n),
           staff ? Param(std::string(n == 1 ? "445100-JCJ" : kDept)) : Param(nullptr)});
    }
    raw("INSERT INTO role_grants (account_id, role, department_code) VALUES (?, 'supervisor', "
        "'445100-JCJ')",
        {account_id(1)});
    raw("INSERT INTO role_grants (account_id, role, department_code) VALUES (?, 'business_lead', "
        "?)",
        {account_id(2), std::string(kDept)});
    complaints_ = make_complaint_store(db_);
    ratings_ = make_rating_store(db_);
  }

  void raw(const std::string& sql, const std::vector<Param>& params = {}) {
    auto r = db_->write([&](Session& s) -> Result<void> {
      SHENPI_TRY(s.exec(sql, params));
      return ok_result();
    });
    ASSERT_TRUE(r.ok()) << sql << ": " << r.error().message;
  }

  std::int64_t count(const std::string& sql, const std::vector<Param>& params = {}) {
    std::int64_t n = -1;
    auto r = db_->read([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows rows, s.query(sql, params));
      n = rows.int64(0, 0);
      return ok_result();
    });
    EXPECT_TRUE(r.ok()) << sql;
    return n;
  }

  static app::ComplaintCommit commit_for(core::ComplaintSubject subject, std::string account,
                                         std::string phone_sealed) {
    app::ComplaintCommit c;
    core::Complaint& k = c.record.c;
    k.subject = subject;
    k.case_number = subject == core::ComplaintSubject::case_matter ? "4451002026112800001" : "";
    k.department_code = kDept;
    k.department_name = "潮州市市场监督管理局";
    k.staff_name = subject == core::ComplaintSubject::staff ? "工号 0231" : "";
    k.content = "窗口要求提供清单以外的材料";
    k.contact_name = "张三";
    k.account_id = std::move(account);
    k.tracking_hash = std::string(64, 'f');
    k.filed_on = "2026-11-28";
    k.due_on = "2026-12-18";
    c.record.phone_sealed = std::move(phone_sealed);
    c.event.at_unix_ms = kT0;
    c.event.on = "2026-11-28";
    c.event.actor_role = "complainant";
    c.event.action = "created";
    c.event.to_state = "submitted";
    c.now_ms = kT0;
    return c;
  }

  Result<std::string> file(app::ComplaintCommit c, std::vector<app::OutboxEvent> outbox = {}) {
    c.outbox = std::move(outbox);
    return complaints_->create(
        "20261128", [&](const std::string&) -> Result<app::ComplaintCommit> { return c; });
  }

  static app::OutboxEvent event(int n, std::string recipient) {
    app::OutboxEvent e;
    e.event_id = event_id(n);
    e.topic = "complaint.submitted";
    e.payload_json = "{}";
    e.recipients = {std::move(recipient)};
    e.created_at = kT0 / 1000;
    return e;
  }

  std::shared_ptr<app::ComplaintRepository> complaints_;
  std::shared_ptr<app::RatingRepository> ratings_;
};

TEST_P(ComplaintContract, NumbersFollowTheDayAndSealedPhonesComeBackByteForByte) {
  // Sealed bytes include NUL and high bytes: they must survive as a blob.
  const std::string sealed("\x01\x00\xff\x80sealed", 10);
  auto a = file(commit_for(core::ComplaintSubject::case_matter, account_id(3), sealed),
                {event(1, account_id(1))});
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto b = file(commit_for(core::ComplaintSubject::staff, "", sealed));
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(*a, "TS2026112800001");
  EXPECT_EQ(*b, "TS2026112800002");

  auto got = complaints_->find(*a);
  ASSERT_TRUE(got.ok() && got->has_value());
  const app::StoredComplaint& s = **got;
  EXPECT_EQ(s.record.phone_sealed, sealed);
  EXPECT_EQ(s.record.c.number, *a);
  EXPECT_EQ(s.record.c.version, 1);
  EXPECT_EQ(s.record.c.state, core::ComplaintState::submitted);
  EXPECT_EQ(s.record.c.content, "窗口要求提供清单以外的材料");
  EXPECT_EQ(s.record.c.account_id, account_id(3));
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].action, "created");
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_id = ?", {event_id(1)}), 1);

  auto none = complaints_->find("TS2026112899999");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(ComplaintContract, AFailedNotificationLeavesNothingBehind) {
  // A recipient that does not exist fails the outbox insert: the complaint goes too.
  auto r = file(commit_for(core::ComplaintSubject::case_matter, "", "s"),
                {event(2, "11111111-1111-4111-8111-111111111111")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM complaints"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM complaint_events"), 0);
}

TEST_P(ComplaintContract, UpdatesCheckTheVersionTheyRead) {
  auto n = file(commit_for(core::ComplaintSubject::department, account_id(3), "s"));
  ASSERT_TRUE(n.ok());
  auto stored = **complaints_->find(*n);
  app::ComplaintCommit c;
  c.record = stored.record;
  c.record.c.state = core::ComplaintState::investigating;
  c.record.c.assignee_id = account_id(1);
  c.record.c.assignee_name = "账号1";
  c.expected_version = 1;
  c.event.action = "assign";
  c.event.from_state = "submitted";
  c.event.to_state = "investigating";
  c.now_ms = kT0 + 1000;
  ASSERT_TRUE(complaints_->update(c).ok());

  auto again = complaints_->update(c);  // still claims version 1
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "stale_version");
  c.record.c.number = "TS2026112899999";
  auto missing = complaints_->update(c);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "complaint_not_found");

  auto after = **complaints_->find(*n);
  EXPECT_EQ(after.record.c.version, 2);
  EXPECT_EQ(after.record.c.state, core::ComplaintState::investigating);
  EXPECT_EQ(after.record.c.assignee_name, "账号1");
  EXPECT_EQ(after.record.phone_sealed, "s");
  ASSERT_EQ(after.events.size(), 2u);
  EXPECT_EQ(after.events[1].action, "assign");
}

TEST_P(ComplaintContract, ListsFilterByComplainantSubjectAndState) {
  ASSERT_TRUE(file(commit_for(core::ComplaintSubject::case_matter, account_id(3), "s")).ok());
  ASSERT_TRUE(file(commit_for(core::ComplaintSubject::staff, account_id(3), "s")).ok());
  ASSERT_TRUE(file(commit_for(core::ComplaintSubject::department, account_id(4), "s")).ok());
  app::ComplaintFilter all;
  EXPECT_EQ(complaints_->list(all)->size(), 3u);
  app::ComplaintFilter mine;
  mine.account_id = account_id(3);
  EXPECT_EQ(complaints_->list(mine)->size(), 2u);
  app::ComplaintFilter no_people;
  no_people.include_staff_subjects = false;
  // Held in a variable: a range-for over *temporary would dangle.
  const auto listed = complaints_->list(no_people);
  ASSERT_TRUE(listed.ok());
  for (const core::Complaint& c : *listed) {
    EXPECT_NE(c.subject, core::ComplaintSubject::staff);
  }
  EXPECT_EQ(complaints_->list(no_people)->size(), 2u);
  app::ComplaintFilter answered;
  answered.state = core::ComplaintState::answered;
  EXPECT_TRUE(complaints_->list(answered)->empty());
}

TEST_P(ComplaintContract, RoleHoldersAndDepartmentNames) {
  auto sup = complaints_->role_holders("supervisor", "");
  ASSERT_TRUE(sup.ok());
  ASSERT_EQ(sup->size(), 1u);
  EXPECT_EQ((*sup)[0].first, account_id(1));
  EXPECT_EQ((*sup)[0].second, "账号1");
  EXPECT_EQ(ratings_->role_holders("business_lead", kDept)->size(), 1u);
  EXPECT_TRUE(ratings_->role_holders("business_lead", "445100-JCJ")->empty());
  EXPECT_EQ(complaints_->department_name(kDept)->value_or(""), "潮州市市场监督管理局");
  EXPECT_FALSE(complaints_->department_name("nope")->has_value());
}

// ---- ratings ----------------------------------------------------------------------------

class RatingContract : public ComplaintContract {
 protected:
  void add_case(const std::string& number, const std::string& state,
                const std::string& updated_on) {
    raw("INSERT INTO cases (number, version, state, title, lead_department_code, "
        "applicant_account_id, updated_on, doc) VALUES (?, 1, ?, '食品经营许可', ?, ?, ?, '{}')",
        {number, state, std::string(kDept), account_id(3), updated_on});
  }

  static app::RatingCommit rating(const std::string& number, core::RatingLevel level) {
    app::RatingCommit c;
    core::Rating& r = c.rating;
    r.case_number = number;
    r.account_id = account_id(3);
    r.department_code = kDept;
    r.department_name = "潮州市市场监督管理局";
    r.item_name = "食品经营许可";
    r.level = level;
    r.rated_on = "2026-12-01";
    if (core::is_bad(level)) {
      r.follow_up = core::FollowUpState::open;
      r.follow_up_due_on = "2026-12-08";
    }
    c.now_ms = kT0;
    return c;
  }
};

TEST_P(RatingContract, OneRatingPerCase) {
  add_case("4451002026112800001", "delivered", "2026-11-30");
  app::RatingCommit first = rating("4451002026112800001", core::RatingLevel::dissatisfied);
  first.outbox.push_back(event(3, account_id(2)));
  auto id = ratings_->insert(first);
  ASSERT_TRUE(id.ok()) << id.error().message;
  app::RatingCommit second = rating("4451002026112800001", core::RatingLevel::satisfied);
  second.outbox.push_back(event(4, account_id(2)));
  auto dup = ratings_->insert(second);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "already_rated");
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_id = ?", {event_id(4)}), 0)
      << "the refused rating's notification is not sent";

  auto got = ratings_->find_by_case("4451002026112800001");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->id, *id);
  EXPECT_EQ((*got)->version, 1);
  EXPECT_EQ((*got)->level, core::RatingLevel::dissatisfied);
  EXPECT_EQ((*got)->follow_up, core::FollowUpState::open);
  EXPECT_EQ((*got)->follow_up_due_on, "2026-12-08");
  EXPECT_EQ(ratings_->find(*id)->value().case_number, "4451002026112800001");
}

TEST_P(RatingContract, FollowUpUpdatesCheckTheVersion) {
  add_case("4451002026112800001", "delivered", "2026-11-30");
  auto id = ratings_->insert(rating("4451002026112800001", core::RatingLevel::very_dissatisfied));
  ASSERT_TRUE(id.ok());
  app::RatingCommit c;
  c.rating = **ratings_->find(*id);
  c.rating.follow_up = core::FollowUpState::closed;
  c.rating.callback_note = "已电话回访";
  c.rating.outcome = "已整改";
  c.rating.follow_up_done_on = "2026-12-03";
  c.expected_version = 1;
  ASSERT_TRUE(ratings_->update(c).ok());
  auto stale = ratings_->update(c);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "stale_version");
  const core::Rating after = **ratings_->find(*id);
  EXPECT_EQ(after.version, 2);
  EXPECT_EQ(after.follow_up, core::FollowUpState::closed);
  EXPECT_EQ(after.callback_note, "已电话回访");
}

TEST_P(RatingContract, UnratedDeliveredCasesForTheDefaultPass) {
  add_case("4451002026112000001", "delivered", "2026-11-20");
  add_case("4451002026112100001", "delivered", "2026-11-21");
  add_case("4451002026112200001", "delivered", "2026-11-22");
  add_case("4451002026112000002", "in_review", "2026-11-20");
  ASSERT_TRUE(ratings_->insert(rating("4451002026112100001", core::RatingLevel::satisfied)).ok());
  auto due = ratings_->unrated_delivered("2026-11-21", 100);
  ASSERT_TRUE(due.ok()) << due.error().message;
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].number, "4451002026112000001");
  EXPECT_EQ((*due)[0].delivered_on, "2026-11-20");
  EXPECT_EQ((*due)[0].department_name, "潮州市市场监督管理局");
  EXPECT_EQ((*due)[0].applicant_account_id, account_id(3));
  EXPECT_EQ(ratings_->unrated_delivered("2026-11-30", 100)->size(), 2u);
  EXPECT_EQ(ratings_->unrated_delivered("2026-11-30", 1)->size(), 1u);
}

TEST_P(RatingContract, ListsBadRatingsByDepartment) {
  add_case("4451002026112000001", "delivered", "2026-11-20");
  add_case("4451002026112100001", "delivered", "2026-11-21");
  ASSERT_TRUE(ratings_->insert(rating("4451002026112000001", core::RatingLevel::satisfied)).ok());
  ASSERT_TRUE(
      ratings_->insert(rating("4451002026112100001", core::RatingLevel::dissatisfied)).ok());
  app::RatingFilter bad;
  bad.bad_only = true;
  ASSERT_EQ(ratings_->list(bad)->size(), 1u);
  bad.departments = {"445100-JCJ"};
  EXPECT_TRUE(ratings_->list(bad)->empty());
  app::RatingFilter open;
  open.follow_up = {core::FollowUpState::open};
  EXPECT_EQ(ratings_->list(open)->size(), 1u);
  EXPECT_EQ(ratings_->list(app::RatingFilter{})->size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Dialects, ComplaintContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);
INSTANTIATE_TEST_SUITE_P(Dialects, RatingContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
