#include "store/outbox_rows.h"

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "store/sql_lists.h"

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

// Calls `f` with `values` as parameters, a thousand at a time.
Result<void> for_each_slice(const std::vector<std::string>& values,
                            const std::function<Result<void>(const std::vector<Param>&)>& f) {
  constexpr std::size_t kSlice = rows_per_statement(1);
  return for_each_chunk(values.size(), kSlice, [&](std::size_t from, std::size_t n) {
    return f(std::vector<Param>(values.begin() + static_cast<std::ptrdiff_t>(from),
                                values.begin() + static_cast<std::ptrdiff_t>(from + n)));
  });
}

}  // namespace

Result<void> insert_outbox_events(Session& s, const std::vector<app::OutboxEvent>& events) {
  if (events.empty()) return ok_result();
  std::set<std::string> ids;
  std::set<std::string> accounts;
  for (const app::OutboxEvent& event : events) {
    if (!is_event_id(event.event_id)) {
      return make_error(ErrorKind::invalid_input, "bad_event", "事件编号应为 32 位十六进制字符",
                        "event_id");
    }
    if (event.topic.empty()) {
      return make_error(ErrorKind::invalid_input, "bad_event", "事件主题不能为空", "topic");
    }
    if (!ids.insert(event.event_id).second) {
      return make_error(ErrorKind::conflict, "event_exists", "事件已存在", "event_id");
    }
    for (const std::string& account : event.recipients) {
      if (!account.empty()) accounts.insert(account);
    }
  }
  if (s.dialect() == Dialect::postgres) {
    SHENPI_TRY(s.query("SELECT pg_advisory_xact_lock(?)", {kOutboxLockKey}));
  }
  // Checked first so that a repeated id is a clean conflict on both dialects (a failed
  // INSERT would abort the PostgreSQL transaction).
  const std::vector<std::string> id_list(ids.begin(), ids.end());
  SHENPI_TRY(for_each_slice(id_list, [&](const std::vector<Param>& slice) -> Result<void> {
    SHENPI_ASSIGN(Rows taken, s.query("SELECT 1 FROM outbox_events WHERE event_id IN (" +
                                          placeholders(slice.size()) + ") LIMIT 1",
                                      slice));
    if (!taken.empty()) {
      return make_error(ErrorKind::conflict, "event_exists", "事件已存在", "event_id");
    }
    return ok_result();
  }));
  const std::vector<std::string> account_list(accounts.begin(), accounts.end());
  SHENPI_TRY(for_each_slice(account_list, [&](const std::vector<Param>& slice) -> Result<void> {
    SHENPI_ASSIGN(
        Rows known,
        s.query("SELECT id FROM accounts WHERE id IN (" + placeholders(slice.size()) + ")", slice));
    if (known.size() == slice.size()) return ok_result();
    std::set<std::string> found;
    for (std::size_t i = 0; i < known.size(); ++i) found.insert(known.text(i, 0));
    for (const Param& p : slice) {
      const std::string& account = std::get<std::string>(p);
      if (found.count(account) == 0) {
        return make_error(ErrorKind::invalid_input, "recipient_not_found",
                          "收件账号不存在：" + account, "recipients");
      }
    }
    return ok_result();
  }));

  constexpr std::size_t kEventColumns = 6;
  constexpr std::size_t kEventsPerStatement = rows_per_statement(kEventColumns);
  SHENPI_TRY(for_each_chunk(
      events.size(), kEventsPerStatement, [&](std::size_t from, std::size_t n) -> Result<void> {
        std::vector<Param> params;
        params.reserve(n * kEventColumns);
        for (std::size_t i = 0; i < n; ++i) {
          const app::OutboxEvent& event = events[from + i];
          params.emplace_back(event.event_id);
          params.emplace_back(event.topic);
          params.emplace_back(event.case_number);
          params.emplace_back(event.department_code);
          params.emplace_back(event.payload_json.empty() ? std::string("{}") : event.payload_json);
          params.emplace_back(event.created_at);
        }
        // fanned_out takes its default, 0.
        SHENPI_TRY(
            s.exec("INSERT INTO outbox_events (event_id, topic, case_number, department_code, "
                   "payload_json, "
                   "created_at) VALUES " +
                       value_rows(n, kEventColumns),
                   params));
        return ok_result();
      }));

  std::vector<Param> pairs;  // event_id, account_id, …
  for (const app::OutboxEvent& event : events) {
    std::vector<std::string> recipients = event.recipients;
    std::sort(recipients.begin(), recipients.end());
    recipients.erase(std::unique(recipients.begin(), recipients.end()), recipients.end());
    for (const std::string& account : recipients) {
      if (account.empty()) continue;
      pairs.emplace_back(event.event_id);
      pairs.emplace_back(account);
    }
  }
  constexpr std::size_t kPairsPerStatement = rows_per_statement(2);
  SHENPI_TRY(for_each_chunk(
      pairs.size() / 2, kPairsPerStatement, [&](std::size_t from, std::size_t n) -> Result<void> {
        const std::vector<Param> params(
            pairs.begin() + static_cast<std::ptrdiff_t>(from * 2),
            pairs.begin() + static_cast<std::ptrdiff_t>((from + n) * 2));
        SHENPI_TRY(s.exec(
            "INSERT INTO outbox_recipients (event_id, account_id) VALUES " + value_rows(n, 2),
            params));
        return ok_result();
      }));
  return ok_result();
}

Result<void> insert_outbox_event(Session& s, const app::OutboxEvent& event) {
  return insert_outbox_events(s, {event});
}

}  // namespace shenpi::store
