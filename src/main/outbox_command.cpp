#include "main/outbox_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "app/notification_text.h"
#include "crypto/sealer.h"
#include "crypto/secure_bytes.h"
#include "main/account_wiring.h"
#include "store/outbox_store.h"

namespace shenpi::main {
namespace {

namespace json = boost::json;

Result<std::shared_ptr<const crypto::Sealer>> personal_data_sealer(const std::string& data_dir) {
  SHENPI_ASSIGN(crypto::Sealer sealer,
                crypto::Sealer::open_or_create(std::filesystem::path(data_dir) / "keys" /
                                               "personal-data.key"));
  return std::make_shared<const crypto::Sealer>(std::move(sealer));
}

// The SMTP password: SHENPI_SMTP_PASSWORD, else the first line of the file, else none.
Result<std::string> smtp_password(const std::string& file) {
  if (const char* env = std::getenv("SHENPI_SMTP_PASSWORD"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  if (file.empty()) return std::string();
  std::ifstream in(file);
  if (!in) {
    return make_error(ErrorKind::invalid_input, "smtp_password_file",
                      "无法读取 --smtp-password-file 指定的文件", "smtp-password-file");
  }
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// A lease name unique among the nodes: host, process and a random part (a restarted
// process with a reused pid must not resume a dead one's leases).
std::string lease_owner() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid()) + ":" +
         crypto::to_hex(crypto::random_bytes(4));
}

}  // namespace

Result<std::shared_ptr<app::InboxService>> make_inbox_service(
    std::shared_ptr<store::Database> db, const std::string& data_dir,
    std::shared_ptr<app::AuditSink> audit) {
  SHENPI_ASSIGN(auto sealer, personal_data_sealer(data_dir));
  app::ContactCrypto c;
  c.seal = [sealer](std::string_view pt, std::string_view ad) { return sealer->seal(pt, ad); };
  c.open = [sealer](std::string_view s, std::string_view ad) { return sealer->open(s, ad); };
  c.blind_index = [sealer](std::string_view v, std::string_view purpose) {
    return sealer->blind_index(v, purpose);
  };
  return std::make_shared<app::InboxService>(store::make_outbox_store(std::move(db)),
                                             std::move(audit), std::move(c));
}

void MailOptions::add_to(CLI::App& serve) {
  serve.add_option("--smtp-url", smtp_url,
                   "邮件服务器: smtp://HOST:PORT (STARTTLS) 或 smtps://HOST:PORT；不填则不发邮件");
  serve.add_option("--smtp-from", smtp_from, "发件人地址")->capture_default_str();
  serve.add_option("--smtp-user", smtp_user,
                   "SMTP 登录名；密码取自环境变量 SHENPI_SMTP_PASSWORD 或 --smtp-password-file");
  serve.add_option("--smtp-password-file", smtp_password_file, "存放 SMTP 密码的文件（首行）");
}

Result<std::unique_ptr<jobs::OutboxDispatcher>> start_outbox_dispatcher(
    std::shared_ptr<store::Database> db, const std::string& data_dir, const MailOptions& mail) {
  SHENPI_ASSIGN(auto sealer, personal_data_sealer(data_dir));
  std::shared_ptr<jobs::Mailer> mailer;
  jobs::DispatcherOptions options;
  options.owner = lease_owner();
  if (!mail.smtp_url.empty()) {
    Result<std::string> from = app::normalise_email(mail.smtp_from);
    if (!from.ok() && mail.smtp_from.find('@') == std::string::npos) {
      return make_error(ErrorKind::invalid_input, "bad_smtp_from", "--smtp-from 应为电子邮箱地址",
                        "smtp-from");
    }
    options.from = from.ok() ? *from : mail.smtp_from;
    jobs::SmtpConfig config;
    config.url = mail.smtp_url;
    config.user = mail.smtp_user;
    SHENPI_ASSIGN(config.password, smtp_password(mail.smtp_password_file));
    SHENPI_ASSIGN(mailer, jobs::make_smtp_mailer(std::move(config)));
  }
  auto outbox = store::make_outbox_store(std::move(db));
  auto open = [sealer](const app::EmailDelivery& d) -> Result<std::string> {
    SHENPI_ASSIGN(std::string address,
                  sealer->open(d.address_sealed, app::email_associated_data(d.account_id)));
    // Checked again at the door: nothing but a plain address reaches an SMTP command.
    return app::normalise_email(address);
  };
  auto dispatcher = std::make_unique<jobs::OutboxDispatcher>(
      std::move(outbox), app::notification_text, std::move(mailer), std::move(open), unix_now,
      std::move(options));
  dispatcher->start();
  spdlog::info("outbox dispatcher started ({})",
               mail.smtp_url.empty() ? "email off: no --smtp-url" : "email on");
  return dispatcher;
}

OutboxCommand::OutboxCommand(CLI::App& app) {
  outbox_ = app.add_subcommand("outbox", "事件发件箱 (the outbox of events and notifications)");
  outbox_->require_subcommand(1);
  test_event_ = outbox_->add_subcommand(
      "test-event", "写入一条测试事件，由运行中的服务发送站内消息和邮件 (write one test event)");
  test_event_->add_option("--data", data_dir_, "数据目录")->capture_default_str();
  test_event_->add_option("--db", db_url_, "数据库 URL (默认 sqlite:DATA/shenpi.db)");
  test_event_->add_option("--account", account_, "收件账号 ID")->required();
  test_event_->add_option("--topic", topic_, "事件主题")->capture_default_str();
  test_event_->add_option("--case-number", case_number_, "办件编号");
  test_event_->add_option("--item-name", item_name_, "事项名称")->capture_default_str();
}

bool OutboxCommand::chosen() const { return outbox_ != nullptr && outbox_->parsed(); }

int OutboxCommand::run() const {
  auto result = [&]() -> Result<std::string> {
    SHENPI_ASSIGN(auto db, store::open_database(
                               db_url_.empty() ? "sqlite:" + data_dir_ + "/shenpi.db" : db_url_));
    app::OutboxEvent e;
    e.event_id = crypto::to_hex(crypto::random_bytes(16));
    e.topic = topic_;
    e.case_number = case_number_.empty() ? "TEST-" + e.event_id.substr(0, 8) : case_number_;
    e.payload_json = json::serialize(json::object{{"number", e.case_number},
                                                  {"item_name", item_name_},
                                                  {"state", "test"},
                                                  {"state_label", "测试"},
                                                  {"department_name", "测试单位"}});
    e.recipients = {account_};
    e.created_at = unix_now();
    SHENPI_TRY(store::make_outbox_store(db)->append(e));
    return e.event_id;
  }();
  if (!result.ok()) {
    std::cerr << "shenpi: " << result.error().message << "\n";
    return result.error().kind == ErrorKind::invalid_input ? 2 : 1;
  }
  std::cout << *result << "\n";
  return 0;
}

}  // namespace shenpi::main
