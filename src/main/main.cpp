// The `shenpi` command: the composition root. It parses options, opens the database,
// wires the layers together and runs the chosen subcommand.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "app/audit_reader.h"
#include "app/catalogue_service.h"
#include "app/demo_loader.h"
#include "app/form_download_service.h"
#include "crypto/secure_bytes.h"
#include "docs/form_pdf.h"
#include "http/access_log.h"
#include "http/api/account_api.h"
#include "http/api/catalogue_api.h"
#include "http/api/session_api.h"
#include "http/error_mapping.h"
#include "http/health.h"
#include "http/server.h"
#include "main/account_wiring.h"
#include "main/audit_command.h"
#include "main/buffered_log_file.h"
#include "main/calendar_command.h"
#include "main/document_wiring.h"
#include "main/outbox_command.h"
#include "main/ratings_command.h"
#include "main/report_command.h"
#include "main/routes_command.h"
#include "main/staff_command.h"
#include "main/supervise_command.h"
#include "main/today.h"
#include "store/catalogue_store.h"
#include "store/db.h"
#include "store/staff_directory_store.h"
#include "web/account_pages.h"
#include "web/error_page.h"
#include "web/pages.h"
#include "web/staff_pages.h"

namespace {

using namespace shenpi;

struct DataOptions {
  std::string data_dir = "var";
  std::string db_url;  // default sqlite:DATA/shenpi.db

  void add_to(CLI::App& cmd) {
    cmd.add_option("--data", data_dir, "数据目录 (data directory: database, logs, keys)")
        ->capture_default_str();
    cmd.add_option(
        "--db", db_url,
        "数据库 URL: sqlite:PATH (默认 DATA/shenpi.db) 或 postgresql://USER@HOST:PORT/DB");
  }
  std::string url() const { return db_url.empty() ? "sqlite:" + data_dir + "/shenpi.db" : db_url; }
};

int fail(const Error& e) {
  std::cerr << "shenpi: " << e.message;
  if (!e.field.empty()) std::cerr << " (" << e.field << ")";
  std::cerr << "\n";
  return e.kind == ErrorKind::invalid_input ? 2 : 1;
}

Result<std::shared_ptr<store::Database>> open(const DataOptions& opts,
                                              store::Workload workload = store::Workload::command) {
  std::error_code ec;
  std::filesystem::create_directories(opts.data_dir, ec);
  if (ec) {
    return make_error(ErrorKind::unavailable, "data_dir",
                      "无法创建数据目录 " + opts.data_dir + ": " + ec.message());
  }
  std::filesystem::permissions(opts.data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  return store::open_database(opts.url(), workload);
}

Result<app::DemoLoadReport> load_demo(app::CatalogueRepository& repo) {
  auto render = [](std::string_view title, const std::vector<std::string>& paragraphs) {
    return docs::render_text_document(title, paragraphs, "潮州市网上行政审批系统 示范文本");
  };
  return app::load_demo_catalogue(repo, render, main::today_in_china());
}

Result<std::unique_ptr<main::BufferedLogFile>> make_access_log(const std::string& target,
                                                               const std::string& data_dir) {
  if (target == "off") return std::unique_ptr<main::BufferedLogFile>();
  if (target == "stdout") return main::BufferedLogFile::open("-");
  std::string path = target.empty() ? data_dir + "/logs/access.log" : target;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  return main::BufferedLogFile::open(path);
}

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  bool demo = false;
  int io_threads = 2;
  // Handlers block while their write waits for the group commit's fsync, so the number of
  // workers bounds how many writes one fsync can serve: 32 keep the disk's groups full
  // on a small machine without many idle threads.
  int workers = 32;
  int max_connections = 4096;
  int idle_timeout_s = 60;
  int request_timeout_s = 30;
  std::string access_log;   // "", "stdout", "off" or a path
  std::string fixed_today;  // --today: the legal clock's "today" (tests); empty: the real date
  std::string tls_cert;     // PEM chain; with tls_key: serve HTTPS only
  std::string tls_key;
  std::string client_ca;   // PEM CA bundle for staff certificate login
  main::MailOptions mail;  // --smtp-*: email notifications from the outbox
  // The site's address as citizens reach it, printed in the QR codes of documents.
  std::string public_url = main::kDefaultPublicUrl;
};

int serve(const DataOptions& data, const ServeOptions& so) {
  if (!so.fixed_today.empty()) main::set_fixed_today(so.fixed_today);
  auto colon = so.listen.rfind(':');
  if (colon == std::string::npos)
    return fail(
        make_error(ErrorKind::invalid_input, "bad_listen", "--listen 须为 HOST:PORT", "listen"));
  http::ServerConfig cfg;
  cfg.host = so.listen.substr(0, colon);
  if (cfg.host.size() > 2 && cfg.host.front() == '[')
    cfg.host = cfg.host.substr(1, cfg.host.size() - 2);
  try {
    int port = std::stoi(so.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    cfg.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    return fail(
        make_error(ErrorKind::invalid_input, "bad_listen", "--listen 的端口无效", "listen"));
  }
  cfg.io_threads = std::max(1, so.io_threads);
  cfg.worker_threads = std::max(1, so.workers);
  cfg.max_connections = std::max(1, so.max_connections);
  cfg.idle_timeout = std::chrono::seconds(std::max(1, so.idle_timeout_s));
  cfg.request_timeout = std::chrono::seconds(std::max(1, so.request_timeout_s));
  cfg.tls_cert_file = so.tls_cert;
  cfg.tls_key_file = so.tls_key;
  cfg.client_ca_file = so.client_ca;

  auto db = open(data, store::Workload::server);
  if (!db) return fail(db.error());
  auto repo = store::make_catalogue_store(*db);
  auto audit = main::open_audit_log(*db, data.data_dir);
  if (!audit) return fail(audit.error());
  if (auto r = (*audit)->record(main::system_event("system.start")); !r) return fail(r.error());
  if (so.demo) {
    auto empty = repo->empty();
    if (!empty) return fail(empty.error());
    if (*empty) {
      auto report = load_demo(*repo);
      if (!report) return fail(report.error());
      spdlog::info("demo data loaded: {} regions, {} departments, {} items, {} bundles",
                   report->regions, report->departments, report->items, report->bundles);
    }
  }

  auto catalogue = std::make_shared<app::CatalogueService>(repo);
  auto forms = std::make_shared<app::FormDownloadService>(
      catalogue, [](const core::ItemVersion& v, std::string_view dept) {
        return docs::render_blank_form(v, dept);
      });
  auto metrics = std::make_shared<http::Metrics>();
  std::weak_ptr<store::Database> weak_db = *db;
  metrics->add_gauge("shenpi_db_pool_connections", "Database connections in the pool.", [weak_db] {
    auto d = weak_db.lock();
    return d ? static_cast<double>(d->stats().size) : 0.0;
  });
  metrics->add_gauge("shenpi_db_pool_in_use", "Database connections lent right now.", [weak_db] {
    auto d = weak_db.lock();
    return d ? static_cast<double>(d->stats().in_use) : 0.0;
  });
  metrics->add_gauge("shenpi_db_pool_waits",
                     "Times a request waited for a database connection (cumulative).", [weak_db] {
                       auto d = weak_db.lock();
                       return d ? static_cast<double>(d->stats().waits) : 0.0;
                     });
  metrics->add_gauge("shenpi_db_cache_bytes",
                     "Page-cache memory held by the SQLite connections (bounded by their cache "
                     "sizes; 0 on PostgreSQL).",
                     [weak_db] {
                       auto d = weak_db.lock();
                       return d ? static_cast<double>(d->stats().cache_bytes) : 0.0;
                     });
  metrics->add_gauge("shenpi_db_wal_frames",
                     "Length of the SQLite WAL in pages after the last commit (it should fall "
                     "back after each checkpoint restart; 0 on PostgreSQL).",
                     [weak_db] {
                       auto d = weak_db.lock();
                       return d ? static_cast<double>(d->stats().wal_frames) : 0.0;
                     });
  metrics->add_gauge("shenpi_db_wal_restarts",
                     "Checkpoints that started the SQLite WAL over (cumulative).", [weak_db] {
                       auto d = weak_db.lock();
                       return d ? static_cast<double>(d->stats().wal_restarts) : 0.0;
                     });

  auto built =
      main::build_router({*db, data.data_dir, *audit, catalogue, forms, metrics, so.public_url});
  if (!built) return fail(built.error());
  auto router = built->router;
  auto pages = built->pages;

  auto access_r = make_access_log(so.access_log, data.data_dir);
  if (!access_r) return fail(access_r.error());
  std::shared_ptr<main::BufferedLogFile> access = std::move(*access_r);
  http::ServerHooks hooks;
  hooks.render_error = [](const Error& e, const http::Request& req) {
    if (req.path.rfind("/api/", 0) == 0 || !req.wants_html()) {
      if (req.path.rfind("/api/", 0) == 0 || req.path == "/healthz" || req.path == "/metrics")
        return http::json_error(e);
    }
    return web::html_error(e, req);
  };
  if (access) {
    hooks.access_log = [access](const http::AccessRecord& rec) {
      access->append(http::format_access_json(rec));
    };
  }
  hooks.internal_error = [](const std::string& id, const std::string& what) {
    spdlog::error("request {}: internal error: {}", id, what);
  };

  // Fans out outbox events and sends email until serve returns (joined by its destructor).
  auto dispatcher = main::start_outbox_dispatcher(*db, data.data_dir, so.mail);
  if (!dispatcher) return fail(dispatcher.error());
  // Runs a supervision pass every --supervise-every seconds until serve returns.
  auto supervision = main::start_supervision_job(*db, built->calendar, *audit);
  {
    http::Server server(cfg, router, metrics, hooks);
    if (auto r = server.listen(); !r) return fail(r.error());
    server.every(std::chrono::seconds(1), [pages] { pages->refresh_generation(); });
    server.every(std::chrono::seconds(30), [calendar = built->calendar] {
      if (calendar) (void)calendar->reload();
    });
    spdlog::info("shenpi serving {}://{}:{}/ (database {})",
                 cfg.tls_cert_file.empty() ? "http" : "https", cfg.host, server.port(),
                 (*db)->describe());
    std::printf("listening on %s:%u\n", cfg.host.c_str(), server.port());
    std::fflush(stdout);
    server.run();
  }
  // The server restored the default signal actions; a repeated SIGTERM from an impatient
  // supervisor must not cut the last flush short.
  std::signal(SIGTERM, SIG_IGN);
  std::signal(SIGINT, SIG_IGN);
  if (access) access->flush();
  if (auto r = (*audit)->record(main::system_event("system.stop")); !r) {
    spdlog::error("audit: system.stop not recorded: {}", r.error().message);
  }
  spdlog::info("shenpi stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"shenpi — 潮州市网上行政审批系统 (online administrative approval system)"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "所有子命令的帮助");

  DataOptions data;
  ServeOptions so;
  auto* serve_cmd = app.add_subcommand("serve", "启动网站和 API 服务 (serve the site and the API)");
  data.add_to(*serve_cmd);
  serve_cmd->add_option("--listen", so.listen, "监听地址 HOST:PORT")->capture_default_str();
  serve_cmd
      ->add_option("--today", so.fixed_today,
                   "以指定日期 YYYY-MM-DD 作为今天 (tests and rehearsals of the legal clock)")
      ->check([](const std::string& v) {
        return v.size() == 10 && v[4] == '-' && v[7] == '-' ? std::string() : "YYYY-MM-DD";
      });
  serve_cmd->add_flag("--demo", so.demo,
                      "数据库为空时载入演示数据 (load demo data into an empty database)");
  serve_cmd->add_option("--io-threads", so.io_threads, "网络线程数")->capture_default_str();
  serve_cmd->add_option("--workers", so.workers, "工作线程数 (database, PDF)")
      ->capture_default_str();
  serve_cmd->add_option("--max-connections", so.max_connections, "最大连接数")
      ->capture_default_str();
  serve_cmd
      ->add_option("--idle-timeout", so.idle_timeout_s,
                   "空闲连接超时（秒）(keep-alive idle timeout, seconds)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--request-timeout", so.request_timeout_s,
                   "单个请求的处理时限（秒）(deadline to read, handle and answer one request)")
      ->capture_default_str();
  serve_cmd->add_option("--access-log", so.access_log,
                        "访问日志: 文件路径 (默认 DATA/logs/access.log), stdout 或 off");
  serve_cmd->add_option("--tls-cert", so.tls_cert,
                        "服务器证书链 PEM 文件；与 --tls-key 一起启用 HTTPS (TLS 1.2+)");
  serve_cmd->add_option("--tls-key", so.tls_key, "服务器私钥 PEM 文件");
  so.mail.add_to(*serve_cmd);
  serve_cmd->add_option("--client-ca", so.client_ca,
                        "签发工作人员客户端证书的 CA 证书 PEM 文件 (CA login for staff)");
  serve_cmd
      ->add_option("--public-url", so.public_url,
                   "公众访问本站的地址，印在文书二维码中 (public base URL for verification links)")
      ->capture_default_str();

  DataOptions mdata;
  auto* migrate_cmd =
      app.add_subcommand("migrate", "创建或升级数据库结构后退出 (apply migrations and exit)");
  mdata.add_to(*migrate_cmd);

  DataOptions ddata;
  auto* demo_cmd = app.add_subcommand(
      "demo", "将演示数据载入空数据库 (load the demo catalogue into an empty database)");
  ddata.add_to(*demo_cmd);

  auto* version_cmd = app.add_subcommand("version", "显示版本");
  main::AuditCommand audit_cmd(app);
  main::StaffCommand staff_cmd(app);
  main::CalendarCommand calendar_cmd(app);
  main::RoutesCommand routes_cmd(app);
  main::OutboxCommand outbox_cmd(app);
  main::SuperviseCommand supervise_cmd(app, *serve_cmd);
  main::ReportCommand report_cmd(app);
  main::RatingsCommand ratings_cmd(app);

  CLI11_PARSE(app, argc, argv);

  if (*serve_cmd) return serve(data, so);
  if (*migrate_cmd) {
    auto db = open(mdata);
    if (!db) return fail(db.error());
    std::cout << "database ready: " << (*db)->describe() << "\n";
    return 0;
  }
  if (*demo_cmd) {
    auto db = open(ddata);
    if (!db) return fail(db.error());
    auto repo = store::make_catalogue_store(*db);
    auto report = load_demo(*repo);
    if (!report) return fail(report.error());
    std::cout << "loaded " << report->regions << " regions, " << report->departments
              << " departments, " << report->items << " items, " << report->bundles << " bundles\n";
    return 0;
  }
  if (audit_cmd.chosen()) return audit_cmd.run();
  if (staff_cmd.chosen()) return staff_cmd.run();
  if (calendar_cmd.chosen()) return calendar_cmd.run();
  if (routes_cmd.chosen()) return routes_cmd.run();
  if (outbox_cmd.chosen()) return outbox_cmd.run();
  if (supervise_cmd.chosen()) return supervise_cmd.run();
  if (report_cmd.chosen()) return report_cmd.run();
  if (ratings_cmd.chosen()) return ratings_cmd.run();
  if (*version_cmd) {
    std::cout << "shenpi 0.1.0\n";
    return 0;
  }
  return 0;
}
