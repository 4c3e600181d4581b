#pragma once
// The documents of cases (结果反馈): preparing a signed record when a transition issues a
// document, rendering it as PDF, and the public verification behind GET /verify/{code}.
//
// What is signed: the Ed25519 signature covers the UTF-8 message
//   "shenpi-document-v1\n" + verify_code + "\n" + sha256_hex(canonical_bytes(content))
// so the signature binds the document's content (through its SHA-256) to its code. Anyone
// holding the public key can check a stored row with the same three lines.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/document_repository.h"
#include "core/documents/document.h"
#include "core/result.h"

namespace shenpi::app {

//! The cryptography documents need, wired by the composition root to src/crypto (like
//! AuditCrypto). All members must be set.
struct DocumentCrypto {
  //! Lower-case hex SHA-256 of the bytes.
  std::function<std::string(std::string_view bytes)> sha256_hex;
  //! The raw 64-byte Ed25519 signature of the bytes with the document signing key.
  std::function<std::string(std::string_view bytes)> sign;
  //! True when `signature` (raw) is a valid signature of `bytes` by raw `public_key`.
  std::function<bool(std::string_view bytes, std::string_view signature,
                     std::string_view public_key)>
      verify;
  //! The raw 32-byte public key of the signing key. verify() trusts this key only.
  std::string public_key;
};

//! Renders a document as PDF; the composition root passes docs::render_case_document so
//! that app does not depend on the PDF library.
using CaseDocumentRenderer = std::function<Result<std::string>(
    const core::DocumentContent&, std::string_view verify_code, std::string_view verify_url)>;

//! A stored document and whether its signature checks out.
struct VerifiedDocument {
  DocumentRecord record;
  //! True when the stored content hashes to the stored SHA-256, the signature over it is
  //! valid, and it was made by the trusted key. False means: do not rely on this document.
  bool signature_valid = false;
};

class DocumentService {
 public:
  //! `random_bytes(n)` returns n cryptographically random bytes (verification codes).
  //! `public_base_url` is the site's address as citizens reach it, e.g.
  //! "https://zwfw.chaozhou.gov.cn" (no trailing slash needed). `render` may be empty when
  //! PDFs are not needed (pdf() then fails with internal).
  DocumentService(std::shared_ptr<DocumentRepository> repo, DocumentCrypto crypto,
                  std::function<std::string(std::size_t)> random_bytes, std::string public_base_url,
                  CaseDocumentRenderer render = {});

  //! Builds the record to store: a fresh verification code, the SHA-256 of the canonical
  //! bytes, the signature and the public key; created_at = now (unix seconds). No I/O: the
  //! case store inserts it in the same transaction as the transition
  //! (store::insert_document_row). A clash of codes (2^-80 per pair) is reported by the
  //! insert as conflict; the caller may prepare again.
  DocumentRecord prepare(core::DocumentContent content, std::int64_t now) const;

  //! The document for a code as a person typed it (see core::normalise_verify_code) and
  //! whether its signature is valid. not_found "document_not_found" for a malformed or
  //! unknown code; unavailable when the database cannot be read.
  Result<VerifiedDocument> verify(std::string_view code_input);

  //! True when `record` is intact and signed by the trusted key (see VerifiedDocument).
  bool signature_valid(const DocumentRecord& record) const;

  //! Every document of a case, oldest first.
  Result<std::vector<DocumentRecord>> for_case(std::string_view case_number);

  //! One document by id; not_found "document_not_found".
  Result<DocumentRecord> by_id(std::int64_t id);

  //! The PDF of the document with its verification code and a QR code of verify_url().
  //! Rendered on demand and kept for the few most recent documents. Blocks (tens of ms):
  //! call from a worker thread.
  Result<std::string> pdf(const DocumentRecord& record);

  //! public_base_url + "/verify/" + code.
  std::string verify_url(std::string_view code) const;

 private:
  std::string signed_message(std::string_view code, std::string_view sha256) const;

  std::shared_ptr<DocumentRepository> repo_;
  DocumentCrypto crypto_;
  std::function<std::string(std::size_t)> random_bytes_;
  std::string base_url_;
  CaseDocumentRenderer render_;

  static constexpr std::size_t kCachedPdfs = 16;
  std::mutex mu_;  // guards cache_; never held while rendering
  // Most recent first: (canonical bytes + verify code, PDF). Keyed by what is drawn, so a
  // changed row never gets another document's PDF.
  std::list<std::pair<std::string, std::string>> cache_;
};

}  // namespace shenpi::app
