// The rules of 好差评: who rates, when, what the default is, and the follow-up of a 差评.
#include "core/ratings/rating.h"

#include <gtest/gtest.h>

namespace shenpi::core {
namespace {

Date d(std::string_view iso) { return *Date::parse(iso); }

RatedCase delivered_case() {
  RatedCase c;
  c.number = "4451002026112800001";
  c.delivered = true;
  c.delivered_on = "2026-11-30";
  c.applicant_account_id = "applicant-1";
  c.department_code = "SCJGJ";
  c.department_name = "潮州市市场监督管理局";
  c.item_name = "食品经营许可";
  return c;
}

TEST(RatingLevelTest, FiveLevelsAndTheTwoBadOnes) {
  const struct {
    RatingLevel level;
    const char* code;
    const char* label;
    bool bad;
  } table[] = {
      {RatingLevel::very_satisfied, "very_satisfied", "非常满意", false},
      {RatingLevel::satisfied, "satisfied", "满意", false},
      {RatingLevel::basically_satisfied, "basically_satisfied", "基本满意", false},
      {RatingLevel::dissatisfied, "dissatisfied", "不满意", true},
      {RatingLevel::very_dissatisfied, "very_dissatisfied", "非常不满意", true},
  };
  ASSERT_EQ(rating_levels().size(), 5u);
  for (const auto& row : table) {
    EXPECT_EQ(to_string(row.level), row.code);
    EXPECT_EQ(label(row.level), row.label);
    EXPECT_EQ(is_bad(row.level), row.bad) << row.code;
    EXPECT_EQ(parse_rating_level(row.code), row.level);
  }
  EXPECT_FALSE(parse_rating_level("meh").has_value());
}

TEST(ApplicantRatingTest, TableOfRatings) {
  const RatingPolicy policy;  // 15 days, default 满意, follow-up in 5 working days
  struct Case {
    const char* what;
    std::string rater;
    bool delivered;
    const char* today;
    RatingLevel level;
    std::string comment;
    const char* error;  // "" when it succeeds
  };
  const Case cases[] = {
      {"on the day of delivery", "applicant-1", true, "2026-11-30", RatingLevel::satisfied, "", ""},
      {"last day of the window", "applicant-1", true, "2026-12-15", RatingLevel::satisfied, "", ""},
      {"after the window", "applicant-1", true, "2026-12-16", RatingLevel::satisfied, "",
       "rating_window_closed"},
      {"someone else", "applicant-2", true, "2026-12-01", RatingLevel::satisfied, "",
       "not_applicant"},
      {"before delivery", "applicant-1", false, "2026-12-01", RatingLevel::satisfied, "",
       "case_not_delivered"},
      {"comment too long", "applicant-1", true, "2026-12-01", RatingLevel::satisfied,
       std::string(501, 'a'), "too_long"},
  };
  for (const Case& c : cases) {
    RatedCase rc = delivered_case();
    rc.delivered = c.delivered;
    auto r = applicant_rating(rc, c.rater, c.level, c.comment, d(c.today), policy, "2026-12-08");
    if (std::string_view(c.error).empty()) {
      ASSERT_TRUE(r.ok()) << c.what << ": " << r.error().message;
      EXPECT_EQ(r->rated_on, c.today);
      EXPECT_FALSE(r->defaulted);
    } else {
      ASSERT_FALSE(r.ok()) << c.what;
      EXPECT_EQ(r.error().code, c.error) << c.what;
    }
  }
}

TEST(ApplicantRatingTest, ABadRatingOpensAFollowUpForTheDepartment) {
  auto r = applicant_rating(delivered_case(), "applicant-1", RatingLevel::very_dissatisfied,
                            "  等了很久  ", d("2026-12-01"), RatingPolicy{}, "2026-12-08");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->comment, "等了很久");
  EXPECT_EQ(r->follow_up, FollowUpState::open);
  EXPECT_EQ(r->follow_up_due_on, "2026-12-08");
  EXPECT_EQ(r->department_code, "SCJGJ");
  auto good = applicant_rating(delivered_case(), "applicant-1", RatingLevel::basically_satisfied,
                               "", d("2026-12-01"), RatingPolicy{}, "2026-12-08");
  EXPECT_EQ(good->follow_up, FollowUpState::none);
  EXPECT_EQ(good->follow_up_due_on, "");
}

TEST(DefaultRatingTest, RecordedOnlyAfterTheWindow) {
  RatingPolicy policy;
  policy.rate_within_days = 15;
  EXPECT_EQ(rating_window_end(d("2026-11-30"), policy), d("2026-12-15"));
  EXPECT_FALSE(default_rating(delivered_case(), d("2026-12-15"), policy, "").has_value());
  auto r = default_rating(delivered_case(), d("2026-12-16"), policy, "");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->defaulted);
  EXPECT_EQ(r->level, RatingLevel::satisfied);
  EXPECT_EQ(r->follow_up, FollowUpState::none);
  RatedCase open = delivered_case();
  open.delivered = false;
  EXPECT_FALSE(default_rating(open, d("2027-06-01"), policy, "").has_value());

  // A configured bad default opens a follow-up like any 差评.
  policy.default_level = RatingLevel::dissatisfied;
  auto bad = default_rating(delivered_case(), d("2026-12-16"), policy, "2026-12-23");
  EXPECT_EQ(bad->follow_up, FollowUpState::open);
  EXPECT_EQ(bad->follow_up_due_on, "2026-12-23");
}

Rating bad_rating() {
  return *applicant_rating(delivered_case(), "applicant-1", RatingLevel::dissatisfied, "",
                           d("2026-12-01"), RatingPolicy{}, "2026-12-08");
}

FollowUpInput callback(std::string note, std::string outcome) {
  FollowUpInput in;
  in.action = FollowUpAction::callback;
  in.callback_note = std::move(note);
  in.outcome = std::move(outcome);
  return in;
}
FollowUpInput appeal(std::string reason) {
  FollowUpInput in;
  in.action = FollowUpAction::appeal;
  in.reason = std::move(reason);
  return in;
}
FollowUpInput decide(bool uphold, std::string note) {
  FollowUpInput in;
  in.action = FollowUpAction::decide_appeal;
  in.uphold = uphold;
  in.note = std::move(note);
  return in;
}

const FollowUpActor kLead{true, false};
const FollowUpActor kCentre{false, true};
const FollowUpActor kNobody{false, false};

TEST(FollowUpTest, CallbackClosesIt) {
  auto r = apply_follow_up(bad_rating(), callback("已电话回访申请人", "已优化窗口排队"), kLead,
                           "2026-12-03");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->follow_up, FollowUpState::closed);
  EXPECT_EQ(r->follow_up_done_on, "2026-12-03");
  EXPECT_TRUE(rating_counts(*r));
}

TEST(FollowUpTest, AppealUpheldAndRejected) {
  auto appealed = apply_follow_up(bad_rating(), appeal("申请人误评"), kLead, "2026-12-02");
  ASSERT_TRUE(appealed.ok());
  EXPECT_EQ(appealed->follow_up, FollowUpState::appealed);
  auto upheld = apply_follow_up(*appealed, decide(true, "经核实，申诉成立"), kCentre, "2026-12-04");
  ASSERT_TRUE(upheld.ok());
  EXPECT_EQ(upheld->follow_up, FollowUpState::appeal_upheld);
  EXPECT_EQ(upheld->appeal_decision, "upheld");
  EXPECT_FALSE(rating_counts(*upheld));

  auto rejected = apply_follow_up(*appealed, decide(false, "理由不成立"), kCentre, "2026-12-04");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->follow_up, FollowUpState::open);
  EXPECT_EQ(rejected->appeal_decision, "rejected");
  // Only one appeal; the callback is still owed.
  auto again = apply_follow_up(*rejected, appeal("再次申诉"), kLead, "2026-12-05");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "appeal_used");
  EXPECT_TRUE(apply_follow_up(*rejected, callback("已回访", "已整改"), kLead, "2026-12-05").ok());
}

TEST(FollowUpTest, TableOfRefusals) {
  const Rating open = bad_rating();
  Rating appealed = open;
  appealed.follow_up = FollowUpState::appealed;
  appealed.appeal_reason = "x";
  Rating closed = open;
  closed.follow_up = FollowUpState::closed;
  struct Case {
    const char* what;
    const Rating* r;
    FollowUpInput in;
    FollowUpActor actor;
    const char* code_or_field;
  };
  const Case cases[] = {
      {"centre calls back", &open, callback("a", "b"), kCentre, "follow_up_denied"},
      {"nobody appeals", &open, appeal("a"), kNobody, "follow_up_denied"},
      {"lead decides the appeal", &appealed, decide(true, "a"), kLead, "follow_up_denied"},
      {"callback without note", &open, callback("", "b"), kLead, "callback_note"},
      {"callback without outcome", &open, callback("a", " "), kLead, "outcome"},
      {"appeal without reason", &open, appeal(""), kLead, "reason"},
      {"decision without note", &appealed, decide(false, ""), kCentre, "note"},
      {"callback while appealed", &appealed, callback("a", "b"), kLead, "follow_up_state"},
      {"decide when not appealed", &open, decide(true, "a"), kCentre, "follow_up_state"},
      {"callback when closed", &closed, callback("a", "b"), kLead, "follow_up_state"},
  };
  for (const Case& c : cases) {
    auto r = apply_follow_up(*c.r, c.in, c.actor, "2026-12-03");
    ASSERT_FALSE(r.ok()) << c.what;
    const std::string& got =
        r.error().kind == ErrorKind::invalid_input ? r.error().field : r.error().code;
    EXPECT_EQ(got, c.code_or_field) << c.what;
  }
}

TEST(FollowUpTest, OverdueAfterItsDueDateWhileOpen) {
  Rating r = bad_rating();  // due 2026-12-08
  EXPECT_FALSE(follow_up_overdue(r, "2026-12-08"));
  EXPECT_TRUE(follow_up_overdue(r, "2026-12-09"));
  r.follow_up = FollowUpState::closed;
  EXPECT_FALSE(follow_up_overdue(r, "2026-12-09"));
}

}  // namespace
}  // namespace shenpi::core
