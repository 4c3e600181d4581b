#pragma once
// Who may do what, where: one table of permissions per role and scope, checked by every
// use case before it acts (Art. 19–21, separation of duties, training gate of Art. 20).
//
// Department roles (clerk … dept_admin) act only in the department they were granted in;
// city-wide roles (centre_admin … leading_group) act in every department. Applicants hold
// no roles: they may act only on their own things, which the use case checks by owner.
#include <optional>
#include <string_view>
#include <vector>

#include "app/principal.h"
#include "core/result.h"

namespace shenpi::app {

enum class Permission {
  sign_out,            //!< end one's own session (everyone, trained or not)
  read_own_training,   //!< read one's own training status (everyone)
  manage_own_account,  //!< change password, list and end own sessions
  submit_case,         //!< applicants: file and follow their own applications
  case_read,           //!< staff: read a department's cases
  case_accept,         //!< clerk: accept or refuse to accept (受理)
  case_review,         //!< reviewer: review opinion (审查)
  case_approve,        //!< approver: decide (审批)
  case_read_personal,  //!< see an applicant's personal data unmasked (audited)
  catalogue_draft,     //!< business lead: draft and sign a department's item versions
  catalogue_file,      //!< centre admin: file versions at the centre
  catalogue_publish,   //!< catalogue admin (编办): publish versions
  calendar_edit,       //!< centre admin: holidays and working days
  audit_read,          //!< security officer (own department), centre, supervisor
  staff_manage,        //!< dept admin (own department), centre admin, tech admin
  staff_train,         //!< tech admin (信息办): keep training records
  supervise,           //!< supervisor, leading group: warnings, rectification notices
};

//! Every role name accepted in the CLI and the API, in the order of DESIGN.md.
const std::vector<std::string_view>& role_names();
bool is_known_role(std::string_view role);
//! True for the city-wide roles (centre_admin, catalogue_admin, tech_admin, supervisor,
//! leading_group).
bool is_city_wide_role(std::string_view role);
//! Roles that administer accounts (dept_admin, centre_admin, tech_admin).
bool is_account_admin_role(std::string_view role);
//! Roles that take part in deciding cases (reviewer, approver).
bool is_approving_role(std::string_view role);

//! Checks that `who` may use `permission` in `department` (a department code; empty when
//! the action concerns no particular department, e.g. listing one's own queue: then any
//! grant carrying the permission suffices). Returns forbidden "permission_denied" (or
//! "training_required" for staff without valid training, who may only sign out and read
//! their training status). The system principal may do everything. The caller records
//! the denial in the audit trail.
Result<void> require(const Principal& who, Permission permission, std::string_view department);

//! The separation-of-duties rule for a set of grants: conflict "separation_of_duties"
//! (field "role") when it holds an account-administering role together with an
//! approving one.
Result<void> check_separation_of_duties(const std::vector<RoleGrant>& roles);

std::string_view to_string(Permission permission);

}  // namespace shenpi::app
