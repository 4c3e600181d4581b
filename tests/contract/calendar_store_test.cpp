// The calendar repository on both dialects: a stored year reads back exactly, replacing a
// year replaces all of it in one transaction, years are independent, and the service over
// the real store lets a stored year win over the shipped one.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/calendar_service.h"
#include "contract/scratch_database.h"
#include "store/calendar_store.h"

namespace shenpi::store {
namespace {

core::Date d(const char* iso) { return *core::Date::parse(iso); }

class NullAudit final : public app::AuditSink {
 public:
  Result<void> record(const app::AuditEvent&) override { return ok_result(); }
};

class CalendarContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    repo_ = make_calendar_store(db_);
  }
  void TearDown() override {
    repo_.reset();
    DialectTest::TearDown();
  }
  std::shared_ptr<app::CalendarRepository> repo_;
};

TEST_P(CalendarContract, EmptyAtFirst) {
  auto years = repo_->years();
  ASSERT_TRUE(years.ok()) << years.error().message;
  EXPECT_TRUE(years->empty());
  auto y = repo_->year(2027);
  ASSERT_TRUE(y.ok());
  EXPECT_FALSE(y->has_value());
}

TEST_P(CalendarContract, StoredYearReadsBackSorted) {
  const core::YearSchedule s{2027,
                             {d("2027-02-06"), d("2027-01-01"), d("2027-02-05")},
                             {d("2027-02-20"), d("2027-01-31")}};
  ASSERT_TRUE(repo_->put_year(s, "acc-centre", 1'800'000'000'000).ok());
  auto y = repo_->year(2027);
  ASSERT_TRUE(y.ok() && y->has_value());
  EXPECT_EQ((*y)->year, 2027);
  EXPECT_EQ((*y)->days_off,
            (std::vector<core::Date>{d("2027-01-01"), d("2027-02-05"), d("2027-02-06")}));
  EXPECT_EQ((*y)->make_up_days, (std::vector<core::Date>{d("2027-01-31"), d("2027-02-20")}));
}

TEST_P(CalendarContract, ReplacingAYearReplacesAllOfItAndLeavesOthers) {
  ASSERT_TRUE(repo_->put_year({2027, {d("2027-01-01")}, {d("2027-02-20")}}, "a", 1).ok());
  ASSERT_TRUE(repo_->put_year({2028, {d("2028-01-01")}, {}}, "a", 2).ok());
  // A day that was make-up before may be a day off now (the old row is gone).
  ASSERT_TRUE(repo_->put_year({2027, {d("2027-02-20")}, {}}, "b", 3).ok());
  auto years = repo_->years();
  ASSERT_TRUE(years.ok());
  ASSERT_EQ(years->size(), 2u);
  EXPECT_EQ((*years)[0].year, 2027);
  EXPECT_EQ((*years)[0].days_off, (std::vector<core::Date>{d("2027-02-20")}));
  EXPECT_TRUE((*years)[0].make_up_days.empty());
  EXPECT_EQ((*years)[1].days_off, (std::vector<core::Date>{d("2028-01-01")}));
}

TEST_P(CalendarContract, AYearWithEmptyListsIsStillAKnownYear) {
  ASSERT_TRUE(repo_->put_year({2029, {}, {}}, "a", 1).ok());
  auto y = repo_->year(2029);
  ASSERT_TRUE(y.ok() && y->has_value());
  EXPECT_TRUE((*y)->days_off.empty());
}

TEST_P(CalendarContract, AFailedReplacementLeavesTheYearAsItWas) {
  ASSERT_TRUE(repo_->put_year({2027, {d("2027-01-01")}, {}}, "a", 1).ok());
  // The same day twice violates the key: nothing of the second write may remain.
  auto bad = repo_->put_year({2027, {d("2027-03-01"), d("2027-03-01")}, {}}, "a", 2);
  EXPECT_FALSE(bad.ok());
  auto y = repo_->year(2027);
  ASSERT_TRUE(y.ok() && y->has_value());
  EXPECT_EQ((*y)->days_off, (std::vector<core::Date>{d("2027-01-01")}));
}

TEST_P(CalendarContract, ServiceOverTheStoreLetsStoredYearsWin) {
  auto service = app::CalendarService::open(repo_, std::make_shared<NullAudit>());
  ASSERT_TRUE(service.ok()) << service.error().message;
  EXPECT_TRUE(*(*service)->calendar()->add_working_days(d("2025-09-30"), 1) == d("2025-10-09"));
  ASSERT_TRUE((*service)
                  ->put_year(app::Principal::system_actor(), {2025, {}, {}}, app::RequestContext{})
                  .ok());
  EXPECT_EQ((*service)->calendar()->add_working_days(d("2025-09-30"), 1)->iso(), "2025-10-01");
  // A second service (another node) sees it on open.
  auto other = app::CalendarService::open(repo_, std::make_shared<NullAudit>());
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE((*other)->stored(2025));
  EXPECT_EQ((*other)->calendar()->add_working_days(d("2025-09-30"), 1)->iso(), "2025-10-01");
}

INSTANTIATE_TEST_SUITE_P(Dialects, CalendarContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
