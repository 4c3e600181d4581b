#pragma once
// The stored form of a case: the whole aggregate (core::Case with its parts, tasks,
// suspensions and opinions) as one JSON document, the `doc` column of the cases table
// (src/store/case_store.cpp). Members are named as in case.h, enums by their to_string
// names. The reader ignores members it does not know and leaves missing ones at their
// defaults, so that documents written today still read back after the model grows (and
// an older binary reads a newer document, minus the new members).
#include <string>
#include <string_view>

#include "core/cases/case.h"
#include "core/result.h"

namespace shenpi::app {

//! Every member of `c` as a compact JSON object. data_json is kept as a string member, so
//! that the form data reads back byte for byte.
std::string case_to_json(const core::Case& c);

//! The case written by case_to_json (or by an older or newer version of it). invalid_input
//! "case_json_invalid", with `field` the JSON path of the member at fault (e.g.
//! "parts[1].state"), when the text is not JSON, a member has the wrong type, or an enum
//! member holds a name this binary does not know.
Result<core::Case> case_from_json(std::string_view text);

}  // namespace shenpi::app
