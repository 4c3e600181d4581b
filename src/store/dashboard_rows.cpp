#include "store/dashboard_rows.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace shenpi::store {

bool is_open_case_state(std::string_view state) {
  // Keep in step with the backfill in 0012_rectification.sql and the supervision job's
  // kOpenStates (store/supervision_store.cpp).
  for (std::string_view s :
       {"submitted", "accepted", "in_review", "suspended", "approved", "refused"}) {
    if (s == state) return true;
  }
  return false;
}

Result<void> sync_open_case(Session& s, const std::string& number, std::string_view state,
                            const std::string& department_code, const std::string& due_on) {
  using Key = std::pair<std::string, std::string>;  // department, due date
  std::optional<Key> now;
  if (is_open_case_state(state) && !due_on.empty()) now = Key{department_code, due_on};
  SHENPI_ASSIGN(Rows r, s.query("SELECT department_code, due_on FROM open_case_keys "
                                "WHERE case_number = ?",
                                {number}));
  std::optional<Key> before;
  if (!r.empty()) before = Key{r.text(0, 0), r.text(0, 1)};
  if (before == now) return ok_result();

  std::vector<std::pair<Key, int>> changes;
  if (before) changes.emplace_back(*before, -1);
  if (now) changes.emplace_back(*now, +1);
  std::sort(changes.begin(), changes.end());
  for (const auto& [key, delta] : changes) {
    if (delta > 0) {
      SHENPI_TRY(
          s.exec("INSERT INTO open_case_counts (department_code, due_on, n) "
                 "VALUES (?, ?, 1) ON CONFLICT (department_code, due_on) "
                 "DO UPDATE SET n = open_case_counts.n + 1",
                 {key.first, key.second}));
    } else {
      SHENPI_TRY(
          s.exec("UPDATE open_case_counts SET n = n - 1 "
                 "WHERE department_code = ? AND due_on = ? AND n > 0",
                 {key.first, key.second}));
    }
  }
  if (!now) {
    SHENPI_TRY(s.exec("DELETE FROM open_case_keys WHERE case_number = ?", {number}));
  } else if (!before) {
    SHENPI_TRY(
        s.exec("INSERT INTO open_case_keys (case_number, department_code, due_on) "
               "VALUES (?, ?, ?)",
               {number, now->first, now->second}));
  } else {
    SHENPI_TRY(
        s.exec("UPDATE open_case_keys SET department_code = ?, due_on = ? "
               "WHERE case_number = ?",
               {now->first, now->second, number}));
  }
  return ok_result();
}

}  // namespace shenpi::store
