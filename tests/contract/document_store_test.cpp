// The document store on both dialects: app::DocumentRepository as implemented by
// store::make_document_store, insert_document_row inside another store's transaction,
// and app::DocumentService over it with real SHA-256 and Ed25519. The tamper test changes
// the table with raw SQL, as someone with write access to the database would.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "app/document_service.h"
#include "contract/scratch_database.h"
#include "crypto/secure_bytes.h"
#include "crypto/signer.h"
#include "store/db_values.h"
#include "store/document_rows.h"
#include "store/document_store.h"

namespace shenpi::store {
namespace {

using app::DocumentRecord;
using core::DocumentContent;
using core::DocumentKind;

constexpr std::int64_t kNow = 1779264000;  // 2026-05-20 Beijing

app::DocumentCrypto crypto_of(std::shared_ptr<crypto::Signer> s) {
  app::DocumentCrypto c;
  c.sha256_hex = [](std::string_view b) { return crypto::sha256_hex(b); };
  c.sign = [s](std::string_view b) { return s->sign(b); };
  c.verify = [](std::string_view b, std::string_view sig, std::string_view pk) {
    return crypto::Signer::verify(b, sig, pk);
  };
  c.public_key = s->public_key();
  return c;
}

DocumentContent content(DocumentKind kind, const std::string& case_number) {
  DocumentContent c;
  c.kind = kind;
  c.document_number = core::make_document_number("潮市监", kind, 2026, 7);
  c.case_number = case_number;
  c.item_code = "445100-SCJGJ-001";
  c.item_name = "食品经营许可";
  c.department_code = "445100-SCJGJ";
  c.department_name = "潮州市市场监督管理局";
  c.applicant_name = "潮州市韩江食品有限公司";
  c.applicant_id_masked = "9144**********0Y43";
  c.issued_on = "2026-05-20";
  c.received_on = "2026-05-06";
  c.accepted_on = "2026-05-07";
  c.reasons = {"理由一：含 'quote' 与 \"双引号\"", "理由二\n第二行"};
  c.materials = {"营业执照复印件", "Robert'); DROP TABLE case_documents;--"};
  c.result_name = "食品经营许可证";
  c.days = 15;
  return c;
}

class DocumentContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    repo_ = make_document_store(db_);
    auto signer = std::make_shared<crypto::Signer>(
        crypto::Signer::from_seed(std::string(crypto::Signer::kSeedBytes, 'd')).value());
    service_ = std::make_shared<app::DocumentService>(repo_, crypto_of(signer),
                                                      crypto::random_bytes, "https://zwfw.test");
  }
  void TearDown() override {
    service_.reset();
    repo_.reset();
    DialectTest::TearDown();
  }

  std::shared_ptr<app::DocumentRepository> repo_;
  std::shared_ptr<app::DocumentService> service_;
};

TEST_P(DocumentContract, StoresAndReadsBackEveryFieldExactly) {
  const DocumentRecord prepared =
      service_->prepare(content(DocumentKind::refusal_decision, "C-1"), kNow);
  auto id = repo_->insert(prepared);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_GT(*id, 0);

  auto by_code = repo_->by_verify_code(prepared.verify_code);
  ASSERT_TRUE(by_code.ok()) << by_code.error().message;
  EXPECT_EQ(by_code->id, *id);
  EXPECT_EQ(by_code->content, prepared.content);
  EXPECT_EQ(by_code->verify_code, prepared.verify_code);
  EXPECT_EQ(by_code->sha256, prepared.sha256);
  EXPECT_EQ(by_code->signature_hex, prepared.signature_hex);
  EXPECT_EQ(by_code->public_key_hex, prepared.public_key_hex);
  EXPECT_EQ(by_code->created_at, kNow);

  auto by_id = repo_->by_id(*id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->content, prepared.content);

  auto verified = service_->verify(prepared.verify_code);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->signature_valid);

  // The signed bytes are stored beside the readable form.
  auto stored = read_value<std::string>(*db_, [&](Session& s) -> Result<std::string> {
    SHENPI_ASSIGN(Rows r, s.query("SELECT content, kind, case_number, issued_on FROM "
                                  "case_documents WHERE id = ?",
                                  {*id}));
    EXPECT_EQ(r.text(0, 1), "refusal_decision");
    EXPECT_EQ(r.text(0, 2), "C-1");
    EXPECT_EQ(r.text(0, 3), "2026-05-20");
    return r.text(0, 0);
  });
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, core::canonical_bytes(prepared.content));
}

TEST_P(DocumentContract, UnknownCodesAndIdsAreNotFound) {
  EXPECT_EQ(repo_->by_verify_code("0000-0000-0000-0000").error().code, "document_not_found");
  EXPECT_EQ(repo_->by_id(42).error().kind, ErrorKind::not_found);
  EXPECT_EQ(service_->verify("0000-0000-0000-0000").error().kind, ErrorKind::not_found);
  auto none = repo_->for_case("C-none");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(DocumentContract, ADuplicateCodeIsAConflictAndNothingIsWritten) {
  const DocumentRecord a = service_->prepare(content(DocumentKind::receipt, "C-1"), kNow);
  ASSERT_TRUE(repo_->insert(a).ok());
  DocumentRecord b = service_->prepare(content(DocumentKind::acceptance_notice, "C-2"), kNow);
  b.verify_code = a.verify_code;
  auto again = repo_->insert(b);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_TRUE(repo_->for_case("C-2")->empty());
}

TEST_P(DocumentContract, ForCaseListsOneCasesDocumentsOldestFirst) {
  std::vector<std::string> codes;
  for (DocumentKind k : {DocumentKind::receipt, DocumentKind::correction_notice,
                         DocumentKind::acceptance_notice, DocumentKind::approval_decision}) {
    const DocumentRecord r = service_->prepare(content(k, "C-9"), kNow);
    ASSERT_TRUE(repo_->insert(r).ok());
    codes.push_back(r.verify_code);
    ASSERT_TRUE(repo_->insert(service_->prepare(content(k, "C-other"), kNow)).ok());
  }
  auto docs = service_->for_case("C-9");
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 4u);
  for (std::size_t i = 0; i < codes.size(); ++i) EXPECT_EQ((*docs)[i].verify_code, codes[i]);
  EXPECT_EQ((*docs)[1].content.kind, DocumentKind::correction_notice);
}

TEST_P(DocumentContract, InsertDocumentRowJoinsTheCallersTransaction) {
  const DocumentRecord r = service_->prepare(content(DocumentKind::acceptance_notice, "C-3"), kNow);
  // The transition fails after the document was written: neither survives.
  auto failed = db_->write([&](Session& s) -> Result<void> {
    SHENPI_TRY(insert_document_row(s, r));
    return make_error(ErrorKind::conflict, "transition_failed", "状态已变化");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(repo_->by_verify_code(r.verify_code).error().kind, ErrorKind::not_found);

  auto id = write_value<std::int64_t>(*db_, [&](Session& s) { return insert_document_row(s, r); });
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(repo_->by_id(*id)->verify_code, r.verify_code);
}

TEST_P(DocumentContract, ChangingTheStoredContentMakesTheSignatureInvalid) {
  const DocumentRecord r = service_->prepare(content(DocumentKind::refusal_decision, "C-4"), kNow);
  ASSERT_TRUE(repo_->insert(r).ok());
  ASSERT_TRUE(service_->verify(r.verify_code)->signature_valid);

  // Someone turns the refusal into an approval in the readable copy.
  DocumentContent forged = r.content;
  forged.kind = DocumentKind::approval_decision;
  ASSERT_TRUE(db_->write([&](Session& s) -> Result<void> {
                   SHENPI_TRY(
                       s.exec("UPDATE case_documents SET content_json = ? WHERE verify_code = ?",
                              {document_content_json(forged), r.verify_code}));
                   return ok_result();
                 })
                  .ok());
  auto v = service_->verify(r.verify_code);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->record.content.kind, DocumentKind::approval_decision);
  EXPECT_FALSE(v->signature_valid);

  // Rewriting the hash to match does not help: the signature covers it.
  ASSERT_TRUE(db_->write([&](Session& s) -> Result<void> {
                   SHENPI_TRY(
                       s.exec("UPDATE case_documents SET sha256 = ? WHERE verify_code = ?",
                              {crypto::sha256_hex(core::canonical_bytes(forged)), r.verify_code}));
                   return ok_result();
                 })
                  .ok());
  EXPECT_FALSE(service_->verify(r.verify_code)->signature_valid);
}

TEST_P(DocumentContract, UnreadableContentJsonIsAnInternalError) {
  const DocumentRecord r = service_->prepare(content(DocumentKind::receipt, "C-5"), kNow);
  ASSERT_TRUE(repo_->insert(r).ok());
  ASSERT_TRUE(db_->write([&](Session& s) -> Result<void> {
                   SHENPI_TRY(s.exec("UPDATE case_documents SET content_json = '{\"kind\":1}'"));
                   return ok_result();
                 })
                  .ok());
  auto v = repo_->by_verify_code(r.verify_code);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::internal);
}

INSTANTIATE_TEST_SUITE_P(Dialects, DocumentContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
