#pragma once
// The upload use cases (申请材料上传): an applicant, or a clerk filing at a window, uploads
// a material; its kind is decided by content (core::detect_file_kind), it is kept in the
// database by content hash, and it is read back only by its owner or by staff the
// composition root allows (those handling the case it belongs to).
//
// No HTTP and no clock: calls that write take a RequestContext with `now`. Every upload
// and every read of someone else's upload leaves an audit entry (materials are personal
// data); an upload that cannot be audited fails (unavailable).
//
// Methods block (hashing, database): call them from the worker pool.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/account_service.h"
#include "app/audit_sink.h"
#include "app/principal.h"
#include "app/upload_repository.h"
#include "core/result.h"

namespace shenpi::app {

class UploadService {
 public:
  //! Largest material accepted, in bytes (20 MiB).
  static constexpr std::size_t kMaxBytes = 20 * 1024 * 1024;

  //! `random_bytes(n)`: n bytes from a CSPRNG (crypto::random_bytes); `sha256_hex`: the
  //! SHA-256 of the bytes as 64 lower-case hex characters (crypto::sha256_hex).
  UploadService(std::shared_ptr<UploadRepository> repo, std::shared_ptr<AuditSink> audit,
                std::function<std::string(std::size_t n)> random_bytes,
                std::function<std::string(std::string_view bytes)> sha256_hex);

  //! Any signed-in principal (applicant or staff filing at a window).
  //! Stores `bytes` uploaded under `filename` by `who` and returns what was stored: the
  //! name made safe (core::safe_filename), the kind and media type by content. Errors:
  //! too_large "file_too_large" beyond kMaxBytes; invalid_input (field "file") from
  //! core::detect_file_kind for an empty, refused or damaged file; forbidden
  //! "training_required" for staff without valid training and "permission_denied" for
  //! the system principal (an upload needs an owner account); unavailable when it cannot
  //! be audited.
  Result<UploadInfo> store(const Principal& who, std::string_view filename, std::string_view bytes,
                           const RequestContext& ctx);

  //! The uploads with these ids owned by `owner_account_id`; invalid_input
  //! "upload_not_found" (field = `field`) for any id that is missing or someone else's.
  //! In the order of `ids`.
  Result<std::vector<UploadInfo>> owned(std::string_view owner_account_id,
                                        const std::vector<std::string>& ids,
                                        std::string_view field);

  //! The upload with that id, for other use cases (no permission check); not_found
  //! "upload_not_found" when there is none.
  Result<UploadInfo> info(std::string_view id);

  //! Bytes for download. The owner may read; others only when `may_read(who, info)` (set
  //! by the composition root: staff handling the case) says so; else not_found
  //! "upload_not_found", exactly as for an id that does not exist. internal
  //! "upload_corrupt" when the stored bytes no longer match their hash. This form does
  //! not audit: for callers that record the read themselves.
  Result<std::pair<UploadInfo, std::string>> read(const Principal& who, std::string_view id);
  //! The same, and records "upload.read" for a read of someone else's upload (success or
  //! denied) in the audit trail.
  Result<std::pair<UploadInfo, std::string>> read(const Principal& who, std::string_view id,
                                                  const RequestContext& ctx);

  //! Decides whether `who`, not the owner, may read the upload. Unset: nobody but the
  //! owner may.
  std::function<bool(const Principal&, const UploadInfo&)> may_read;

 private:
  Result<void> record(const Principal& who, std::string_view action, std::string_view object_id,
                      std::string_view outcome, const RequestContext& ctx, std::string after_json);
  std::string new_id() const;

  std::shared_ptr<UploadRepository> repo_;
  std::shared_ptr<AuditSink> audit_;
  std::function<std::string(std::size_t n)> random_bytes_;
  std::function<std::string(std::string_view bytes)> sha256_hex_;
};

}  // namespace shenpi::app
