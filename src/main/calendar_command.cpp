#include "main/calendar_command.h"

#include <CLI/CLI.hpp>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/json.hpp>

#include "app/calendar_json.h"
#include "app/calendar_service.h"
#include "main/account_wiring.h"
#include "main/audit_command.h"
#include "main/today.h"
#include "store/calendar_store.h"
#include "store/db.h"

namespace shenpi::main {
namespace {

// Files larger than this are not a year's schedule.
constexpr std::streamsize kMaxImportBytes = 1 << 20;

// A year without schedule is the caller's to fix (import it): exit 2 like bad input.
int print_error(const Error& e) {
  std::cerr << "shenpi: " << e.message;
  if (!e.field.empty() && e.code != "calendar_year_missing") std::cerr << " (" << e.field << ")";
  std::cerr << "\n";
  return e.kind == ErrorKind::invalid_input || e.code == "calendar_year_missing" ? 2 : 1;
}

void add_data_options(CLI::App& cmd, std::string& data_dir, std::string& db_url) {
  cmd.add_option("--data", data_dir, "数据目录 (data directory: database, logs, keys)")
      ->capture_default_str();
  cmd.add_option("--db", db_url,
                 "数据库 URL: sqlite:PATH (默认 DATA/shenpi.db) 或 postgresql://USER@HOST:PORT/DB");
}

// The read-only commands never write the audit trail; this sink says so if one tried.
class NoAudit final : public app::AuditSink {
 public:
  Result<void> record(const app::AuditEvent&) override {
    return make_error(ErrorKind::internal, "no_audit", "此命令不应写入审计日志");
  }
};

struct Opened {
  std::shared_ptr<store::Database> db;
  std::shared_ptr<app::CalendarService> calendar;
};

Result<Opened> open_calendar(const std::string& data_dir, const std::string& db_url, bool writes) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return make_error(ErrorKind::unavailable, "data_dir",
                      "无法创建数据目录 " + data_dir + ": " + ec.message());
  }
  Opened out;
  SHENPI_ASSIGN(
      out.db, store::open_database(db_url.empty() ? "sqlite:" + data_dir + "/shenpi.db" : db_url));
  std::shared_ptr<app::AuditSink> sink;
  if (writes) {
    SHENPI_ASSIGN(sink, open_audit_log(out.db, data_dir));
  } else {
    sink = std::make_shared<NoAudit>();
  }
  SHENPI_ASSIGN(out.calendar,
                app::CalendarService::open(store::make_calendar_store(out.db), std::move(sink)));
  return out;
}

Result<core::Date> parse_date(const std::string& text, const char* field) {
  const auto d = core::Date::parse(text);
  if (!d) {
    return make_error(ErrorKind::invalid_input, "bad_date",
                      std::string(field) + " 应为 YYYY-MM-DD 格式的有效日期 (" + field +
                          " must be a real date YYYY-MM-DD): " + text,
                      field);
  }
  return *d;
}

Result<int> parse_int(const std::string& text, const char* field, int min, int max) {
  int v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v < min || v > max) {
    return make_error(ErrorKind::invalid_input, "bad_number",
                      std::string(field) + " 应为 " + std::to_string(min) + " 到 " +
                          std::to_string(max) + " 之间的整数 (" + field + " must be an integer " +
                          std::to_string(min) + "–" + std::to_string(max) + "): " + text,
                      field);
  }
  return v;
}

}  // namespace

CalendarCommand::CalendarCommand(CLI::App& app) {
  calendar_ = app.add_subcommand("calendar", "工作日日历 (working-day calendar)");
  calendar_->require_subcommand(1);

  add_ = calendar_->add_subcommand(
      "add", "FROM 之后第 N 个工作日（FROM 当日不计）(the N-th working day after FROM)");
  add_->add_option("FROM", from_, "起算日 YYYY-MM-DD")->required();
  add_->add_option("N", days_, "工作日数")->required();
  add_data_options(*add_, data_dir_, db_url_);

  between_ = calendar_->add_subcommand(
      "between", "(FROM, TO] 之间的工作日数 (working days after FROM up to and including TO)");
  between_->add_option("FROM", from_, "起算日 YYYY-MM-DD（不计）")->required();
  between_->add_option("TO", to_, "截止日 YYYY-MM-DD（计入）")->required();
  add_data_options(*between_, data_dir_, db_url_);

  import_ = calendar_->add_subcommand(
      "import", "导入一年的节假日安排 JSON，替换该年 (import one year's schedule)");
  import_->add_option("FILE", file_, "JSON 文件: {\"year\",\"days_off\",\"make_up_days\"}")
      ->required();
  add_data_options(*import_, data_dir_, db_url_);

  show_ = calendar_->add_subcommand("show", "以 JSON 输出一年的节假日安排 (print a year)");
  show_->add_option("YEAR", year_, "年份")->required();
  add_data_options(*show_, data_dir_, db_url_);
}

bool CalendarCommand::chosen() const { return calendar_ != nullptr && calendar_->parsed(); }

int CalendarCommand::run() const {
  if (add_->parsed()) return add();
  if (between_->parsed()) return between();
  if (import_->parsed()) return import();
  if (show_->parsed()) return show();
  return 2;
}

int CalendarCommand::add() const {
  auto from = parse_date(from_, "FROM");
  if (!from) return print_error(from.error());
  auto n = parse_int(days_, "N", 0, 100000);
  if (!n) return print_error(n.error());
  auto opened = open_calendar(data_dir_, db_url_, false);
  if (!opened) return print_error(opened.error());
  auto date = opened->calendar->calendar()->add_working_days(*from, *n);
  if (!date) return print_error(date.error());
  std::cout << date->iso() << "\n";
  return 0;
}

int CalendarCommand::between() const {
  auto from = parse_date(from_, "FROM");
  if (!from) return print_error(from.error());
  auto to = parse_date(to_, "TO");
  if (!to) return print_error(to.error());
  auto opened = open_calendar(data_dir_, db_url_, false);
  if (!opened) return print_error(opened.error());
  auto days = opened->calendar->calendar()->working_days_between(*from, *to);
  if (!days) return print_error(days.error());
  std::cout << *days << "\n";
  return 0;
}

int CalendarCommand::import() const {
  std::ifstream in(file_, std::ios::binary);
  if (!in) {
    return print_error(make_error(ErrorKind::invalid_input, "file_unreadable",
                                  "无法读取文件 (cannot read file): " + file_, "FILE"));
  }
  std::string text(static_cast<std::size_t>(kMaxImportBytes) + 1, '\0');
  in.read(text.data(), kMaxImportBytes + 1);
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (static_cast<std::streamsize>(text.size()) > kMaxImportBytes) {
    return print_error(make_error(ErrorKind::invalid_input, "file_too_large",
                                  "文件过大 (file too large): " + file_, "FILE"));
  }
  auto schedule = app::year_schedule_from_text(text);
  if (!schedule) return print_error(schedule.error());
  auto opened = open_calendar(data_dir_, db_url_, true);
  if (!opened) return print_error(opened.error());
  app::RequestContext ctx;
  ctx.now = unix_now();
  ctx.today = today_in_china();
  ctx.address = "cli";
  ctx.user_agent = "shenpi calendar";
  auto r = opened->calendar->put_year(app::Principal::system_actor(), *schedule, ctx);
  if (!r) return print_error(r.error());
  std::cout << "imported " << schedule->year << ": " << schedule->days_off.size() << " days off, "
            << schedule->make_up_days.size() << " make-up working days\n";
  return 0;
}

int CalendarCommand::show() const {
  auto year = parse_int(year_, "YEAR", 1, 9999);
  if (!year) return print_error(year.error());
  auto opened = open_calendar(data_dir_, db_url_, false);
  if (!opened) return print_error(opened.error());
  auto s = opened->calendar->year(*year);
  if (!s) return print_error(s.error());
  boost::json::object o = app::to_json(*s).as_object();
  o["stored"] = opened->calendar->stored(*year);
  std::cout << boost::json::serialize(o) << "\n";
  return 0;
}

}  // namespace shenpi::main
