// The calendar use cases over an in-memory repository: the shipped schedules are the
// State Council's, a stored year wins over a shipped one, only the centre may edit (and
// every edit and refusal is audited), and the November reminder.
#include "app/calendar_service.h"

#include <gtest/gtest.h>

#include <map>

#include "app/calendar_json.h"
#include "unit/core/calendar/state_council_schedules.h"

namespace shenpi::app {
namespace {

using core::testing::d;

class MemoryCalendar final : public CalendarRepository {
 public:
  Result<std::vector<core::YearSchedule>> years() override {
    std::vector<core::YearSchedule> out;
    for (const auto& [y, s] : years_) out.push_back(s);
    return out;
  }
  Result<std::optional<core::YearSchedule>> year(int year) override {
    const auto it = years_.find(year);
    if (it == years_.end()) return std::optional<core::YearSchedule>();
    return std::optional<core::YearSchedule>(it->second);
  }
  Result<void> put_year(const core::YearSchedule& s, const std::string& by, std::int64_t) override {
    years_[s.year] = s;
    last_by = by;
    return ok_result();
  }
  std::map<int, core::YearSchedule> years_;
  std::string last_by;
};

class RecordingAudit final : public AuditSink {
 public:
  Result<void> record(const AuditEvent& e) override {
    events.push_back(e);
    return ok_result();
  }
  std::vector<AuditEvent> events;
};

Principal staff(const std::string& role, const std::string& dept) {
  Principal p;
  p.account_id = "acc-" + role;
  p.kind = AccountKind::staff;
  p.username = role + "1";
  p.department_code = dept;
  p.roles = {RoleGrant{role, dept}};
  return p;
}

RequestContext context(const char* today = "2026-11-05") {
  RequestContext c;
  c.now = 1'793'000'000;
  c.today = today;
  c.address = "10.0.0.9";
  return c;
}

TEST(CalendarService, ShippedSchedulesAreTheStateCouncilNotices) {
  auto shipped = shipped_schedules();
  ASSERT_TRUE(shipped.ok()) << shipped.error().message;
  ASSERT_EQ(shipped->size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const core::YearSchedule want =
        core::testing::schedule_of(core::testing::state_council_notices()[i]);
    EXPECT_EQ((*shipped)[i].year, want.year);
    EXPECT_EQ((*shipped)[i].days_off, want.days_off) << want.year;
    EXPECT_EQ((*shipped)[i].make_up_days, want.make_up_days) << want.year;
  }
}

TEST(CalendarService, StoredYearsWinOverShippedOnes) {
  auto repo = std::make_shared<MemoryCalendar>();
  repo->years_[2025] = core::YearSchedule{2025, {d("2025-03-03")}, {}};
  auto service = CalendarService::open(repo, std::make_shared<RecordingAudit>());
  ASSERT_TRUE(service.ok());
  auto cal = (*service)->calendar();
  EXPECT_EQ(cal->years(), (std::vector<int>{2024, 2025, 2026}));
  EXPECT_FALSE(*cal->is_working_day(d("2025-03-03")));
  EXPECT_TRUE(*cal->is_working_day(d("2025-10-01")));  // the shipped holiday was replaced
  EXPECT_TRUE((*service)->stored(2025));
  EXPECT_FALSE((*service)->stored(2024));
  EXPECT_EQ((*service)->year(2027).error().code, "calendar_year_missing");
}

TEST(CalendarService, OnlyTheCentreEditsAndEveryAttemptIsAudited) {
  auto repo = std::make_shared<MemoryCalendar>();
  auto audit = std::make_shared<RecordingAudit>();
  auto service = *CalendarService::open(repo, audit);
  const core::YearSchedule y2027{2027, {d("2027-01-01")}, {}};

  const auto denied = service->put_year(staff("clerk", "445100-SCJGJ"), y2027, context());
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().kind, ErrorKind::forbidden);
  ASSERT_EQ(audit->events.size(), 1u);
  EXPECT_EQ(audit->events[0].outcome, "denied");
  EXPECT_TRUE(repo->years_.empty());

  const Principal centre = staff("centre_admin", "445100-XZFWZX");
  const auto invalid =
      service->put_year(centre, core::YearSchedule{2027, {d("2026-12-31")}, {}}, context());
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().field, "days_off");

  const auto old_snapshot = service->calendar();
  ASSERT_TRUE(service->put_year(centre, y2027, context()).ok());
  EXPECT_EQ(repo->last_by, "acc-centre_admin");
  ASSERT_EQ(audit->events.size(), 2u);
  const AuditEvent& e = audit->events[1];
  EXPECT_EQ(e.action, "calendar.put_year");
  EXPECT_EQ(e.outcome, "success");
  EXPECT_EQ(e.object_id, "2027");
  EXPECT_EQ(e.role, "centre_admin");
  EXPECT_NE(e.after_json.find("2027-01-01"), std::string::npos);
  // New snapshot; the old one handed out before is unchanged.
  EXPECT_TRUE(service->calendar()->has_year(2027));
  EXPECT_FALSE(old_snapshot->has_year(2027));
  // The command line acts as the system.
  ASSERT_TRUE(service->put_year(Principal::system_actor(), y2027, context()).ok());
  EXPECT_EQ(repo->last_by, "system");
  EXPECT_EQ(audit->events.back().actor_name, "system");
  EXPECT_NE(audit->events.back().before_json.find("2027-01-01"), std::string::npos);
}

TEST(CalendarService, RemindsFromNovemberWhileNextYearIsMissing) {
  auto repo = std::make_shared<MemoryCalendar>();
  auto service = *CalendarService::open(repo, std::make_shared<RecordingAudit>());
  struct Case {
    const char* today;
    bool reminded;
  };
  const Case cases[] = {
      {"2026-10-31", false}, {"2026-11-01", true},
      {"2026-12-31", true},  {"2025-11-15", false},  // 2026 is shipped
      {"2027-03-01", false},                         // not yet November
      {"not a date", false},
  };
  for (const Case& c : cases) {
    const auto r = service->missing_year_reminder(c.today);
    EXPECT_EQ(r.has_value(), c.reminded) << c.today;
    if (r) {
      EXPECT_NE(r->find("2027 年节假日安排尚未录入"), std::string::npos) << *r;
    }
  }
  ASSERT_TRUE(
      service->put_year(Principal::system_actor(), core::YearSchedule{2027, {}, {}}, context())
          .ok());
  EXPECT_FALSE(service->missing_year_reminder("2026-11-01").has_value());
}

TEST(CalendarJson, RoundTripsAndNamesTheBadMember) {
  const core::YearSchedule s{2025, {d("2025-01-01")}, {d("2025-01-26")}};
  auto back = year_schedule_from_json(to_json(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->days_off, s.days_off);
  EXPECT_EQ(back->make_up_days, s.make_up_days);
  struct Case {
    const char* text;
    const char* field;
  };
  const Case cases[] = {
      {R"({"days_off":[],"make_up_days":[]})", "year"},
      {R"({"year":"2025","days_off":[],"make_up_days":[]})", "year"},
      {R"({"year":2025,"make_up_days":[]})", "days_off"},
      {R"({"year":2025,"days_off":["2025-02-30"],"make_up_days":[]})", "days_off[0]"},
      {R"({"year":2025,"days_off":["2025-01-01", 5],"make_up_days":[]})", "days_off[1]"},
      {R"({"year":2025,"days_off":[],"make_up_days":"2025-01-26"})", "make_up_days"},
  };
  for (const Case& c : cases) {
    auto r = year_schedule_from_text(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().field, c.field) << c.text;
  }
  EXPECT_EQ(year_schedule_from_text("{not json").error().code, "bad_json");
}

}  // namespace
}  // namespace shenpi::app
