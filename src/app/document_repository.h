#pragma once
// Where the signed documents of cases are kept (table case_documents). Implemented once
// for SQLite and PostgreSQL by src/store/document_store.cpp and held to this contract by
// tests/contract/document_store_test.cpp.
//
// Documents are written by the case store, in the same transaction as the transition that
// issues them (store::insert_document_row); insert() here is the stand-alone form.
// Append-only: a document is never changed or removed once issued.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/documents/document.h"
#include "core/result.h"

namespace shenpi::app {

//! One issued document as stored: what it says and the proof that we issued it.
struct DocumentRecord {
  std::int64_t id = 0;  //!< assigned by the store; 0 before insertion
  core::DocumentContent content;
  std::string verify_code;      //!< grouped form "XXXX-XXXX-XXXX-XXXX", unique
  std::string sha256;           //!< lower-case hex SHA-256 of core::canonical_bytes(content)
  std::string signature_hex;    //!< Ed25519, see DocumentService for the signed message
  std::string public_key_hex;   //!< the key that signed it
  std::int64_t created_at = 0;  //!< unix seconds
};

class DocumentRepository {
 public:
  virtual ~DocumentRepository() = default;

  //! Stores `record` (its id is ignored) in its own transaction and returns the new id.
  //! conflict "verify_code_taken" when the verification code is already used.
  virtual Result<std::int64_t> insert(const DocumentRecord& record) = 0;

  //! The document with that grouped verification code; not_found "document_not_found".
  virtual Result<DocumentRecord> by_verify_code(std::string_view code) = 0;

  //! The document with that id; not_found "document_not_found".
  virtual Result<DocumentRecord> by_id(std::int64_t id) = 0;

  //! Every document of a case, oldest first (by id); empty when there is none.
  virtual Result<std::vector<DocumentRecord>> for_case(std::string_view case_number) = 0;
};

}  // namespace shenpi::app
