#pragma once
// The values an applicant entered into an item's application form, independent of how
// they travelled (JSON from the API, an urlencoded HTML form post) and of how they are
// stored. The form definition (core::FormField) says how to read each value.
#include <map>
#include <string>
#include <vector>

namespace shenpi::core {

//! The value of one field. Which member is used depends on `kind`; the others stay empty.
struct FieldValue {
  enum class Kind { text, list, rows } kind = Kind::text;
  //! text, textarea, number, money ("1200.00"), date ("YYYY-MM-DD"), select (the option
  //! value), citizen_id, credit_code, phone, address.
  std::string text;
  //! multi_select: the chosen option values; attachment: upload ids.
  std::vector<std::string> list;
  //! table: one map column name → cell text per row.
  std::vector<std::map<std::string, std::string>> rows;

  static FieldValue of_text(std::string t) {
    FieldValue v;
    v.text = std::move(t);
    return v;
  }
  static FieldValue of_list(std::vector<std::string> l) {
    FieldValue v;
    v.kind = Kind::list;
    v.list = std::move(l);
    return v;
  }
  static FieldValue of_rows(std::vector<std::map<std::string, std::string>> r) {
    FieldValue v;
    v.kind = Kind::rows;
    v.rows = std::move(r);
    return v;
  }
  bool operator==(const FieldValue&) const = default;
};

//! Field name → value. Field names are the ASCII names of the form definition.
using FormData = std::map<std::string, FieldValue>;

}  // namespace shenpi::core
