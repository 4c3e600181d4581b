#pragma once
// The server's route table, built in one place so that `shenpi serve` and `shenpi routes`
// cannot disagree, and the `shenpi routes` command that prints it:
//
//   shenpi routes [--data DIR] [--db URL]
//     prints one line "METHOD PATTERN ACCESS" per registered route, ACCESS being
//     "public", "signed_in" or the permission the route's use case requires (or
//     "unclassified" when a registration forgot to say). The authorisation matrix test
//     (tests/http/authorization_matrix.test.mjs) reads it.
#include <memory>
#include <string>

#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/catalogue_service.h"
#include "app/form_download_service.h"
#include "core/result.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/db.h"
#include "web/pages.h"

namespace CLI {
class App;
}

namespace shenpi::main {

struct RouterDeps {
  std::shared_ptr<store::Database> db;
  std::string data_dir;
  std::shared_ptr<app::AuditLog> audit;
  std::shared_ptr<app::CatalogueService> catalogue;
  std::shared_ptr<app::FormDownloadService> forms;
  std::shared_ptr<http::Metrics> metrics;
  //! The address citizens reach the site at (QR codes on documents); "" for the default.
  std::string public_url;
};

struct BuiltRouter {
  std::shared_ptr<http::Router> router;
  std::shared_ptr<web::Pages> pages;  //!< the server refreshes its cache generation
  //! Reloaded now and then, so that a year imported on another node or by the CLI while
  //! the server runs reaches this node's clocks.
  std::shared_ptr<app::CalendarService> calendar;
};

//! Registers every route of the server (health, API, pages) over `deps`.
Result<BuiltRouter> build_router(const RouterDeps& deps);

class RoutesCommand {
 public:
  //! Registers the `routes` subcommand on `app`.
  explicit RoutesCommand(CLI::App& app);
  bool chosen() const;
  //! Prints the table; returns the process exit code.
  int run() const;

 private:
  CLI::App* cmd_ = nullptr;
  std::string data_dir_ = "var";
  std::string db_url_;
};

}  // namespace shenpi::main
