#pragma once
// Who is acting: the signed-in account as the session validation found it, or the
// system itself (command-line administration on the server).
#include <string>
#include <vector>

#include "app/account_repository.h"

namespace shenpi::app {

struct Principal {
  std::string account_id;
  AccountKind kind = AccountKind::person;
  std::string name;                  //!< display name
  std::string username;              //!< staff login name; empty for applicants
  std::string department_code;       //!< staff home department; empty for applicants
  std::vector<RoleGrant> roles;      //!< staff only
  std::string training_valid_until;  //!< latest valid_until of the staff's training, or ""
  //! Staff: a training record is valid today (Art. 20). Always true for applicants.
  bool trained = true;
  //! The command line on the server: may do anything an administrator may, audited as
  //! "system". Never produced by a session.
  bool system = false;
  std::string session_id;  //!< SHA-256 of the session token; empty for system
  std::string csrf_token;  //!< the session's CSRF token

  //! The principal of administrative commands run on the server itself.
  static Principal system_actor() {
    Principal p;
    p.kind = AccountKind::staff;
    p.name = "system";
    p.username = "system";
    p.system = true;
    return p;
  }
};

}  // namespace shenpi::app
