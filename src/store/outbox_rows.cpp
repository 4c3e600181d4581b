#include "store/outbox_rows.h"

#include <algorithm>
#include <string>
#include <vector>

namespace shenpi::store {
namespace {

// The key of the advisory lock that orders outbox inserts on PostgreSQL ("outbox" in
// ASCII); any constant works as long as nothing else uses it.
constexpr std::int64_t kOutboxLockKey = 0x6f7574626f78;

bool is_event_id(std::string_view id) {
  if (id.size() != 32) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Result<void> insert_outbox_event(Session& s, const app::OutboxEvent& event) {
  if (!is_event_id(event.event_id)) {
    return make_error(ErrorKind::invalid_input, "bad_event", "事件编号应为 32 位十六进制字符",
                      "event_id");
  }
  if (event.topic.empty()) {
    return make_error(ErrorKind::invalid_input, "bad_event", "事件主题不能为空", "topic");
  }
  if (s.dialect() == Dialect::postgres) {
    SHENPI_TRY(s.query("SELECT pg_advisory_xact_lock(?)", {kOutboxLockKey}));
  }
  // Checked first so that a repeated id is a clean conflict on both dialects (a failed
  // INSERT would abort the PostgreSQL transaction).
  SHENPI_ASSIGN(Rows taken,
                s.query("SELECT 1 FROM outbox_events WHERE event_id = ?", {event.event_id}));
  if (!taken.empty()) {
    return make_error(ErrorKind::conflict, "event_exists", "事件已存在", "event_id");
  }
  SHENPI_TRY(s.exec(
      "INSERT INTO outbox_events (event_id, topic, case_number, department_code, payload_json, "
      "created_at, fanned_out) VALUES (?, ?, ?, ?, ?, ?, 0)",
      {event.event_id, event.topic, event.case_number, event.department_code,
       event.payload_json.empty() ? std::string("{}") : event.payload_json, event.created_at}));
  std::vector<std::string> recipients = event.recipients;
  std::sort(recipients.begin(), recipients.end());
  recipients.erase(std::unique(recipients.begin(), recipients.end()), recipients.end());
  for (const std::string& account : recipients) {
    if (account.empty()) continue;
    SHENPI_ASSIGN(Rows known, s.query("SELECT 1 FROM accounts WHERE id = ?", {account}));
    if (known.empty()) {
      return make_error(ErrorKind::invalid_input, "recipient_not_found",
                        "收件账号不存在：" + account, "recipients");
    }
    SHENPI_TRY(s.exec("INSERT INTO outbox_recipients (event_id, account_id) VALUES (?, ?)",
                      {event.event_id, account}));
  }
  return ok_result();
}

}  // namespace shenpi::store
