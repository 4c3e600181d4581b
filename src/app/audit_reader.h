#pragma once
// The security officers' and the centre's view of the audit trail (Art. 24; issue 3
// "Audit trail"): search, CSV export and verification, each checked against the
// audit_read permission and each itself audited (audit.search, audit.export, audit.verify).
//
// Scope: centre_admin and supervisor read every department; a security_officer reads the
// entries of the department of their grant only. A filter naming another department is
// forbidden (and audited).
#include <memory>
#include <optional>
#include <string>

#include "app/account_service.h"
#include "app/audit_log.h"
#include "app/principal.h"
#include "core/result.h"

namespace shenpi::app {

struct AuditSearchResult {
  std::optional<std::string> department_scope;  //!< nullopt: every department
  AuditPage page;
};

class AuditReader {
 public:
  explicit AuditReader(std::shared_ptr<AuditLog> log);

  //! The department the actor may read (nullopt: all), or forbidden (audited;
  //! "training_required" for staff without valid training).
  Result<std::optional<std::string>> scope(const Principal& actor, std::string_view action,
                                           const RequestContext& ctx);

  //! One page of matching entries, newest first; records audit.search with the filter.
  Result<AuditSearchResult> search(const Principal& actor, AuditFilter filter,
                                   const RequestContext& ctx);

  //! The matching entries as CSV (UTF-8 BOM, bilingual header); records audit.export.
  //! too_large when more than `max_rows` entries match.
  Result<std::string> export_csv(const Principal& actor, AuditFilter filter,
                                 const RequestContext& ctx, std::int64_t max_rows = 100000);

  //! Walks the whole chain (AuditLog::verify); records audit.verify with the outcome.
  Result<AuditVerifyReport> verify(const Principal& actor, const RequestContext& ctx);

 private:
  Result<void> record(const Principal& actor, std::string_view action, std::string_view outcome,
                      const RequestContext& ctx, std::string after_json);
  Result<std::optional<std::string>> scoped(const Principal& actor, AuditFilter& filter,
                                            std::string_view action, const RequestContext& ctx);

  std::shared_ptr<AuditLog> log_;
};

}  // namespace shenpi::app
