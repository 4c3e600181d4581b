#pragma once
// The one JSON codec of catalogue types, used by the API, the demo loader and the store
// (which keeps list-valued parts of an item version as JSON text). Field names are the
// API's (see src/http/api/openapi.json): snake_case ASCII, enums by their to_string name.
#include <boost/json/value.hpp>

#include "core/catalogue/catalogue.h"
#include "core/result.h"

namespace shenpi::app {

boost::json::value to_json(const core::Region&);
boost::json::value to_json(const core::Department&);
boost::json::value to_json(const core::Material&);
boost::json::value to_json(const core::FormField&);
boost::json::value to_json(const std::vector<core::FormField>&);  //!< {"fields":[…]}
boost::json::value to_json(const core::Bundle&);
boost::json::value to_json(const core::ItemSummary&);
//! The full guide: every element of ItemVersion; `department` is the code only here, the
//! API replaces it with {"code","name"}.
boost::json::value to_json(const core::ItemVersion&);

//! Parsers: invalid_input with `field` set to the JSON path of the bad member
//! (e.g. "materials[1].form") on a missing required member or a wrong type/enum value.
Result<core::Region> region_from_json(const boost::json::value&);
Result<core::Department> department_from_json(const boost::json::value&);
Result<core::Material> material_from_json(const boost::json::value&);
Result<core::FormField> form_field_from_json(const boost::json::value&);
Result<std::vector<core::FormField>> form_from_json(const boost::json::value&);  //!< {"fields":[…]}
Result<core::Bundle> bundle_from_json(const boost::json::value&);
Result<core::ItemVersion> item_version_from_json(const boost::json::value&);

//! Helpers for list-valued columns: a JSON array of strings and back.
std::string strings_to_json_text(const std::vector<std::string>&);
Result<std::vector<std::string>> strings_from_json_text(std::string_view);

}  // namespace shenpi::app
