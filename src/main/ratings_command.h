#pragma once
// The `ratings` subcommand (好差评, issue 5):
//
//   shenpi ratings default --at DATE [--data DIR] [--db URL] [--batch N]
//     records the configured default rating (SHENPI_RATING_DEFAULT_LEVEL, default
//     satisfied) for every delivered case whose rating window (SHENPI_RATING_WINDOW_DAYS
//     calendar days after delivery) has ended before DATE (YYYY-MM-DD), each audited as the
//     system. Prints one line "DEFAULT <case> <level>" per rating recorded, then the total
//     "ratings default DATE: N default ratings recorded". Exit 0; a bad date: exit 2 with a
//     Chinese message on stderr, nothing opened. Running it again records nothing new: a
//     case has one rating (app::RatingService::record_defaults).
#include <string>

namespace CLI {
class App;
}

namespace shenpi::main {

class RatingsCommand {
 public:
  //! Registers `ratings` (and its `default` subcommand) on `app`.
  explicit RatingsCommand(CLI::App& app);
  bool chosen() const;
  //! Runs the chosen subcommand; returns the process exit code.
  int run() const;

 private:
  CLI::App* cmd_ = nullptr;
  CLI::App* default_ = nullptr;
  std::string data_dir_ = "var";
  std::string db_url_;
  std::string at_;
  int batch_ = 500;
};

}  // namespace shenpi::main
