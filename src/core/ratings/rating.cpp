#include "core/ratings/rating.h"

#include <algorithm>
#include <array>
#include <utility>

namespace shenpi::core {
namespace {

std::size_t chars(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

Result<std::string> required_text(std::string_view in, std::string_view field,
                                  std::string_view what) {
  std::string t = trim(in);
  if (t.empty()) {
    return make_error(ErrorKind::invalid_input, "required", "请填写" + std::string(what),
                      std::string(field));
  }
  if (chars(t) > kFollowUpTextMax) {
    return make_error(ErrorKind::invalid_input, "too_long",
                      std::string(what) + "不能超过 2000 个字", std::string(field));
  }
  return t;
}

struct Names {
  std::string_view code, label;
};
constexpr std::array<Names, 5> kLevels{{{"very_satisfied", "非常满意"},
                                        {"satisfied", "满意"},
                                        {"basically_satisfied", "基本满意"},
                                        {"dissatisfied", "不满意"},
                                        {"very_dissatisfied", "非常不满意"}}};
constexpr std::array<Names, 5> kFollowUps{{{"none", "无需整改"},
                                           {"open", "待整改"},
                                           {"appealed", "申诉中"},
                                           {"closed", "已整改"},
                                           {"appeal_upheld", "申诉成立"}}};
constexpr std::array<Names, 3> kFollowUpActions{
    {{"callback", "回访整改"}, {"appeal", "申诉"}, {"decide_appeal", "申诉裁定"}}};

template <typename E, std::size_t N>
std::optional<E> parse(const std::array<Names, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i].code == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

Rating base(const RatedCase& c, RatingLevel level, Date today, std::string_view follow_up_due) {
  Rating r;
  r.case_number = c.number;
  r.account_id = c.applicant_account_id;
  r.department_code = c.department_code;
  r.department_name = c.department_name;
  r.item_name = c.item_name;
  r.level = level;
  r.rated_on = today.iso();
  if (is_bad(level)) {
    r.follow_up = FollowUpState::open;
    r.follow_up_due_on = std::string(follow_up_due);
  }
  return r;
}

}  // namespace

Date rating_window_end(Date delivered_on, const RatingPolicy& policy) {
  return delivered_on.plus_days(std::max(policy.rate_within_days, 0));
}

bool is_bad(RatingLevel level) {
  return level == RatingLevel::dissatisfied || level == RatingLevel::very_dissatisfied;
}

Result<Rating> applicant_rating(const RatedCase& c, std::string_view rater_id, RatingLevel level,
                                std::string_view comment, Date today, const RatingPolicy& policy,
                                std::string_view follow_up_due) {
  if (rater_id.empty() || rater_id != c.applicant_account_id) {
    return make_error(ErrorKind::forbidden, "not_applicant", "只有申请人可以评价本办件");
  }
  const auto delivered = Date::parse(c.delivered_on);
  if (!c.delivered || !delivered) {
    return make_error(ErrorKind::conflict, "case_not_delivered", "办件办结送达后才能评价");
  }
  if (today > rating_window_end(*delivered, policy)) {
    return make_error(ErrorKind::conflict, "rating_window_closed",
                      "评价期限已过（办结后 " + std::to_string(policy.rate_within_days) +
                          " 日内），系统已按默认评价记录");
  }
  std::string text = trim(comment);
  if (chars(text) > kRatingCommentMax) {
    return make_error(ErrorKind::invalid_input, "too_long", "评价内容不能超过 500 个字", "comment");
  }
  Rating r = base(c, level, today, follow_up_due);
  r.comment = std::move(text);
  return r;
}

std::optional<Rating> default_rating(const RatedCase& c, Date today, const RatingPolicy& policy,
                                     std::string_view follow_up_due) {
  const auto delivered = Date::parse(c.delivered_on);
  if (!c.delivered || !delivered || today <= rating_window_end(*delivered, policy)) {
    return std::nullopt;
  }
  Rating r = base(c, policy.default_level, today, follow_up_due);
  r.defaulted = true;
  r.comment = "逾期未评价，系统默认评价";
  return r;
}

Result<Rating> apply_follow_up(const Rating& r, const FollowUpInput& in, const FollowUpActor& actor,
                               std::string_view today) {
  const auto denied = [] {
    return make_error(ErrorKind::forbidden, "follow_up_denied", "您无权办理该差评整改");
  };
  const auto wrong_state = [&] {
    return make_error(ErrorKind::conflict, "follow_up_state",
                      "整改当前状态为“" + std::string(label(r.follow_up)) + "”，不能办理此操作");
  };
  Rating out = r;
  switch (in.action) {
    case FollowUpAction::callback: {
      if (!actor.department_lead) return denied();
      if (r.follow_up != FollowUpState::open) return wrong_state();
      SHENPI_ASSIGN(out.callback_note,
                    required_text(in.callback_note, "callback_note", "回访情况"));
      SHENPI_ASSIGN(out.outcome, required_text(in.outcome, "outcome", "整改结果"));
      out.follow_up = FollowUpState::closed;
      out.follow_up_done_on = std::string(today);
      break;
    }
    case FollowUpAction::appeal: {
      if (!actor.department_lead) return denied();
      if (r.follow_up != FollowUpState::open) return wrong_state();
      if (!r.appeal_reason.empty()) {
        return make_error(ErrorKind::conflict, "appeal_used", "每条差评只能申诉一次");
      }
      SHENPI_ASSIGN(out.appeal_reason, required_text(in.reason, "reason", "申诉理由"));
      out.appealed_on = std::string(today);
      out.follow_up = FollowUpState::appealed;
      break;
    }
    case FollowUpAction::decide_appeal: {
      if (!actor.centre) return denied();
      if (r.follow_up != FollowUpState::appealed) return wrong_state();
      SHENPI_ASSIGN(out.appeal_note, required_text(in.note, "note", "裁定意见"));
      out.appeal_decision = in.uphold ? "upheld" : "rejected";
      out.appeal_decided_on = std::string(today);
      out.follow_up = in.uphold ? FollowUpState::appeal_upheld : FollowUpState::open;
      break;
    }
  }
  return out;
}

bool follow_up_overdue(const Rating& r, std::string_view today) {
  return r.follow_up == FollowUpState::open && !r.follow_up_due_on.empty() &&
         today > std::string_view(r.follow_up_due_on);
}

bool rating_counts(const Rating& r) { return r.follow_up != FollowUpState::appeal_upheld; }

std::string_view to_string(RatingLevel s) { return kLevels[static_cast<std::size_t>(s)].code; }
std::string_view to_string(FollowUpState s) { return kFollowUps[static_cast<std::size_t>(s)].code; }
std::string_view to_string(FollowUpAction s) {
  return kFollowUpActions[static_cast<std::size_t>(s)].code;
}
std::optional<RatingLevel> parse_rating_level(std::string_view s) {
  return parse<RatingLevel>(kLevels, s);
}
std::optional<FollowUpState> parse_follow_up_state(std::string_view s) {
  return parse<FollowUpState>(kFollowUps, s);
}
std::optional<FollowUpAction> parse_follow_up_action(std::string_view s) {
  return parse<FollowUpAction>(kFollowUpActions, s);
}
std::string_view label(RatingLevel s) { return kLevels[static_cast<std::size_t>(s)].label; }
std::string_view label(FollowUpState s) { return kFollowUps[static_cast<std::size_t>(s)].label; }

const std::vector<RatingLevel>& rating_levels() {
  static const std::vector<RatingLevel> kAll{
      RatingLevel::very_satisfied, RatingLevel::satisfied, RatingLevel::basically_satisfied,
      RatingLevel::dissatisfied, RatingLevel::very_dissatisfied};
  return kAll;
}

}  // namespace shenpi::core
