#pragma once
// The applicant's pages of applying and following a case (网上申报, 结果反馈),
// server-rendered, zh-CN, no JavaScript needed, never cached (Cache-Control: no-store):
//
//   GET  /apply/{item}                 the guide's essentials and the application form
//   GET  /apply/bundle/{code}          the same for a parallel-approval bundle (并联审批)
//   POST /apply/{item}                 multipart/form-data: 保存草稿 (action=draft) or 提交申请
//   POST /apply/bundle/{code}          (action=submit); files are stored as uploads first,
//                                      then CaseService::apply; 303 → /my/cases/{number}
//   GET  /my/cases                     我的办件
//   GET  /my/cases/{number}            办理进度: timeline, clock, documents, actions
//   POST /my/cases/{number}/draft      a draft's form again: 保存草稿 / 提交申请 (multipart)
//   POST /my/cases/{number}/actions    submit, withdraw, submit_correction (urlencoded, or
//                                      multipart when it carries corrected materials)
//
// Every handler authenticates through http::api::SessionAuth: not signed in → 303
// /login?next=…; staff without valid training → 303 /training. Forms carry csrf_token:
// urlencoded posts are checked by SessionAuth (CsrfSource::header_or_form), multipart
// posts here (read_posted), both against the session's token. The application form
// carries a random idempotency token, sent to CaseService::apply as the Idempotency-Key,
// so that a double click files one case.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "app/case_service.h"
#include "app/catalogue_service.h"
#include "app/upload_service.h"
#include "http/api/session_auth.h"
#include "http/router.h"
#include "web/pages.h"

namespace shenpi::web {

struct CasePagesDeps {
  std::shared_ptr<const http::api::SessionAuth> auth;
  std::shared_ptr<app::CaseService> cases;
  std::shared_ptr<app::CatalogueService> catalogue;
  std::shared_ptr<app::UploadService> uploads;
  WebOptions options;
};

//! Adds the routes above to `router`; the handlers share ownership of `deps`.
void register_case_pages(http::Router& router, CasePagesDeps deps);

// ---- shared by the applicant pages and the staff pages (work_pages.cpp) -----------------
namespace case_page {

//! Largest body of a page post carrying files: a few materials of up to
//! UploadService::kMaxBytes together.
inline constexpr std::size_t kMultipartBodyLimit = 48 * 1024 * 1024;

struct PostedFile {
  std::string field;
  std::string filename;
  std::string_view bytes;  //!< points into the request body
};

//! A page form as posted, urlencoded or multipart/form-data, with its sender.
struct Posted {
  app::Principal who;
  std::vector<std::pair<std::string, std::string>> fields;  //!< text fields, in order
  std::vector<PostedFile> files;  //!< file inputs with a chosen file (empty ones dropped)
  std::string value(std::string_view name) const;  //!< first value, "" when absent
};

//! Authenticates a write and reads its form. Urlencoded: SessionAuth checks csrf_token;
//! multipart: the csrf_token part must equal the session's token (else forbidden
//! "csrf_token_invalid", recorded as a denial). Errors as SessionAuth's, or invalid_input
//! for a body that does not parse.
Result<Posted> read_posted(const http::Request& req, const http::api::SessionAuth& auth);

//! What is applied for: one item or a bundle, with the form of its items.
struct ApplyTarget {
  std::string item_code;    //!< one item …
  std::string bundle_code;  //!< … or a bundle
  std::string title;
  std::string department_code;  //!< the item's department or the bundle's lead
  std::vector<core::FormField> fields;
  boost::json::object view;  //!< items, materials, limits for apply.html
  bool online = true;        //!< offered for online application (Art. 12)
};

//! The published item (or bundle) and its form; not_found for unknown codes.
Result<ApplyTarget> load_target(app::CatalogueService& catalogue, std::string_view item_code,
                                std::string_view bundle_code);

//! The page context of the application form (apply.html / window_apply.html).
struct ApplyFormState {
  core::FormData values;
  std::vector<Error> errors;  //!< field errors next to their field; others in the summary
  std::map<std::string, std::string> upload_names;  //!< upload id → file name
  std::string idempotency_key;
  std::string on_behalf_of;  //!< window mode
};
boost::json::object apply_context(const ApplyTarget& target, const ApplyFormState& state,
                                  std::string_view action_url, std::string_view csrf_token);

//! Reads a posted application form: stores each posted file as an upload (an error of
//! the store is a field error of its input), merges their ids with the kept ones, and
//! computes the request hash for the idempotency check (over the values and the files'
//! SHA-256, not the random upload ids, so a double click hashes the same).
struct ReadApplication {
  core::FormData data;
  std::vector<Error> upload_errors;
  std::map<std::string, std::string> upload_names;
  std::string request_hash;
};
ReadApplication read_application(const Posted& posted, const std::vector<core::FormField>& fields,
                                 app::UploadService& uploads, const app::RequestContext& ctx,
                                 std::string_view salt);

//! A fresh idempotency token for a form (32 hex characters).
std::string new_form_token();
//! True for a token as new_form_token makes them.
bool valid_form_token(std::string_view token);

//! The case as both the applicant's and the staff's pages show it: header, clock with
//! the signal as text (绿灯/黄灯/红灯, 剩余N个工作日 / 已超期N个工作日, （暂定）), the
//! timeline, the parts with their own clocks, the documents with PDF links and codes.
boost::json::object case_context(const app::CaseView& view);

//! Text of the signal for a clock: {"signal", "signal_label", "days_text", "due", …}.
boost::json::object clock_context(const core::ClockState& st);

//! The page inside the site layout, for a signed-in person (the header names them),
//! with csrf_token and the stylesheets (forms_css, cases_css) in the context; never cached.
http::Response render(const WebOptions& options, const app::Principal& who,
                      std::string_view template_name, std::string title, boost::json::object ctx,
                      int status, const http::Request& req);

//! Not signed in → 303 /login?next= (the request's path for GET, else `next_on_post`);
//! staff without training → 303 /training; otherwise the error page in Chinese.
http::Response fail(const WebOptions& options, const Error& e, const http::Request& req,
                    std::string_view next_on_post);

//! The anchor of an error's field in form_fields.html ("staff[1].name" → "f-staff-1-name").
std::string field_anchor(std::string_view field);

}  // namespace case_page
}  // namespace shenpi::web
