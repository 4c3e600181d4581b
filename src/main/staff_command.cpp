#include "main/staff_command.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <string>

#include "main/account_wiring.h"
#include "main/audit_command.h"
#include "main/today.h"
#include "store/db.h"

namespace shenpi::main {
namespace {

int print_error(const Error& e) {
  std::cerr << "shenpi: " << e.message;
  if (!e.field.empty()) std::cerr << " (" << e.field << ")";
  std::cerr << "\n";
  return e.kind == ErrorKind::invalid_input ? 2 : 1;
}

void add_data_options(CLI::App& cmd, std::string& data_dir, std::string& db_url) {
  cmd.add_option("--data", data_dir, "数据目录 (data directory: database, logs, keys)")
      ->capture_default_str();
  cmd.add_option("--db", db_url,
                 "数据库 URL: sqlite:PATH (默认 DATA/shenpi.db) 或 postgresql://USER@HOST:PORT/DB");
}

app::RequestContext cli_context() {
  app::RequestContext ctx;
  ctx.now = unix_now();
  ctx.today = today_in_china();
  ctx.address = "cli";
  ctx.user_agent = "shenpi staff";
  return ctx;
}

}  // namespace

StaffCommand::StaffCommand(CLI::App& app) {
  staff_ = app.add_subcommand("staff", "工作人员账号 (staff accounts)");
  staff_->require_subcommand(1);

  add_ = staff_->add_subcommand("add", "新增工作人员账号，输出动态口令密钥 (add a staff account)");
  add_data_options(*add_, data_dir_, db_url_);
  add_->add_option("--username", username_, "用户名")->required();
  add_->add_option("--name", name_, "姓名")->required();
  add_->add_option("--dept", dept_, "所在单位编码")->required();
  add_->add_option("--role", roles_, "角色，可重复 (clerk, reviewer, approver, …)")->required();
  add_->add_option("--cert-subject", cert_subject_,
                   "客户端证书主题 (RFC 2253)，用于 CA 证书登录，如 \"CN=张三,O=潮州市\"");
  add_->add_flag("--password-stdin", password_stdin_, "从标准输入读取初始密码（一行）")->required();

  train_ = staff_->add_subcommand("train", "登记上岗培训记录 (record training)");
  add_data_options(*train_, data_dir_, db_url_);
  train_->add_option("--username", username_, "用户名")->required();
  train_->add_option("--course", course_, "培训课程")->required();
  train_->add_option("--valid-until", valid_until_, "有效期至 YYYY-MM-DD")->required();
}

bool StaffCommand::chosen() const { return staff_ != nullptr && staff_->parsed(); }

int StaffCommand::run() const {
  if (add_->parsed()) return add();
  if (train_->parsed()) return train();
  return 2;
}

namespace {

Result<std::shared_ptr<app::AccountService>> open_service(const std::string& data_dir,
                                                          const std::string& db_url) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return make_error(ErrorKind::unavailable, "data_dir",
                      "无法创建数据目录 " + data_dir + ": " + ec.message());
  }
  SHENPI_ASSIGN(
      auto db, store::open_database(db_url.empty() ? "sqlite:" + data_dir + "/shenpi.db" : db_url));
  SHENPI_ASSIGN(auto audit, open_audit_log(db, data_dir));
  return make_account_service(db, data_dir, audit);
}

}  // namespace

int StaffCommand::add() const {
  std::string password;
  if (!std::getline(std::cin, password)) {
    return print_error(make_error(ErrorKind::invalid_input, "password_missing",
                                  "请在标准输入提供初始密码", "password"));
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto service = open_service(data_dir_, db_url_);
  if (!service) return print_error(service.error());
  auto enrolment = (*service)->add_staff(app::Principal::system_actor(),
                                         {username_, name_, dept_, roles_, password, cert_subject_},
                                         cli_context());
  if (!enrolment) return print_error(enrolment.error());
  std::cout << "totp-secret: " << enrolment->totp_secret_base32 << "\n";
  return 0;
}

int StaffCommand::train() const {
  auto service = open_service(data_dir_, db_url_);
  if (!service) return print_error(service.error());
  auto r = (*service)->train_staff(app::Principal::system_actor(), username_, course_, valid_until_,
                                   cli_context());
  if (!r) return print_error(r.error());
  return 0;
}

}  // namespace shenpi::main
