#include "main/ratings_command.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "app/account_service.h"
#include "app/calendar_service.h"
#include "core/calendar/date.h"
#include "core/ratings/rating.h"
#include "main/audit_command.h"
#include "main/complaint_wiring.h"
#include "store/calendar_store.h"
#include "store/db.h"

namespace shenpi::main {
namespace {

std::int64_t unix_now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

RatingsCommand::RatingsCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("ratings", "好差评管理 (ratings)");
  cmd_->require_subcommand(1);
  default_ = cmd_->add_subcommand(
      "default", "为评价期限已过仍未评价的已办结办件记录默认评价 (record default ratings)");
  default_->add_option("--at", at_, "执行日期 YYYY-MM-DD")->required();
  default_->add_option("--data", data_dir_, "数据目录")->capture_default_str();
  default_->add_option("--db", db_url_, "数据库 URL (默认 sqlite:DATA/shenpi.db)");
  default_->add_option("--batch", batch_, "每批处理的办件数")->capture_default_str();
}

bool RatingsCommand::chosen() const { return cmd_ != nullptr && cmd_->parsed(); }

int RatingsCommand::run() const {
  if (default_ == nullptr || !default_->parsed()) return 2;
  // A bad date is the operator's typing: say so before anything is opened or created.
  const auto day = core::Date::parse(at_);
  if (!day || day->iso() != at_) {
    std::cerr << "shenpi: 日期应为 YYYY-MM-DD 格式的有效日期（--at " << at_ << "）\n";
    return 2;
  }
  core::RatingLevel level = core::RatingPolicy{}.default_level;
  auto recorded = [&]() -> Result<app::DefaultsReport> {
    std::error_code ec;
    std::filesystem::create_directories(data_dir_, ec);
    SHENPI_ASSIGN(auto db, store::open_database(
                               db_url_.empty() ? "sqlite:" + data_dir_ + "/shenpi.db" : db_url_));
    SHENPI_ASSIGN(auto audit, open_audit_log(db, data_dir_));
    SHENPI_ASSIGN(auto calendar, app::CalendarService::open(store::make_calendar_store(db), audit));
    // No case service: defaults need no viewer's permission, only the delivered cases.
    SHENPI_ASSIGN(ComplaintWiring w,
                  make_complaint_wiring(db, data_dir_, audit, calendar, nullptr));
    app::RequestContext ctx;
    ctx.now = unix_now_seconds();
    ctx.today = day->iso();
    ctx.request_id = "cli-ratings-default";
    level = w.ratings->policy().default_level;
    return w.ratings->record_defaults(ctx, std::max(1, batch_));
  };
  Result<app::DefaultsReport> r = recorded();
  if (!r) {
    std::cerr << "shenpi: " << r.error().message << "\n";
    return r.error().kind == ErrorKind::invalid_input ? 2 : 1;
  }
  // Every rating of one run is the configured default level.
  for (const std::string& number : r->cases) {
    std::cout << "DEFAULT " << number << ' ' << core::to_string(level) << '\n';
  }
  std::cout << "ratings default " << at_ << ": " << r->recorded << " default ratings recorded ("
            << core::label(level) << ")\n";
  return 0;
}

}  // namespace shenpi::main
