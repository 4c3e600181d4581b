#pragma once
// The port through which use cases leave an audit entry (Art. 24; 等保 2.0 §8.1.4: time,
// user, event, outcome). Implemented by app::AuditLog (hash-chained, signed checkpoints);
// tests use a fake. Every sign-in/out, every write, every permission denial and every
// staff read of an applicant's personal data records one event.
#include <cstdint>
#include <string>

#include "core/result.h"

namespace shenpi::app {

struct AuditEvent {
  std::int64_t at_unix_ms = 0;  //!< when it happened (passed in; use cases take "now")
  std::string actor_id;         //!< account id, or "" for anonymous / system
  std::string actor_name;       //!< login name or display name at the time
  std::string role;             //!< role acted in, e.g. "clerk", "applicant", "system"
  std::string department_code;  //!< department acted for, "" when none
  std::string address;          //!< client address
  std::string request_id;       //!< X-Request-Id of the request, "" outside HTTP
  std::string action;           //!< e.g. "session.login", "account.register", "case.read_personal"
  std::string object_type;      //!< e.g. "account", "case", "item"
  std::string object_id;
  std::string outcome;      //!< "success", "failure" or "denied"
  std::string before_json;  //!< state before a change (masked where personal), "" when none
  std::string after_json;   //!< state after a change, "" when none
};

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  //! Appends one entry durably. On failure the caller must fail its own operation: an
  //! action that cannot be audited is not performed.
  virtual Result<void> record(const AuditEvent& event) = 0;
};

}  // namespace shenpi::app
