#pragma once
// Wiring of the document service: the document signing key (DATA/keys/documents.key, a
// key of its own so that the audit key never signs anything a citizen holds), SHA-256 and
// Ed25519 from src/crypto, the PDF renderer from src/docs, and the store.
#include <memory>
#include <string>

#include "app/document_service.h"
#include "core/result.h"
#include "store/db.h"

namespace shenpi::main {

//! The address citizens reach the site at, when --public-url is not given.
inline constexpr const char* kDefaultPublicUrl = "http://127.0.0.1:8080";

//! The document service over `db`, signing with the key in `data_dir`/keys/documents.key
//! (created on first use, mode 0600). `public_url` goes into the QR codes; empty means
//! kDefaultPublicUrl. unavailable when the key file is unsafe or unreadable.
Result<std::shared_ptr<app::DocumentService>> make_document_service(
    std::shared_ptr<store::Database> db, const std::string& data_dir,
    const std::string& public_url);

}  // namespace shenpi::main
