#include "main/case_wiring.h"

#include <boost/json.hpp>

#include "app/form_data_json.h"
#include "crypto/secure_bytes.h"
#include "crypto/signer.h"
#include "docs/application_pdf.h"
#include "main/today.h"
#include "store/calendar_store.h"
#include "store/case_store.h"
#include "store/upload_store.h"

namespace shenpi::main {

Result<CaseWiring> make_case_wiring(std::shared_ptr<store::Database> db,
                                    std::shared_ptr<app::AuditLog> audit,
                                    std::shared_ptr<app::CatalogueService> catalogue,
                                    std::shared_ptr<app::DocumentService> documents,
                                    std::shared_ptr<app::AccountService> accounts) {
  CaseWiring w;
  w.uploads = std::make_shared<app::UploadService>(store::make_upload_store(db), audit,
                                                   crypto::random_bytes, crypto::sha256_hex);
  SHENPI_ASSIGN(w.calendar, app::CalendarService::open(store::make_calendar_store(db), audit));

  app::CaseServiceDeps d;
  d.repo = store::make_case_store(db);
  d.catalogue = catalogue;
  d.calendar = w.calendar;
  d.documents = documents;
  d.uploads = w.uploads;
  d.audit = audit;
  d.applicant_profile = [accounts](const std::string& id) -> Result<app::ApplicantProfile> {
    SHENPI_ASSIGN(auto v, accounts->applicant_identity(id));
    return app::ApplicantProfile{id, v[1], v[0], v[2], v[3]};
  };
  d.find_applicant = [accounts](const std::string& login) {
    return accounts->find_applicant(login, today_in_china());
  };
  d.random_bytes = crypto::random_bytes;
  d.render_application = [](const core::Case& c, const std::vector<core::FormField>& fields,
                            const core::FormData& data,
                            const std::vector<app::UploadInfo>& uploads) {
    docs::ApplicationPrint p;
    p.case_number = c.number;
    p.item_name = c.is_bundle() ? c.bundle_name : c.parts.front().item_name;
    p.department_name = c.lead_department_name;
    p.applicant_name = c.applicant_name;
    p.applicant_id_masked = c.applicant_id_masked;
    p.submitted_on = c.submitted_on;
    p.fields = fields;
    p.data = data;
    for (const app::UploadInfo& u : uploads) p.attachments.emplace_back("随附材料", u.filename);
    return docs::render_application_pdf(p);
  };
  w.cases = std::make_shared<app::CaseService>(std::move(d));

  // Staff read an applicant's material when they may read the case it was filed with.
  std::weak_ptr<app::CaseService> cases = w.cases;
  w.uploads->may_read = [cases](const app::Principal& who, const app::UploadInfo& info) {
    auto service = cases.lock();
    if (!service || info.case_number.empty()) return false;
    return service->may_read(who, info.case_number);
  };
  return w;
}

}  // namespace shenpi::main
