#include "main/routes_command.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "app/audit_reader.h"
#include "crypto/secure_bytes.h"
#include "docs/form_pdf.h"
#include "http/api/account_api.h"
#include "http/api/calendar_api.h"
#include "http/api/case_api.h"
#include "http/api/catalogue_api.h"
#include "http/api/inbox_api.h"
#include "http/api/upload_api.h"
#include "http/api/session_api.h"
#include "http/api/supervision_api.h"
#include "http/health.h"
#include "main/account_wiring.h"
#include "main/audit_command.h"
#include "main/outbox_command.h"
#include "main/report_command.h"
#include "main/case_wiring.h"
#include "main/complaint_wiring.h"
#include "main/document_wiring.h"
#include "main/supervise_command.h"
#include "main/supervision_wiring.h"
#include "main/today.h"
#include "store/catalogue_store.h"
#include "store/staff_directory_store.h"
#include "web/account_pages.h"
#include "web/inbox_pages.h"
#include "web/calendar_pages.h"
#include "web/case_pages.h"
#include "web/staff_pages.h"
#include "web/verify_pages.h"
#include "web/work_pages.h"

namespace shenpi::main {

Result<BuiltRouter> build_router(const RouterDeps& deps) {
  BuiltRouter out;
  out.router = std::make_shared<http::Router>();
  http::Router& router = *out.router;
  http::register_health(
      router, [d = deps.db] { return d->ping(); }, deps.metrics);
  http::api::register_catalogue_api(router, deps.catalogue, deps.forms);
  SHENPI_ASSIGN(auto accounts, make_account_service(deps.db, deps.data_dir, deps.audit));
  auto session_auth =
      std::make_shared<const http::api::SessionAuth>(accounts, unix_now, today_in_china);
  http::api::register_session_api(router, session_auth);
  http::api::register_account_api(router, session_auth);
  out.pages = std::make_shared<web::Pages>(deps.catalogue, web::WebOptions{});
  out.pages->register_routes(router);
  web::register_staff_pages(
      router, {session_auth,
               std::make_shared<app::StaffAdmin>(store::make_staff_directory(deps.db), accounts,
                                                 crypto::random_bytes),
               std::make_shared<app::AuditReader>(deps.audit), deps.catalogue, web::WebOptions{}});
  web::AccountPages(session_auth, deps.catalogue, crypto::random_bytes).register_routes(router);
  SHENPI_ASSIGN(auto inbox, make_inbox_service(deps.db, deps.data_dir, deps.audit));
  http::api::register_inbox_api(router, session_auth, inbox);
  web::register_inbox_pages(router, {session_auth, inbox, web::WebOptions{}});
  SHENPI_ASSIGN(auto documents, make_document_service(deps.db, deps.data_dir, deps.public_url));
  web::register_verify_pages(router, documents, web::WebOptions{});
  SHENPI_ASSIGN(CaseWiring cases,
                make_case_wiring(deps.db, deps.audit, deps.catalogue, documents, accounts));
  http::api::register_upload_api(router, session_auth, cases.uploads);
  http::api::register_calendar_api(router, cases.calendar);
  web::register_calendar_pages(router, {session_auth, cases.calendar, web::WebOptions{}});
  http::api::register_case_api(router, session_auth, cases.cases);
  http::api::register_supervision_api(
      router, session_auth, make_supervision_service(deps.db, cases.calendar, deps.audit));
  out.calendar = cases.calendar;
  web::register_case_pages(
      router, {session_auth, cases.cases, deps.catalogue, cases.uploads, web::WebOptions{}});
  web::register_work_pages(router, {session_auth, cases.cases, deps.catalogue, cases.uploads,
                                    cases.calendar, web::WebOptions{}});
  SHENPI_TRY(register_complaint_routes(router, session_auth, deps.db, deps.data_dir, deps.audit,
                                       cases.calendar, cases.cases, deps.catalogue));
  SHENPI_TRY(register_performance_routes(router, session_auth, deps.db, cases.calendar, deps.audit));
  SHENPI_TRY(register_supervision_routes(router, session_auth, deps.db, deps.audit, cases.calendar,
                                         deps.catalogue));
  return out;
}

RoutesCommand::RoutesCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("routes",
                            "列出全部路由及其访问要求 (list every route: METHOD PATTERN ACCESS)");
  cmd_->add_option("--data", data_dir_, "数据目录")->capture_default_str();
  cmd_->add_option("--db", db_url_, "数据库 URL (默认 sqlite:DATA/shenpi.db)");
}

bool RoutesCommand::chosen() const { return cmd_ != nullptr && cmd_->parsed(); }

int RoutesCommand::run() const {
  // The table is built exactly as `serve` builds it, over a real database, so that no
  // registration can be left out of the listing.
  auto built = [&]() -> Result<BuiltRouter> {
    std::error_code ec;
    std::filesystem::create_directories(data_dir_, ec);
    RouterDeps deps;
    deps.data_dir = data_dir_;
    SHENPI_ASSIGN(deps.db, store::open_database(
                               db_url_.empty() ? "sqlite:" + data_dir_ + "/shenpi.db" : db_url_));
    SHENPI_ASSIGN(deps.audit, open_audit_log(deps.db, data_dir_));
    deps.catalogue = std::make_shared<app::CatalogueService>(store::make_catalogue_store(deps.db));
    deps.forms = std::make_shared<app::FormDownloadService>(
        deps.catalogue, [](const core::ItemVersion& v, std::string_view dept) {
          return docs::render_blank_form(v, dept);
        });
    deps.metrics = std::make_shared<http::Metrics>();
    return build_router(deps);
  }();
  if (!built) {
    std::cerr << "shenpi: " << built.error().message << "\n";
    return 1;
  }
  for (const http::Route& r : built->router->routes()) {
    std::cout << r.method << ' ' << r.pattern << ' '
              << (r.options.access.empty() ? "unclassified" : r.options.access) << '\n';
  }
  return 0;
}

}  // namespace shenpi::main
