#include "app/document_service.h"

#include <utility>

namespace shenpi::app {
namespace {

constexpr std::size_t kCodeRandomBytes = 10;  // 80 bits: the 16 base32 characters

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The bytes of a hex string; empty when it is not hex (an invalid signature then).
std::string unhex(std::string_view text) {
  if (text.size() % 2 != 0) return {};
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = hex_digit(text[i]);
    const int lo = hex_digit(text[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

Error not_found() {
  return make_error(ErrorKind::not_found, "document_not_found",
                    "未找到该验证码对应的文书，请核对验证码后重试");
}

}  // namespace

DocumentService::DocumentService(std::shared_ptr<DocumentRepository> repo, DocumentCrypto crypto,
                                 std::function<std::string(std::size_t)> random_bytes,
                                 std::string public_base_url, CaseDocumentRenderer render)
    : repo_(std::move(repo)),
      crypto_(std::move(crypto)),
      random_bytes_(std::move(random_bytes)),
      base_url_(std::move(public_base_url)),
      render_(std::move(render)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

std::string DocumentService::signed_message(std::string_view code, std::string_view sha256) const {
  std::string m = "shenpi-document-v1\n";
  m += code;
  m += '\n';
  m += sha256;
  return m;
}

DocumentRecord DocumentService::prepare(core::DocumentContent content, std::int64_t now) const {
  DocumentRecord r;
  r.verify_code = core::make_verify_code(random_bytes_(kCodeRandomBytes));
  r.sha256 = crypto_.sha256_hex(core::canonical_bytes(content));
  r.signature_hex = hex(crypto_.sign(signed_message(r.verify_code, r.sha256)));
  r.public_key_hex = hex(crypto_.public_key);
  r.created_at = now;
  r.content = std::move(content);
  return r;
}

bool DocumentService::signature_valid(const DocumentRecord& record) const {
  // The content shown is the content checked: hash what was read back, not a stored copy.
  if (crypto_.sha256_hex(core::canonical_bytes(record.content)) != record.sha256) return false;
  const std::string key = unhex(record.public_key_hex);
  if (key.empty() || key != crypto_.public_key) return false;
  const std::string signature = unhex(record.signature_hex);
  if (signature.empty()) return false;
  return crypto_.verify(signed_message(record.verify_code, record.sha256), signature, key);
}

Result<VerifiedDocument> DocumentService::verify(std::string_view code_input) {
  const std::optional<std::string> code = core::normalise_verify_code(code_input);
  if (!code) return not_found();
  SHENPI_ASSIGN(DocumentRecord record, repo_->by_verify_code(*code));
  VerifiedDocument out;
  out.signature_valid = signature_valid(record);
  out.record = std::move(record);
  return out;
}

Result<std::vector<DocumentRecord>> DocumentService::for_case(std::string_view case_number) {
  return repo_->for_case(case_number);
}

Result<DocumentRecord> DocumentService::by_id(std::int64_t id) { return repo_->by_id(id); }

Result<std::string> DocumentService::pdf(const DocumentRecord& record) {
  if (!render_) {
    return make_error(ErrorKind::internal, "no_document_renderer", "未配置文书生成器");
  }
  const std::string key = core::canonical_bytes(record.content) + '\n' + record.verify_code;
  {
    std::lock_guard lock(mu_);
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if (it->first == key) {
        cache_.splice(cache_.begin(), cache_, it);
        return cache_.front().second;
      }
    }
  }
  SHENPI_ASSIGN(std::string bytes,
                render_(record.content, record.verify_code, verify_url(record.verify_code)));
  {
    std::lock_guard lock(mu_);
    cache_.emplace_front(key, bytes);
    if (cache_.size() > kCachedPdfs) cache_.pop_back();
  }
  return bytes;
}

std::string DocumentService::verify_url(std::string_view code) const {
  return base_url_ + "/verify/" + std::string(code);
}

}  // namespace shenpi::app
