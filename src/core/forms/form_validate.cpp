// Validation and normalisation of application forms. Every check reports into one list so
// that the applicant sees all problems at once; messages name the field by its Chinese
// label, table cells by table label, row number (1-based for people) and column label.
#include "core/forms/form_validate.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <regex>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/identity/citizen_id.h"
#include "core/identity/civil_date.h"
#include "core/identity/credit_code.h"

namespace shenpi::core {
namespace {

using Row = std::map<std::string, std::string>;

// Limits that hold when the definition sets none: a value longer than these is a mistake
// or an attack, never a real answer.
constexpr std::size_t kDefaultMaxText = 500;
constexpr std::size_t kDefaultMaxAddress = 200;
constexpr std::size_t kDefaultMaxTextarea = 5000;
constexpr std::size_t kMaxRows = 200;
constexpr std::size_t kMaxAttachments = 20;
constexpr std::size_t kMaxDigits = 15;          // beyond this a double loses digits
constexpr std::size_t kMaxPatternInput = 2000;  // std::regex recurses per character
constexpr std::string_view kNoToday = "9999-12-31";

Error invalid(std::string code, std::string message, std::string field) {
  return make_error(ErrorKind::invalid_input, std::move(code), std::move(message),
                    std::move(field));
}

// Trims ASCII blanks and the ideographic space U+3000 that Chinese input methods type.
std::string_view trim(std::string_view s) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  for (;;) {
    const std::string_view before = s;
    s = identity_detail::trim_ascii(s);
    if (s.starts_with(kIdeographicSpace)) s.remove_prefix(kIdeographicSpace.size());
    if (s.ends_with(kIdeographicSpace)) s.remove_suffix(kIdeographicSpace.size());
    if (s == before) return s;
  }
}

// The number of code points of well-formed UTF-8, or nullopt for malformed input
// (stray continuation bytes, truncated or overlong sequences, surrogates, > U+10FFFF).
std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      n = 1;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      n = 2;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      n = 3;
      cp = b & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + n >= s.size()) return std::nullopt;  // truncated at the end
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr char32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    i += n + 1;
  }
  return count;
}

// Control characters other than line breaks and tabs (allowed only in multi-line text).
bool has_control(std::string_view s, bool multi_line) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0x7F) return true;
    if (u < 0x20 && !(multi_line && (c == '\n' || c == '\t'))) return true;
  }
  return false;
}

// "1" for 1.0, "0.1" for 0.1: the shortest text that reads back as the same double.
std::string format_number(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// A decimal in plain notation: optional sign, digits, optionally '.' and digits.
struct Decimal {
  bool negative = false;
  std::string whole;     // without leading zeros, "0" at least
  std::string fraction;  // as typed, may be empty
  double value = 0;
};

std::optional<Decimal> parse_decimal(std::string_view s) {
  Decimal d;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    d.negative = s[0] == '-';
    s.remove_prefix(1);
  }
  const std::size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && fraction.empty())) return std::nullopt;
  auto digits = [](std::string_view t) {
    return std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(whole) || !digits(fraction)) return std::nullopt;
  while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
  if (whole.size() + fraction.size() > kMaxDigits) return std::nullopt;
  d.whole = std::string(whole);
  d.fraction = std::string(fraction);
  const std::string plain = d.whole + (d.fraction.empty() ? "" : "." + d.fraction);
  std::from_chars(plain.data(), plain.data() + plain.size(), d.value);
  const bool zero = d.value == 0;
  if (zero) d.negative = false;
  if (d.negative) d.value = -d.value;
  return d;
}

bool valid_phone(std::string_view s) {
  auto all_digits = [](std::string_view t) {
    return !t.empty() &&
           std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (s.size() == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits(s)) return true;
  const std::size_t dash = s.find('-');
  if (dash == std::string_view::npos) return false;
  const std::string_view area = s.substr(0, dash);
  const std::string_view local = s.substr(dash + 1);
  return area.size() >= 3 && area.size() <= 4 && area[0] == '0' && all_digits(area) &&
         local.size() >= 7 && local.size() <= 8 && local[0] != '0' && all_digits(local);
}

bool full_match(const std::string& pattern, std::string_view text) {
  if (pattern.empty()) return true;
  if (text.size() > kMaxPatternInput) return false;
  // Compiling a pattern costs far more than matching it, and the same few patterns of the
  // published forms come back with every submission: keep the compiled ones per thread
  // (std::regex is not safe to share between threads while matching), bounded.
  constexpr std::size_t kMaxCachedPatterns = 128;
  thread_local std::unordered_map<std::string, std::optional<std::regex>> compiled;
  auto it = compiled.find(pattern);
  if (it == compiled.end()) {
    if (compiled.size() >= kMaxCachedPatterns) compiled.clear();
    std::optional<std::regex> re;
    try {
      re.emplace(pattern, std::regex::ECMAScript);
    } catch (const std::exception&) {
      // The catalogue checks patterns when a version is saved; one that still does not
      // compile cannot be held against the applicant (nullopt: matches everything).
    }
    it = compiled.emplace(pattern, std::move(re)).first;
  }
  if (!it->second) return true;
  try {
    return std::regex_match(text.begin(), text.end(), *it->second);
  } catch (const std::exception&) {
    return true;  // regex_error on complexity: as above, not the applicant's fault
  }
}

// Splits "other=value"; empty names when there is no condition.
std::pair<std::string_view, std::string_view> split_condition(std::string_view visible_if) {
  const std::size_t eq = visible_if.find('=');
  if (eq == std::string_view::npos) return {};
  return {visible_if.substr(0, eq), visible_if.substr(eq + 1)};
}

const FormField* find_field(const std::vector<FormField>& fields, std::string_view name) {
  for (const FormField& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool value_matches(const FieldValue& v, std::string_view wanted) {
  switch (v.kind) {
    case FieldValue::Kind::text:
      return trim(v.text) == wanted;
    case FieldValue::Kind::list:
      return std::any_of(v.list.begin(), v.list.end(),
                         [&](const std::string& x) { return trim(x) == wanted; });
    case FieldValue::Kind::rows:
      return false;
  }
  return false;
}

// Visibility with a depth bound: conditions may (wrongly) form a cycle, which then hides.
template <typename Lookup>
bool visible_in(const std::vector<FormField>& fields, const FormField& field, const Lookup& lookup,
                std::size_t depth) {
  if (field.visible_if.empty()) return true;
  if (depth > fields.size()) return false;
  const auto [other_name, wanted] = split_condition(field.visible_if);
  const FormField* other = find_field(fields, other_name);
  if (other == nullptr || other == &field) return false;
  if (!visible_in(fields, *other, lookup, depth + 1)) return false;
  return lookup(other_name, wanted);
}

// Checks values of one form (or one table row) and collects the errors.
class Checker {
 public:
  Checker(FormMode mode, const FormCheck& check, std::vector<Error>& errors)
      : mode_(mode), check_(check), errors_(errors) {}

  // The normalised value of a non-empty field, or nullopt when it is empty.
  std::optional<FieldValue> field(const FormField& f, const FieldValue& v) {
    switch (f.type) {
      case FieldType::multi_select:
        return choices(f, as_list(v), f.name);
      case FieldType::attachment:
        return attachments(f, as_list(v), f.name);
      case FieldType::table:
        if (v.kind == FieldValue::Kind::text && trim(v.text).empty()) return empty(f, f.name);
        if (v.kind != FieldValue::Kind::rows) return wrong_kind(f);
        return table(f, v.rows);
      default:
        if (v.kind != FieldValue::Kind::text) return wrong_kind(f);
        {
          std::string text(trim(v.text));
          if (text.empty()) return empty(f, f.name);
          return FieldValue::of_text(scalar(f, f.label, std::move(text), f.name));
        }
    }
    return std::nullopt;
  }

  // A field with no value: an error when it is required and the form is submitted.
  std::optional<FieldValue> empty(const FormField& f, const std::string& path) {
    if (f.required && mode_ == FormMode::submit) {
      errors_.push_back(invalid("field_required", required_message(f, f.label), path));
    }
    return std::nullopt;
  }

 private:
  static std::string required_message(const FormField& f, const std::string& label) {
    switch (f.type) {
      case FieldType::select:
        return "请选择" + label;
      case FieldType::multi_select:
        return "请至少选择一项" + label;
      case FieldType::attachment:
        return "请上传" + label;
      case FieldType::table:
        return "请至少填写一行" + label;
      default:
        return "请填写" + label;
    }
  }

  // A multi-select or attachment sent as one string counts as a list of one.
  static std::vector<std::string> as_list(const FieldValue& v) {
    if (v.kind == FieldValue::Kind::list) return v.list;
    if (v.kind == FieldValue::Kind::text) return {v.text};
    return {std::string(1, '\0')};  // rows: never a valid choice or id
  }

  std::optional<FieldValue> wrong_kind(const FormField& f) {
    errors_.push_back(invalid("value_type", f.label + "的填写格式不正确", f.name));
    return std::nullopt;
  }

  std::optional<FieldValue> choices(const FormField& f, const std::vector<std::string>& raw,
                                    const std::string& path) {
    std::set<std::string, std::less<>> chosen;
    bool unknown = false;
    for (const std::string& x : raw) {
      const std::string_view t = trim(x);
      if (t.empty()) continue;
      if (find_option(f, t) == nullptr) {
        unknown = true;
      } else {
        chosen.emplace(t);
      }
    }
    if (unknown) {
      errors_.push_back(invalid("option_invalid", f.label + "的选项无效，请重新选择", path));
    }
    if (chosen.empty()) return unknown ? std::nullopt : empty(f, path);
    std::vector<std::string> ordered;
    for (const FieldOption& o : f.options) {
      if (chosen.contains(o.value)) ordered.push_back(o.value);
    }
    return FieldValue::of_list(std::move(ordered));
  }

  std::optional<FieldValue> attachments(const FormField& f, const std::vector<std::string>& raw,
                                        const std::string& path) {
    std::vector<std::string> ids;
    bool bad = false;
    for (const std::string& x : raw) {
      const std::string id(trim(x));
      if (id.empty() || std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
      if (has_control(id, false) || (check_.upload_ok && !check_.upload_ok(id))) {
        bad = true;
        continue;
      }
      ids.push_back(id);
    }
    if (bad) {
      errors_.push_back(
          invalid("upload_invalid", f.label + "的附件无效或已失效，请重新上传", path));
    }
    if (ids.size() > kMaxAttachments) {
      errors_.push_back(invalid("too_many_uploads",
                                f.label + "最多上传" + std::to_string(kMaxAttachments) + "个文件",
                                path));
    }
    if (ids.empty()) return bad ? std::nullopt : empty(f, path);
    return FieldValue::of_list(std::move(ids));
  }

  std::optional<FieldValue> table(const FormField& f, const std::vector<Row>& raw_rows) {
    if (raw_rows.size() > kMaxRows) {
      errors_.push_back(
          invalid("too_many_rows", f.label + "最多填写" + std::to_string(kMaxRows) + "行", f.name));
      return std::nullopt;
    }
    std::vector<Row> rows;
    for (const Row& raw : raw_rows) {
      Row row;
      for (const FormField& column : f.columns) {
        auto it = raw.find(column.name);
        if (it == raw.end()) continue;
        const std::string_view t = trim(it->second);
        if (!t.empty()) row.emplace(column.name, std::string(t));
      }
      if (!row.empty()) rows.push_back(std::move(row));
    }
    if (rows.empty()) return empty(f, f.name);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      Row& row = rows[i];
      const Row seen = row;  // conditions read the row as entered
      for (const FormField& column : f.columns) {
        const std::string path = f.name + "[" + std::to_string(i) + "]." + column.name;
        const std::string label =
            f.label + "第" + std::to_string(i + 1) + "行“" + column.label + "”";
        if (!column_visible(f.columns, column, seen)) {
          row.erase(column.name);
          continue;
        }
        auto it = row.find(column.name);
        if (it == row.end()) {
          if (column.required && mode_ == FormMode::submit) {
            errors_.push_back(invalid("field_required", label + "未填写", path));
          }
          continue;
        }
        it->second = scalar(column, label, std::move(it->second), path);
      }
    }
    return FieldValue::of_rows(std::move(rows));
  }

  static const FieldOption* find_option(const FormField& f, std::string_view value) {
    for (const FieldOption& o : f.options) {
      if (o.value == value) return &o;
    }
    return nullptr;
  }

  // An identity validator's error, with the field label in front unless the message
  // already says which number it is about.
  void identity_error(Error e, const std::string& label, const std::string& path) {
    if (e.kind != ErrorKind::invalid_input) {
      e = invalid("value_invalid", label + "的填写内容无效", path);
    }
    if (e.message.find(label) == std::string::npos) e.message = label + "：" + e.message;
    e.field = path;
    errors_.push_back(std::move(e));
  }

  // Checks one non-empty, trimmed text value of field `f` (a form field or a table column;
  // a table's multi-select and attachment columns hold one value) and returns it
  // normalised; the text as it came when it is wrong, so that the form can show it again.
  std::string scalar(const FormField& f, const std::string& label, std::string text,
                     const std::string& path) {
    const bool multi_line = f.type == FieldType::textarea;
    const std::optional<std::size_t> length = utf8_length(text);
    if (!length) {
      errors_.push_back(invalid("text_encoding", label + "含有无法识别的字符", path));
      return text;
    }
    if (has_control(text, multi_line)) {
      errors_.push_back(invalid("text_control", label + "含有不可见的控制字符", path));
      return text;
    }
    bool text_like = false;
    std::size_t default_max = kDefaultMaxText;
    switch (f.type) {
      case FieldType::text:
      case FieldType::table:
        text_like = true;
        break;
      case FieldType::textarea:
        text_like = true;
        default_max = kDefaultMaxTextarea;
        break;
      case FieldType::address:
        text_like = true;
        default_max = kDefaultMaxAddress;
        break;
      case FieldType::number:
      case FieldType::money:
        return number(f, label, std::move(text), path);
      case FieldType::date: {
        identity_detail::YearMonthDay day;
        if (!identity_detail::parse_iso_date(text, day)) {
          errors_.push_back(invalid("date_invalid",
                                    label + "应为有效日期，格式为“年-月-日”，如2025-03-01", path));
        }
        return text;
      }
      case FieldType::select:
      case FieldType::multi_select:
        if (find_option(f, text) == nullptr) {
          errors_.push_back(invalid("option_invalid", label + "的选项无效，请重新选择", path));
        }
        return text;
      case FieldType::attachment:
        if (check_.upload_ok && !check_.upload_ok(text)) {
          errors_.push_back(
              invalid("upload_invalid", label + "的附件无效或已失效，请重新上传", path));
        }
        return text;
      case FieldType::citizen_id: {
        const std::string_view today = check_.today.empty() ? kNoToday : check_.today;
        Result<std::string> r = validate_citizen_id(text, today, path);
        if (!r) {
          identity_error(r.take_error(), label, path);
          return text;
        }
        text = std::move(r).value();
        break;
      }
      case FieldType::credit_code: {
        Result<std::string> r = validate_credit_code(text, path);
        if (!r) {
          identity_error(r.take_error(), label, path);
          return text;
        }
        text = std::move(r).value();
        break;
      }
      case FieldType::phone: {
        std::string compact;
        for (char c : text) {
          if (c != ' ') compact += c;
        }
        if (!valid_phone(compact)) {
          errors_.push_back(invalid("phone_invalid",
                                    label + "应为11位手机号码或带区号的固定电话（如0768-2289012）",
                                    path));
          return text;
        }
        text = std::move(compact);
        break;
      }
    }
    // Lengths and patterns: for free text always; for identity numbers and phones the
    // definition may add its own on top of the built-in check.
    const std::size_t n = text_like ? *length : *utf8_length(text);
    if (f.min_length && n < static_cast<std::size_t>(*f.min_length)) {
      errors_.push_back(invalid(
          "text_too_short", label + "至少应填写" + std::to_string(*f.min_length) + "个字", path));
    } else if (f.max_length && n > static_cast<std::size_t>(*f.max_length)) {
      errors_.push_back(invalid("text_too_long",
                                label + "不能超过" + std::to_string(*f.max_length) + "个字", path));
    } else if (text_like && !f.max_length && n > default_max) {
      errors_.push_back(invalid("text_too_long",
                                label + "不能超过" + std::to_string(default_max) + "个字", path));
    } else if (!full_match(f.pattern, text)) {
      errors_.push_back(invalid("pattern_mismatch", label + "的格式不正确", path));
    }
    return text;
  }

  std::string number(const FormField& f, const std::string& label, std::string text,
                     const std::string& path) {
    const bool money = f.type == FieldType::money;
    const std::optional<Decimal> d = parse_decimal(text);
    if (!d) {
      errors_.push_back(
          money ? invalid("money_invalid", label + "应填写金额（单位：元），如1200.00", path)
                : invalid("number_invalid", label + "应填写数字，如25或12.5", path));
      return text;
    }
    if (money && d->fraction.size() > 2) {
      errors_.push_back(invalid("money_precision", label + "最多保留两位小数", path));
      return text;
    }
    if (money && d->negative && !(f.min && *f.min < 0)) {
      errors_.push_back(invalid("money_negative", label + "不能为负数", path));
      return text;
    }
    if (f.min && d->value < *f.min) {
      errors_.push_back(
          invalid("number_too_small", label + "不能小于" + format_number(*f.min), path));
    } else if (f.max && d->value > *f.max) {
      errors_.push_back(
          invalid("number_too_large", label + "不能大于" + format_number(*f.max), path));
    }
    std::string out = d->negative ? "-" : "";
    out += d->whole;
    if (money) {
      out += "." + d->fraction + std::string(2 - d->fraction.size(), '0');
    } else if (!d->fraction.empty()) {
      out += "." + d->fraction;
    }
    return out;
  }

  FormMode mode_;
  const FormCheck& check_;
  std::vector<Error>& errors_;
};

}  // namespace

bool field_visible(const std::vector<FormField>& fields, const FormField& field,
                   const FormData& data) {
  auto lookup = [&](std::string_view name, std::string_view wanted) {
    auto it = data.find(std::string(name));
    return it != data.end() && value_matches(it->second, wanted);
  };
  return visible_in(fields, field, lookup, 0);
}

bool column_visible(const std::vector<FormField>& columns, const FormField& column,
                    const std::map<std::string, std::string>& row) {
  auto lookup = [&](std::string_view name, std::string_view wanted) {
    auto it = row.find(std::string(name));
    return it != row.end() && trim(it->second) == wanted;
  };
  return visible_in(columns, column, lookup, 0);
}

FormResult validate_form(const std::vector<FormField>& fields, const FormData& data, FormMode mode,
                         const FormCheck& check) {
  FormResult result;
  Checker checker(mode, check, result.errors);
  for (const FormField& f : fields) {
    if (!field_visible(fields, f, data)) continue;
    auto it = data.find(f.name);
    std::optional<FieldValue> v =
        it == data.end() ? checker.empty(f, f.name) : checker.field(f, it->second);
    if (v) result.data.emplace(f.name, std::move(*v));
  }
  return result;
}

std::string display_text(const FormField& field, std::string_view text) {
  if (field.type == FieldType::select || field.type == FieldType::multi_select) {
    for (const FieldOption& o : field.options) {
      if (o.value == text) return o.label.empty() ? o.value : o.label;
    }
  }
  return std::string(text);
}

std::string display_value(const FormField& field, const FieldValue& value) {
  std::string out;
  switch (value.kind) {
    case FieldValue::Kind::text:
      return display_text(field, value.text);
    case FieldValue::Kind::list:
      for (const std::string& x : value.list) {
        if (!out.empty()) out += "、";
        out += display_text(field, x);
      }
      return out;
    case FieldValue::Kind::rows:
      for (const Row& row : value.rows) {
        std::string line;
        for (const FormField& column : field.columns) {
          auto it = row.find(column.name);
          if (it == row.end() || it->second.empty()) continue;
          if (!line.empty()) line += "，";
          line += column.label + "：" + display_text(column, it->second);
        }
        if (line.empty()) continue;
        if (!out.empty()) out += "；";
        out += line;
      }
      return out;
  }
  return out;
}

std::string condition_note(const std::vector<FormField>& fields, const FormField& field) {
  const auto [other_name, wanted] = split_condition(field.visible_if);
  if (other_name.empty()) return {};
  const FormField* other = find_field(fields, other_name);
  const std::string other_label =
      other == nullptr || other->label.empty() ? std::string(other_name) : other->label;
  const std::string value_label =
      other == nullptr ? std::string(wanted) : display_text(*other, wanted);
  const bool multi = other != nullptr && other->type == FieldType::multi_select;
  return "（当“" + other_label + "”" + (multi ? "包括" : "为") + "“" + value_label + "”时填写）";
}

}  // namespace shenpi::core
