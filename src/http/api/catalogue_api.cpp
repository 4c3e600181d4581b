#include "http/api/catalogue_api.h"

#include <boost/json.hpp>
#include <charconv>

#include "app/catalogue_json.h"
#include "http/error_mapping.h"
#include "resources/resources.h"

namespace shenpi::http::api {
namespace {

namespace json = boost::json;

Response ok_json(const json::value& v) {
  Response r = Response::json(200, json::serialize(v));
  // The catalogue is public and changes rarely; let clients and proxies reuse it briefly.
  r.header("Cache-Control", "public, max-age=60");
  return r;
}

json::object dept_ref(const std::string& code, const std::string& name) {
  return json::object{{"code", code}, {"name", name}};
}

Result<int> int_param(const Request& req, std::string_view name, int fallback) {
  auto v = req.query_param(name);
  if (!v) return fallback;
  int out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || v->empty()) {
    return make_error(ErrorKind::invalid_input, "bad_parameter",
                      std::string("参数 ") + std::string(name) + " 必须是整数", std::string(name));
  }
  return out;
}

Result<core::ItemQuery> parse_query(const Request& req, app::CatalogueService& catalogue) {
  core::ItemQuery q;
  if (auto v = req.query_param("q")) q.text = std::string(*v);
  if (auto v = req.query_param("dept"); v && !v->empty()) {
    q.department_code = std::string(*v);
    SHENPI_ASSIGN(auto dept, catalogue.repository().department(q.department_code));
    if (!dept)
      return make_error(ErrorKind::invalid_input, "bad_parameter", "参数 dept 不是已知的单位编码",
                        "dept");
  }
  if (auto v = req.query_param("audience"); v && !v->empty()) {
    auto a = core::parse_audience(*v);
    if (!a || *a == core::Audience::both) {
      return make_error(ErrorKind::invalid_input, "bad_parameter",
                        "参数 audience 只能是 person 或 organisation", "audience");
    }
    q.audience = a;
  }
  if (auto v = req.query_param("theme")) q.theme = std::string(*v);
  SHENPI_ASSIGN(q.page, int_param(req, "page", 1));
  SHENPI_ASSIGN(q.page_size, int_param(req, "page_size", 20));
  return q;
}

// Wraps a handler body returning Result<Response> so that every error goes through the
// one mapping of error_mapping.cpp.
template <typename F>
Handler api(F f) {
  return [f = std::move(f)](Request& req) -> Response {
    Result<Response> r = f(req);
    if (!r.ok()) {
      report_error(req, r.error());
      return json_error(r.error());
    }
    return std::move(r).value();
  };
}

}  // namespace

std::string content_disposition(std::string_view disposition, std::string_view filename,
                                std::string_view ascii_fallback) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : filename) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return std::string(disposition) + "; filename=\"" + std::string(ascii_fallback) +
         "\"; filename*=UTF-8''" + encoded;
}

void register_catalogue_api(Router& router, std::shared_ptr<app::CatalogueService> catalogue,
                            std::shared_ptr<app::FormDownloadService> forms) {
  RouteOptions pub;
  pub.access = "public";
  router.add("GET", "/api/v1/regions", api([catalogue](Request&) -> Result<Response> {
               SHENPI_ASSIGN(auto regions, catalogue->regions());
               json::array out;
               for (const auto& r : regions) out.push_back(app::to_json(r));
               return ok_json(json::object{{"regions", std::move(out)}});
             }),
             pub);

  router.add("GET", "/api/v1/departments", api([catalogue](Request&) -> Result<Response> {
               SHENPI_ASSIGN(auto depts, catalogue->departments());
               json::array out;
               for (const auto& d : depts) out.push_back(app::to_json(d));
               return ok_json(json::object{{"departments", std::move(out)}});
             }),
             pub);

  router.add("GET", "/api/v1/items", api([catalogue](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(auto q, parse_query(req, *catalogue));
               SHENPI_ASSIGN(auto page, catalogue->search(q));
               json::array items;
               for (const auto& s : page.items) {
                 auto o = app::to_json(s).as_object();
                 o.erase("department_code");
                 o.erase("department_name");
                 o["department"] = dept_ref(s.department_code, s.department_name);
                 items.push_back(std::move(o));
               }
               return ok_json(json::object{{"items", std::move(items)},
                                           {"total", page.total},
                                           {"page", page.page},
                                           {"page_size", page.page_size}});
             }),
             pub);

  router.add("GET", "/api/v1/items/{code}", api([catalogue](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(auto guide, catalogue->guide(std::string(req.param("code"))));
               auto o = app::to_json(guide.item).as_object();
               o["department"] = dept_ref(guide.department.code, guide.department.name);
               o["region"] = json::object{{"code", guide.region.code}, {"name", guide.region.name}};
               o["fees_text"] = core::fee_text(guide.item);
               json::array materials;
               int index = 0;
               for (const auto& m : guide.item.materials) {
                 auto mo = app::to_json(m).as_object();
                 if (!m.template_filename.empty()) {
                   mo["template_url"] = "/api/v1/items/" + guide.item.item_code + "/materials/" +
                                        std::to_string(index) + "/template";
                 }
                 materials.push_back(std::move(mo));
                 ++index;
               }
               o["materials"] = std::move(materials);
               o["form_pdf_url"] = "/api/v1/items/" + guide.item.item_code + "/form.pdf";
               json::array bundles;
               for (const auto& b : guide.bundles) bundles.push_back(app::to_json(b));
               o["bundles"] = std::move(bundles);
               return ok_json(o);
             }),
             pub);

  router.add("GET", "/api/v1/items/{code}/form.pdf", api([forms](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(auto pdf, forms->blank_form(std::string(req.param("code"))));
               Response r;
               r.content_type = "application/pdf";
               r.shared_body = pdf.bytes;
               r.header("Content-Disposition",
                        content_disposition("attachment", pdf.filename, "form.pdf"));
               r.header("Cache-Control", "public, max-age=3600");
               r.header("ETag", "\"form-" + std::to_string(pdf.version_id) + "\"");
               return r;
             }),
             pub);

  router.add("GET", "/api/v1/items/{code}/materials/{index}/template",
             api([catalogue](Request& req) -> Result<Response> {
               int index = -1;
               auto s = req.param("index");
               auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), index);
               if (ec != std::errc() || p != s.data() + s.size()) {
                 return make_error(ErrorKind::invalid_input, "bad_parameter", "材料序号必须是整数",
                                   "index");
               }
               SHENPI_ASSIGN(auto tpl,
                             catalogue->material_template(std::string(req.param("code")), index));
               Response r;
               r.content_type =
                   tpl.content_type.empty() ? "application/octet-stream" : tpl.content_type;
               r.body = std::move(tpl.bytes);
               r.header("Content-Disposition",
                        content_disposition("attachment", tpl.filename, "template"));
               r.header("Cache-Control", "public, max-age=3600");
               return r;
             }),
             pub);

  router.add("GET", "/api/v1/bundles", api([catalogue](Request&) -> Result<Response> {
               SHENPI_ASSIGN(auto bundles, catalogue->bundles());
               json::array out;
               for (const auto& b : bundles) out.push_back(app::to_json(b));
               return ok_json(json::object{{"bundles", std::move(out)}});
             }),
             pub);

  router.add(
      "GET", "/api/v1/openapi.json",
      [](Request&) {
        auto doc = resource("src/http/api/openapi.json");
        Response r = Response::json(200, doc ? std::string(*doc) : "{}");
        r.header("Cache-Control", "public, max-age=300");
        return r;
      },
      pub);
}

}  // namespace shenpi::http::api
