#include "app/upload_service.h"

#include <boost/json.hpp>

#include <unordered_map>

#include "core/uploads/file_kind.h"

namespace shenpi::app {
namespace {

Error upload_not_found() {
  return make_error(ErrorKind::not_found, "upload_not_found", "附件不存在或无权查看");
}

std::string role_of(const Principal& p) {
  if (p.system) return "system";
  if (p.kind != AccountKind::staff) return std::string(to_string(p.kind));
  if (p.roles.empty()) return "staff";
  std::string out;
  for (const RoleGrant& g : p.roles) {
    if (!out.empty()) out += ",";
    out += g.role;
  }
  return out;
}

}  // namespace

UploadService::UploadService(std::shared_ptr<UploadRepository> repo,
                             std::shared_ptr<AuditSink> audit,
                             std::function<std::string(std::size_t n)> random_bytes,
                             std::function<std::string(std::string_view bytes)> sha256_hex)
    : repo_(std::move(repo)),
      audit_(std::move(audit)),
      random_bytes_(std::move(random_bytes)),
      sha256_hex_(std::move(sha256_hex)) {}

std::string UploadService::new_id() const {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string raw = random_bytes_(16);
  std::string out;
  out.reserve(32);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

Result<void> UploadService::record(const Principal& who, std::string_view action,
                                   std::string_view object_id, std::string_view outcome,
                                   const RequestContext& ctx, std::string after_json) {
  AuditEvent e;
  e.at_unix_ms = ctx.now * 1000;
  e.actor_id = who.system ? "" : who.account_id;
  e.actor_name = who.system ? "system" : (who.username.empty() ? who.name : who.username);
  e.role = role_of(who);
  e.department_code = who.department_code;
  e.address = ctx.address;
  e.request_id = ctx.request_id;
  e.action = std::string(action);
  e.object_type = "upload";
  e.object_id = std::string(object_id);
  e.outcome = std::string(outcome);
  e.after_json = std::move(after_json);
  return audit_->record(e);
}

Result<UploadInfo> UploadService::store(const Principal& who, std::string_view filename,
                                        std::string_view bytes, const RequestContext& ctx) {
  if (who.system || who.account_id.empty()) {
    return make_error(ErrorKind::forbidden, "permission_denied", "上传材料需要登录账号");
  }
  if (who.kind == AccountKind::staff && !who.trained) {
    SHENPI_TRY(
        record(who, "upload.store", "", "denied", ctx,
               boost::json::serialize(boost::json::object{{"reason", "training_required"}})));
    return make_error(ErrorKind::forbidden, "training_required",
                      "您尚无有效的上岗培训记录，只能查看培训状态或退出登录");
  }
  if (bytes.size() > kMaxBytes) {
    return make_error(ErrorKind::too_large, "file_too_large", "单个文件不能超过 20 MB", "file");
  }
  SHENPI_ASSIGN(const core::FileKind kind, core::detect_file_kind(bytes, "file"));
  UploadInfo info;
  info.id = new_id();
  info.owner_account_id = who.account_id;
  info.filename = core::safe_filename(filename, kind);
  info.kind = std::string(core::to_string(kind));
  info.content_type = std::string(core::content_type_of(kind));
  info.sha256 = sha256_hex_(bytes);
  info.size = static_cast<std::int64_t>(bytes.size());
  info.created_at = ctx.now;
  SHENPI_TRY(repo_->add(info, bytes));
  Result<void> audited = record(who, "upload.store", info.id, "success", ctx,
                                boost::json::serialize(boost::json::object{
                                    {"filename", info.filename},
                                    {"kind", info.kind},
                                    {"size", info.size},
                                    {"sha256", info.sha256},
                                }));
  if (!audited.ok()) {
    return make_error(ErrorKind::unavailable, "audit_unavailable",
                      "审计日志暂时无法写入，上传未完成，请稍后重试");
  }
  return info;
}

Result<std::vector<UploadInfo>> UploadService::owned(std::string_view owner_account_id,
                                                     const std::vector<std::string>& ids,
                                                     std::string_view field) {
  std::vector<UploadInfo> out;
  if (ids.empty()) return out;
  SHENPI_ASSIGN(const std::vector<UploadInfo> found, repo_->find_many(ids));
  std::unordered_map<std::string_view, const UploadInfo*> by_id;
  for (const UploadInfo& u : found) by_id.emplace(u.id, &u);
  out.reserve(ids.size());
  for (const std::string& id : ids) {
    const auto it = by_id.find(id);
    if (it == by_id.end() || it->second->owner_account_id != owner_account_id) {
      return make_error(ErrorKind::invalid_input, "upload_not_found",
                        "附件不存在或已失效，请重新上传", std::string(field));
    }
    out.push_back(*it->second);
  }
  return out;
}

Result<UploadInfo> UploadService::info(std::string_view id) {
  SHENPI_ASSIGN(std::optional<UploadInfo> found, repo_->find(id));
  if (!found) return upload_not_found();
  return std::move(*found);
}

Result<std::pair<UploadInfo, std::string>> UploadService::read(const Principal& who,
                                                               std::string_view id) {
  SHENPI_ASSIGN(std::optional<UploadInfo> found, repo_->find(id));
  if (!found) return upload_not_found();
  const bool owner =
      !who.system && !who.account_id.empty() && found->owner_account_id == who.account_id;
  if (!owner && !(may_read && may_read(who, *found))) return upload_not_found();
  SHENPI_ASSIGN(std::optional<std::string> bytes, repo_->bytes(found->sha256));
  // The hash is checked on every read, so that a damaged or altered row is never handed
  // out as the applicant's material.
  if (!bytes || sha256_hex_(*bytes) != found->sha256) {
    return make_error(ErrorKind::internal, "upload_corrupt",
                      "附件数据已损坏：" + found->id + " (" + found->sha256 + ")");
  }
  return std::pair<UploadInfo, std::string>(std::move(*found), std::move(*bytes));
}

Result<std::pair<UploadInfo, std::string>> UploadService::read(const Principal& who,
                                                               std::string_view id,
                                                               const RequestContext& ctx) {
  Result<std::pair<UploadInfo, std::string>> r = read(who, id);
  if (r.ok()) {
    if (r->first.owner_account_id != who.account_id) {
      SHENPI_TRY(record(who, "upload.read", r->first.id, "success", ctx, {}));
    }
    return r;
  }
  if (r.error().code == "upload_not_found") {
    // Someone else's upload (or none): a denial, recorded without saying which it was.
    SHENPI_TRY(record(who, "upload.read", id, "denied", ctx, {}));
  }
  return r;
}

}  // namespace shenpi::app
