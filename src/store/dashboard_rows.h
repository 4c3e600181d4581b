#pragma once
// The supervision dashboard's projection of open cases (tables open_case_keys and
// open_case_counts, migrations 0012_rectification.sql), kept in the transaction of every
// case write so that the dashboard counts a million open cases by reading one row per
// department and due date. See docs/decisions/0012-supervision-dashboard.md.
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/db.h"

namespace shenpi::store {

//! True for the case states in which a clock runs and the case counts as open.
bool is_open_case_state(std::string_view state);

//! Brings the projection of case `number` in line with its new state (core::CaseState
//! name), lead department and due date ("" when no clock runs): the case counts once under
//! (department, due_on) while open with a due date, not at all otherwise. Call inside the
//! transaction that writes the case row. The two counters it may touch are updated in key
//! order, so that two writers moving cases in opposite directions cannot deadlock.
Result<void> sync_open_case(Session& s, const std::string& number, std::string_view state,
                            const std::string& department_code, const std::string& due_on);

}  // namespace shenpi::store
