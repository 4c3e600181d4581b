#pragma once
// The web form of an item's application, generated from its form definition: the view
// model for templates/form_fields.html. The form works without JavaScript: conditional
// fields are always shown with a note saying when to fill them in, and the server drops
// them when their condition does not hold (core::validate_form).
#include <map>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

#include "core/catalogue/catalogue.h"
#include "core/forms/form_data.h"
#include "core/result.h"

namespace shenpi::web {

//! Blank rows offered below the rows already entered in a table field.
inline constexpr int kBlankTableRows = 3;

//! One view object per field of `fields`, in order, for the partial form_fields.html: put
//! the array at `form_fields` in the page context and include {{> form_fields}} inside a
//! <form method="post" enctype="multipart/form-data"> (attachments post files).
//!
//! `values` are shown in the inputs (pass the data of core::validate_form's result, so that
//! error paths like "staff[1].name" and rows line up); `errors` are shown next to their
//! field or table cell (Error::field), several for one field joined with "；"; errors
//! whose field is not in the form are ignored (show them in a summary).
//! `upload_names` maps upload ids to file names for attachment fields.
//!
//! Posted names: a field's name; a multi-select repeats it per checked box; a table cell
//! is "table[i][column]"; an attachment posts the new file(s) under its name and keeps the
//! ids already attached as hidden inputs of the same name (read them back with
//! app::form_data_from_fields).
boost::json::array form_fields_view(const std::vector<core::FormField>& fields,
                                    const core::FormData& values, const std::vector<Error>& errors,
                                    const std::map<std::string, std::string>& upload_names);

}  // namespace shenpi::web
