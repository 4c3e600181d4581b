#pragma once
// `shenpi staff add` and `shenpi staff train`: staff administration on the server itself,
// acting as the system principal (audited as "system").
//
//   shenpi staff add --username U --name N --dept DEPT --role ROLE [--role ROLE…]
//                    --password-stdin [--data DIR] [--db URL]
//     prints exactly one line "totp-secret: BASE32" for enrolment in an authenticator app.
//   shenpi staff train --username U --course C --valid-until YYYY-MM-DD [--data DIR] [--db URL]
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace shenpi::main {

class StaffCommand {
 public:
  //! Registers the `staff` subcommand (with `add` and `train`) on `app`.
  explicit StaffCommand(CLI::App& app);
  //! True when the command line chose `staff …`.
  bool chosen() const;
  //! Runs the chosen subcommand; returns the process exit code (0 ok, 2 bad input, 1
  //! anything else).
  int run() const;

 private:
  int add() const;
  int train() const;

  CLI::App* staff_ = nullptr;
  CLI::App* add_ = nullptr;
  CLI::App* train_ = nullptr;
  std::string data_dir_ = "var";
  std::string db_url_;
  std::string username_;
  std::string name_;
  std::string dept_;
  std::vector<std::string> roles_;
  std::string cert_subject_;
  bool password_stdin_ = false;
  std::string course_;
  std::string valid_until_;
};

}  // namespace shenpi::main
