#include "main/document_wiring.h"

#include <filesystem>
#include <utility>

#include "crypto/secure_bytes.h"
#include "crypto/signer.h"
#include "docs/case_document_pdf.h"
#include "store/document_store.h"

namespace shenpi::main {

Result<std::shared_ptr<app::DocumentService>> make_document_service(
    std::shared_ptr<store::Database> db, const std::string& data_dir,
    const std::string& public_url) {
  SHENPI_ASSIGN(
      crypto::Signer signer,
      crypto::Signer::open_or_create(std::filesystem::path(data_dir) / "keys" / "documents.key"));
  auto shared = std::make_shared<const crypto::Signer>(std::move(signer));
  app::DocumentCrypto c;
  c.sha256_hex = [](std::string_view bytes) { return crypto::sha256_hex(bytes); };
  c.sign = [shared](std::string_view bytes) { return shared->sign(bytes); };
  c.verify = [](std::string_view bytes, std::string_view signature, std::string_view key) {
    return crypto::Signer::verify(bytes, signature, key);
  };
  c.public_key = shared->public_key();
  return std::make_shared<app::DocumentService>(
      store::make_document_store(std::move(db)), std::move(c), crypto::random_bytes,
      public_url.empty() ? std::string(kDefaultPublicUrl) : public_url,
      [](const core::DocumentContent& content, std::string_view code, std::string_view url) {
        return docs::render_case_document(content, code, url);
      });
}

}  // namespace shenpi::main
