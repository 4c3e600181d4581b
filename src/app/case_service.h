#pragma once
// The use cases of applying and handling (网上申报, 网上审批, 并联审批, 结果反馈): one
// function per thing a person does. Each checks who may do it (authorization.h), computes
// the change with the pure rules of core/cases, and writes the change, its events, the
// documents it issues, the notifications it queues and its audit entry in one
// transaction (CaseRepository).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/account_service.h"
#include "app/audit_log.h"
#include "app/calendar_service.h"
#include "app/case_repository.h"
#include "app/catalogue_service.h"
#include "app/document_service.h"
#include "app/principal.h"
#include "app/upload_service.h"
#include "core/cases/case_clock_view.h"
#include "core/cases/case_machine.h"
#include "core/forms/form_data.h"
#include "core/forms/form_validate.h"
#include "core/result.h"

namespace shenpi::app {

//! A new application (POST /api/v1/applications).
struct ApplicationInput {
  std::string item_code;    //!< one item …
  std::string bundle_code;  //!< … or a bundle (exactly one of the two)
  core::FormData data;
  bool submit = false;          //!< false: save as a draft
  std::string idempotency_key;  //!< optional; 1–128 printable ASCII characters
  std::string request_hash;     //!< SHA-256 hex of the request body (idempotency check)
  //! Window mode (Art. 3): the ID number or credit code of the registered applicant a
  //! clerk files for; empty when applicants file for themselves.
  std::string on_behalf_of;
};

struct CaseRef {
  std::string number;
  core::CaseState state = core::CaseState::draft;
  std::int64_t version = 0;
  bool replayed = false;  //!< the answer of an earlier request with the same Idempotency-Key
};

//! An action on a case (POST /api/v1/cases/{number}/actions).
struct CaseActionRequest {
  core::CaseActionInput input;          //!< part_seq is resolved from item_code / the actor
  std::string item_code;                //!< bundles: the part acted on (optional)
  std::vector<std::string> upload_ids;  //!< submit_correction: the corrected materials
  std::optional<core::FormData> data;   //!< submit on a draft: replaces the form data
};

//! A case as one person may see it.
struct CaseView {
  core::Case c;
  std::vector<core::CaseEvent> events;
  core::CaseClocks clocks;
  std::vector<DocumentRecord> documents;
  std::vector<core::FormField> fields;  //!< the form the data was filed against
  std::vector<UploadInfo> uploads;      //!< attached materials
  //! The viewer may see personal data unmasked (the applicant, or staff with
  //! case_read_personal: such reads are audited).
  bool personal_visible = false;
  std::string applicant_id_number;  //!< unmasked when personal_visible, else masked
  std::string applicant_mobile;     //!< likewise
  //! The actions the viewer may take now (for buttons; the use case still checks).
  std::vector<core::CaseAction> allowed_actions;
};

struct QueueEntry {
  TaskRow task;
  core::ClockState clock;
};

//! The applicant data the case use cases need, read from the account (sealed at rest).
struct ApplicantProfile {
  std::string account_id;
  std::string kind;  //!< "person" or "organisation"
  std::string name;
  std::string id_number;  //!< citizen ID, or the credit code of an organisation
  std::string mobile;
};

struct CaseServiceDeps {
  std::shared_ptr<CaseRepository> repo;
  std::shared_ptr<CatalogueService> catalogue;
  std::shared_ptr<CalendarService> calendar;
  std::shared_ptr<DocumentService> documents;
  std::shared_ptr<UploadService> uploads;
  std::shared_ptr<AuditLog> audit;
  //! The applicant's profile by account id; and an applicant's account id by ID number or
  //! credit code (window mode), nullopt when not registered.
  std::function<Result<ApplicantProfile>(const std::string& account_id)> applicant_profile;
  std::function<Result<std::optional<std::string>>(const std::string& login)> find_applicant;
  std::function<std::string(std::size_t)> random_bytes;
  //! Renders the filled application (docs::render_application_pdf, adapted by the
  //! composition root so that app does not depend on docs).
  std::function<Result<std::string>(const core::Case&, const std::vector<core::FormField>&,
                                    const core::FormData&, const std::vector<UploadInfo>&)>
      render_application;
  core::ClockPolicy clock_policy;
};

class CaseService {
 public:
  explicit CaseService(CaseServiceDeps deps);

  //! Files a new application, or saves it as a draft. Applicants file for themselves;
  //! a clerk (case_accept in the item's or bundle lead's department) files for a
  //! registered applicant named by on_behalf_of (window mode). invalid_input with `field`
  //! for the first form error (all errors in *field_errors when given); not_found for an
  //! unknown or unpublished item / bundle; conflict "item_offline" for items not offered
  //! online; conflict "idempotency_key_reused" when the key came with another request.
  Result<CaseRef> apply(const Principal& who, const ApplicationInput& input,
                        const RequestContext& ctx, std::vector<Error>* field_errors = nullptr);

  //! Replaces a draft's form data (the owner only; the draft stays a draft).
  Result<CaseRef> save_draft(const Principal& who, std::string_view number,
                             const core::FormData& data, std::int64_t expected_version,
                             const RequestContext& ctx, std::vector<Error>* field_errors = nullptr);

  //! Takes an action. precondition "stale_version" when expected_version is not the
  //! stored one; forbidden when the caller's role or department does not allow it (or it
  //! is not their case); conflict with the rule's code when the state does not allow it;
  //! not_found when the case does not exist or the caller may not know it exists.
  Result<CaseRef> act(const Principal& who, std::string_view number, const CaseActionRequest& req,
                      std::int64_t expected_version, const RequestContext& ctx);

  //! The case for its applicant or for staff with case_read in a department concerned
  //! (or city-wide); not_found for anyone else.
  Result<CaseView> view(const Principal& who, std::string_view number, const RequestContext& ctx);

  //! True when `who` may see the case (its applicant, staff of a department concerned,
  //! city-wide readers); false for anyone else and for unknown numbers.
  bool may_read(const Principal& who, std::string_view number);

  //! The principal's own applications, most recently changed first: `limit` (clamped to
  //! 1–200) of them after skipping `offset`. Staff have none.
  Result<std::vector<CaseSummary>> my_cases(const Principal& who, int limit = 50, int offset = 0);
  //! Cases of the departments where the principal holds case_read (city-wide: all).
  Result<std::vector<CaseSummary>> department_cases(const Principal& who, const CaseFilter& filter,
                                                    const RequestContext& ctx);
  //! The principal's work queue: open tasks of their departments at the stages their roles
  //! act on (clerk: acceptance, delivery; reviewer: review, recheck; approver: decision),
  //! earliest due first, each with its clock. mine_only: claimed by the principal.
  Result<std::vector<QueueEntry>> queue(const Principal& who, bool mine_only,
                                        const RequestContext& ctx);

  //! The PDF of a document of a case, for whoever may view the case.
  Result<std::pair<DocumentRecord, std::string>> document_pdf(const Principal& who,
                                                              std::string_view number,
                                                              std::int64_t document_id,
                                                              const RequestContext& ctx);
  //! The filled application as a PDF (application_pdf), for whoever may view the case.
  Result<std::string> application_pdf(const Principal& who, std::string_view number,
                                      const RequestContext& ctx);

 private:
  struct Item;
  Result<StoredCase> load(std::string_view number);
  bool may_view(const Principal& who, const core::Case& c) const;
  Result<std::vector<Item>> items_for(const ApplicationInput& input);
  std::optional<Item> cached_item(std::string_view code, std::int64_t generation);
  void remember_item(std::string_view code, std::int64_t generation, const Item& item);
  Result<CaseCommit> commit_for(const Principal& who, const core::CaseTransition& t,
                                std::int64_t expected_version, const RequestContext& ctx);
  Result<std::vector<core::FormField>> form_of(const core::Case& c);
  core::CaseClocks clocks(const core::Case& c, std::string_view today) const;
  Result<void> deny(const Principal& who, std::string_view action, std::string_view number,
                    const Error& e, const RequestContext& ctx);
  //! The case for `who`: not_found (audited) when it does not exist or is not theirs to see.
  Result<StoredCase> load_for(const Principal& who, std::string_view action,
                              std::string_view number, const RequestContext& ctx);
  //! not_found for a case `who` may not see, with the attempt in the audit trail.
  Error hidden(const Principal& who, std::string_view action, std::string_view number,
               const RequestContext& ctx);

  CaseServiceDeps d_;
  // Published items with their departments, as of one catalogue generation: every
  // submission needs its item's form, and reading and parsing it from the database each
  // time cost more than validating the form. Dropped whole when the generation moves.
  struct ItemCache;
  std::shared_ptr<ItemCache> item_cache_;
};

}  // namespace shenpi::app
