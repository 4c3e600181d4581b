#include "store/outbox_store.h"

#include <string>
#include <utility>
#include <vector>

#include "store/db_values.h"
#include "store/outbox_rows.h"
#include "store/sql_lists.h"

namespace shenpi::store {
namespace {

using app::ContactRecord;
using app::DeliveryStatus;
using app::EmailDelivery;
using app::FanOutReport;
using app::FeedEvent;
using app::InboxMessage;
using app::OutboxEvent;

// "?, ?, ?" for an IN list of n values (n ≥ 1).
// The row-locking suffix of a claiming SELECT: other claimers skip what one holds.
const char* skip_locked(const Session& s) {
  return s.dialect() == Dialect::postgres ? " FOR UPDATE SKIP LOCKED" : "";
}

Param optional_text(std::string_view v) {
  if (v.empty()) return nullptr;
  return std::string(v);
}

Param optional_blob(std::string_view v) {
  if (v.empty()) return nullptr;
  return Blob{std::string(v)};
}

class OutboxStore final : public app::OutboxRepository {
 public:
  OutboxStore(std::shared_ptr<Database> db, app::RetryPolicy policy)
      : db_(std::move(db)), policy_(policy) {}

  Result<void> append(const OutboxEvent& event) override {
    return db_->write([&](Session& s) { return insert_outbox_event(s, event); });
  }

  Result<FanOutReport> fan_out(int limit, std::int64_t now,
                               const app::ComposeNotification& compose) override {
    return write_value<FanOutReport>(*db_, [&](Session& s) -> Result<FanOutReport> {
      FanOutReport report;
      SHENPI_ASSIGN(Rows events,
                    s.query(std::string("SELECT event_id, topic, case_number, department_code, "
                                        "payload_json, created_at FROM outbox_events WHERE "
                                        "fanned_out = 0 ORDER BY id LIMIT ?") +
                                skip_locked(s),
                            {std::int64_t{limit}}));
      for (std::size_t i = 0; i < events.size(); ++i) {
        OutboxEvent e;
        e.event_id = events.text(i, 0);
        e.topic = events.text(i, 1);
        e.case_number = events.text(i, 2);
        e.department_code = events.text(i, 3);
        e.payload_json = events.text(i, 4);
        e.created_at = events.int64(i, 5);
        const app::Notification text = compose(e);
        // ON CONFLICT DO NOTHING: a message or delivery already written (by a node that
        // got this far before) stays as it is.
        SHENPI_ASSIGN(const std::int64_t messages,
                      s.exec("INSERT INTO inbox_messages (account_id, event_id, subject, body, "
                             "case_number, created_at) SELECT account_id, event_id, ?, ?, ?, ? "
                             "FROM outbox_recipients WHERE event_id = ? ON CONFLICT DO NOTHING",
                             {text.subject, text.body, e.case_number, now, e.event_id}));
        SHENPI_ASSIGN(
            const std::int64_t deliveries,
            s.exec("INSERT INTO notification_deliveries (event_id, account_id, channel, "
                   "address_sealed, state, attempts, next_attempt_at) SELECT r.event_id, "
                   "r.account_id, 'email', c.email_sealed, 'pending', 0, ? FROM "
                   "outbox_recipients r JOIN account_contacts c ON c.account_id = r.account_id "
                   "WHERE r.event_id = ? AND c.email_enabled = 1 AND c.email_sealed IS NOT NULL "
                   "ON CONFLICT DO NOTHING",
                   {now, e.event_id}));
        SHENPI_TRY(
            s.exec("UPDATE outbox_events SET fanned_out = 1 WHERE event_id = ?", {e.event_id}));
        ++report.events;
        report.messages += static_cast<int>(messages);
        report.deliveries += static_cast<int>(deliveries);
      }
      return report;
    });
  }

  Result<std::vector<EmailDelivery>> claim_due(std::string_view owner, std::int64_t now,
                                               std::int64_t lease_seconds, int limit) override {
    using Out = std::vector<EmailDelivery>;
    return write_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      // A lease that ran out after the last allowed attempt: the node died while sending
      // (perhaps on this very message) too often to try again.
      SHENPI_TRY(
          s.exec("UPDATE notification_deliveries SET state = 'failed', lease_owner = NULL, "
                 "lease_until = NULL, last_error = 'lease expired after the last attempt' "
                 "WHERE state = 'sending' AND lease_until <= ? AND attempts >= ?",
                 {now, std::int64_t{policy_.max_attempts}}));
      SHENPI_ASSIGN(Rows due, s.query(std::string("SELECT id FROM notification_deliveries WHERE "
                                                  "(state = 'pending' AND next_attempt_at <= ?) OR "
                                                  "(state = 'sending' AND lease_until <= ?) "
                                                  "ORDER BY next_attempt_at, id LIMIT ?") +
                                          skip_locked(s),
                                      {now, now, std::int64_t{limit}}));
      Out out;
      if (due.empty()) return out;
      std::vector<Param> ids;
      for (std::size_t i = 0; i < due.size(); ++i) ids.emplace_back(due.int64(i, 0));
      std::vector<Param> params{std::string(owner), now + lease_seconds};
      params.insert(params.end(), ids.begin(), ids.end());
      SHENPI_TRY(
          s.exec("UPDATE notification_deliveries SET state = 'sending', lease_owner = ?, "
                 "lease_until = ?, attempts = attempts + 1 WHERE id IN (" +
                     placeholders(ids.size()) + ")",
                 params));
      SHENPI_ASSIGN(
          Rows rows,
          s.query("SELECT d.id, d.event_id, d.account_id, d.address_sealed, m.subject, m.body, "
                  "m.case_number, d.attempts, d.lease_until FROM notification_deliveries d "
                  "LEFT JOIN inbox_messages m ON m.event_id = d.event_id AND "
                  "m.account_id = d.account_id WHERE d.id IN (" +
                      placeholders(ids.size()) + ") ORDER BY d.next_attempt_at, d.id",
                  ids));
      for (std::size_t i = 0; i < rows.size(); ++i) {
        EmailDelivery d;
        d.id = rows.int64(i, 0);
        d.event_id = rows.text(i, 1);
        d.account_id = rows.text(i, 2);
        d.address_sealed = rows.text(i, 3);
        d.subject = rows.text(i, 4);
        d.body = rows.text(i, 5);
        d.case_number = rows.text(i, 6);
        d.attempts = static_cast<int>(rows.int64(i, 7));
        d.lease_until = rows.int64(i, 8);
        out.push_back(std::move(d));
      }
      return out;
    });
  }

  Result<bool> mark_sent(std::int64_t id, std::string_view owner, std::int64_t now) override {
    return write_value<bool>(*db_, [&](Session& s) -> Result<bool> {
      SHENPI_ASSIGN(const std::int64_t n,
                    s.exec("UPDATE notification_deliveries SET state = 'sent', sent_at = ?, "
                           "lease_owner = NULL, lease_until = NULL, last_error = NULL "
                           "WHERE id = ? AND state = 'sending' AND lease_owner = ?",
                           {now, id, std::string(owner)}));
      return n == 1;
    });
  }

  Result<bool> mark_failed(std::int64_t id, std::string_view owner, std::int64_t now,
                           std::string_view error, bool permanent) override {
    return write_value<bool>(*db_, [&](Session& s) -> Result<bool> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT attempts FROM notification_deliveries WHERE id = ? "
                                    "AND state = 'sending' AND lease_owner = ?",
                                    {id, std::string(owner)}));
      if (r.empty()) return false;
      const int attempts = static_cast<int>(r.int64(0, 0));
      const bool give_up = permanent || attempts >= policy_.max_attempts;
      // Errors come from the mail server; keep them short (they are not shown to users).
      std::string why(error.substr(0, 500));
      SHENPI_ASSIGN(const std::int64_t n,
                    s.exec("UPDATE notification_deliveries SET state = ?, next_attempt_at = ?, "
                           "lease_owner = NULL, lease_until = NULL, last_error = ? "
                           "WHERE id = ? AND lease_owner = ?",
                           {std::string(give_up ? "failed" : "pending"),
                            give_up ? now : now + policy_.delay_after(attempts), why, id,
                            std::string(owner)}));
      return n == 1;
    });
  }

  Result<std::vector<DeliveryStatus>> deliveries_of(std::string_view event_id) override {
    using Out = std::vector<DeliveryStatus>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT id, account_id, state, attempts, next_attempt_at, "
                                    "lease_owner, sent_at, last_error FROM "
                                    "notification_deliveries WHERE event_id = ? ORDER BY id",
                                    {std::string(event_id)}));
      Out out;
      for (std::size_t i = 0; i < r.size(); ++i) {
        DeliveryStatus d;
        d.id = r.int64(i, 0);
        d.account_id = r.text(i, 1);
        d.state = r.text(i, 2);
        d.attempts = static_cast<int>(r.int64(i, 3));
        d.next_attempt_at = r.int64(i, 4);
        d.lease_owner = r.text(i, 5);
        if (!r.is_null(i, 6)) d.sent_at = r.int64(i, 6);
        d.last_error = r.text(i, 7);
        out.push_back(std::move(d));
      }
      return out;
    });
  }

  Result<std::vector<FeedEvent>> events_after(std::int64_t cursor, int limit,
                                              const app::FeedScope& scope) override {
    using Out = std::vector<FeedEvent>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      std::string sql =
          "SELECT id, event_id, topic, case_number, department_code, payload_json, created_at "
          "FROM outbox_events WHERE id > ?";
      std::vector<Param> params{cursor};
      if (!scope.all) {
        sql += " AND department_code = ?";
        params.emplace_back(scope.department_code);
      }
      sql += " ORDER BY id LIMIT ?";
      params.emplace_back(std::int64_t{limit});
      SHENPI_ASSIGN(Rows r, s.query(sql, params));
      Out out;
      for (std::size_t i = 0; i < r.size(); ++i) {
        FeedEvent f;
        f.id = r.int64(i, 0);
        f.event.event_id = r.text(i, 1);
        f.event.topic = r.text(i, 2);
        f.event.case_number = r.text(i, 3);
        f.event.department_code = r.text(i, 4);
        f.event.payload_json = r.text(i, 5);
        f.event.created_at = r.int64(i, 6);
        out.push_back(std::move(f));
      }
      return out;
    });
  }

  Result<std::vector<InboxMessage>> inbox(std::string_view account_id, int limit) override {
    using Out = std::vector<InboxMessage>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT id, event_id, subject, body, case_number, "
                                    "created_at, read_at FROM inbox_messages WHERE "
                                    "account_id = ? ORDER BY id DESC LIMIT ?",
                                    {std::string(account_id), std::int64_t{limit}}));
      Out out;
      for (std::size_t i = 0; i < r.size(); ++i) {
        InboxMessage m;
        m.id = r.int64(i, 0);
        m.event_id = r.text(i, 1);
        m.subject = r.text(i, 2);
        m.body = r.text(i, 3);
        m.case_number = r.text(i, 4);
        m.created_at = r.int64(i, 5);
        if (!r.is_null(i, 6)) m.read_at = r.int64(i, 6);
        out.push_back(std::move(m));
      }
      return out;
    });
  }

  Result<std::int64_t> unread_count(std::string_view account_id) override {
    return read_value<std::int64_t>(*db_, [&](Session& s) -> Result<std::int64_t> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT COUNT(*) FROM inbox_messages WHERE account_id = ? "
                                    "AND read_at IS NULL",
                                    {std::string(account_id)}));
      return r.int64(0, 0);
    });
  }

  Result<void> mark_read(std::string_view account_id, std::int64_t message_id,
                         std::int64_t now) override {
    return db_->write([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT read_at FROM inbox_messages WHERE id = ? AND "
                                    "account_id = ?",
                                    {message_id, std::string(account_id)}));
      if (r.empty()) {
        return make_error(ErrorKind::not_found, "message_not_found", "消息不存在");
      }
      if (!r.is_null(0, 0)) return ok_result();
      SHENPI_TRY(s.exec("UPDATE inbox_messages SET read_at = ? WHERE id = ? AND read_at IS NULL",
                        {now, message_id}));
      return ok_result();
    });
  }

  Result<std::optional<ContactRecord>> contact(std::string_view account_id) override {
    using Out = std::optional<ContactRecord>;
    return read_value<Out>(*db_, [&](Session& s) -> Result<Out> {
      SHENPI_ASSIGN(Rows r, s.query("SELECT email_sealed, email_index, email_enabled FROM "
                                    "account_contacts WHERE account_id = ?",
                                    {std::string(account_id)}));
      if (r.empty()) return Out();
      ContactRecord c;
      c.account_id = std::string(account_id);
      c.email_sealed = r.text(0, 0);
      c.email_index = r.text(0, 1);
      c.email_enabled = r.boolean(0, 2);
      return Out(std::move(c));
    });
  }

  Result<void> set_contact(const ContactRecord& c) override {
    return db_->write([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows known, s.query("SELECT 1 FROM accounts WHERE id = ?", {c.account_id}));
      if (known.empty()) {
        return make_error(ErrorKind::not_found, "account_not_found", "账号不存在");
      }
      SHENPI_TRY(s.exec(
          "INSERT INTO account_contacts (account_id, email_sealed, email_index, email_enabled) "
          "VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET email_sealed = "
          "excluded.email_sealed, email_index = excluded.email_index, email_enabled = "
          "excluded.email_enabled",
          {c.account_id, optional_blob(c.email_sealed), optional_text(c.email_index),
           std::int64_t{c.email_enabled ? 1 : 0}}));
      return ok_result();
    });
  }

 private:
  std::shared_ptr<Database> db_;
  app::RetryPolicy policy_;
};

}  // namespace

std::shared_ptr<app::OutboxRepository> make_outbox_store(std::shared_ptr<Database> db,
                                                         app::RetryPolicy policy) {
  return std::make_shared<OutboxStore>(std::move(db), policy);
}

}  // namespace shenpi::store
