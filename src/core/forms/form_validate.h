#pragma once
// Server-side validation of an application form against its definition (the one source
// of truth: the same definition renders the web form and the PDF). Pure: no I/O; "today"
// and the upload check come from the caller.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue/catalogue.h"
#include "core/forms/form_data.h"
#include "core/result.h"

namespace shenpi::core {

//! draft: values present are checked (type, length, range, pattern, options) but missing
//! required values are not; submit: everything, including required.
enum class FormMode { draft, submit };

//! What the caller knows that core does not.
struct FormCheck {
  //! Attachment ids: true when the upload exists and belongs to the applicant (the caller
  //! decides). Empty: every id is accepted.
  std::function<bool(std::string_view upload_id)> upload_ok;
  //! "YYYY-MM-DD", the caller's calendar day: birth dates in citizen ID numbers must not
  //! be after it. Empty: not checked against today.
  std::string today;
};

//! The outcome of validate_form: the normalised data and every error found.
struct FormResult {
  FormData data;
  std::vector<Error> errors;
  bool ok() const { return errors.empty(); }
};

//! Validates `data` against `fields`: every error (not just the first), each an
//! invalid_input Error with `field` set (table cells: "table_name[2].column", 0-based
//! over the rows kept in `data`) and a Chinese message naming the field label.
//!
//! `data` of the result is always the normalised data, also when there are errors (so a
//! form can be shown again with what was entered): text trimmed, money with two decimals
//! ("1200" → "1200.00"), multi-select values in the order of the options without
//! repeats, attachment ids without repeats, table rows whose cells are all empty dropped,
//! empty values dropped, fields not in the definition (and table columns not in the
//! table) dropped, and fields hidden by visible_if dropped. "other=value" makes a field
//! visible when field `other` is itself visible and has that value, or contains it for a
//! multi-select; inside a table row `other` is a column of the same row.
//!
//! Per type: citizen_id / credit_code use the core/identity validators; phone: mainland
//! mobile (1[3-9] and 9 digits) or landline (0, a 2–3 digit area code, '-', 7–8 digits);
//! date: a real day as YYYY-MM-DD; number / money: decimal notation within min/max
//! (money: at most two decimals, not negative unless min allows it); select: one of the
//! options; lengths count characters (code points), not bytes; pattern must match the
//! whole text (ECMAScript).
FormResult validate_form(const std::vector<FormField>& fields, const FormData& data, FormMode mode,
                         const FormCheck& check = {});

//! True when `field` (one of `fields`) is shown given `data`: no visible_if, or its
//! condition holds and the field it names is itself visible.
bool field_visible(const std::vector<FormField>& fields, const FormField& field,
                   const FormData& data);

//! The same for a column of a table row (conditions name columns of the same row).
bool column_visible(const std::vector<FormField>& columns, const FormField& column,
                    const std::map<std::string, std::string>& row);

//! The display text of a value: select labels instead of values, lists joined with "、",
//! table rows as "列名：值，列名：值" joined with "；". Unknown option values show as they are.
std::string display_value(const FormField& field, const FieldValue& value);

//! The display text of one table cell (or any text value) of `field`.
std::string display_text(const FormField& field, std::string_view text);

//! "（当“主体业态”为“单位食堂”时填写）" for a conditional field of `fields`, "" otherwise.
std::string condition_note(const std::vector<FormField>& fields, const FormField& field);

}  // namespace shenpi::core
