// app::PerformanceRepository as implemented by store::make_performance_store, on both
// dialects: a period reads the cases with an event in it (and no other), the warnings,
// upheld complaints, ratings and extensions of the period, and the cases those name even
// when nothing else happened to them in the period.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "app/case_json.h"
#include "contract/scratch_database.h"
#include "store/performance_store.h"

namespace shenpi::store {
namespace {

constexpr const char* kD1 = "445100-SCJGJ";

class PerformanceContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = make_performance_store(db_);
  }

  //! A submitted case row as the case store writes it.
  void add_case(const std::string& number, const std::string& state,
                const std::string& submitted_on, const std::string& updated_on) {
    core::Case c;
    c.number = number;
    c.version = 1;
    c.state = *core::parse_case_state(state);
    c.lead_department_code = kD1;
    c.applicant_account_id = "A";
    c.submitted_on = submitted_on;
    core::CasePart p;
    p.item_code = "I1";
    p.department_code = kD1;
    c.parts.push_back(p);
    const std::string doc = app::case_to_json(c);
    exec(
        "INSERT INTO cases (number, version, state, lead_department_code, "
        "applicant_account_id, submitted_on, updated_on, doc) VALUES (?, 1, ?, ?, 'A', ?, ?, ?)",
        {number, state, std::string(kD1), submitted_on, updated_on, doc});
  }

  void exec(const std::string& sql, const std::vector<Param>& params = {}) {
    ASSERT_TRUE(db_->write([&](Session& s) -> Result<void> {
                     SHENPI_TRY(s.exec(sql, params));
                     return ok_result();
                   })
                    .ok())
        << sql;
  }

  void add_complaint(const std::string& number, const std::string& case_number,
                     const std::string& outcome, const std::string& answered_on) {
    exec(
        "INSERT INTO complaints (number, version, state, subject, case_number, "
        "department_code, department_name, content, contact_name, phone_sealed, "
        "tracking_hash, filed_on, outcome, answered_on) VALUES (?, 1, 'answered', 'case', ?, "
        "?, '潮州市市场监督管理局', '内容', '李四', ?, ?, '2026-10-01', ?, ?)",
        {number, case_number, std::string(kD1), Blob{"sealed"}, std::string(64, 'f'), outcome,
         answered_on});
  }

  void add_rating(const std::string& case_number, const std::string& level,
                  const std::string& rated_on, const std::string& follow_up = "none") {
    exec(
        "INSERT INTO ratings (case_number, version, account_id, department_code, level, "
        "rated_on, follow_up) VALUES (?, 1, 'A', ?, ?, ?, ?)",
        {case_number, std::string(kD1), level, rated_on, follow_up});
  }

  static std::set<std::string> numbers(const core::PerformanceInput& in) {
    std::set<std::string> out;
    for (const core::Case& c : in.cases) out.insert(c.number);
    return out;
  }

  std::shared_ptr<app::PerformanceRepository> store_;
};

TEST_P(PerformanceContract, ReadsTheCasesWithAnEventInThePeriodAndTheCasesRecordsName) {
  add_case("N1", "delivered", "2026-11-02", "2026-11-20");  // inside
  add_case("N2", "in_review", "2026-10-20", "2026-11-01");  // changed on the first day
  add_case("N3", "delivered", "2026-09-01", "2026-10-31");  // all before
  add_case("N4", "submitted", "2026-12-01", "2026-12-01");  // after
  add_case("N5", "delivered", "2026-08-01", "2026-08-20");  // named by a rating only
  add_case("N6", "in_review", "2026-08-01", "2026-08-02");  // named by a warning only
  exec(
      "INSERT INTO cases (number, version, state, applicant_account_id, updated_on, doc) "
      "VALUES ('N7', 1, 'draft', 'A', '2026-11-05', '{}')");  // a draft is never read

  exec(
      "INSERT INTO warnings (case_number, department_code, rule, part_seq, first_seen_on, "
      "last_seen_on) VALUES ('N6', ?, 'case_late', 0, '2026-11-03', '2026-11-10'), "
      "('N3', ?, 'delivery_late', -1, '2026-10-30', '2026-11-02')",
      {std::string(kD1), std::string(kD1)});
  add_complaint("TS1", "N1", "upheld", "2026-11-21");
  add_complaint("TS2", "N3", "not_upheld", "2026-11-21");   // not upheld: not read
  add_complaint("TS3", "", "partly_upheld", "2026-11-30");  // names no case
  add_rating("N5", "dissatisfied", "2026-11-05", "appeal_upheld");
  add_rating("N1", "very_satisfied", "2026-12-01");  // after the period
  exec(
      "INSERT INTO case_events (case_number, at_unix_ms, on_date, department_code, action, "
      "part_seq) VALUES ('N1', 1, '2026-11-10', ?, 'extend', 0), "
      "('N1', 2, '2026-11-11', ?, 'approve', 0)",
      {std::string(kD1), std::string(kD1)});

  Result<core::PerformanceInput> in = store_->read_period("2026-11-01", "2026-11-30", 1000);
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(numbers(*in), (std::set<std::string>{"N1", "N2", "N5", "N6"}));

  ASSERT_EQ(in->warnings.size(), 1u);
  EXPECT_EQ(in->warnings[0].case_number, "N6");
  EXPECT_EQ(in->warnings[0].part_seq, 0);
  EXPECT_EQ(in->warnings[0].department_code, kD1);

  ASSERT_EQ(in->complaints.size(), 2u);
  EXPECT_EQ(in->complaints[0].number, "TS1");
  EXPECT_EQ(in->complaints[0].outcome, core::ComplaintOutcome::upheld);
  EXPECT_EQ(in->complaints[1].outcome, core::ComplaintOutcome::partly_upheld);
  EXPECT_EQ(in->complaints[1].department_name, "潮州市市场监督管理局");

  ASSERT_EQ(in->ratings.size(), 1u);
  EXPECT_EQ(in->ratings[0].level, core::RatingLevel::dissatisfied);
  EXPECT_FALSE(in->ratings[0].counts);  // upheld on appeal

  ASSERT_EQ(in->extensions.size(), 1u);
  EXPECT_EQ(in->extensions[0].case_number, "N1");
  EXPECT_EQ(in->extensions[0].on, "2026-11-10");
}

TEST_P(PerformanceContract, ReadsManyCasesInBatchesAndStopsAtTheLimit) {
  core::Case c;
  c.state = core::CaseState::submitted;
  ASSERT_TRUE(db_->write([&](Session& s) -> Result<void> {
                   for (int i = 0; i < 1200; ++i) {
                     char number[32];
                     std::snprintf(number, sizeof number, "C%05d", i);
                     SHENPI_TRY(
                         s.exec("INSERT INTO cases (number, version, state, "
                                "applicant_account_id, submitted_on, updated_on, doc) "
                                "VALUES (?, 1, 'submitted', 'A', '2026-11-02', "
                                "'2026-11-02', ?)",
                                {std::string(number), (c.number = number, app::case_to_json(c))}));
                   }
                   return ok_result();
                 })
                  .ok());
  Result<core::PerformanceInput> all = store_->read_period("2026-11-01", "2026-11-30", 5000);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(numbers(*all).size(), 1200u);

  Result<core::PerformanceInput> capped = store_->read_period("2026-11-01", "2026-11-30", 1000);
  ASSERT_FALSE(capped.ok());
  EXPECT_EQ(capped.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(capped.error().code, "too_many_cases");
}

INSTANTIATE_TEST_SUITE_P(Dialects, PerformanceContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
