#pragma once
// The staff administration use cases behind /admin/staff and /admin/training (Art. 19–20):
// listing the staff of a department with their roles and training, and the register of
// training records kept by the information office. Creating staff and recording training
// stay with AccountService (add_staff, train_staff), shared with the `shenpi staff` CLI.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/account_repository.h"
#include "app/account_service.h"
#include "app/principal.h"
#include "core/result.h"

namespace shenpi::app {

//! A staff member as colleagues and administrators see them: no secrets, no hashes.
struct StaffMember {
  std::string account_id;
  std::string username;
  std::string name;
  std::string department_code;  //!< home department
  std::string status;           //!< "active" or "disabled"
  std::vector<RoleGrant> roles;
  std::vector<TrainingRecord> training;  //!< latest valid_until first
};

//! The port listing staff; implemented by store::make_staff_directory.
class StaffDirectory {
 public:
  virtual ~StaffDirectory() = default;
  //! Staff whose home department is `department` (every staff member when nullopt),
  //! ordered by department then username, each with its grants and training records.
  virtual Result<std::vector<StaffMember>> staff(const std::optional<std::string>& department) = 0;
};

//! One listing and the scope it covers.
struct StaffList {
  std::optional<std::string> department;  //!< nullopt: every department
  std::vector<StaffMember> staff;
};

//! True when `valid_until` (YYYY-MM-DD) of the member's latest record is today or later.
bool training_valid(const StaffMember& member, std::string_view today);

class StaffAdmin {
 public:
  //! `random_bytes(n)` returns n bytes from a cryptographic source (crypto::random_bytes).
  StaffAdmin(std::shared_ptr<StaffDirectory> directory, std::shared_ptr<AccountService> accounts,
             std::function<std::string(std::size_t n)> random_bytes);

  //! A fresh initial password for a new staff account, shown once to the administrator:
  //! four groups of four characters from a 31-letter alphabet without look-alikes
  //! (about 79 bits), e.g. "k7pq-3mzx-h2ta-9wcf".
  std::string generate_password() const;

  //! The staff an administrator may manage (permission staff_manage). `department` empty:
  //! every department for a city-wide administrator (centre_admin, tech_admin, system),
  //! else the department of the actor's dept_admin grant. A department named explicitly
  //! must be one the actor manages. forbidden (audited) otherwise, "training_required"
  //! for an actor without valid training.
  Result<StaffList> list_staff(const Principal& actor, std::string_view department,
                               const RequestContext& ctx);

  //! Every staff member with their training records (permission staff_train).
  Result<std::vector<StaffMember>> training_register(const Principal& actor,
                                                     const RequestContext& ctx);

  //! True when the actor may create staff in every department (centre_admin, tech_admin,
  //! system); otherwise only in departments of their dept_admin grants.
  static bool manages_all_departments(const Principal& actor);

 private:
  std::shared_ptr<StaffDirectory> directory_;
  std::shared_ptr<AccountService> accounts_;
  std::function<std::string(std::size_t n)> random_bytes_;
};

}  // namespace shenpi::app
