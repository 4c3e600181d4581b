#pragma once
// The two ways form data reaches us and leaves us: the JSON `data` object of the API
// (POST /api/v1/applications) and the urlencoded body of an HTML form post. Both produce
// core::FormData; what the values mean is for core::validate_form to check.
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/catalogue/catalogue.h"
#include "core/forms/form_data.h"
#include "core/result.h"

namespace shenpi::app {

//! Reads the API's `data` object: a string is a text value (so is a number, written in
//! plain decimal notation: 1200 → "1200", 12.5 → "12.5"; for number and money fields);
//! an array of strings is a list (multi_select, attachment ids); an array of objects
//! whose members are strings or numbers (or null, read as "") is a table; null is the
//! same as absent. Anything else is invalid_input "invalid_form_data" with `field` set to
//! the member at fault ("staff[2].name" inside a table).
Result<core::FormData> form_data_from_json(const boost::json::value& data);

//! The data as the API writes it: text → string, list → array of strings, rows → array of
//! objects of strings. form_data_from_json(form_data_to_json(d)) == d.
boost::json::object form_data_to_json(const core::FormData& data);

//! Reads an HTML form post (decoded name/value pairs, in order) against the form
//! definition: a multi-select or attachment field collects every non-empty value of its
//! name (checkboxes, the file input's kept ids); a table collects "name[i][column]" into
//! rows by i (ascending; rows with no cell posted are absent); other fields take the first
//! value of their name. Names not in the definition are ignored; fields not posted are
//! absent from the result.
core::FormData form_data_from_fields(
    const std::vector<core::FormField>& fields,
    const std::vector<std::pair<std::string, std::string>>& urlencoded);

}  // namespace shenpi::app
