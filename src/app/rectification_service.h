#pragma once
// Rectification notices (整改通知) and the supervision dashboard (监察看板), issue 5.
//
// The service centre (centre_admin) and the supervision bureau (Permission::supervise:
// supervisor, leading_group) issue notices to a department, optionally about cases and
// warnings, with a reply deadline in working days; the department's business lead
// (business_lead of that department) answers once. Issue and reply are each one
// transaction with the notice, its audit entry and an outbox event (to the department's
// business leads; the reply also to the issuer), which reaches their inbox and email.
// Whether a notice is overdue is derived on reading (core::notice_status).
//
// The dashboard (centre and bureau only) gathers open cases by signal and department, the
// late list, warnings by rule and the notices, each from an aggregate query over indexed
// projections (never every case): see docs/decisions/0012-supervision-dashboard.md.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/account_service.h"
#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/principal.h"
#include "app/rectification_repository.h"
#include "core/result.h"

namespace shenpi::app {

struct RectificationDeps {
  std::shared_ptr<RectificationRepository> repo;
  std::shared_ptr<CalendarService> calendar;
  std::shared_ptr<AuditLog> audit;
  std::function<std::string(std::size_t)> random_bytes;  //!< outbox event ids
  int yellow_days = 2;   //!< the dashboard's yellow: due within this many working days
  int late_limit = 100;  //!< rows of the late list
};

struct IssueNotice {
  std::string department;
  std::string subject;
  std::string body;
  std::vector<std::string> case_numbers;
  std::vector<std::int64_t> warning_ids;
  int reply_days = 5;  //!< working days to answer
};

//! GET /api/v1/supervision/notices?dept=&status=&from=&to=
struct NoticeQuery {
  std::string department;
  std::string status;  //!< "", awaiting, overdue, answered, answered_late
  std::string from;    //!< issued on or after (YYYY-MM-DD)
  std::string to;
  int limit = 500;
};

//! The dashboard's filters (all optional): department, warning rule, warning state, and
//! the period in which warnings were found and notices issued.
struct DashboardQuery {
  std::string department;
  std::string rule;
  std::string state;
  std::string from;
  std::string to;
};

struct LateCaseRow {
  LateCase c;
  int days_late = 0;  //!< working days past the due date
};

struct DashboardView {
  std::string today;
  std::string yellow_until;  //!< the last day counted yellow
  DashboardQuery query;      //!< as understood (validated)
  std::vector<DepartmentSignals> signals;
  DepartmentSignals totals;  //!< the sum over signals (code and name empty)
  std::vector<LateCaseRow> late;
  std::vector<WarningCount> warning_counts;
  std::vector<Warning> warnings;  //!< the first 100, most days late first
  std::vector<Notice> notices;
};

//! The topics of the outbox events.
inline constexpr std::string_view kNoticeIssuedTopic = "supervision.notice";
inline constexpr std::string_view kNoticeRepliedTopic = "supervision.notice_reply";

class RectificationService {
 public:
  explicit RectificationService(RectificationDeps deps);

  //! The centre or the bureau (see may_oversee): issue a notice on `ctx.today`. forbidden
  //! (audited) for anyone else; invalid_input from core::validate_notice, "bad_case" /
  //! "bad_warning" for malformed references; the repository's errors for unknown ones.
  Result<Notice> issue(const Principal& who, const IssueNotice& in, const RequestContext& ctx);

  //! The business lead of the notice's department answers it on `ctx.today`. not_found
  //! "notice_not_found" also for those who may not see it; forbidden "not_business_lead"
  //! (audited) for staff of the department who are not its business lead; invalid_input
  //! from core::validate_reply; conflict "notice_answered".
  Result<Notice> reply(const Principal& who, std::int64_t id, std::string_view text,
                       const RequestContext& ctx);

  //! Notices `who` may see: the centre and the bureau every department's; staff with
  //! case_read their departments' (forbidden "department_out_of_scope" when the filter
  //! names another); anyone else forbidden (audited). invalid_input "bad_status",
  //! "bad_date".
  Result<std::vector<Notice>> notices(const Principal& who, const NoticeQuery& q,
                                      const RequestContext& ctx);

  //! One notice, under the same visibility (not_found otherwise).
  Result<Notice> notice(const Principal& who, std::int64_t id, const RequestContext& ctx);

  //! The dashboard on ctx.today: the centre and the bureau only (forbidden, audited).
  //! invalid_input "bad_rule", "bad_state", "bad_date" for bad filters.
  Result<DashboardView> dashboard(const Principal& who, const DashboardQuery& q,
                                  const RequestContext& ctx);

  //! The service centre (centre_admin, trained) or the supervision bureau
  //! (Permission::supervise), or the system.
  static bool may_oversee(const Principal& who);
  //! Holds business_lead in `department` (and is trained).
  static bool is_business_lead(const Principal& who, std::string_view department);

 private:
  Result<void> record_denial(const Principal& who, std::string_view action, const Error& why,
                             const RequestContext& ctx);
  Result<std::optional<std::vector<std::string>>> visible_departments(const Principal& who,
                                                                      std::string_view department,
                                                                      std::string_view action,
                                                                      const RequestContext& ctx);
  Result<NoticeAnnouncement> announce(const Principal& who, const Notice& n, bool reply,
                                      const std::vector<std::string>& leads,
                                      const RequestContext& ctx);

  RectificationDeps d_;
};

//! The JSON of a notice as the API returns it on `today`: {"id","department",
//! "department_name","subject","body","cases","warnings","issued_by","issuer_role",
//! "issued_on","reply_due_on","state","status","status_label","overdue","reply",
//! "replied_by","replied_on"}.
std::string notice_to_json(const Notice& n, std::string_view today);

}  // namespace shenpi::app
