#include "app/staff_admin.h"

#include <algorithm>
#include <utility>

namespace shenpi::app {

bool training_valid(const StaffMember& member, std::string_view today) {
  return std::any_of(member.training.begin(), member.training.end(),
                     [&](const TrainingRecord& t) { return t.valid_until >= today; });
}

StaffAdmin::StaffAdmin(std::shared_ptr<StaffDirectory> directory,
                       std::shared_ptr<AccountService> accounts,
                       std::function<std::string(std::size_t n)> random_bytes)
    : directory_(std::move(directory)),
      accounts_(std::move(accounts)),
      random_bytes_(std::move(random_bytes)) {}

std::string StaffAdmin::generate_password() const {
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  constexpr std::size_t kChars = 16;
  // 248 is the largest multiple of 31 below 256: bytes at or above it are dropped so
  // that every letter is equally likely.
  constexpr unsigned kLimit = 256 - 256 % kAlphabet.size();
  std::string out;
  std::size_t picked = 0;
  while (picked < kChars) {
    for (const char c : random_bytes_(kChars)) {
      const auto b = static_cast<unsigned char>(c);
      if (b >= kLimit || picked == kChars) continue;
      if (picked > 0 && picked % 4 == 0) out += '-';
      out += kAlphabet[b % kAlphabet.size()];
      ++picked;
    }
  }
  return out;
}

bool StaffAdmin::manages_all_departments(const Principal& actor) {
  if (actor.system) return true;
  // The same rule as AccountService::add_staff: only these city-wide roles carry
  // staff_manage (see the permission table in authorization.cpp).
  return std::any_of(actor.roles.begin(), actor.roles.end(), [](const RoleGrant& g) {
    return g.role == "centre_admin" || g.role == "tech_admin";
  });
}

Result<StaffList> StaffAdmin::list_staff(const Principal& actor, std::string_view department,
                                         const RequestContext& ctx) {
  std::string dept(department);
  if (dept.empty() && !manages_all_departments(actor)) {
    const auto grant = std::find_if(actor.roles.begin(), actor.roles.end(),
                                    [](const RoleGrant& g) { return g.role == "dept_admin"; });
    // Without a dept_admin grant the check below fails (and is audited) on the home
    // department.
    dept = grant != actor.roles.end() ? grant->department_code : actor.department_code;
  }
  if (dept.empty()) {
    SHENPI_TRY(accounts_->authorize(actor, Permission::staff_manage, "", "staff.list", ctx));
    SHENPI_ASSIGN(auto all, directory_->staff(std::nullopt));
    return StaffList{std::nullopt, std::move(all)};
  }
  SHENPI_TRY(accounts_->authorize(actor, Permission::staff_manage, dept, "staff.list", ctx));
  SHENPI_ASSIGN(auto members, directory_->staff(dept));
  return StaffList{dept, std::move(members)};
}

Result<std::vector<StaffMember>> StaffAdmin::training_register(const Principal& actor,
                                                               const RequestContext& ctx) {
  SHENPI_TRY(accounts_->authorize(actor, Permission::staff_train, "", "training.list", ctx));
  return directory_->staff(std::nullopt);
}

}  // namespace shenpi::app
