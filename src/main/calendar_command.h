#pragma once
// `shenpi calendar …`: the working-day calendar on the server (shipped years built in,
// stored years from the database win). Acting as the system principal (audited as
// "system") for import.
//
//   shenpi calendar add FROM N [--data DIR] [--db URL]
//     prints the date N working days after FROM (FROM not counted), YYYY-MM-DD.
//   shenpi calendar between FROM TO [--data DIR] [--db URL]
//     prints how many working days lie in (FROM, TO].
//   shenpi calendar import FILE [--data DIR] [--db URL]
//     replaces the year of FILE ({"year","days_off","make_up_days"}), prints a summary.
//   shenpi calendar show YEAR [--data DIR] [--db URL]
//     prints the year's schedule as the JSON that import takes.
//
// add and between never guess: a day in a year without schedule is an explicit error.
// Exit codes: 0 ok; 2 bad input or a year without schedule; 1 anything else.
#include <string>

namespace CLI {
class App;
}

namespace shenpi::main {

class CalendarCommand {
 public:
  //! Registers the `calendar` subcommand (add, between, import, show) on `app`.
  explicit CalendarCommand(CLI::App& app);
  //! True when the command line chose `calendar …`.
  bool chosen() const;
  //! Runs the chosen subcommand; returns the process exit code.
  int run() const;

 private:
  int add() const;
  int between() const;
  int import() const;
  int show() const;

  CLI::App* calendar_ = nullptr;
  CLI::App* add_ = nullptr;
  CLI::App* between_ = nullptr;
  CLI::App* import_ = nullptr;
  CLI::App* show_ = nullptr;
  std::string data_dir_ = "var";
  std::string db_url_;
  std::string from_;
  std::string to_;
  std::string days_;
  std::string file_;
  std::string year_;
};

}  // namespace shenpi::main
