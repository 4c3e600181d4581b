#pragma once
// The staff workbench (工作台) of handling cases, server-rendered, zh-CN, no JavaScript
// needed, never cached (Cache-Control: no-store):
//
//   GET  /work                       待办事项: the caller's queue (CaseService::queue), earliest
//                                    due first, signal as text and colour; ?mine=1: 我签收的;
//                                    the missing-calendar reminder for centre staff
//   GET  /work/cases/{number}        the case: form data (display values; personal data only
//                                    when CaseView::personal_visible), materials, timeline,
//                                    clocks per department, opinions, documents, and one
//                                    form per allowed action
//   POST /work/cases/{number}/actions  one action (urlencoded: action, version, item, task,
//                                    reason, opinion, agree, materials, where_to_apply,
//                                    procedure, days); 303 back on success; the page again
//                                    with "办件已被他人更新，请刷新后重试" (412) for a stale
//                                    version, the rule's message (409), or the error beside
//                                    its field (400)
//   GET  /work/window                窗口受理: the visitor's ID number / credit code and an
//                                    item of the clerk's departments
//   POST /work/window                → the application form on the visitor's behalf
//   POST /work/window/{item}         files it (multipart, as POST /apply/{item}, with
//                                    on_behalf_of); 303 → /work/cases/{number}
//
// Authentication as in case_pages.h. Which cases, tasks and actions a person may see or
// take is decided by CaseService; the pages only show what it returns.
#include <memory>

#include "app/calendar_service.h"
#include "app/case_service.h"
#include "app/catalogue_service.h"
#include "app/upload_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "web/pages.h"

namespace shenpi::web {

struct WorkPagesDeps {
  std::shared_ptr<const http::api::SessionAuth> auth;
  std::shared_ptr<app::CaseService> cases;
  std::shared_ptr<app::CatalogueService> catalogue;
  std::shared_ptr<app::UploadService> uploads;
  std::shared_ptr<app::CalendarService> calendar;  //!< the missing-year reminder; may be null
  WebOptions options;
};

//! Adds the routes above to `router`; the handlers share ownership of `deps`.
void register_work_pages(http::Router& router, WorkPagesDeps deps);

}  // namespace shenpi::web
