#include "http/api/case_json_view.h"

#include <cstdio>
#include <map>

#include "core/calendar/date.h"

namespace shenpi::http::api {

namespace json = boost::json;

namespace {

// "" becomes null, so that clients test one thing for "not yet".
json::value date_or_null(const std::string& iso) {
  if (iso.empty()) return nullptr;
  return json::value(iso);
}

json::value str(std::string_view s) { return json::value(json::string(s)); }

// The three fields every clock shows; null when no clock runs (closed, or waiting for the
// applicant), so a client never mistakes a stopped clock for a green one.
void put_clock_fields(json::object& o, const core::ClockState& st, bool running) {
  if (!running) {
    o["due"] = nullptr;
    o["working_days_left"] = nullptr;
    o["signal"] = nullptr;
    return;
  }
  o["due"] = st.due.iso();
  o["working_days_left"] = st.working_days_left;
  o["signal"] = str(core::to_string(st.signal));
}

json::object clock_json(const core::ClockView& v) {
  const bool has = v.kind != core::ClockKind::none;
  json::object o{{"kind", str(core::to_string(v.kind))},
                 {"label", str(core::label(v.kind))},
                 {"running", v.running},
                 {"deemed_accepted", v.deemed_accepted},
                 {"provisional", has && v.state.provisional},
                 {"suspended", has && v.state.suspended}};
  o["legal_due"] = has ? json::value(v.state.legal_due.iso()) : json::value(nullptr);
  o["days_late"] = has ? v.state.days_late : 0;
  return o;
}

json::value string_array(const std::vector<std::string>& v) {
  json::array a;
  for (const std::string& s : v) a.push_back(str(s));
  return a;
}

std::string item_of_part(const core::Case& c, int part_seq) {
  if (part_seq < 0 || part_seq >= static_cast<int>(c.parts.size())) return {};
  return c.parts[static_cast<std::size_t>(part_seq)].item_code;
}

json::value item_or_null(const core::Case& c, int part_seq) {
  std::string code = item_of_part(c, part_seq);
  if (code.empty()) return nullptr;
  return json::value(code);
}

json::object part_json(const core::CasePart& p, const core::ClockView* clock) {
  json::object o{{"seq", p.seq},
                 {"item", p.item_code},
                 {"name", p.item_name},
                 {"department", p.department_code},
                 {"department_name", p.department_name},
                 {"result_name", p.result_name},
                 {"state", str(core::to_string(p.state))},
                 {"state_label", str(core::label(p.state))},
                 {"legal_limit_days", p.legal_limit_days},
                 {"promised_limit_days", p.promised_limit_days},
                 {"extension_days", p.extension_days},
                 {"reasons", string_array(p.reasons)}};
  const bool running = clock != nullptr && clock->kind != core::ClockKind::none && clock->running;
  put_clock_fields(o, running ? clock->state : core::ClockState{}, running);
  o["provisional"] = running && clock->state.provisional;
  o["decided_on"] = date_or_null(p.decided_on);
  json::array opinions;
  for (const core::Opinion& op : p.opinions) {
    opinions.push_back(json::object{{"stage", op.stage},
                                    {"actor", op.actor_name},
                                    {"text", op.text},
                                    {"agree", op.agree},
                                    {"on", op.on}});
  }
  o["opinions"] = std::move(opinions);
  return o;
}

json::object task_json(const core::Case& c, const core::Task& t,
                       const std::map<std::int64_t, const core::ClockState*>& clocks) {
  json::object o{{"id", t.id},
                 {"stage", str(core::to_string(t.stage))},
                 {"stage_label", str(core::label(t.stage))},
                 {"department", t.department_code},
                 {"item", item_or_null(c, t.part_seq)},
                 {"state", str(core::to_string(t.state))},
                 {"created_on", date_or_null(t.created_on)},
                 {"done_on", date_or_null(t.done_on)}};
  o["assignee"] = t.assignee_name.empty() ? json::value(nullptr) : json::value(t.assignee_name);
  auto it = clocks.find(t.id);
  const bool running = t.state == core::TaskState::open && it != clocks.end();
  put_clock_fields(o, running ? *it->second : core::ClockState{}, running);
  return o;
}

json::object event_json(const core::Case& c, const core::CaseEvent& e) {
  json::object o{{"at", china_time_iso(e.at_unix_ms)},
                 {"on", e.on},
                 {"actor", e.actor_name},
                 {"role", e.actor_role},
                 {"department", e.department_code},
                 {"action", e.action},
                 {"item", item_or_null(c, e.part_seq)},
                 {"reason", e.reason},
                 {"detail", e.detail}};
  if (auto a = core::parse_case_action(e.action)) {
    o["action_label"] = str(core::label(*a));
  } else {
    o["action_label"] = e.action == "created" ? "创建" : e.action;
  }
  o["from"] = e.from_state.empty() ? json::value(nullptr) : json::value(e.from_state);
  o["to"] = e.to_state.empty() ? json::value(nullptr) : json::value(e.to_state);
  return o;
}

json::object document_json(const app::DocumentRecord& d) {
  return json::object{{"id", d.id},
                      {"kind", str(core::to_string(d.content.kind))},
                      {"label", str(core::label(d.content.kind))},
                      {"document_number", d.content.document_number},
                      {"department", d.content.department_code},
                      {"item", d.content.item_code},
                      {"issued_on", d.content.issued_on},
                      {"url", document_url(d.content.case_number, d.id)},
                      {"verify_code", d.verify_code}};
}

// The stored form data is JSON already (app::form_data_to_json); an unreadable value is
// shown as an empty object rather than failing the whole page.
json::value data_json(const std::string& text) {
  if (text.empty()) return json::object{};
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return json::object{};
  return v;
}

}  // namespace

std::string document_url(std::string_view case_number, std::int64_t document_id) {
  return "/api/v1/cases/" + std::string(case_number) + "/documents/" + std::to_string(document_id) +
         ".pdf";
}

std::string china_time_iso(std::int64_t unix_ms) {
  constexpr std::int64_t kOffsetSeconds = 8 * 3600;
  std::int64_t secs = unix_ms / 1000;
  if (unix_ms % 1000 < 0) --secs;  // floor for times before 1970
  secs += kOffsetSeconds;
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const core::Date d = core::Date::from_days_since_epoch(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d+08:00", d.iso().c_str(),
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return buf;
}

json::object case_json(const app::CaseView& view) {
  const core::Case& c = view.c;
  json::object o{{"number", c.number},
                 {"state", str(core::to_string(c.state))},
                 {"state_label", str(core::label(c.state))},
                 {"version", c.version},
                 {"channel", str(core::to_string(c.channel))}};
  if (c.is_bundle()) {
    o["bundle"] = c.bundle_code;
    o["title"] = c.bundle_name;
  } else {
    o["item"] = c.parts.empty() ? std::string() : c.parts.front().item_code;
    o["title"] = c.parts.empty() ? std::string() : c.parts.front().item_name;
  }
  o["lead_department"] =
      json::object{{"code", c.lead_department_code}, {"name", c.lead_department_name}};
  o["applicant"] = json::object{{"kind", c.applicant_kind},
                                {"name", c.applicant_name},
                                {"id_number", view.applicant_id_number},
                                {"mobile", view.applicant_mobile},
                                {"personal_visible", view.personal_visible}};

  const core::ClockView& overall = view.clocks.overall;
  const bool running = overall.kind != core::ClockKind::none && overall.running;
  put_clock_fields(o, overall.state, running);
  o["clock"] = clock_json(overall);

  o["dates"] = json::object{{"created_on", date_or_null(c.created_on)},
                            {"submitted_on", date_or_null(c.submitted_on)},
                            {"received_on", date_or_null(c.received_on)},
                            {"accepted_on", date_or_null(c.accepted_on)},
                            {"correction_requested_on", date_or_null(c.correction_requested_on)},
                            {"correction_submitted_on", date_or_null(c.correction_submitted_on)},
                            {"decided_on", date_or_null(c.decided_on)},
                            {"delivered_on", date_or_null(c.delivered_on)},
                            {"withdrawn_on", date_or_null(c.withdrawn_on)}};
  if (!c.correction_materials.empty() || !c.correction_reason.empty()) {
    o["correction"] = json::object{{"materials", string_array(c.correction_materials)},
                                   {"reason", c.correction_reason}};
  }
  if (!c.not_accepted_reason.empty()) {
    o["not_accepted"] =
        json::object{{"reason", c.not_accepted_reason}, {"where_to_apply", c.where_to_apply}};
  }

  json::array parts;
  for (std::size_t i = 0; i < c.parts.size(); ++i) {
    const core::ClockView* pc = i < view.clocks.parts.size() ? &view.clocks.parts[i] : nullptr;
    parts.push_back(part_json(c.parts[i], pc));
  }
  o["parts"] = std::move(parts);

  std::map<std::int64_t, const core::ClockState*> task_clocks;
  for (const core::TaskClock& tc : view.clocks.tasks) task_clocks[tc.task_id] = &tc.state;
  json::array tasks;
  for (const core::Task& t : c.tasks) tasks.push_back(task_json(c, t, task_clocks));
  o["tasks"] = std::move(tasks);

  json::array events;
  for (const core::CaseEvent& e : view.events) events.push_back(event_json(c, e));
  o["events"] = std::move(events);

  json::array documents;
  for (const app::DocumentRecord& d : view.documents) documents.push_back(document_json(d));
  o["documents"] = std::move(documents);

  json::array materials;
  for (const app::UploadInfo& u : view.uploads) {
    materials.push_back(json::object{{"id", u.id},
                                     {"filename", u.filename},
                                     {"kind", u.kind},
                                     {"size", u.size},
                                     {"url", "/api/v1/uploads/" + u.id}});
  }
  o["materials"] = std::move(materials);

  o["data"] = data_json(c.data_json);

  json::array allowed;
  for (core::CaseAction a : view.allowed_actions) allowed.push_back(str(core::to_string(a)));
  o["allowed_actions"] = std::move(allowed);
  return o;
}

json::object case_summary_json(const app::CaseSummary& s) {
  return json::object{{"number", s.number},
                      {"state", str(core::to_string(s.state))},
                      {"state_label", str(core::label(s.state))},
                      {"version", s.version},
                      {"title", s.title},
                      {"department", s.lead_department_code},
                      {"applicant", s.applicant_name},
                      {"submitted_on", date_or_null(s.submitted_on)},
                      {"due", date_or_null(s.due_on)},
                      {"updated_on", date_or_null(s.updated_on)},
                      {"url", "/api/v1/cases/" + s.number}};
}

json::object queue_entry_json(const app::QueueEntry& e) {
  const app::TaskRow& t = e.task;
  json::object o{
      {"case_number", t.case_number},           {"case_state", str(core::to_string(t.case_state))},
      {"case_version", t.case_version},         {"task_id", t.task_id},
      {"stage", str(core::to_string(t.stage))}, {"stage_label", str(core::label(t.stage))},
      {"department", t.department_code},        {"title", t.title},
      {"applicant", t.applicant_name},          {"created_on", date_or_null(t.created_on)}};
  o["assignee"] = t.assignee_name.empty() ? json::value(nullptr) : json::value(t.assignee_name);
  // A queue row always has a running clock: it is an open task.
  put_clock_fields(o, e.clock, true);
  o["provisional"] = e.clock.provisional;
  return o;
}

}  // namespace shenpi::http::api
