#pragma once
// Store-internal access to the case_documents table, for the stores that write documents
// inside their own transactions (the case store issues a document in the transaction of
// the transition) and for the document store itself.
#include <cstdint>
#include <string>
#include <vector>

#include "app/document_repository.h"
#include "store/db.h"

namespace shenpi::store {

//! Inserts `record` (its id is ignored) through `s`, which must be inside a write
//! transaction, and returns the new id. conflict "verify_code_taken" when the code is
//! already used (the caller may prepare the record again with a fresh code).
Result<std::int64_t> insert_document_row(Session& s, const app::DocumentRecord& record);

//! The columns read by read_document_rows, in its order: "SELECT " + kDocumentColumns.
extern const char* const kDocumentColumns;

//! Records from a result set selected with kDocumentColumns. internal
//! "document_row_corrupt" when a row's content_json cannot be read back.
Result<std::vector<app::DocumentRecord>> read_document_rows(const Rows& rows);

//! The JSON form of a content (column content_json), and back. The reader rejects
//! malformed JSON and fields of the wrong type; missing fields keep their defaults.
std::string document_content_json(const core::DocumentContent& content);
Result<core::DocumentContent> parse_document_content_json(const std::string& json);

}  // namespace shenpi::store
