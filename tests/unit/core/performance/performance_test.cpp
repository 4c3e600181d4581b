// Performance figures (绩效评估) over November 2026, on a calendar of weekends only
// (1 November 2026 is a Sunday). Each case below is written out with the working days a
// supervisor would count by hand; the table says which figures each scope must show.
#include "core/performance/performance.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shenpi::core {
namespace {

Date d(std::string_view iso) { return *Date::parse(iso); }

// 2027 too: a bundle's joint limit of 45 days reaches into January.
WorkingCalendar weekends_only_2026() {
  WorkingCalendar cal;
  for (const int year : {2026, 2027}) {
    YearSchedule y;
    y.year = year;
    cal.set_year(y);
  }
  return cal;
}

CasePart part(int seq, std::string item, std::string dept, int promised) {
  CasePart p;
  p.seq = seq;
  p.item_code = std::move(item);
  p.item_name = "事项" + p.item_code;
  p.department_code = std::move(dept);
  p.department_name = "单位" + p.department_code;
  p.promised_limit_days = promised;
  p.legal_limit_days = 20;
  return p;
}

Case single(std::string number, CasePart p, CaseState state, std::string submitted,
            std::string accepted, std::string decided) {
  Case c;
  c.number = std::move(number);
  c.state = state;
  c.lead_department_code = p.department_code;
  c.lead_department_name = p.department_name;
  c.submitted_on = submitted;
  c.received_on = submitted;
  c.accepted_on = accepted;
  c.decided_on = decided;
  if (!decided.empty()) {
    p.decided_on = decided;
    p.state = state == CaseState::refused ? PartState::refused : PartState::approved;
  } else if (!accepted.empty()) {
    p.state = PartState::review;
  }
  c.parts.push_back(std::move(p));
  return c;
}

// The November fixture:
//  A  I1/D1, limit 10: submitted 11-02, accepted 11-03, approved 11-10: 5 days, on time;
//  B  I1/D1, limit 5: submitted 10-28, accepted 10-29, refused 11-09: 7 days (10-30,
//     11-02 … 11-06, 11-09), due 11-05, late;
//  C  bundle, lead D1: part 0 I1/D1 approved 11-06 (4 days); part 1 I2/D2 suspended
//     11-04 until 11-11 (11-05 … 11-11 not counted: 5 days), extended on 11-12, approved
//     11-20: 14 − 5 = 9 days, on time; the case is decided 11-20 after 9 days on the
//     joint clock;
//  D  I2/D2: submitted 11-25, not yet accepted;
//  E  I3/D3: submitted 12-01, outside the period; F a draft.
PerformanceInput november() {
  PerformanceInput in;
  in.from = d("2026-11-01");
  in.to = d("2026-11-30");
  in.cases.push_back(single("A", part(0, "I1", "D1", 10), CaseState::delivered, "2026-11-02",
                            "2026-11-03", "2026-11-10"));
  in.cases.push_back(single("B", part(0, "I1", "D1", 5), CaseState::refused, "2026-10-28",
                            "2026-10-29", "2026-11-09"));
  Case c;
  c.number = "C";
  c.state = CaseState::approved;
  c.bundle_code = "BN";
  c.lead_department_code = "D1";
  c.lead_department_name = "单位D1";
  c.submitted_on = c.received_on = c.accepted_on = "2026-11-02";
  c.decided_on = "2026-11-20";
  CasePart p0 = part(0, "I1", "D1", 10);
  p0.state = PartState::approved;
  p0.decided_on = "2026-11-06";
  CasePart p1 = part(1, "I2", "D2", 10);
  p1.state = PartState::approved;
  p1.decided_on = "2026-11-20";
  p1.extension_days = 10;
  p1.suspensions.push_back(CaseSuspension{"2026-11-04", "2026-11-11", "检测", "送检", 5, "review"});
  c.parts = {p0, p1};
  in.cases.push_back(c);
  in.cases.push_back(
      single("D", part(0, "I2", "D2", 10), CaseState::submitted, "2026-11-25", "", ""));
  in.cases.push_back(
      single("E", part(0, "I3", "D3", 10), CaseState::submitted, "2026-12-01", "", ""));
  Case f = single("F", part(0, "I3", "D3", 10), CaseState::draft, "", "", "");
  in.cases.push_back(f);

  in.warnings = {{"B", "D1", "单位D1", -1, "2026-11-06"},
                 {"C", "D2", "单位D2", 1, "2026-11-25"},
                 {"A", "D1", "单位D1", -1, "2026-10-31"}};  // before the period
  in.complaints = {{"TS1", "A", "D1", "单位D1", ComplaintOutcome::upheld, "2026-11-20"},
                   {"TS2", "", "D2", "单位D2", ComplaintOutcome::partly_upheld, "2026-11-21"},
                   {"TS3", "B", "D1", "单位D1", ComplaintOutcome::not_upheld, "2026-11-21"}};
  in.ratings = {{"A", "D1", "单位D1", RatingLevel::very_satisfied, "2026-11-12", true},
                {"C", "D1", "单位D1", RatingLevel::dissatisfied, "2026-11-22", true},
                // a 差评 whose appeal was upheld does not count
                {"B", "D1", "单位D1", RatingLevel::very_dissatisfied, "2026-11-23", false}};
  in.extensions = {{"C", 1, "D2", "2026-11-12"}};
  return in;
}

PerformanceFigures figures(int received, int accepted, int decided, int approved, int on_time,
                           int late, double average, int p90, int suspensions, int extensions,
                           int warnings, int complaints, std::array<int, kRatingLevels> ratings) {
  PerformanceFigures f;
  f.received = received;
  f.accepted = accepted;
  f.decided = decided;
  f.approved = approved;
  f.on_time = on_time;
  f.late = late;
  f.average_days = average;
  f.p90_days = p90;
  f.suspensions = suspensions;
  f.extensions = extensions;
  f.warnings = warnings;
  f.complaints_upheld = complaints;
  f.ratings = ratings;
  return f;
}

struct Expected {
  std::string scope;  // "city", "dept D1", "item D1/I1"
  PerformanceFigures figures;
};

TEST(Performance, NovemberFixtureByCityDepartmentAndItem) {
  const PerformanceReport r = aggregate_performance(november(), weekends_only_2026());
  const std::vector<Expected> table = {
      // received A C D; accepted A C; decided A B C (5, 7, 9 days); C once for the city
      {"city", figures(3, 2, 3, 2, 2, 1, 7.0, 9, 1, 1, 2, 2, {1, 0, 0, 1, 0})},
      // D1: A, B and C's part 0 (5, 7, 4 days)
      {"dept D1", figures(2, 2, 3, 2, 2, 1, 16.0 / 3, 7, 0, 0, 1, 1, {1, 0, 0, 1, 0})},
      // D2: C's part 1 (9 days), D received
      {"dept D2", figures(2, 1, 1, 1, 1, 0, 9.0, 9, 1, 1, 1, 1, {0, 0, 0, 0, 0})},
      {"item D1/I1", figures(2, 2, 3, 2, 2, 1, 16.0 / 3, 7, 0, 0, 1, 1, {1, 0, 0, 1, 0})},
      // the complaint TS2 names no case: it counts for D2, not for an item
      {"item D2/I2", figures(2, 1, 1, 1, 1, 0, 9.0, 9, 1, 1, 1, 0, {0, 0, 0, 0, 0})},
  };
  for (const Expected& e : table) {
    SCOPED_TRACE(e.scope);
    const PerformanceFigures* got = nullptr;
    if (e.scope == "city") got = &r.city;
    for (const auto& dp : r.departments) {
      if (e.scope == "dept " + dp.department_code) got = &dp.figures;
    }
    for (const auto& ip : r.items) {
      if (e.scope == "item " + ip.department_code + "/" + ip.item_code) got = &ip.figures;
    }
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->received, e.figures.received);
    EXPECT_EQ(got->accepted, e.figures.accepted);
    EXPECT_EQ(got->decided, e.figures.decided);
    EXPECT_EQ(got->approved, e.figures.approved);
    EXPECT_EQ(got->on_time, e.figures.on_time);
    EXPECT_EQ(got->late, e.figures.late);
    EXPECT_DOUBLE_EQ(got->average_days, e.figures.average_days);
    EXPECT_EQ(got->p90_days, e.figures.p90_days);
    EXPECT_EQ(got->suspensions, e.figures.suspensions);
    EXPECT_EQ(got->extensions, e.figures.extensions);
    EXPECT_EQ(got->warnings, e.figures.warnings);
    EXPECT_EQ(got->complaints_upheld, e.figures.complaints_upheld);
    EXPECT_EQ(got->ratings, e.figures.ratings);
    EXPECT_FALSE(got->provisional);
  }
  // D3 had nothing in November (E was submitted in December, F is a draft).
  ASSERT_EQ(r.departments.size(), 2u);
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_EQ(r.departments[0].department_name, "单位D1");
  EXPECT_EQ(r.items[1].item_name, "事项I2");
}

TEST(Performance, ADepartmentWithTwoPartsOfOneBundleCountsTheCaseOnce) {
  PerformanceInput in;
  in.from = d("2026-11-01");
  in.to = d("2026-11-30");
  Case c;
  c.number = "G";
  c.state = CaseState::refused;
  c.bundle_code = "BN";
  c.lead_department_code = "D1";
  c.submitted_on = c.received_on = c.accepted_on = "2026-11-02";
  c.decided_on = "2026-11-13";
  CasePart p0 = part(0, "I1", "D1", 5);  // due 11-09
  p0.state = PartState::approved;
  p0.decided_on = "2026-11-05";  // 3 days, on time
  CasePart p1 = part(1, "I2", "D1", 5);
  p1.state = PartState::refused;
  p1.decided_on = "2026-11-13";  // 9 days, 4 late
  c.parts = {p0, p1};
  in.cases.push_back(c);
  const PerformanceReport r = aggregate_performance(in, weekends_only_2026());
  ASSERT_EQ(r.departments.size(), 1u);
  const PerformanceFigures& dept = r.departments[0].figures;
  EXPECT_EQ(dept.received, 1);
  EXPECT_EQ(dept.decided, 1);
  EXPECT_EQ(dept.late, 1);  // one part late: the department was late on this case
  EXPECT_EQ(dept.approved, 0);
  EXPECT_DOUBLE_EQ(dept.average_days, 9.0);  // the longest of its parts
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_EQ(r.items[0].figures.on_time, 1);
  EXPECT_EQ(r.items[1].figures.late, 1);
  // The city once, on the joint clock (45 days): on time.
  EXPECT_EQ(r.city.received, 1);
  EXPECT_EQ(r.city.decided, 1);
  EXPECT_EQ(r.city.on_time, 1);
  EXPECT_DOUBLE_EQ(r.city.average_days, 9.0);
}

TEST(Performance, Percentile90ByNearestRank) {
  struct Row {
    std::vector<int> values;
    int p90;
  };
  const std::vector<Row> table = {
      {{}, 0},
      {{4}, 4},
      {{9, 4, 7}, 9},                             // rank ceil(2.7) = 3
      {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 9},       // rank 9
      {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 10},  // rank ceil(9.9) = 10
      {{5, 5, 5, 5, 20}, 20},                     // rank ceil(4.5) = 5
  };
  for (const Row& row : table) EXPECT_EQ(percentile90(row.values), row.p90);
}

}  // namespace
}  // namespace shenpi::core
