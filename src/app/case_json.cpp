#include "app/case_json.h"

#include <boost/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace shenpi::app {
namespace json = boost::json;
namespace {

// ---- writing ----------------------------------------------------------------------------

json::string sv(std::string_view s) { return json::string(s); }

json::array strings_array(const std::vector<std::string>& v) {
  json::array a;
  a.reserve(v.size());
  for (const auto& s : v) a.emplace_back(sv(s));
  return a;
}

json::object suspension_json(const core::CaseSuspension& s) {
  return {{"from", sv(s.from)},     {"until", sv(s.until)}, {"procedure", sv(s.procedure)},
          {"reason", sv(s.reason)}, {"days", s.days},       {"resume_to", sv(s.resume_to)}};
}

json::object opinion_json(const core::Opinion& o) {
  return {{"stage", sv(o.stage)}, {"actor_id", sv(o.actor_id)}, {"actor_name", sv(o.actor_name)},
          {"text", sv(o.text)},   {"agree", o.agree},           {"on", sv(o.on)}};
}

json::object part_json(const core::CasePart& p) {
  json::array suspensions;
  for (const auto& s : p.suspensions) suspensions.emplace_back(suspension_json(s));
  json::array opinions;
  for (const auto& o : p.opinions) opinions.emplace_back(opinion_json(o));
  return {{"seq", p.seq},
          {"item_code", sv(p.item_code)},
          {"item_version_id", p.item_version_id},
          {"item_name", sv(p.item_name)},
          {"department_code", sv(p.department_code)},
          {"department_name", sv(p.department_name)},
          {"result_name", sv(p.result_name)},
          {"legal_limit_days", p.legal_limit_days},
          {"promised_limit_days", p.promised_limit_days},
          {"state", sv(core::to_string(p.state))},
          {"extension_days", p.extension_days},
          {"extension_reason", sv(p.extension_reason)},
          {"suspensions", std::move(suspensions)},
          {"opinions", std::move(opinions)},
          {"decided_on", sv(p.decided_on)},
          {"reasons", strings_array(p.reasons)}};
}

json::object task_json(const core::Task& t) {
  return {{"id", t.id},
          {"part_seq", t.part_seq},
          {"stage", sv(core::to_string(t.stage))},
          {"department_code", sv(t.department_code)},
          {"state", sv(core::to_string(t.state))},
          {"assignee_id", sv(t.assignee_id)},
          {"assignee_name", sv(t.assignee_name)},
          {"created_on", sv(t.created_on)},
          {"done_on", sv(t.done_on)}};
}

// ---- reading ----------------------------------------------------------------------------
// An ObjectReader reads the members of one JSON object into their fields. The first error
// is kept (with the JSON path of the member) and later reads do nothing, so that a parser
// is a flat list of reads followed by one check.

std::string member_path(std::string_view path, std::string_view key) {
  std::string p(path);
  if (!p.empty()) p += '.';
  p += key;
  return p;
}

Error invalid(const std::string& path, std::string_view expected) {
  return make_error(ErrorKind::invalid_input, "case_json_invalid",
                    "办件数据损坏：" + path + " 应为" + std::string(expected), path);
}

class ObjectReader {
 public:
  ObjectReader(const json::object& o, std::string path, std::optional<Error>& error)
      : o_(o), path_(std::move(path)), error_(error) {}

  void str(std::string_view key, std::string& out) {
    const json::value* v = find(key);
    if (v == nullptr) return;
    if (const json::string* s = v->if_string()) {
      out.assign(s->data(), s->size());
    } else {
      fail(key, "字符串");
    }
  }

  void boolean(std::string_view key, bool& out) {
    const json::value* v = find(key);
    if (v == nullptr) return;
    if (v->is_bool()) {
      out = v->get_bool();
    } else {
      fail(key, "true 或 false");
    }
  }

  template <typename Int>
  void integer(std::string_view key, Int& out) {
    const json::value* v = find(key);
    if (v == nullptr) return;
    constexpr auto lo = std::numeric_limits<Int>::min();
    constexpr auto hi = std::numeric_limits<Int>::max();
    if (v->is_int64() && v->get_int64() >= lo && v->get_int64() <= hi) {
      out = static_cast<Int>(v->get_int64());
    } else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(hi)) {
      out = static_cast<Int>(v->get_uint64());
    } else if (v->is_double() && std::trunc(v->get_double()) == v->get_double() &&
               v->get_double() >= static_cast<double>(lo) &&
               v->get_double() <= static_cast<double>(hi)) {
      out = static_cast<Int>(v->get_double());
    } else {
      fail(key, "整数");
    }
  }

  template <typename E, typename Parse>
  void enumeration(std::string_view key, E& out, Parse parse) {
    const json::value* v = find(key);
    if (v == nullptr) return;
    const json::string* s = v->if_string();
    const std::optional<E> e =
        s == nullptr ? std::nullopt : parse(std::string_view(s->data(), s->size()));
    if (e) {
      out = *e;
    } else {
      fail(key, "已知的取值");
    }
  }

  void strings(std::string_view key, std::vector<std::string>& out) {
    array(key, out,
          [](ObjectReader&, const json::value& v, const std::string& path,
             std::optional<Error>& error) -> std::string {
            if (const json::string* s = v.if_string()) return std::string(s->data(), s->size());
            if (!error) error = invalid(path, "字符串");
            return {};
          });
  }

  //! Reads an array member with read(self, element, element_path, error) per element.
  template <typename T, typename Read>
  void array(std::string_view key, std::vector<T>& out, Read read) {
    const json::value* v = find(key);
    if (v == nullptr) return;
    const json::array* a = v->if_array();
    if (a == nullptr) return fail(key, "数组");
    out.clear();
    out.reserve(a->size());
    const std::string p = member_path(path_, key);
    for (std::size_t i = 0; i < a->size() && !error_; ++i) {
      out.push_back(read(*this, (*a)[i], p + "[" + std::to_string(i) + "]", error_));
    }
  }

 private:
  // null counts as absent: the member keeps its default.
  const json::value* find(std::string_view key) const {
    if (error_) return nullptr;
    const json::value* v = o_.if_contains(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }

  void fail(std::string_view key, std::string_view expected) {
    if (!error_) error_ = invalid(member_path(path_, key), expected);
  }

  const json::object& o_;
  std::string path_;
  std::optional<Error>& error_;
};

// Element readers for ObjectReader::array: each returns the element (default on error,
// with the error recorded).
const json::object* object_or_fail(const json::value& v, const std::string& path,
                                   std::optional<Error>& error) {
  const json::object* o = v.if_object();
  if (o == nullptr && !error) error = invalid(path, "对象");
  return o;
}

core::CaseSuspension read_suspension(ObjectReader&, const json::value& v, const std::string& path,
                                     std::optional<Error>& error) {
  core::CaseSuspension s;
  const json::object* o = object_or_fail(v, path, error);
  if (o == nullptr) return s;
  ObjectReader r(*o, path, error);
  r.str("from", s.from);
  r.str("until", s.until);
  r.str("procedure", s.procedure);
  r.str("reason", s.reason);
  r.integer("days", s.days);
  r.str("resume_to", s.resume_to);
  return s;
}

core::Opinion read_opinion(ObjectReader&, const json::value& v, const std::string& path,
                           std::optional<Error>& error) {
  core::Opinion op;
  const json::object* o = object_or_fail(v, path, error);
  if (o == nullptr) return op;
  ObjectReader r(*o, path, error);
  r.str("stage", op.stage);
  r.str("actor_id", op.actor_id);
  r.str("actor_name", op.actor_name);
  r.str("text", op.text);
  r.boolean("agree", op.agree);
  r.str("on", op.on);
  return op;
}

core::CasePart read_part(ObjectReader&, const json::value& v, const std::string& path,
                         std::optional<Error>& error) {
  core::CasePart p;
  const json::object* o = object_or_fail(v, path, error);
  if (o == nullptr) return p;
  ObjectReader r(*o, path, error);
  r.integer("seq", p.seq);
  r.str("item_code", p.item_code);
  r.integer("item_version_id", p.item_version_id);
  r.str("item_name", p.item_name);
  r.str("department_code", p.department_code);
  r.str("department_name", p.department_name);
  r.str("result_name", p.result_name);
  r.integer("legal_limit_days", p.legal_limit_days);
  r.integer("promised_limit_days", p.promised_limit_days);
  r.enumeration("state", p.state, core::parse_part_state);
  r.integer("extension_days", p.extension_days);
  r.str("extension_reason", p.extension_reason);
  r.array("suspensions", p.suspensions, read_suspension);
  r.array("opinions", p.opinions, read_opinion);
  r.str("decided_on", p.decided_on);
  r.strings("reasons", p.reasons);
  return p;
}

core::Task read_task(ObjectReader&, const json::value& v, const std::string& path,
                     std::optional<Error>& error) {
  core::Task t;
  const json::object* o = object_or_fail(v, path, error);
  if (o == nullptr) return t;
  ObjectReader r(*o, path, error);
  r.integer("id", t.id);
  r.integer("part_seq", t.part_seq);
  r.enumeration("stage", t.stage, core::parse_task_stage);
  r.str("department_code", t.department_code);
  r.enumeration("state", t.state, core::parse_task_state);
  r.str("assignee_id", t.assignee_id);
  r.str("assignee_name", t.assignee_name);
  r.str("created_on", t.created_on);
  r.str("done_on", t.done_on);
  return t;
}

}  // namespace

std::string case_to_json(const core::Case& c) {
  json::array parts;
  parts.reserve(c.parts.size());
  for (const auto& p : c.parts) parts.emplace_back(part_json(p));
  json::array tasks;
  tasks.reserve(c.tasks.size());
  for (const auto& t : c.tasks) tasks.emplace_back(task_json(t));
  const json::object o{
      {"number", sv(c.number)},
      {"version", c.version},
      {"state", sv(core::to_string(c.state))},
      {"bundle_code", sv(c.bundle_code)},
      {"bundle_name", sv(c.bundle_name)},
      {"region_code", sv(c.region_code)},
      {"lead_department_code", sv(c.lead_department_code)},
      {"lead_department_name", sv(c.lead_department_name)},
      {"joint_limit_days", c.joint_limit_days},
      {"joint_extension_days", c.joint_extension_days},
      {"joint_extension_reason", sv(c.joint_extension_reason)},
      {"applicant_account_id", sv(c.applicant_account_id)},
      {"applicant_kind", sv(c.applicant_kind)},
      {"applicant_name", sv(c.applicant_name)},
      {"applicant_id_masked", sv(c.applicant_id_masked)},
      {"channel", sv(core::to_string(c.channel))},
      {"filed_by_id", sv(c.filed_by_id)},
      {"filed_by_name", sv(c.filed_by_name)},
      {"data_json", sv(c.data_json)},
      {"created_on", sv(c.created_on)},
      {"submitted_on", sv(c.submitted_on)},
      {"received_on", sv(c.received_on)},
      {"accepted_on", sv(c.accepted_on)},
      {"deemed_accepted", c.deemed_accepted},
      {"correction_requested_on", sv(c.correction_requested_on)},
      {"correction_materials", strings_array(c.correction_materials)},
      {"correction_reason", sv(c.correction_reason)},
      {"correction_submitted_on", sv(c.correction_submitted_on)},
      {"not_accepted_reason", sv(c.not_accepted_reason)},
      {"where_to_apply", sv(c.where_to_apply)},
      {"decided_on", sv(c.decided_on)},
      {"delivered_on", sv(c.delivered_on)},
      {"withdrawn_on", sv(c.withdrawn_on)},
      {"parts", std::move(parts)},
      {"tasks", std::move(tasks)},
      {"next_task_id", c.next_task_id},
  };
  return json::serialize(o);
}

Result<core::Case> case_from_json(std::string_view text) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec) return invalid("$", "JSON 对象");
  const json::object* o = v.if_object();
  if (o == nullptr) return invalid("$", "JSON 对象");

  core::Case c;
  std::optional<Error> error;
  ObjectReader r(*o, "", error);
  r.str("number", c.number);
  r.integer("version", c.version);
  r.enumeration("state", c.state, core::parse_case_state);
  r.str("bundle_code", c.bundle_code);
  r.str("bundle_name", c.bundle_name);
  r.str("region_code", c.region_code);
  r.str("lead_department_code", c.lead_department_code);
  r.str("lead_department_name", c.lead_department_name);
  r.integer("joint_limit_days", c.joint_limit_days);
  r.integer("joint_extension_days", c.joint_extension_days);
  r.str("joint_extension_reason", c.joint_extension_reason);
  r.str("applicant_account_id", c.applicant_account_id);
  r.str("applicant_kind", c.applicant_kind);
  r.str("applicant_name", c.applicant_name);
  r.str("applicant_id_masked", c.applicant_id_masked);
  r.enumeration("channel", c.channel, core::parse_channel);
  r.str("filed_by_id", c.filed_by_id);
  r.str("filed_by_name", c.filed_by_name);
  r.str("data_json", c.data_json);
  r.str("created_on", c.created_on);
  r.str("submitted_on", c.submitted_on);
  r.str("received_on", c.received_on);
  r.str("accepted_on", c.accepted_on);
  r.boolean("deemed_accepted", c.deemed_accepted);
  r.str("correction_requested_on", c.correction_requested_on);
  r.strings("correction_materials", c.correction_materials);
  r.str("correction_reason", c.correction_reason);
  r.str("correction_submitted_on", c.correction_submitted_on);
  r.str("not_accepted_reason", c.not_accepted_reason);
  r.str("where_to_apply", c.where_to_apply);
  r.str("decided_on", c.decided_on);
  r.str("delivered_on", c.delivered_on);
  r.str("withdrawn_on", c.withdrawn_on);
  r.array("parts", c.parts, read_part);
  r.array("tasks", c.tasks, read_task);
  r.integer("next_task_id", c.next_task_id);
  if (error) return std::move(*error);
  return c;
}

}  // namespace shenpi::app
