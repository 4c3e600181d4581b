#pragma once
// The use cases of complaints (投诉, Art. 13): filing (anyone, signed in or not), following
// a complaint (by account, or by its number and tracking code), and the supervision
// bureau's handling: assign, investigate and answer within a limit of working days. The
// complainant confirms or disputes the answer.
//
// Who sees what: the bureau (Permission::supervise) sees every complaint, with the
// contact phone; the service centre (centre_admin) sees complaints about cases and
// departments, with the phone masked, and never those about a person; the complainant
// sees their own, without the bureau's internal findings. The department complained
// about is never told by this service: notifications go to the bureau's supervisors,
// then to the assignee, then back to the complainant.
//
// Every change is written with its history entry, its notifications (outbox) and its
// audit entry in one transaction (ComplaintRepository).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/account_service.h"
#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/complaint_repository.h"
#include "app/principal.h"
#include "core/complaints/complaint.h"
#include "core/result.h"

namespace shenpi::app {

//! What filing returns: the tracking code is shown once and never stored in clear.
struct FiledComplaint {
  std::string number;
  std::string tracking_code;
  std::string due_on;
  std::int64_t version = 1;
};

struct ComplaintView {
  core::Complaint c;  //!< contact_phone unmasked for the bureau and the complainant
  std::vector<core::ComplaintEvent> events;
  bool bureau = false;       //!< the viewer is the supervision bureau
  bool complainant = false;  //!< the viewer is the complainant
  bool overdue = false;      //!< the bureau's answer is late
  std::vector<core::ComplaintAction> allowed_actions;
};

//! The case a complaint names, as far as filing needs it.
struct ComplaintCaseFacts {
  std::string department_code;  //!< the lead department
  std::string department_name;
};

struct ComplaintServiceDeps {
  std::shared_ptr<ComplaintRepository> repo;
  std::shared_ptr<CalendarService> calendar;
  std::shared_ptr<AuditLog> audit;
  //! Seal / open personal data (crypto::Sealer, adapted by the composition root).
  std::function<std::string(std::string_view plaintext, std::string_view ad)> seal;
  std::function<Result<std::string>(std::string_view sealed, std::string_view ad)> open;
  std::function<std::string(std::size_t)> random_bytes;
  std::function<std::string(std::string_view)> sha256_hex;
  //! The case with that number, or nullopt when there is none.
  std::function<Result<std::optional<ComplaintCaseFacts>>(std::string_view number)> find_case;
  //! The bureau answers within this many working days of filing (or of a dispute).
  int answer_limit_working_days = 15;
};

class ComplaintService {
 public:
  explicit ComplaintService(ComplaintServiceDeps deps);

  //! Files a complaint. `who` is the signed-in complainant, or nullopt. invalid_input with
  //! `field` as core::new_complaint says, and "case_not_found" (field case_number) /
  //! "department_not_found" (field department_code) for a subject that does not exist.
  //! The bureau's supervisors are notified.
  Result<FiledComplaint> file(const std::optional<Principal>& who,
                              const core::ComplaintInput& input, const RequestContext& ctx);

  //! The complaint for the bureau, the centre (not about a person), its complainant's
  //! account, or anyone holding its tracking code; not_found for everyone else (whether it
  //! exists stays private).
  Result<ComplaintView> view(const std::optional<Principal>& who, std::string_view number,
                             std::string_view tracking_code, const RequestContext& ctx);

  //! The bureau: all complaints; the centre: those not about a person; anyone else
  //! signed in: their own. Newest change first.
  Result<std::vector<core::Complaint>> list(const Principal& who,
                                            std::optional<core::ComplaintState> state);

  //! Takes an action (see core::apply_complaint_action). Who acts is `who` (the bureau,
  //! or the complainant's account) or the holder of `tracking_code`. not_found as for
  //! view(); precondition "stale_version"; forbidden / conflict / invalid_input from the
  //! rules; invalid_input "assignee_not_supervisor" (field assignee_id) when assigning to
  //! someone who is not a supervisor.
  Result<ComplaintView> act(const std::optional<Principal>& who, std::string_view number,
                            std::string_view tracking_code, core::ComplaintActionInput input,
                            std::int64_t expected_version, const RequestContext& ctx);

  //! The supervisors a complaint may be assigned to (id, name); forbidden for anyone but
  //! the bureau.
  Result<std::vector<std::pair<std::string, std::string>>> supervisors(const Principal& who);

  //! True when `who` acts for the supervision bureau.
  static bool is_bureau(const Principal& who);
  //! True when `who` is a trained centre administrator.
  static bool is_centre(const Principal& who);

 private:
  struct Access {
    bool bureau = false;
    bool centre = false;
    bool complainant = false;
  };
  Access access(const std::optional<Principal>& who, const ComplaintRecord& r,
                std::string_view tracking_code) const;
  ComplaintView to_view(const StoredComplaint& s, const Access& a) const;
  std::string due_from(std::string_view today) const;
  Result<AuditAppend> audit_of(const std::optional<Principal>& who, std::string_view action,
                               const core::Complaint& c, const RequestContext& ctx) const;
  OutboxEvent event_of(std::string_view topic, const core::Complaint& c,
                       std::vector<std::string> recipients, const RequestContext& ctx) const;

  ComplaintServiceDeps d_;
};

}  // namespace shenpi::app
