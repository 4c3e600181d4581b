#pragma once
// The cases JSON API (issue 4, documented in openapi.json): filing applications, reading
// a case, acting on it, the case lists and the work queue. Handlers only translate HTTP to
// app::CaseService and back; every permission is checked by the use case.
//
//   POST /api/v1/applications                       file or save a draft (Idempotency-Key)
//   GET  /api/v1/cases                              ?mine=1, or ?department=&state= (staff)
//   GET  /api/v1/cases/{number}                     the case (ETag: its version)
//   PUT  /api/v1/cases/{number}/draft               replace a draft's data (If-Match)
//   POST /api/v1/cases/{number}/actions             act (If-Match)
//   GET  /api/v1/cases/{number}/documents/{id}.pdf  a document
//   GET  /api/v1/cases/{number}/application.pdf     the filled application
//   GET  /api/v1/tasks                              the caller's queue (?mine=1: claimed)
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "app/case_service.h"
#include "core/result.h"
#include "http/api/session_auth.h"
#include "http/router.h"

namespace shenpi::http::api {

//! Bodies of the case API: form data with table rows can be long, uploads travel apart.
inline constexpr std::size_t kCaseBodyLimit = 256 * 1024;

void register_case_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                       std::shared_ptr<app::CaseService> cases);

//! The version an If-Match header names: a bare number, or quoted ("7"), or weak (W/"7").
//! invalid_input "if_match_required" when the header is missing (every change must say
//! which version it was made from), "bad_if_match" when it is not one of those forms.
Result<std::int64_t> parse_if_match(std::optional<std::string_view> header);

}  // namespace shenpi::http::api
