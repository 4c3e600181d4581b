#pragma once
// Ratings of the service (好差评, GB/T 39734 / 39735): after a case is delivered its
// applicant rates it on five levels with an optional comment; when no rating comes within
// the configured number of days the configured default level is recorded for them. The
// two lowest levels are 差评: each opens a follow-up (整改回访) for the department that
// handled the case, due a configured number of working days later, closed with a
// required callback note (回访情况) and outcome (整改结果). The department may instead
// appeal once to the service centre (申诉), whose administrator upholds the appeal (the
// rating no longer counts against the department) or rejects it (the follow-up is open
// again).
//
// Plain data and pure rules: no I/O, no clock; dates are passed in as YYYY-MM-DD.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar/date.h"
#include "core/result.h"

namespace shenpi::core {

//! The five levels, best first.
enum class RatingLevel {
  very_satisfied,       //!< 非常满意
  satisfied,            //!< 满意
  basically_satisfied,  //!< 基本满意
  dissatisfied,         //!< 不满意 (差评)
  very_dissatisfied,    //!< 非常不满意 (差评)
};

//! The follow-up of a 差评.
enum class FollowUpState {
  none,           //!< no follow-up (not a 差评)
  open,           //!< 待整改: the department owes a callback and an outcome
  appealed,       //!< 申诉中: the department appealed to the centre
  closed,         //!< 已整改: callback note and outcome recorded
  appeal_upheld,  //!< 申诉成立: the rating does not count against the department
};

enum class FollowUpAction {
  callback,       //!< department (business lead): the callback note and the outcome
  appeal,         //!< department (business lead): appeal to the centre, once
  decide_appeal,  //!< centre administrator: uphold or reject the appeal
};

struct RatingPolicy {
  //! Calendar days after delivery within which the applicant may rate; after that the
  //! default is recorded.
  int rate_within_days = 15;
  RatingLevel default_level = RatingLevel::satisfied;
  int follow_up_working_days = 5;  //!< the follow-up is due this many working days later
};

struct Rating {
  std::int64_t id = 0;  //!< assigned by the store
  std::int64_t version = 0;
  std::string case_number;
  std::string account_id;  //!< the applicant
  std::string department_code;
  std::string department_name;
  std::string item_name;
  RatingLevel level = RatingLevel::satisfied;
  std::string comment;
  std::string rated_on;
  bool defaulted = false;  //!< recorded by default, not by the applicant (默认评价)

  FollowUpState follow_up = FollowUpState::none;
  std::string follow_up_due_on;
  std::string callback_note;  //!< 回访情况
  std::string outcome;        //!< 整改结果
  std::string follow_up_done_on;
  std::string appeal_reason;
  std::string appealed_on;
  std::string appeal_decision;  //!< "upheld" or "rejected"; "" before a decision
  std::string appeal_note;
  std::string appeal_decided_on;
};

//! The case facts a rating depends on.
struct RatedCase {
  std::string number;
  bool delivered = false;
  std::string delivered_on;
  std::string applicant_account_id;
  std::string department_code;
  std::string department_name;
  std::string item_name;
};

constexpr std::size_t kRatingCommentMax = 500;  //!< characters
constexpr std::size_t kFollowUpTextMax = 2000;  //!< characters

//! The last day the applicant may rate: delivered_on + rate_within_days.
Date rating_window_end(Date delivered_on, const RatingPolicy& policy);

//! True for 不满意 and 非常不满意.
bool is_bad(RatingLevel level);

//! The applicant's rating of `c` on `today`. follow_up_due_on is `follow_up_due` when the
//! level is a 差评 (the caller counts the working days). forbidden "not_applicant" when
//! `rater_id` is not the case's applicant; conflict "case_not_delivered" before delivery;
//! conflict "rating_window_closed" after rating_window_end; invalid_input "too_long"
//! (field "comment") beyond kRatingCommentMax characters.
Result<Rating> applicant_rating(const RatedCase& c, std::string_view rater_id, RatingLevel level,
                                std::string_view comment, Date today, const RatingPolicy& policy,
                                std::string_view follow_up_due);

//! The default rating of a delivered case whose window has ended (today after
//! rating_window_end), or nullopt when it has not ended yet or the case is not delivered.
std::optional<Rating> default_rating(const RatedCase& c, Date today, const RatingPolicy& policy,
                                     std::string_view follow_up_due);

struct FollowUpInput {
  FollowUpAction action = FollowUpAction::callback;
  std::string callback_note;  //!< callback
  std::string outcome;        //!< callback
  std::string reason;         //!< appeal
  bool uphold = false;        //!< decide_appeal
  std::string note;           //!< decide_appeal (required)
};

//! Who acts on a follow-up.
struct FollowUpActor {
  bool department_lead = false;  //!< business lead of the rated department
  bool centre = false;           //!< centre administrator
};

//! The rating after `input` on `today`. forbidden "follow_up_denied" for the wrong actor
//! (callback and appeal: department lead; decide_appeal: centre); conflict
//! "follow_up_state" when the state does not allow it (callback and appeal need open; an
//! appeal is allowed once; decide_appeal needs appealed); invalid_input with `field` for
//! a missing callback_note, outcome, reason or note, or one beyond kFollowUpTextMax.
Result<Rating> apply_follow_up(const Rating& r, const FollowUpInput& input,
                               const FollowUpActor& actor, std::string_view today);

//! True when the follow-up is open (or appealed and then rejected) and today is after
//! its due date.
bool follow_up_overdue(const Rating& r, std::string_view today);

//! True when the rating counts in the department's statistics (not a 差评 upheld on appeal).
bool rating_counts(const Rating& r);

std::string_view to_string(RatingLevel);
std::string_view to_string(FollowUpState);
std::string_view to_string(FollowUpAction);
std::optional<RatingLevel> parse_rating_level(std::string_view);
std::optional<FollowUpState> parse_follow_up_state(std::string_view);
std::optional<FollowUpAction> parse_follow_up_action(std::string_view);
std::string_view label(RatingLevel);  //!< 非常满意 … 非常不满意
std::string_view label(FollowUpState);  //!< 无需整改, 待整改, 申诉中, 已整改, 申诉成立
//! The five levels, best first (for forms).
const std::vector<RatingLevel>& rating_levels();

}  // namespace shenpi::core
