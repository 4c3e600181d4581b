#include "main/report_command.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "docs/performance_report_pdf.h"
#include "http/api/performance_api.h"
#include "main/audit_command.h"
#include "main/today.h"
#include "store/calendar_store.h"
#include "store/performance_store.h"
#include "web/performance_pages.h"

namespace shenpi::main {
namespace {

std::string month_label(const core::PerformanceReport& r) {
  return std::to_string(r.from.year) + "年" + std::to_string(r.from.month) + "月";
}

}  // namespace

std::shared_ptr<app::PerformanceService> make_performance_service(
    std::shared_ptr<store::Database> db, std::shared_ptr<app::CalendarService> calendar,
    std::shared_ptr<app::AuditLog> audit) {
  app::PerformanceDeps d;
  d.repo = store::make_performance_store(std::move(db));
  d.calendar = std::move(calendar);
  d.audit = std::move(audit);
  return std::make_shared<app::PerformanceService>(std::move(d));
}

Result<void> register_performance_routes(http::Router& router,
                                         std::shared_ptr<const http::api::SessionAuth> auth,
                                         std::shared_ptr<store::Database> db,
                                         std::shared_ptr<app::CalendarService> calendar,
                                         std::shared_ptr<app::AuditLog> audit) {
  auto service = make_performance_service(std::move(db), std::move(calendar), std::move(audit));
  http::api::register_performance_api(router, auth, service);
  web::PerformancePagesDeps pages;
  pages.auth = std::move(auth);
  pages.performance = service;
  pages.render_report = [](const core::PerformanceReport& r, const std::string& label,
                           const std::string& today) {
    return docs::render_performance_report(r, label, today);
  };
  web::register_performance_pages(router, std::move(pages));
  return ok_result();
}

ReportCommand::ReportCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("report", "生成报告 (reports)");
  cmd_->require_subcommand(1);
  monthly_ =
      cmd_->add_subcommand("monthly", "生成领导小组绩效月报 PDF (the monthly performance report)");
  monthly_->add_option("--month", month_, "月份 YYYY-MM")->required();
  monthly_->add_option("--out", out_, "输出的 PDF 文件")->required();
  monthly_->add_option("--data", data_dir_, "数据目录")->capture_default_str();
  monthly_->add_option("--db", db_url_, "数据库 URL (默认 sqlite:DATA/shenpi.db)");
}

bool ReportCommand::chosen() const { return cmd_ != nullptr && cmd_->parsed(); }

int ReportCommand::run() const {
  auto made = [&]() -> Result<std::pair<app::PerformanceView, std::string>> {
    std::error_code ec;
    std::filesystem::create_directories(data_dir_, ec);
    SHENPI_ASSIGN(auto db, store::open_database(
                               db_url_.empty() ? "sqlite:" + data_dir_ + "/shenpi.db" : db_url_));
    SHENPI_ASSIGN(auto audit, open_audit_log(db, data_dir_));
    SHENPI_ASSIGN(auto calendar, app::CalendarService::open(store::make_calendar_store(db), audit));
    auto service = make_performance_service(db, calendar, audit);
    app::RequestContext ctx;
    ctx.today = today_in_china();
    ctx.address = "cli";
    SHENPI_ASSIGN(app::PerformanceView view,
                  service->monthly(app::Principal::system_actor(), month_, ctx));
    SHENPI_ASSIGN(std::string pdf, docs::render_performance_report(
                                       view.report, month_label(view.report), ctx.today));
    return std::make_pair(std::move(view), std::move(pdf));
  }();
  if (!made) {
    std::cerr << "shenpi: " << made.error().message << "\n";
    return made.error().kind == ErrorKind::invalid_input ? 2 : 1;
  }
  {
    std::ofstream out(out_, std::ios::binary | std::ios::trunc);
    out << made->second;
    if (!out.flush()) {
      std::cerr << "shenpi: 无法写入 " << out_ << "\n";
      return 1;
    }
  }
  std::cout << "report " << month_ << ": " << made->first.report.departments.size()
            << " departments, " << made->first.report.items.size() << " items, " << out_ << " ("
            << made->second.size() << " bytes)\n";
  return 0;
}

}  // namespace shenpi::main
