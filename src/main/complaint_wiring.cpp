#include "main/complaint_wiring.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "crypto/sealer.h"
#include "crypto/secure_bytes.h"
#include "crypto/signer.h"
#include "http/api/complaint_api.h"
#include "http/api/rating_api.h"
#include "store/case_store.h"
#include "store/complaint_store.h"
#include "store/rating_store.h"
#include "web/complaint_pages.h"
#include "web/rating_pages.h"

namespace shenpi::main {
namespace {

// The environment variable `name` as a whole number in [min, max], `fallback` when unset.
Result<int> env_int(const char* name, int fallback, int min, int max) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  const std::string_view s(v);
  int n = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || ptr != s.data() + s.size() || n < min || n > max) {
    return make_error(ErrorKind::invalid_input, "bad_config",
                      std::string(name) + " 应为 " + std::to_string(min) + "–" +
                          std::to_string(max) + " 之间的整数");
  }
  return n;
}

}  // namespace

Result<ComplaintWiring> make_complaint_wiring(std::shared_ptr<store::Database> db,
                                              const std::string& data_dir,
                                              std::shared_ptr<app::AuditLog> audit,
                                              std::shared_ptr<app::CalendarService> calendar,
                                              std::shared_ptr<app::CaseService> cases) {
  SHENPI_ASSIGN(crypto::Sealer opened,
                crypto::Sealer::open_or_create(std::filesystem::path(data_dir) / "keys" /
                                               "personal-data.key"));
  auto sealer = std::make_shared<const crypto::Sealer>(std::move(opened));
  std::shared_ptr<app::CaseRepository> case_repo = store::make_case_store(db);

  ComplaintWiring w;
  app::ComplaintServiceDeps c;
  c.repo = store::make_complaint_store(db);
  c.calendar = calendar;
  c.audit = audit;
  c.seal = [sealer](std::string_view pt, std::string_view ad) { return sealer->seal(pt, ad); };
  c.open = [sealer](std::string_view s, std::string_view ad) { return sealer->open(s, ad); };
  c.random_bytes = crypto::random_bytes;
  c.sha256_hex = [](std::string_view b) { return crypto::sha256_hex(b); };
  c.find_case =
      [case_repo](std::string_view number) -> Result<std::optional<app::ComplaintCaseFacts>> {
    SHENPI_ASSIGN(auto stored, case_repo->find(number));
    // A draft is nobody's business but its author's: as if it did not exist.
    if (!stored || stored->c.state == core::CaseState::draft) {
      return std::optional<app::ComplaintCaseFacts>();
    }
    return std::optional<app::ComplaintCaseFacts>(
        app::ComplaintCaseFacts{stored->c.lead_department_code, stored->c.lead_department_name});
  };
  SHENPI_ASSIGN(c.answer_limit_working_days, env_int("SHENPI_COMPLAINT_ANSWER_DAYS", 15, 1, 60));
  w.complaints = std::make_shared<app::ComplaintService>(std::move(c));

  app::RatingServiceDeps r;
  r.repo = store::make_rating_store(db);
  r.calendar = calendar;
  r.audit = audit;
  r.random_bytes = crypto::random_bytes;
  std::weak_ptr<app::CaseService> weak_cases = cases;
  r.rated_case = [weak_cases, case_repo](const app::Principal& who, std::string_view number,
                                         const app::RequestContext&) -> Result<core::RatedCase> {
    auto service = weak_cases.lock();
    const Error not_found = make_error(ErrorKind::not_found, "case_not_found", "办件不存在");
    if (!service || !service->may_read(who, number)) return not_found;
    SHENPI_ASSIGN(auto stored, case_repo->find(number));
    if (!stored) return not_found;
    const core::Case& k = stored->c;
    core::RatedCase out;
    out.number = k.number;
    out.delivered = k.state == core::CaseState::delivered;
    out.delivered_on = k.delivered_on;
    out.applicant_account_id = k.applicant_account_id;
    out.department_code = k.lead_department_code;
    out.department_name = k.lead_department_name;
    out.item_name = k.is_bundle() || k.parts.empty() ? k.bundle_name : k.parts.front().item_name;
    return out;
  };
  SHENPI_ASSIGN(r.policy.rate_within_days, env_int("SHENPI_RATING_WINDOW_DAYS", 15, 0, 365));
  SHENPI_ASSIGN(r.policy.follow_up_working_days, env_int("SHENPI_RATING_FOLLOW_UP_DAYS", 5, 1, 60));
  if (const char* level = std::getenv("SHENPI_RATING_DEFAULT_LEVEL"); level && *level) {
    const auto l = core::parse_rating_level(level);
    if (!l) {
      return make_error(ErrorKind::invalid_input, "bad_config",
                        "SHENPI_RATING_DEFAULT_LEVEL 应为 very_satisfied、satisfied、"
                        "basically_satisfied、dissatisfied 或 very_dissatisfied");
    }
    r.policy.default_level = *l;
  }
  w.ratings = std::make_shared<app::RatingService>(std::move(r));
  return w;
}

Result<ComplaintWiring> register_complaint_routes(
    http::Router& router, std::shared_ptr<const http::api::SessionAuth> auth,
    std::shared_ptr<store::Database> db, const std::string& data_dir,
    std::shared_ptr<app::AuditLog> audit, std::shared_ptr<app::CalendarService> calendar,
    std::shared_ptr<app::CaseService> cases, std::shared_ptr<app::CatalogueService> catalogue) {
  SHENPI_ASSIGN(ComplaintWiring w, make_complaint_wiring(std::move(db), data_dir, std::move(audit),
                                                         std::move(calendar), std::move(cases)));
  http::api::register_complaint_api(router, auth, w.complaints);
  http::api::register_rating_api(router, auth, w.ratings);
  web::register_complaint_pages(
      router, {auth, w.complaints, std::move(catalogue), crypto::random_bytes, web::WebOptions{}});
  web::register_rating_pages(router, {auth, w.ratings, web::WebOptions{}});
  return w;
}

}  // namespace shenpi::main
