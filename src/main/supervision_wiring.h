#pragma once
// Wiring of rectification notices and the supervision dashboard (issue 5): one
// RectificationService per process over the shared calendar and audit trail, its JSON API
// and its pages. The dashboard's yellow uses core::ClockPolicy's yellow_days.
#include <memory>

#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/catalogue_service.h"
#include "app/rectification_service.h"
#include "core/result.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "store/db.h"

namespace shenpi::main {

//! Builds the service and registers /api/v1/supervision/notices… and /supervision… on
//! `router` (the one call build_router makes).
Result<std::shared_ptr<app::RectificationService>> register_supervision_routes(
    http::Router& router, std::shared_ptr<const http::api::SessionAuth> auth,
    std::shared_ptr<store::Database> db, std::shared_ptr<app::AuditLog> audit,
    std::shared_ptr<app::CalendarService> calendar,
    std::shared_ptr<app::CatalogueService> catalogue);

}  // namespace shenpi::main
