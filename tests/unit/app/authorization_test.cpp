// The permission table: for each role, what it may do in its own department, in another
// department, and what staff without valid training may do (Art. 20).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/authorization.h"

namespace shenpi::app {
namespace {

constexpr const char* kOwn = "445100-SCJGJ";
constexpr const char* kOther = "445100-WSJKJ";

Principal staff_with(const std::string& role, bool trained = true) {
  Principal p;
  p.account_id = "a";
  p.kind = AccountKind::staff;
  p.department_code = kOwn;
  p.roles = {{role, kOwn}};
  p.trained = trained;
  p.training_valid_until = trained ? "2026-12-31" : "";
  return p;
}

const std::vector<Permission> kAll = {
    Permission::sign_out,        Permission::read_own_training, Permission::manage_own_account,
    Permission::submit_case,     Permission::case_read,         Permission::case_accept,
    Permission::case_review,     Permission::case_approve,      Permission::case_read_personal,
    Permission::catalogue_draft, Permission::catalogue_file,    Permission::catalogue_publish,
    Permission::calendar_edit,   Permission::audit_read,        Permission::staff_manage,
    Permission::staff_train,     Permission::supervise,
};

// What each role may do in its own department, beyond what every trained staff member may
// (sign out, read own training, manage own account).
const std::map<std::string, std::set<Permission>> kExpected = {
    {"clerk", {Permission::case_read, Permission::case_accept, Permission::case_read_personal}},
    {"reviewer", {Permission::case_read, Permission::case_review, Permission::case_read_personal}},
    {"approver", {Permission::case_read, Permission::case_approve, Permission::case_read_personal}},
    {"business_lead", {Permission::case_read, Permission::catalogue_draft}},
    {"security_officer", {Permission::audit_read}},
    {"dept_admin", {Permission::staff_manage}},
    {"centre_admin",
     {Permission::case_read, Permission::catalogue_file, Permission::calendar_edit,
      Permission::audit_read, Permission::staff_manage}},
    {"catalogue_admin", {Permission::catalogue_publish}},
    {"tech_admin", {Permission::staff_manage, Permission::staff_train}},
    {"supervisor", {Permission::case_read, Permission::audit_read, Permission::supervise}},
    {"leading_group", {Permission::case_read, Permission::supervise}},
};

const std::set<Permission> kEveryStaff = {Permission::sign_out, Permission::read_own_training,
                                          Permission::manage_own_account};

TEST(Authorization, EveryRoleIsInTheTable) {
  std::set<std::string> names;
  for (std::string_view r : role_names()) names.insert(std::string(r));
  std::set<std::string> expected;
  for (const auto& [role, perms] : kExpected) expected.insert(role);
  EXPECT_EQ(names, expected);
}

TEST(Authorization, MatrixOwnDepartmentAndAnotherDepartment) {
  for (const auto& [role, perms] : kExpected) {
    const Principal p = staff_with(role);
    const bool city_wide = is_city_wide_role(role);
    for (Permission perm : kAll) {
      const bool own = kEveryStaff.count(perm) || perms.count(perm);
      EXPECT_EQ(require(p, perm, kOwn).ok(), own) << role << " " << to_string(perm) << " own dept";
      const bool other = kEveryStaff.count(perm) || (city_wide && perms.count(perm));
      Result<void> r = require(p, perm, kOther);
      EXPECT_EQ(r.ok(), other) << role << " " << to_string(perm) << " other dept";
      if (!r.ok()) {
        EXPECT_EQ(r.error().kind, ErrorKind::forbidden);
        EXPECT_EQ(r.error().code, "permission_denied");
      }
    }
  }
}

TEST(Authorization, UntrainedStaffMayOnlySignOutAndReadTheirTraining) {
  for (const auto& [role, perms] : kExpected) {
    const Principal p = staff_with(role, /*trained=*/false);
    for (Permission perm : kAll) {
      const bool allowed = perm == Permission::sign_out || perm == Permission::read_own_training;
      Result<void> r = require(p, perm, kOwn);
      EXPECT_EQ(r.ok(), allowed) << role << " " << to_string(perm);
      if (!r.ok()) {
        EXPECT_EQ(r.error().code, "training_required");
      }
    }
  }
}

TEST(Authorization, ApplicantsActOnlyOnTheirOwnThings) {
  for (AccountKind kind : {AccountKind::person, AccountKind::organisation}) {
    Principal p;
    p.kind = kind;
    for (Permission perm : kAll) {
      const bool allowed = perm == Permission::sign_out || perm == Permission::read_own_training ||
                           perm == Permission::manage_own_account ||
                           perm == Permission::submit_case;
      EXPECT_EQ(require(p, perm, kOwn).ok(), allowed) << to_string(perm);
    }
  }
}

TEST(Authorization, StaffDoNotSubmitCases) {
  EXPECT_FALSE(require(staff_with("clerk"), Permission::submit_case, kOwn).ok());
}

TEST(Authorization, NoDepartmentMeansAnyGrantCarryingThePermission) {
  EXPECT_TRUE(require(staff_with("clerk"), Permission::case_accept, "").ok());
  EXPECT_FALSE(require(staff_with("clerk"), Permission::case_approve, "").ok());
}

TEST(Authorization, SystemMayDoEverything) {
  for (Permission perm : kAll) EXPECT_TRUE(require(Principal::system_actor(), perm, kOther).ok());
}

TEST(Authorization, SeparationOfDuties) {
  struct Case {
    std::vector<RoleGrant> roles;
    bool ok;
  };
  const std::vector<Case> cases = {
      {{{"dept_admin", kOwn}}, true},
      {{{"approver", kOwn}, {"reviewer", kOwn}, {"clerk", kOwn}}, true},
      {{{"dept_admin", kOwn}, {"approver", kOwn}}, false},
      {{{"dept_admin", kOwn}, {"reviewer", kOther}}, false},
      {{{"centre_admin", kOwn}, {"reviewer", kOwn}}, false},
      {{{"tech_admin", kOwn}, {"approver", kOwn}}, false},
      {{{"tech_admin", kOwn}, {"clerk", kOwn}}, true},
      {{{"security_officer", kOwn}, {"approver", kOwn}}, true},
  };
  for (const Case& c : cases) {
    Result<void> r = check_separation_of_duties(c.roles);
    EXPECT_EQ(r.ok(), c.ok) << c.roles.front().role << "+" << c.roles.back().role;
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::conflict);
    }
  }
}

}  // namespace
}  // namespace shenpi::app
