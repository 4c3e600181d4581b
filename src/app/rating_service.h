#pragma once
// The use cases of ratings (好差评): the applicant rates a delivered case; the default
// rating is recorded for cases not rated in time; a 差评 opens a follow-up that the
// handling department's business lead closes with a callback note and outcome, or
// appeals once to the service centre, whose administrator decides.
//
// Default ratings: record_defaults(today) records the default for every delivered case
// whose rating window has ended. It runs on read (before a rating or the follow-up list
// is shown, so nobody ever sees a case without the rating it should have), and as a job
// (`shenpi ratings default --at DATE`). It is idempotent and safe on several nodes: the
// store keeps one rating per case, and a rating that another node wrote first is skipped.
//
// Every change is written with its notifications (outbox) and its audit entry in one
// transaction (RatingRepository).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/account_service.h"
#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/principal.h"
#include "app/rating_repository.h"
#include "core/ratings/rating.h"
#include "core/result.h"

namespace shenpi::app {

//! The rating of a case as one person sees it.
struct CaseRatingView {
  std::optional<core::Rating> rating;
  bool can_rate = false;    //!< the viewer is the applicant and the window is open
  std::string window_ends;  //!< last day to rate (YYYY-MM-DD); "" before delivery
  bool delivered = false;
};

struct FollowUpView {
  core::Rating rating;
  bool overdue = false;
  std::vector<core::FollowUpAction> allowed_actions;
};

struct RatingServiceDeps {
  std::shared_ptr<RatingRepository> repo;
  std::shared_ptr<CalendarService> calendar;
  std::shared_ptr<AuditLog> audit;
  //! The case as `who` may see it (CaseService::view, adapted by the composition root):
  //! not_found when it does not exist or `who` may not see it.
  std::function<Result<core::RatedCase>(const Principal& who, std::string_view number,
                                        const RequestContext& ctx)>
      rated_case;
  std::function<std::string(std::size_t)> random_bytes;
  core::RatingPolicy policy;
};

struct DefaultsReport {
  int recorded = 0;  //!< default ratings written
  std::vector<std::string> cases;
};

class RatingService {
 public:
  explicit RatingService(RatingServiceDeps deps);

  //! The applicant rates the case (see core::applicant_rating) at `level` (a
  //! to_string(RatingLevel) name). not_found when `who` may not see the case (checked
  //! first, so that nothing else is told about it); invalid_input "bad_level" (field
  //! "level") for an unknown level; conflict "already_rated" for a second rating. A 差评
  //! notifies the department's business leads.
  Result<core::Rating> rate(const Principal& who, std::string_view number, std::string_view level,
                            std::string_view comment, const RequestContext& ctx);

  //! The case's rating for whoever may see the case; records the default first when due.
  Result<CaseRatingView> of_case(const Principal& who, std::string_view number,
                                 const RequestContext& ctx);

  //! The follow-ups `who` handles or oversees: business leads, their departments' 差评;
  //! the centre and the bureau, every 差评; nobody else has any (an empty list). Those
  //! waiting for someone first.
  Result<std::vector<FollowUpView>> follow_ups(const Principal& who, const RequestContext& ctx);

  //! One follow-up, for the same readers; not_found otherwise.
  Result<FollowUpView> follow_up(const Principal& who, std::int64_t rating_id,
                                 const RequestContext& ctx);

  //! Acts on a follow-up (see core::apply_follow_up); precondition "stale_version".
  Result<FollowUpView> act(const Principal& who, std::int64_t rating_id,
                           const core::FollowUpInput& input, std::int64_t expected_version,
                           const RequestContext& ctx);

  //! Records the default rating of every delivered case whose window ended before
  //! ctx.today (in batches of `batch`), audited as the system.
  Result<DefaultsReport> record_defaults(const RequestContext& ctx, int batch = 500);

  const core::RatingPolicy& policy() const { return d_.policy; }

 private:
  Result<void> write_new(core::Rating r, const Principal* who, const RequestContext& ctx);
  std::string follow_up_due(std::string_view today) const;
  core::FollowUpActor actor_for(const Principal& who, const core::Rating& r) const;
  bool may_oversee(const Principal& who) const;
  FollowUpView to_view(const Principal& who, const core::Rating& r, std::string_view today) const;

  RatingServiceDeps d_;
};

}  // namespace shenpi::app
