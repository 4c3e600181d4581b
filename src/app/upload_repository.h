#pragma once
// The port through which the upload use cases keep uploaded materials: one row per upload
// (who, name, kind, size, hash, case) and the bytes once per distinct content, keyed by
// their SHA-256. Implemented once for both dialects by store::make_upload_store (in the
// database, so that every node sees the bytes and a backup holds them) and held to this
// contract by tests/contract/upload_store_test.cpp; unit tests use an in-memory fake.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace shenpi::app {

//! One uploaded material as stored.
struct UploadInfo {
  std::string id;                //!< 32 random lower-case hex characters
  std::string owner_account_id;  //!< who uploaded it
  std::string filename;          //!< display name, made safe, extension from `kind`
  std::string kind;              //!< "pdf", "png" or "jpeg" (core::FileKind), by content
  std::string content_type;      //!< the media type the bytes are served with
  std::string sha256;            //!< 64 lower-case hex characters of the bytes' SHA-256
  std::string case_number;       //!< the case it belongs to; "" while unattached
  std::int64_t size = 0;         //!< bytes
  std::int64_t created_at = 0;   //!< Unix seconds
  bool operator==(const UploadInfo&) const = default;
};

class UploadRepository {
 public:
  virtual ~UploadRepository() = default;

  //! Stores `info` and, unless bytes with the same SHA-256 are already kept, `bytes`
  //! under info.sha256, in one transaction (the caller has computed the hash). conflict
  //! "upload_exists" when info.id is taken.
  virtual Result<void> add(const UploadInfo& info, std::string_view bytes) = 0;
  //! The upload with that id, or nullopt.
  virtual Result<std::optional<UploadInfo>> find(std::string_view id) = 0;
  //! The uploads among `ids` that exist, in no particular order (missing ids are left out).
  virtual Result<std::vector<UploadInfo>> find_many(const std::vector<std::string>& ids) = 0;
  //! The bytes stored under that SHA-256 (hex), or nullopt.
  virtual Result<std::optional<std::string>> bytes(std::string_view sha256) = 0;
};

}  // namespace shenpi::app
