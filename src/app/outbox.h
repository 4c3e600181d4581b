#pragma once
// An event leaving the system through the transactional outbox: written in the same
// transaction as the change it reports (store::insert_outbox_event), then fanned out to
// the recipients' inboxes and email, and readable by cursor as the event feed. Receivers
// de-duplicate by event_id. See docs/decisions/0009-outbox.md.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shenpi::app {

struct OutboxEvent {
  std::string event_id;         //!< 32 lower-case hex characters, unique for ever
  std::string topic;            //!< "case.submitted", "case.accepted", …
  std::string case_number;      //!< empty when the event concerns no case
  std::string department_code;  //!< the department that acted; empty for none
  //! A JSON object; for case topics {"number","item_name","state","state_label",
  //! "department_name","reason"} (see app/notification_text.h). Never personal data.
  std::string payload_json;
  std::vector<std::string> recipients;  //!< account ids to tell (inbox, email)
  std::int64_t created_at = 0;          //!< Unix seconds
};

//! A new event id: the creation second as 8 hex digits, then `random` (12 bytes, from a
//! CSPRNG) as 24. Time first so that the indexes keyed by event id (the event's own, its
//! recipients', deliveries' and inbox messages') grow at their right edge instead of
//! touching a random page each: past a few hundred thousand events a random key no longer
//! finds its page in the cache (bench/soak). 96 random bits keep ids unguessable and, within
//! one second, unique for ever in practice. Contract: `random` has exactly 12 bytes.
std::string new_event_id(std::int64_t now_unix_seconds, std::string_view random);

}  // namespace shenpi::app
