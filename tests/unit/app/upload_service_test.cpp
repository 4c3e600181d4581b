// The upload use cases over an in-memory repository: who may upload and read, what is
// stored (kind by content, safe name, hash), the audit entries, and owned() for the case
// service.
#include "app/upload_service.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "unit/app/account_fakes.h"

namespace shenpi::app {
namespace {

using testing::FakeAudit;

class FakeUploads final : public UploadRepository {
 public:
  std::map<std::string, UploadInfo, std::less<>> rows;
  std::map<std::string, std::string, std::less<>> blobs;

  Result<void> add(const UploadInfo& info, std::string_view bytes) override {
    if (rows.count(info.id) != 0) {
      return make_error(ErrorKind::conflict, "upload_exists", "taken");
    }
    rows[info.id] = info;
    blobs.emplace(info.sha256, std::string(bytes));
    return ok_result();
  }
  Result<std::optional<UploadInfo>> find(std::string_view id) override {
    auto it = rows.find(id);
    if (it == rows.end()) return std::optional<UploadInfo>();
    return std::optional<UploadInfo>(it->second);
  }
  Result<std::vector<UploadInfo>> find_many(const std::vector<std::string>& ids) override {
    std::vector<UploadInfo> out;
    for (const std::string& id : ids) {
      if (auto it = rows.find(id); it != rows.end()) out.push_back(it->second);
    }
    return out;
  }
  Result<std::optional<std::string>> bytes(std::string_view sha256) override {
    auto it = blobs.find(sha256);
    if (it == blobs.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
};

// FNV-1a, four times over, as 64 hex characters: obvious, not secure.
std::string fake_sha256(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string one;
  for (int i = 15; i >= 0; --i) one.push_back(kHex[(h >> (i * 4)) & 0xF]);
  return one + one + one + one;
}

const std::string kPdf = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n";

Principal person(const std::string& id) {
  Principal p;
  p.account_id = id;
  p.kind = AccountKind::person;
  p.name = "张三";
  return p;
}

Principal staff(const std::string& id, bool trained) {
  Principal p;
  p.account_id = id;
  p.kind = AccountKind::staff;
  p.name = "李四";
  p.username = "lisi";
  p.department_code = "445100-SCJGJ";
  p.roles = {{"clerk", "445100-SCJGJ"}};
  p.trained = trained;
  return p;
}

RequestContext ctx() {
  RequestContext c;
  c.now = 1717200000;
  c.today = "2024-06-01";
  c.address = "192.0.2.7";
  c.request_id = "req-1";
  return c;
}

class UploadServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int counter = 0;
    service_ = std::make_unique<UploadService>(
        repo_, audit_,
        [counter](std::size_t n) mutable {
          ++counter;
          return std::string(n, static_cast<char>(counter));
        },
        fake_sha256);
  }
  std::shared_ptr<FakeUploads> repo_ = std::make_shared<FakeUploads>();
  std::shared_ptr<FakeAudit> audit_ = std::make_shared<FakeAudit>();
  std::unique_ptr<UploadService> service_;
};

TEST_F(UploadServiceTest, StoresByContentWithASafeNameAndAudits) {
  auto r = service_->store(person("A"), "C:\\扫描\\营业执照.html", kPdf, ctx());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->id, "01010101010101010101010101010101");
  EXPECT_EQ(r->owner_account_id, "A");
  EXPECT_EQ(r->filename, "营业执照.pdf");
  EXPECT_EQ(r->kind, "pdf");
  EXPECT_EQ(r->content_type, "application/pdf");
  EXPECT_EQ(r->sha256, fake_sha256(kPdf));
  EXPECT_EQ(r->size, static_cast<std::int64_t>(kPdf.size()));
  EXPECT_EQ(r->created_at, 1717200000);
  EXPECT_EQ(repo_->rows.at(r->id), *r);
  ASSERT_EQ(audit_->count("upload.store", "success"), 1);
  const AuditEvent& e = audit_->events.back();
  EXPECT_EQ(e.actor_id, "A");
  EXPECT_EQ(e.role, "person");
  EXPECT_EQ(e.object_type, "upload");
  EXPECT_EQ(e.object_id, r->id);
  EXPECT_EQ(e.request_id, "req-1");
  EXPECT_NE(e.after_json.find("营业执照.pdf"), std::string::npos);
}

TEST_F(UploadServiceTest, RefusesWhatItMustNotStore) {
  struct Case {
    std::string what;
    Principal who;
    std::string bytes;
    ErrorKind kind;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"HTML named .pdf", person("A"), "<html><script>x</script></html>", ErrorKind::invalid_input,
       "file_type_not_allowed"},
      {"an empty file", person("A"), "", ErrorKind::invalid_input, "file_empty"},
      {"a file over 20 MiB", person("A"), "%PDF-1.4" + std::string(UploadService::kMaxBytes, ' '),
       ErrorKind::too_large, "file_too_large"},
      {"untrained staff", staff("S", false), kPdf, ErrorKind::forbidden, "training_required"},
      {"the system principal", Principal::system_actor(), kPdf, ErrorKind::forbidden,
       "permission_denied"},
  };
  for (const Case& c : cases) {
    auto r = service_->store(c.who, "a.pdf", c.bytes, ctx());
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.error().kind, c.kind) << c.what;
    EXPECT_EQ(r.error().code, c.code) << c.what;
  }
  EXPECT_TRUE(repo_->rows.empty());
  EXPECT_EQ(audit_->count("upload.store", "denied"), 1) << "the untrained clerk";
}

TEST_F(UploadServiceTest, TrainedClerkAtAWindowMayUpload) {
  auto r = service_->store(staff("S", true), "申请表.pdf", kPdf, ctx());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->owner_account_id, "S");
  EXPECT_EQ(audit_->events.back().role, "clerk");
}

TEST_F(UploadServiceTest, AnUploadThatCannotBeAuditedFails) {
  audit_->fail = true;
  auto r = service_->store(person("A"), "a.pdf", kPdf, ctx());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
}

TEST_F(UploadServiceTest, OwnerReadsOthersDoNotUnlessAllowed) {
  auto u = service_->store(person("A"), "a.pdf", kPdf, ctx());
  ASSERT_TRUE(u.ok());
  audit_->events.clear();

  auto mine = service_->read(person("A"), u->id, ctx());
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->second, kPdf);
  EXPECT_TRUE(audit_->events.empty()) << "an owner's read is not audited";

  auto theirs = service_->read(person("B"), u->id, ctx());
  ASSERT_FALSE(theirs.ok());
  EXPECT_EQ(theirs.error().kind, ErrorKind::not_found);
  auto missing = service_->read(person("B"), "ffffffffffffffffffffffffffffffff", ctx());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, theirs.error().code) << "someone else's looks like none";
  EXPECT_EQ(missing.error().message, theirs.error().message);
  EXPECT_EQ(audit_->count("upload.read", "denied"), 2);

  service_->may_read = [](const Principal& who, const UploadInfo&) {
    return who.account_id == "S";
  };
  auto handler = service_->read(staff("S", true), u->id, ctx());
  ASSERT_TRUE(handler.ok());
  EXPECT_EQ(handler->second, kPdf);
  EXPECT_EQ(audit_->count("upload.read", "success"), 1) << "staff reading personal data";
  EXPECT_FALSE(service_->read(staff("T", true), u->id, ctx()).ok());
}

TEST_F(UploadServiceTest, DamagedBytesAreNeverHandedOut) {
  auto u = service_->store(person("A"), "a.pdf", kPdf, ctx());
  ASSERT_TRUE(u.ok());
  repo_->blobs[u->sha256] = "%PDF-1.4 altered";
  auto r = service_->read(person("A"), u->id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::internal);
  EXPECT_EQ(r.error().code, "upload_corrupt");
}

TEST_F(UploadServiceTest, OwnedChecksEveryIdAndKeepsTheOrder) {
  auto a1 = service_->store(person("A"), "1.pdf", kPdf, ctx());
  auto a2 = service_->store(person("A"), "2.pdf", kPdf + " ", ctx());
  auto b1 = service_->store(person("B"), "3.pdf", kPdf, ctx());
  ASSERT_TRUE(a1.ok() && a2.ok() && b1.ok());

  auto both = service_->owned("A", {a2->id, a1->id}, "materials");
  ASSERT_TRUE(both.ok());
  ASSERT_EQ(both->size(), 2u);
  EXPECT_EQ((*both)[0].filename, "2.pdf");
  EXPECT_EQ((*both)[1].filename, "1.pdf");

  auto none = service_->owned("A", {}, "materials");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  for (const std::vector<std::string>& ids :
       {std::vector<std::string>{a1->id, b1->id}, std::vector<std::string>{"nope"}}) {
    auto r = service_->owned("A", ids, "data.licence");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(r.error().code, "upload_not_found");
    EXPECT_EQ(r.error().field, "data.licence");
  }

  auto info = service_->info(b1->id);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->owner_account_id, "B");
  EXPECT_EQ(service_->info("nope").error().kind, ErrorKind::not_found);
}

}  // namespace
}  // namespace shenpi::app
