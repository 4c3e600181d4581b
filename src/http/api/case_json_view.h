#pragma once
// The JSON the cases API answers with (documented in openapi.json): a case as one person
// may see it, a row of a case list, a row of a work queue. Only translation: what the
// viewer may see (masking, allowed actions) was decided by app::CaseService.
#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "app/case_service.h"

namespace shenpi::http::api {

//! GET /api/v1/cases/{number}: number, state, state_label, version, item | bundle, title,
//! applicant, due / working_days_left / signal (null when no clock runs), clock, parts,
//! tasks, events, documents, materials, data, allowed_actions.
boost::json::object case_json(const app::CaseView& view);

//! One row of GET /api/v1/cases.
boost::json::object case_summary_json(const app::CaseSummary& s);

//! One row of GET /api/v1/tasks.
boost::json::object queue_entry_json(const app::QueueEntry& e);

//! The URL of a case document's PDF: /api/v1/cases/{number}/documents/{id}.pdf.
std::string document_url(std::string_view case_number, std::int64_t document_id);

//! A Unix time in milliseconds as ISO 8601 in China time, e.g. "2026-03-02T09:15:00+08:00"
//! (the timeline's "at"; China has no daylight saving time, so the offset is fixed).
std::string china_time_iso(std::int64_t unix_ms);

}  // namespace shenpi::http::api
