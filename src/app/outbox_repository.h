#pragma once
// The outbox as the use cases and the dispatcher see it: events in, inbox messages and
// email deliveries out, the event feed by cursor, and each account's contact settings.
// Implemented once for SQLite and PostgreSQL by store::make_outbox_store and held to
// this contract by tests/contract/outbox_store_test.cpp. See docs/decisions/0009-outbox.md.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/outbox.h"
#include "core/result.h"

namespace shenpi::app {

//! The text of one event for its recipients (app/notification_text.h composes it).
struct Notification {
  std::string subject;
  std::string body;
};
using ComposeNotification = std::function<Notification(const OutboxEvent&)>;

//! When to try a failed email again, and when to give up.
struct RetryPolicy {
  std::int64_t first_delay = 60;  //!< seconds after the first failed attempt
  std::int64_t max_delay = 3600;  //!< the cap of the doubling
  int max_attempts = 8;           //!< after this many attempts the delivery is failed

  //! Seconds to wait after the `attempts`-th failed attempt (1-based):
  //! first_delay · 2^(attempts−1), at most max_delay.
  std::int64_t delay_after(int attempts) const {
    std::int64_t d = first_delay;
    for (int i = 1; i < attempts && d < max_delay; ++i) d *= 2;
    return std::min(d, max_delay);
  }
};

struct FanOutReport {
  int events = 0;      //!< events marked fanned out
  int messages = 0;    //!< inbox messages written
  int deliveries = 0;  //!< email deliveries queued
};

//! An email delivery claimed by a dispatcher, with what it needs to send it.
struct EmailDelivery {
  std::int64_t id = 0;
  std::string event_id;
  std::string account_id;
  std::string address_sealed;  //!< opens with associated data email_associated_data(account_id)
  std::string subject;
  std::string body;
  std::string case_number;
  int attempts = 0;  //!< including the one just claimed
  std::int64_t lease_until = 0;
};

//! The state of one delivery, for tests and operators.
struct DeliveryStatus {
  std::int64_t id = 0;
  std::string account_id;
  std::string state;  //!< pending, sending, sent, failed
  int attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::string lease_owner;
  std::optional<std::int64_t> sent_at;
  std::string last_error;
};

//! One event of the feed; event.recipients is left empty (who is told is internal).
struct FeedEvent {
  std::int64_t id = 0;  //!< the cursor: pass the last one seen to events_after
  OutboxEvent event;
};

//! Which departments' events a reader may see.
struct FeedScope {
  bool all = true;
  std::string department_code;  //!< when !all
};

struct InboxMessage {
  std::int64_t id = 0;
  std::string event_id;
  std::string subject;
  std::string body;
  std::string case_number;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> read_at;
};

struct ContactRecord {
  std::string account_id;
  std::string email_sealed;  //!< empty when no address is on file
  std::string email_index;   //!< blind index (purpose "email") of the normalised address
  bool email_enabled = false;
};

//! The associated data an email address is sealed under, binding it to its account.
inline std::string email_associated_data(std::string_view account_id) {
  return "account:" + std::string(account_id) + ":email";
}

class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;

  //! Writes one event in a transaction of its own (the command line, tests). Use cases
  //! that change something write their event inside their own transaction instead, with
  //! store::insert_outbox_event. conflict "event_exists" for a repeated event_id.
  virtual Result<void> append(const OutboxEvent& event) = 0;

  //! Fans out up to `limit` events not yet fanned out, oldest first: one inbox message
  //! per recipient (text from `compose`, called once per event) and one pending email
  //! delivery, due at `now`, per recipient with an enabled address; then marks the
  //! event fanned out. Safe to run on several nodes at once and to repeat: nothing is
  //! written twice (unique per event and recipient).
  virtual Result<FanOutReport> fan_out(int limit, std::int64_t now,
                                       const ComposeNotification& compose) = 0;

  //! Claims up to `limit` email deliveries for `owner` until now + lease_seconds: those
  //! pending and due, and those whose previous owner's lease ran out (a node died while
  //! sending). Each claimed row is marked `sending` and its attempts counted before it is
  //! returned, so no other claimer gets it while the lease lasts. A row whose lease ran
  //! out after the policy's last attempt is marked failed instead of claimed.
  virtual Result<std::vector<EmailDelivery>> claim_due(std::string_view owner, std::int64_t now,
                                                       std::int64_t lease_seconds, int limit) = 0;

  //! Marks a delivery sent; false (and nothing changed) when `owner` no longer holds it.
  virtual Result<bool> mark_sent(std::int64_t id, std::string_view owner, std::int64_t now) = 0;

  //! Records a failed attempt: failed for good when `permanent` or after the policy's
  //! last attempt, else pending again at now + delay_after(attempts). False (and nothing
  //! changed) when `owner` no longer holds it.
  virtual Result<bool> mark_failed(std::int64_t id, std::string_view owner, std::int64_t now,
                                   std::string_view error, bool permanent) = 0;

  //! Every delivery of an event, by id.
  virtual Result<std::vector<DeliveryStatus>> deliveries_of(std::string_view event_id) = 0;

  //! Up to `limit` events with an id greater than `cursor`, in id order, within `scope`.
  //! An event is visible only once committed, and never before one with a smaller id.
  virtual Result<std::vector<FeedEvent>> events_after(std::int64_t cursor, int limit,
                                                      const FeedScope& scope) = 0;

  //! The newest `limit` messages of an account, newest first.
  virtual Result<std::vector<InboxMessage>> inbox(std::string_view account_id, int limit) = 0;
  virtual Result<std::int64_t> unread_count(std::string_view account_id) = 0;
  //! Marks a message of that account read (keeping the first time); not_found
  //! "message_not_found" when it is not theirs.
  virtual Result<void> mark_read(std::string_view account_id, std::int64_t message_id,
                                 std::int64_t now) = 0;

  //! The account's contact settings, or nullopt when never set.
  virtual Result<std::optional<ContactRecord>> contact(std::string_view account_id) = 0;
  //! Creates or replaces the account's contact settings.
  virtual Result<void> set_contact(const ContactRecord& contact) = 0;
};

}  // namespace shenpi::app
