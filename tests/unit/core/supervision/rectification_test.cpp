// Rectification notices and the dashboard's signals (core/supervision/rectification.h):
// a notice's status derived from its deadline and today; what issuing and answering
// accept; deadlines and signals counted in working days through the 2026 National Day
// holiday (10/1–10/7 off, 10/10 a working Saturday).
#include "core/supervision/rectification.h"

#include <gtest/gtest.h>

#include <string>

namespace shenpi::core {
namespace {

Date d(std::string_view iso) { return *Date::parse(iso); }

WorkingCalendar calendar_2026() {
  YearSchedule y;
  y.year = 2026;
  for (const char* off : {"2026-09-25", "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02",
                          "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"}) {
    y.days_off.push_back(d(off));
  }
  y.make_up_days.push_back(d("2026-09-20"));
  y.make_up_days.push_back(d("2026-10-10"));
  WorkingCalendar cal;
  cal.set_year(y);
  return cal;
}

TEST(NoticeStatus, IsDerivedFromTheDeadlineTheReplyAndToday) {
  struct Case {
    NoticeState state;
    const char* due;
    const char* replied;
    const char* today;
    NoticeStatus want;
  };
  const Case cases[] = {
      {NoticeState::open, "2026-10-20", "", "2026-10-16", NoticeStatus::awaiting},
      {NoticeState::open, "2026-10-20", "", "2026-10-20", NoticeStatus::awaiting},  // last day
      {NoticeState::open, "2026-10-20", "", "2026-10-21", NoticeStatus::overdue},
      {NoticeState::answered, "2026-10-20", "2026-10-20", "2026-12-01", NoticeStatus::answered},
      {NoticeState::answered, "2026-10-20", "2026-10-22", "2026-10-22",
       NoticeStatus::answered_late},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(notice_status(c.state, c.due, c.replied, c.today), c.want)
        << c.due << " " << c.replied << " " << c.today;
  }
  EXPECT_TRUE(is_red(NoticeStatus::overdue));
  EXPECT_TRUE(is_red(NoticeStatus::answered_late));
  EXPECT_FALSE(is_red(NoticeStatus::awaiting));
  EXPECT_FALSE(is_red(NoticeStatus::answered));
}

TEST(NoticeStatus, NamesAndLabelsRoundTrip) {
  for (NoticeStatus s : {NoticeStatus::awaiting, NoticeStatus::overdue, NoticeStatus::answered,
                         NoticeStatus::answered_late}) {
    EXPECT_EQ(parse_notice_status(to_string(s)), s);
  }
  EXPECT_EQ(label(NoticeStatus::overdue), "逾期未答复");
  EXPECT_EQ(parse_notice_status("late"), std::nullopt);
  EXPECT_EQ(parse_notice_state("answered"), NoticeState::answered);
  EXPECT_EQ(parse_notice_state("closed"), std::nullopt);
}

TEST(ValidateNotice, AcceptsWhatIsCompleteAndNamesTheFieldOtherwise) {
  struct Case {
    std::string subject;
    std::string body;
    int days;
    const char* code;  // "" when valid
    const char* field;
  };
  const Case cases[] = {
      {"受理超期", "请说明原因。", 5, "", ""},
      {std::string(100 * 3, 'a').substr(0, 0) + std::string(100, 'a'), "x", 1, "", ""},
      {"", "x", 5, "subject_required", "subject"},
      {" \t\xE3\x80\x80", "x", 5, "subject_required", "subject"},  // blank, ideographic space
      {std::string(101, 'a'), "x", 5, "subject_too_long", "subject"},
      {"受理超期", "\n", 5, "body_required", "body"},
      {"受理超期", "x", 0, "bad_reply_days", "reply_days"},
      {"受理超期", "x", 61, "bad_reply_days", "reply_days"},
      {"受理超期", "x", 60, "", ""},
  };
  for (const Case& c : cases) {
    const Result<void> r = validate_notice(c.subject, c.body, c.days);
    if (std::string(c.code).empty()) {
      EXPECT_TRUE(r.ok()) << c.subject << " " << c.days;
    } else {
      ASSERT_FALSE(r.ok()) << c.code;
      EXPECT_EQ(r.error().code, c.code);
      EXPECT_EQ(r.error().field, c.field);
      EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    }
  }
  // 100 Chinese characters are 300 bytes and still fit.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "整";
  EXPECT_TRUE(validate_notice(hundred, "x", 5).ok());
  EXPECT_FALSE(validate_notice(hundred + "改", "x", 5).ok());
  EXPECT_EQ(validate_reply("").error().code, "reply_required");
  EXPECT_TRUE(validate_reply("已整改。").ok());
}

TEST(ReplyDueOn, CountsWorkingDaysThroughTheHoliday) {
  const WorkingCalendar cal = calendar_2026();
  struct Case {
    const char* issued;
    int days;
    const char* want;
  };
  const Case cases[] = {
      {"2026-10-16", 2, "2026-10-20"},  // Friday: Monday and Tuesday
      {"2026-09-30", 1, "2026-10-08"},  // the holiday week does not count
      {"2026-09-30", 2, "2026-10-09"},
      {"2026-09-30", 3, "2026-10-10"},  // the working Saturday counts
      {"2027-03-05", 1, "2027-03-08"},  // no 2027 schedule: Monday–Friday
  };
  for (const Case& c : cases) {
    EXPECT_EQ(reply_due_on(cal, d(c.issued), c.days).iso(), c.want) << c.issued;
  }
}

TEST(DueSignal, RedBeforeTodayYellowThroughYellowUntilGreenAfter) {
  const WorkingCalendar cal = calendar_2026();
  EXPECT_EQ(yellow_until(cal, d("2026-09-30"), 2).iso(), "2026-10-09");
  EXPECT_EQ(yellow_until(cal, d("2026-10-12"), 0).iso(), "2026-10-12");
  struct Case {
    const char* due;
    DueSignal want;
  };
  const Case cases[] = {{"2026-10-11", DueSignal::red},
                        {"2026-10-12", DueSignal::yellow},
                        {"2026-10-14", DueSignal::yellow},
                        {"2026-10-15", DueSignal::green}};
  for (const Case& c : cases) {
    EXPECT_EQ(due_signal(c.due, "2026-10-12", "2026-10-14"), c.want) << c.due;
  }
  EXPECT_EQ(label(DueSignal::yellow), "黄灯");
  EXPECT_EQ(working_days_late(cal, d("2026-10-10"), d("2026-10-16")), 5);
  EXPECT_EQ(working_days_late(cal, d("2026-10-09"), d("2026-10-16")), 6);  // 10/10 worked
  EXPECT_EQ(working_days_late(cal, d("2026-09-30"), d("2026-10-08")), 1);
  EXPECT_EQ(working_days_late(cal, d("2026-10-16"), d("2026-10-16")), 0);
}

}  // namespace
}  // namespace shenpi::core
