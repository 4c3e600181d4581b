#include "web/verify_pages.h"

#include <string>
#include <utility>

#include <boost/json.hpp>

#include "core/identity/masking.h"
#include "http/error_mapping.h"
#include "web/error_page.h"
#include "web/render.h"

namespace shenpi::web {
namespace {

namespace json = boost::json;
using core::DocumentKind;
using http::Request;
using http::Response;

Response no_store(Response r) {
  r.header("Cache-Control", "no-store");
  r.header("X-Robots-Tag", "noindex");
  return r;
}

// The public view of a document: personal data masked, nothing a stranger should not see
// (no reasons, no materials: those may name people or trade secrets).
json::object public_view(const app::VerifiedDocument& v) {
  const core::DocumentContent& c = v.record.content;
  return json::object{
      {"verify_code", v.record.verify_code},
      {"kind", core::to_string(c.kind)},
      {"label", core::label(c.kind)},
      {"document_number", c.document_number},
      {"outcome", document_outcome(c)},
      {"case_number", c.case_number},
      {"item_code", c.item_code},
      {"item_name", c.item_name},
      {"department_code", c.department_code},
      {"department_name", c.department_name},
      {"applicant_masked", core::mask_name(c.applicant_name)},
      {"applicant_id_masked", c.applicant_id_masked},
      {"issued_on", c.issued_on},
      {"signature_valid", v.signature_valid},
  };
}

struct State {
  std::shared_ptr<app::DocumentService> documents;
  WebOptions options;

  Response page(std::string_view tpl, std::string title, json::object ctx, int status,
                const Request& req) const {
    PageSpec spec{options.site_name, tpl, std::move(title), Nav::none, Frame::site};
    auto html = render_page(spec, std::move(ctx));
    if (!html) return no_store(html_error(html.error(), req, options.site_name));
    return no_store(Response::html(status, std::move(*html)));
  }

  Response form(const Request& req) const {
    json::object ctx{{"heading", "文书核验"}};
    const auto typed = req.query_param("code");
    if (typed) {
      if (const auto code = core::normalise_verify_code(*typed)) {
        return no_store(Response::redirect("/verify/" + *code));
      }
      ctx["code"] = std::string(typed->substr(0, 40));
      ctx["error"] =
          typed->empty() ? "请输入文书验证码" : "验证码应为 16 位字母和数字，请核对后重新输入";
      return page("verify_form", "文书核验", std::move(ctx), 400, req);
    }
    return page("verify_form", "文书核验", std::move(ctx), 200, req);
  }

  Response result(const Request& req) const {
    const std::string_view typed = req.param("code");
    auto v = documents->verify(typed);
    if (!v) {
      if (v.error().kind != ErrorKind::not_found) {
        http::report_error(req, v.error());
        return no_store(html_error(v.error(), req, options.site_name));
      }
      json::object ctx{
          {"heading", "文书核验"}, {"not_found", true}, {"code", std::string(typed.substr(0, 40))}};
      return page("verify_form", "未找到该文书", std::move(ctx), 404, req);
    }
    // A code typed in another form is shown at its one address.
    if (typed != v->record.verify_code) {
      return no_store(Response::redirect("/verify/" + v->record.verify_code));
    }
    return page("verify_result", "文书核验结果", public_view(*v), 200, req);
  }

  Response api(const Request& req) const {
    auto v = documents->verify(req.param("code"));
    if (!v) {
      http::report_error(req, v.error());
      return no_store(http::json_error(v.error()));
    }
    return no_store(Response::json(200, json::serialize(public_view(*v))));
  }
};

}  // namespace

std::string document_outcome(const core::DocumentContent& c) {
  switch (c.kind) {
    case DocumentKind::receipt:
      return "申请材料已接收";
    case DocumentKind::acceptance_notice:
      return "予以受理";
    case DocumentKind::non_acceptance_decision:
      return "不予受理";
    case DocumentKind::correction_notice:
      return "需补正申请材料";
    case DocumentKind::approval_decision:
      return c.result_name.empty() ? "准予行政许可" : "准予行政许可（" + c.result_name + "）";
    case DocumentKind::refusal_decision:
      return "不予行政许可";
    case DocumentKind::suspension_notice:
      return "依法进入" + (c.procedure.empty() ? std::string("特别程序") : c.procedure) +
             "程序，所需时间不计入审批期限";
    case DocumentKind::extension_notice:
      return "审批期限延长" + std::to_string(c.days) + "个工作日";
  }
  return std::string(core::label(c.kind));
}

void register_verify_pages(http::Router& router, std::shared_ptr<app::DocumentService> documents,
                           WebOptions options) {
  auto state = std::make_shared<const State>(State{std::move(documents), std::move(options)});
  http::RouteOptions pub;
  pub.access = "public";
  router.add(
      "GET", "/verify", [state](Request& req) { return state->form(req); }, pub);
  router.add(
      "GET", "/verify/{code}", [state](Request& req) { return state->result(req); }, pub);
  router.add(
      "GET", "/api/v1/verify/{code}", [state](Request& req) { return state->api(req); }, pub);
}

}  // namespace shenpi::web
