#pragma once
// Public verification of case documents (结果反馈; anyone, no sign-in), never cached
// (Cache-Control: no-store), server-rendered, readable at phone width:
//
//   GET /verify                 a form to type a verification code; ?code=… redirects to
//                               the result (303) or shows the form again with an error (400)
//   GET /verify/{code}          what the document decided, for whom (masked), by which
//                               department and when, and 电子签名有效 or a clear warning;
//                               404 in Chinese (the form again) for an unknown code
//   GET /api/v1/verify/{code}   the same as JSON with "signature_valid"; 404 error JSON
//
// Codes are accepted however a person types them (see core::normalise_verify_code).
#include <memory>

#include "app/document_service.h"
#include "http/router.h"
#include "web/pages.h"

namespace shenpi::web {

//! Adds the routes above to `router`; the handlers share ownership of `documents`.
void register_verify_pages(http::Router& router, std::shared_ptr<app::DocumentService> documents,
                           WebOptions options);

//! What a document decided, in a few words for the verify page: 予以受理, 准予行政许可
//! （食品经营许可证）, 审批期限延长10个工作日 …
std::string document_outcome(const core::DocumentContent& content);

}  // namespace shenpi::web
