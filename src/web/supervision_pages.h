#pragma once
// The supervision pages (issue 5), for signed-in staff:
//   GET  /supervision                  the dashboard (centre and bureau): open cases by
//        signal and department, the late list, warnings and notices; SVG charts with
//        text tables; refreshes itself every 60 s (meta refresh; no script needed);
//        filters ?dept=&rule=&state=&from=&to=
//   GET  /supervision/export.csv       the same figures (same filters) as CSV (UTF-8 BOM)
//   GET  /supervision/export.xlsx      … as an Excel workbook
//   GET  /supervision/notices          notices: the centre and the bureau all, with the
//        form to issue one; a department's staff their department's
//   POST /supervision/notices          issue (form)
//   GET  /supervision/notices/{id}     one notice; the reply form for the business lead
//   POST /supervision/notices/{id}/reply
//   GET  /supervision/warnings         the warnings the reader may see (the department's
//        view: a department's staff their own; the centre and the bureau every one),
//        filters ?state=&case=&dept=; the forms to explain (说明情况, the department's
//        business lead or administrator) and to close (办结, the centre and the bureau)
//   POST /supervision/warnings/{id}/acknowledge   note (form); back=dashboard returns to
//   POST /supervision/warnings/{id}/close         /supervision, otherwise to the list
#include <memory>
#include <vector>

#include "app/catalogue_service.h"
#include "app/rectification_service.h"
#include "app/supervision_service.h"
#include "docs/table_export.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "web/pages.h"

namespace shenpi::web {

struct SupervisionPagesDeps {
  std::shared_ptr<const http::api::SessionAuth> auth;
  std::shared_ptr<app::RectificationService> service;
  std::shared_ptr<app::CatalogueService> catalogue;
  WebOptions options;
  //! Warnings and their handling; without it the warning routes are not registered and
  //! the dashboard shows no handling forms.
  std::shared_ptr<app::SupervisionService> warnings = nullptr;
};

void register_supervision_pages(http::Router& router, SupervisionPagesDeps deps);

//! The dashboard as exported: sheets 在办件 (department, green, yellow, red, total),
//! 超期办件, 警示统计, 警示, 整改通知; the first row of each is its header. CSV joins them
//! with a blank row and a title row between.
std::vector<docs::Sheet> dashboard_sheets(const app::DashboardView& v);

}  // namespace shenpi::web
