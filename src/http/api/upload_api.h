#pragma once
// The upload API (documented in openapi.json):
//   POST /api/v1/uploads       multipart/form-data with one file part named "file"
//                              → 201 {"id","filename","size","kind","sha256"}
//   GET  /api/v1/uploads/{id}  → the bytes, always as a download (attachment, nosniff,
//                              CSP sandbox), never rendered inline by the browser.
// Both need a session; the POST also the X-CSRF-Token header.
#include <cstddef>
#include <memory>

#include "app/upload_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"

namespace shenpi::http::api {

//! Largest body of POST /api/v1/uploads: one file at its limit plus room for the
//! multipart framing. Larger bodies get 413 before they are read.
inline constexpr std::size_t kUploadBodyLimit = app::UploadService::kMaxBytes + 64 * 1024;

void register_upload_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                         std::shared_ptr<app::UploadService> uploads);

}  // namespace shenpi::http::api
