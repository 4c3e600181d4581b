#include "store/staff_directory_store.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace shenpi::store {
namespace {

class StaffDirectoryStore final : public app::StaffDirectory {
 public:
  explicit StaffDirectoryStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Result<std::vector<app::StaffMember>> staff(
      const std::optional<std::string>& department) override {
    std::vector<app::StaffMember> out;
    // The same department condition in all three queries, read in one snapshot.
    const std::string where = department ? " WHERE a.kind = 'staff' AND a.department_code = ?"
                                         : " WHERE a.kind = 'staff'";
    std::vector<Param> params;
    if (department) params.emplace_back(*department);
    SHENPI_TRY(db_->read([&](Session& s) -> Result<void> {
      SHENPI_ASSIGN(Rows accounts,
                    s.query("SELECT a.id, a.username, a.display_name, a.department_code, a.status "
                            "FROM accounts a" +
                                where + " ORDER BY a.department_code, a.username",
                            params));
      std::map<std::string, std::size_t> index;
      for (std::size_t i = 0; i < accounts.size(); ++i) {
        app::StaffMember m;
        m.account_id = accounts.text(i, 0);
        m.username = accounts.text(i, 1);
        m.name = accounts.text(i, 2);
        m.department_code = accounts.text(i, 3);
        m.status = accounts.text(i, 4);
        index.emplace(m.account_id, out.size());
        out.push_back(std::move(m));
      }
      SHENPI_ASSIGN(Rows grants,
                    s.query("SELECT g.account_id, g.role, g.department_code FROM role_grants g "
                            "JOIN accounts a ON a.id = g.account_id" +
                                where + " ORDER BY g.account_id, g.role",
                            params));
      for (std::size_t i = 0; i < grants.size(); ++i) {
        const auto it = index.find(grants.text(i, 0));
        if (it == index.end()) continue;
        out[it->second].roles.push_back(app::RoleGrant{grants.text(i, 1), grants.text(i, 2)});
      }
      SHENPI_ASSIGN(Rows training,
                    s.query("SELECT t.account_id, t.course, t.passed_on, t.valid_until, "
                            "t.recorded_by FROM training_records t "
                            "JOIN accounts a ON a.id = t.account_id" +
                                where + " ORDER BY t.valid_until DESC, t.id DESC",
                            params));
      for (std::size_t i = 0; i < training.size(); ++i) {
        const auto it = index.find(training.text(i, 0));
        if (it == index.end()) continue;
        out[it->second].training.push_back(app::TrainingRecord{
            training.text(i, 1), training.text(i, 2), training.text(i, 3), training.text(i, 4)});
      }
      return ok_result();
    }));
    return out;
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::shared_ptr<app::StaffDirectory> make_staff_directory(std::shared_ptr<Database> db) {
  return std::make_shared<StaffDirectoryStore>(std::move(db));
}

}  // namespace shenpi::store
