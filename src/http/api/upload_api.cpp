#include "http/api/upload_api.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/uploads/file_kind.h"
#include "http/api/api_util.h"
#include "http/multipart.h"

namespace shenpi::http::api {
namespace {

namespace json = boost::json;

bool is_upload_id(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// RFC 8187 attr-char: what may stand unescaped in filename*=UTF-8''….
bool is_attr_char(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
}

// attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded (RFC 6266 §4.3:
// agents that understand filename* use it and ignore filename).
std::string attachment_disposition(const app::UploadInfo& u) {
  bool plain = !u.filename.empty();
  for (char c : u.filename) {
    const unsigned char b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x7F || c == '"' || c == '\\' || c == '%') plain = false;
  }
  std::string fallback = u.filename;
  if (!plain) {
    const auto kind = core::parse_file_kind(u.kind);
    fallback = "material." + std::string(kind ? core::extension_of(*kind) : "bin");
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (char c : u.filename) {
    if (is_attr_char(c)) {
      encoded.push_back(c);
    } else {
      const unsigned char b = static_cast<unsigned char>(c);
      encoded.push_back('%');
      encoded.push_back(kHex[b >> 4]);
      encoded.push_back(kHex[b & 0xF]);
    }
  }
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

// The one file part named "file". Parts without a file name (plain form fields) are
// ignored; a second file, or a file under another name, is refused.
Result<const MultipartPart*> the_file(const std::vector<MultipartPart>& parts) {
  const MultipartPart* file = nullptr;
  for (const MultipartPart& p : parts) {
    if (p.name != "file") {
      if (p.has_filename) {
        return make_error(ErrorKind::invalid_input, "unexpected_file", "只接受字段名为 file 的文件",
                          "file");
      }
      continue;
    }
    if (file != nullptr) {
      return make_error(ErrorKind::invalid_input, "too_many_files", "一次只能上传一个文件", "file");
    }
    file = &p;
  }
  // A browser sends an empty part with filename="" when no file was chosen.
  if (file == nullptr || (!file->has_filename && file->body.empty()) ||
      (file->filename.empty() && file->body.empty())) {
    return make_error(ErrorKind::invalid_input, "file_missing", "请选择要上传的文件", "file");
  }
  if (!file->has_filename) {
    return make_error(ErrorKind::invalid_input, "file_missing", "请以文件方式上传（缺少文件名）",
                      "file");
  }
  return file;
}

}  // namespace

void register_upload_api(Router& router, std::shared_ptr<const SessionAuth> auth,
                         std::shared_ptr<app::UploadService> uploads) {
  RouteOptions post;
  post.max_body = kUploadBodyLimit;
  post.name = "/api/v1/uploads";
  post.access = "signed_in";
  router.add("POST", "/api/v1/uploads", json_api([auth, uploads](Request& req) -> Result<Response> {
               SHENPI_ASSIGN(const app::Principal who, auth->authenticate(req, true));
               SHENPI_ASSIGN(const std::vector<MultipartPart> parts, multipart_body(req));
               SHENPI_ASSIGN(const MultipartPart* file, the_file(parts));
               SHENPI_ASSIGN(const app::UploadInfo u,
                             uploads->store(who, file->filename, file->body, auth->context(req)));
               Response res = private_json(201, json::object{{"id", u.id},
                                                             {"filename", u.filename},
                                                             {"size", u.size},
                                                             {"kind", u.kind},
                                                             {"sha256", u.sha256}});
               res.header("Location", "/api/v1/uploads/" + u.id);
               return res;
             }),
             post);

  RouteOptions get;
  get.name = "/api/v1/uploads/{id}";
  get.access = "signed_in";
  router.add(
      "GET", "/api/v1/uploads/{id}", json_api([auth, uploads](Request& req) -> Result<Response> {
        SHENPI_ASSIGN(const app::Principal who, auth->authenticate(req, false));
        const std::string_view id = req.param("id");
        if (!is_upload_id(id)) {
          return make_error(ErrorKind::not_found, "upload_not_found", "附件不存在或无权查看");
        }
        SHENPI_ASSIGN(auto found, uploads->read(who, id, auth->context(req)));
        Response res;
        res.status = 200;
        // The media type found by content, and never anything a browser renders as a
        // page: the download is an attachment, unsniffable, and sandboxed should a
        // browser open it anyway.
        res.content_type = found.first.content_type;
        res.body = std::move(found.second);
        res.header("Content-Disposition", attachment_disposition(found.first));
        res.header("X-Content-Type-Options", "nosniff");
        res.header("Content-Security-Policy", "sandbox");
        res.header("Cross-Origin-Resource-Policy", "same-origin");
        res.header("Cache-Control", "private, no-store");
        return res;
      }),
      get);
}

}  // namespace shenpi::http::api
