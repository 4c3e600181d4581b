#include "app/authorization.h"

#include <algorithm>
#include <string>

namespace shenpi::app {
namespace {

struct RoleInfo {
  std::string_view name;
  bool city_wide;
  std::vector<Permission> permissions;
};

// The permission table. Read it as: a holder of `name` in department D may do each of
// `permissions` in D (city-wide roles: in every department).
const std::vector<RoleInfo>& role_table() {
  using P = Permission;
  static const std::vector<RoleInfo> table = {
      {"clerk", false, {P::case_read, P::case_accept, P::case_read_personal}},
      {"reviewer", false, {P::case_read, P::case_review, P::case_read_personal}},
      {"approver", false, {P::case_read, P::case_approve, P::case_read_personal}},
      {"business_lead", false, {P::case_read, P::catalogue_draft}},
      {"security_officer", false, {P::audit_read}},
      {"dept_admin", false, {P::staff_manage}},
      {"centre_admin",
       true,
       {P::case_read, P::catalogue_file, P::calendar_edit, P::audit_read, P::staff_manage}},
      {"catalogue_admin", true, {P::catalogue_publish}},
      {"tech_admin", true, {P::staff_manage, P::staff_train}},
      {"supervisor", true, {P::case_read, P::audit_read, P::supervise}},
      {"leading_group", true, {P::case_read, P::supervise}},
  };
  return table;
}

const RoleInfo* find_role(std::string_view role) {
  for (const RoleInfo& r : role_table()) {
    if (r.name == role) return &r;
  }
  return nullptr;
}

Error denied(std::string code, std::string message) {
  return make_error(ErrorKind::forbidden, std::move(code), std::move(message));
}

}  // namespace

const std::vector<std::string_view>& role_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const RoleInfo& r : role_table()) out.push_back(r.name);
    return out;
  }();
  return names;
}

bool is_known_role(std::string_view role) { return find_role(role) != nullptr; }

bool is_city_wide_role(std::string_view role) {
  const RoleInfo* r = find_role(role);
  return r != nullptr && r->city_wide;
}

bool is_account_admin_role(std::string_view role) {
  return role == "dept_admin" || role == "centre_admin" || role == "tech_admin";
}

bool is_approving_role(std::string_view role) { return role == "approver" || role == "reviewer"; }

Result<void> require(const Principal& who, Permission permission, std::string_view department) {
  if (who.system) return ok_result();
  if (permission == Permission::sign_out || permission == Permission::read_own_training) {
    return ok_result();
  }
  if (who.kind != AccountKind::staff) {
    if (permission == Permission::manage_own_account || permission == Permission::submit_case) {
      return ok_result();
    }
    return denied("permission_denied", "您无权进行此操作");
  }
  if (!who.trained) {
    return denied("training_required", "您尚无有效的上岗培训记录，只能查看培训状态或退出登录");
  }
  if (permission == Permission::manage_own_account) return ok_result();
  for (const RoleGrant& g : who.roles) {
    const RoleInfo* r = find_role(g.role);
    if (r == nullptr) continue;
    if (std::find(r->permissions.begin(), r->permissions.end(), permission) ==
        r->permissions.end()) {
      continue;
    }
    if (r->city_wide || department.empty() || g.department_code == department) return ok_result();
  }
  return denied("permission_denied", "您无权进行此操作");
}

Result<void> check_separation_of_duties(const std::vector<RoleGrant>& roles) {
  const auto any = [&](bool (*pred)(std::string_view)) {
    return std::any_of(roles.begin(), roles.end(),
                       [&](const RoleGrant& g) { return pred(g.role); });
  };
  if (any(is_account_admin_role) && any(is_approving_role)) {
    return make_error(ErrorKind::conflict, "separation_of_duties",
                      "同一账号不能既管理账号又审查或审批办件", "role");
  }
  return ok_result();
}

std::string_view to_string(Permission p) {
  switch (p) {
    case Permission::sign_out:
      return "sign_out";
    case Permission::read_own_training:
      return "read_own_training";
    case Permission::manage_own_account:
      return "manage_own_account";
    case Permission::submit_case:
      return "submit_case";
    case Permission::case_read:
      return "case_read";
    case Permission::case_accept:
      return "case_accept";
    case Permission::case_review:
      return "case_review";
    case Permission::case_approve:
      return "case_approve";
    case Permission::case_read_personal:
      return "case_read_personal";
    case Permission::catalogue_draft:
      return "catalogue_draft";
    case Permission::catalogue_file:
      return "catalogue_file";
    case Permission::catalogue_publish:
      return "catalogue_publish";
    case Permission::calendar_edit:
      return "calendar_edit";
    case Permission::audit_read:
      return "audit_read";
    case Permission::staff_manage:
      return "staff_manage";
    case Permission::staff_train:
      return "staff_train";
    case Permission::supervise:
      return "supervise";
  }
  return "unknown";
}

}  // namespace shenpi::app
