#pragma once
// The port through which the rating use cases reach storage. Implemented once in
// src/store/rating_store.cpp for SQLite and PostgreSQL; tests/contract/rating_store_test.cpp
// holds both to it. A rating or a follow-up change, its notifications (outbox) and its
// audit entry are written in ONE transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/audit_repository.h"
#include "app/outbox.h"
#include "core/ratings/rating.h"
#include "core/result.h"

namespace shenpi::app {

struct RatingCommit {
  core::Rating rating;
  //! update(): the version the change was computed from (precondition "stale_version"
  //! otherwise). insert(): ignored; the rating is stored with version 1.
  std::int64_t expected_version = 0;
  std::vector<OutboxEvent> outbox;
  std::optional<AuditAppend> audit;
  std::int64_t now_ms = 0;
};

struct RatingFilter {
  std::vector<std::string> departments;        //!< empty: every department
  std::vector<core::FollowUpState> follow_up;  //!< empty: any
  bool bad_only = false;                       //!< only 差评
  int limit = 200;
};

//! A delivered case without a rating yet, as the default pass needs it.
struct UnratedCase {
  std::string number;
  std::string applicant_account_id;
  std::string department_code;
  std::string department_name;
  std::string item_name;
  std::string delivered_on;  //!< the case's last change (delivery is final)
};

class RatingRepository {
 public:
  virtual ~RatingRepository() = default;

  //! Stores a new rating (version 1) and returns its id. conflict "already_rated" when the
  //! case has a rating (also when another node rated it at the same moment).
  virtual Result<std::int64_t> insert(const RatingCommit& commit) = 0;

  //! Writes a change of the rating with commit.rating.id. not_found "rating_not_found";
  //! precondition "stale_version".
  virtual Result<void> update(const RatingCommit& commit) = 0;

  virtual Result<std::optional<core::Rating>> find(std::int64_t id) = 0;
  virtual Result<std::optional<core::Rating>> find_by_case(std::string_view case_number) = 0;

  //! Ratings matching the filter, newest first.
  virtual Result<std::vector<core::Rating>> list(const RatingFilter& filter) = 0;

  //! Up to `limit` delivered cases whose delivery day is on or before `delivered_by` and
  //! that have no rating, oldest delivery first.
  virtual Result<std::vector<UnratedCase>> unrated_delivered(std::string_view delivered_by,
                                                             int limit) = 0;

  //! Account ids of the staff holding `role` (in `department_code` when not empty).
  virtual Result<std::vector<std::string>> role_holders(std::string_view role,
                                                        std::string_view department_code) = 0;
};

}  // namespace shenpi::app
