// DocumentService with real SHA-256 and Ed25519 (src/crypto) over an in-memory
// repository: what prepare() produces, and verify() catching every kind of tampering a
// person with write access to the table could try.
#include "app/document_service.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "crypto/secure_bytes.h"
#include "crypto/signer.h"

namespace shenpi::app {
namespace {

class FakeDocuments final : public DocumentRepository {
 public:
  std::map<std::int64_t, DocumentRecord> rows;

  Result<std::int64_t> insert(const DocumentRecord& r) override {
    for (const auto& [id, row] : rows) {
      if (row.verify_code == r.verify_code) {
        return make_error(ErrorKind::conflict, "verify_code_taken", "taken");
      }
    }
    const std::int64_t id = static_cast<std::int64_t>(rows.size()) + 1;
    rows[id] = r;
    rows[id].id = id;
    return id;
  }
  Result<DocumentRecord> by_verify_code(std::string_view code) override {
    for (const auto& [id, row] : rows) {
      if (row.verify_code == code) return row;
    }
    return make_error(ErrorKind::not_found, "document_not_found", "none");
  }
  Result<DocumentRecord> by_id(std::int64_t id) override {
    auto it = rows.find(id);
    if (it == rows.end()) return make_error(ErrorKind::not_found, "document_not_found", "none");
    return it->second;
  }
  Result<std::vector<DocumentRecord>> for_case(std::string_view number) override {
    std::vector<DocumentRecord> out;
    for (const auto& [id, row] : rows) {
      if (row.content.case_number == number) out.push_back(row);
    }
    return out;
  }
};

std::shared_ptr<crypto::Signer> signer(char fill) {
  return std::make_shared<crypto::Signer>(
      crypto::Signer::from_seed(std::string(crypto::Signer::kSeedBytes, fill)).value());
}

DocumentCrypto crypto_of(std::shared_ptr<crypto::Signer> s) {
  DocumentCrypto c;
  c.sha256_hex = [](std::string_view b) { return crypto::sha256_hex(b); };
  c.sign = [s](std::string_view b) { return s->sign(b); };
  c.verify = [](std::string_view b, std::string_view sig, std::string_view pk) {
    return crypto::Signer::verify(b, sig, pk);
  };
  c.public_key = s->public_key();
  return c;
}

core::DocumentContent approval() {
  core::DocumentContent c;
  c.kind = core::DocumentKind::approval_decision;
  c.document_number = "潮市监许〔2026〕0001号";
  c.case_number = "4451002026050600012";
  c.item_code = "445100-SCJGJ-001";
  c.item_name = "食品经营许可";
  c.department_name = "潮州市市场监督管理局";
  c.applicant_name = "张三丰";
  c.issued_on = "2026-05-20";
  c.result_name = "食品经营许可证";
  return c;
}

class DocumentServiceTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeDocuments> repo = std::make_shared<FakeDocuments>();
  std::shared_ptr<crypto::Signer> key = signer('k');
  int renders = 0;
  DocumentService service{repo, crypto_of(key), crypto::random_bytes, "https://zwfw.example.cn/",
                          [this](const core::DocumentContent& c, std::string_view code,
                                 std::string_view url) -> Result<std::string> {
                            ++renders;
                            return "%PDF " + c.document_number + " " + std::string(code) + " " +
                                   std::string(url);
                          }};

  // Prepares and stores a document; returns its code.
  std::string issue(core::DocumentContent c = approval()) {
    DocumentRecord r = service.prepare(std::move(c), 1779264000);
    EXPECT_TRUE(repo->insert(r).ok());
    return r.verify_code;
  }
};

TEST_F(DocumentServiceTest, PrepareSignsTheContentUnderAFreshCode) {
  const DocumentRecord a = service.prepare(approval(), 1779264000);
  const DocumentRecord b = service.prepare(approval(), 1779264000);
  EXPECT_NE(a.verify_code, b.verify_code);
  EXPECT_EQ(core::normalise_verify_code(a.verify_code), a.verify_code);
  EXPECT_EQ(a.sha256, crypto::sha256_hex(core::canonical_bytes(approval())));
  EXPECT_EQ(a.sha256, b.sha256);
  EXPECT_EQ(a.signature_hex.size(), 128u);
  EXPECT_EQ(a.public_key_hex, key->public_key_hex());
  EXPECT_EQ(a.created_at, 1779264000);
  EXPECT_EQ(a.content, approval());
  // The signature is the documented message, checkable with the public key alone.
  const auto sig = crypto::from_hex(a.signature_hex);
  ASSERT_TRUE(sig);
  EXPECT_TRUE(crypto::Signer::verify("shenpi-document-v1\n" + a.verify_code + "\n" + a.sha256, *sig,
                                     key->public_key()));
  EXPECT_TRUE(service.signature_valid(a));
}

TEST_F(DocumentServiceTest, VerifyFindsTheDocumentHoweverTheCodeIsTyped) {
  const std::string code = issue();
  std::string typed;
  for (char c : code) {
    if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto v = service.verify(" " + typed + " ");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(v->signature_valid);
  EXPECT_EQ(v->record.verify_code, code);
  EXPECT_EQ(v->record.content.applicant_name, "张三丰");
}

TEST_F(DocumentServiceTest, UnknownAndMalformedCodesAreNotFound) {
  issue();
  for (const char* code : {"0000-0000-0000-0000", "not a code", "", "7K2M-9QXR-4T8V-HW3U"}) {
    auto v = service.verify(code);
    ASSERT_FALSE(v.ok()) << code;
    EXPECT_EQ(v.error().kind, ErrorKind::not_found);
    EXPECT_EQ(v.error().code, "document_not_found");
  }
}

TEST_F(DocumentServiceTest, AnyChangeToTheStoredDocumentMakesTheSignatureInvalid) {
  struct Tamper {
    const char* what;
    std::function<void(DocumentRecord&)> change;
  };
  const auto other = signer('x');
  const std::vector<Tamper> tampers = {
      {"applicant changed", [](auto& r) { r.content.applicant_name = "李四"; }},
      {"approval turned into refusal",
       [](auto& r) { r.content.kind = core::DocumentKind::refusal_decision; }},
      {"licence name changed", [](auto& r) { r.content.result_name = "药品经营许可证"; }},
      {"date changed", [](auto& r) { r.content.issued_on = "2026-05-01"; }},
      {"reason added", [](auto& r) { r.content.reasons.push_back("补充理由"); }},
      {"hash rewritten to match",
       [](auto& r) {
         r.content.applicant_name = "李四";
         r.sha256 = crypto::sha256_hex(core::canonical_bytes(r.content));
       }},
      {"signature flipped",
       [](auto& r) { r.signature_hex[0] = r.signature_hex[0] == 'a' ? 'b' : 'a'; }},
      {"signature not hex", [](auto& r) { r.signature_hex = std::string(128, 'z'); }},
      {"re-signed with another key",
       [other](auto& r) {
         r.content.applicant_name = "李四";
         r.sha256 = crypto::sha256_hex(core::canonical_bytes(r.content));
         r.signature_hex =
             crypto::to_hex(other->sign("shenpi-document-v1\n" + r.verify_code + "\n" + r.sha256));
         r.public_key_hex = other->public_key_hex();
       }},
  };
  for (const Tamper& t : tampers) {
    SCOPED_TRACE(t.what);
    repo->rows.clear();
    const std::string code = issue();
    ASSERT_TRUE(service.verify(code)->signature_valid);
    t.change(repo->rows.begin()->second);
    auto v = service.verify(code);
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->signature_valid);
  }
}

TEST_F(DocumentServiceTest, ASignatureMovedToAnotherCodeIsInvalid) {
  const std::string code = issue();
  DocumentRecord moved = repo->rows.begin()->second;
  moved.verify_code = "0000-0000-0000-0001";
  ASSERT_TRUE(repo->insert(moved).ok());
  EXPECT_TRUE(service.verify(code)->signature_valid);
  EXPECT_FALSE(service.verify("0000-0000-0000-0001")->signature_valid);
}

TEST_F(DocumentServiceTest, ForCaseByIdVerifyUrlAndCachedPdf) {
  const std::string code = issue();
  core::DocumentContent other = approval();
  other.case_number = "4451002026050600099";
  issue(other);
  auto docs = service.for_case("4451002026050600012");
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ(docs->front().verify_code, code);
  auto one = service.by_id(docs->front().id);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->verify_code, code);
  EXPECT_EQ(service.by_id(999).error().kind, ErrorKind::not_found);

  EXPECT_EQ(service.verify_url(code), "https://zwfw.example.cn/verify/" + code);
  auto pdf = service.pdf(*one);
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(*pdf,
            "%PDF 潮市监许〔2026〕0001号 " + code + " https://zwfw.example.cn/verify/" + code);
  ASSERT_TRUE(service.pdf(*one).ok());
  EXPECT_EQ(renders, 1);  // the second came from the cache
}

TEST(DocumentServiceNoRenderer, PdfFailsAsInternal) {
  DocumentService s(std::make_shared<FakeDocuments>(), crypto_of(signer('k')), crypto::random_bytes,
                    "http://127.0.0.1:8080");
  auto pdf = s.pdf(DocumentRecord{});
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.error().kind, ErrorKind::internal);
}

}  // namespace
}  // namespace shenpi::app
