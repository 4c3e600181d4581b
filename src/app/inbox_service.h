#pragma once
// The use cases around notifications: a signed-in user's inbox (站内消息) and email
// settings (邮件通知), and the event feed read by cursor (for now by staff who may read
// the audit trail, and by the system; department API clients come later).
//
// Permissions: the inbox and the settings are one's own (Permission::manage_own_account:
// every applicant, and trained staff); the feed needs Permission::audit_read and is
// limited to the reader's department unless the reader acts city-wide (centre admin,
// supervisor) or is the system. Denials and settings changes are audited.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/account_service.h"
#include "app/audit_sink.h"
#include "app/authorization.h"
#include "app/outbox_repository.h"
#include "app/principal.h"
#include "core/result.h"

namespace shenpi::app {

//! Sealing of the email address; src/main wires it to crypto::Sealer (see
//! crypto/sealer.h), tests pass fakes.
struct ContactCrypto {
  std::function<std::string(std::string_view plaintext, std::string_view associated)> seal;
  std::function<Result<std::string>(std::string_view sealed, std::string_view associated)> open;
  std::function<std::string(std::string_view value, std::string_view purpose)> blind_index;
};

struct InboxView {
  std::vector<InboxMessage> messages;  //!< newest first
  std::int64_t unread = 0;
};

struct NotificationSettings {
  std::string email;  //!< the owner's own address in full; "" when none
  bool email_enabled = false;
};

struct FeedPage {
  std::vector<FeedEvent> events;
  std::int64_t next = 0;  //!< the cursor to pass next time (the last id, or `after`)
};

//! The normalised form of an email address (trimmed, lower case), or invalid_input
//! "bad_email" (field "email"). Only plain addresses are accepted: local part of
//! letters, digits and . _ % + -, a domain of letters, digits, - and at least one dot;
//! nothing that could break out of an SMTP command or a mail header.
Result<std::string> normalise_email(std::string_view email);

//! "z***@example.com": the first character of the local part and the domain.
std::string mask_email(std::string_view email);

class InboxService {
 public:
  static constexpr int kMaxMessages = 200;
  static constexpr int kMaxFeedPage = 500;

  InboxService(std::shared_ptr<OutboxRepository> outbox, std::shared_ptr<AuditSink> audit,
               ContactCrypto crypto);

  //! The newest `limit` (1…kMaxMessages) messages of `who` and the unread count.
  Result<InboxView> inbox(const Principal& who, int limit, const RequestContext& ctx);
  //! Marks one of `who`'s messages read; not_found for another's or no message.
  Result<void> mark_read(const Principal& who, std::int64_t message_id, const RequestContext& ctx);

  Result<NotificationSettings> settings(const Principal& who, const RequestContext& ctx);
  //! Stores the address (sealed, with its blind index) and the switch. invalid_input
  //! "bad_email" for a malformed address, "email_required" to switch email on without one.
  Result<void> update_settings(const Principal& who, const NotificationSettings& settings,
                               const RequestContext& ctx);

  //! Events after `after` (a cursor; 0 for the start), at most `limit` (1…kMaxFeedPage).
  Result<FeedPage> events(const Principal& who, std::int64_t after, int limit,
                          const RequestContext& ctx);

 private:
  Result<void> authorize(const Principal& who, Permission permission, std::string_view action,
                         const RequestContext& ctx);
  Result<void> record(const Principal& who, std::string_view action, std::string_view object_id,
                      std::string_view outcome, const RequestContext& ctx, std::string after_json);

  std::shared_ptr<OutboxRepository> outbox_;
  std::shared_ptr<AuditSink> audit_;
  ContactCrypto crypto_;
};

}  // namespace shenpi::app
