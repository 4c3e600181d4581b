// app::UploadRepository as implemented by store::make_upload_store, on both dialects:
// uploads read back as stored, bytes intact, the same content kept once however often it
// is uploaded (also when uploaded at the same moment), ids unique.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "contract/scratch_database.h"
#include "store/account_store.h"
#include "store/upload_store.h"

namespace shenpi::store {
namespace {

using app::UploadInfo;

const char* const kOwner = "00000000-0000-4000-8000-000000000001";
const char* const kOther = "00000000-0000-4000-8000-000000000002";

// Every byte value, NUL and 0xFF included, then some text: what a blob must keep intact.
std::string all_bytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
  return s + "%PDF-1.7 申请书";
}

// Not the real SHA-256 (the store takes the caller's word for it): one hex digit repeated.
std::string fake_hash(char c) { return std::string(64, c); }

std::string upload_id(int n) {
  std::string s = std::to_string(n);
  return std::string(32 - s.size(), '0') + s;
}

UploadInfo upload(int n, const char* owner, char hash) {
  UploadInfo u;
  u.id = upload_id(n);
  u.owner_account_id = owner;
  u.filename = "营业执照" + std::to_string(n) + ".pdf";
  u.kind = "pdf";
  u.content_type = "application/pdf";
  u.sha256 = fake_hash(hash);
  u.size = 271;
  u.created_at = 1700000000 + n;
  return u;
}

class UploadContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto accounts = make_account_store(db_);
    int n = 0;
    for (const char* id : {kOwner, kOther}) {
      app::AccountRecord a;
      a.id = id;
      a.login_index = std::string(64, static_cast<char>('a' + n++));
      a.display_name = "张三";
      a.password_hash = "$argon2id$v=19$m=8,t=1,p=1$x$y";
      a.created_at = 1700000000;
      ASSERT_TRUE(accounts->create_account(a, {}).ok());
    }
    repo_ = make_upload_store(db_);
  }
  void TearDown() override {
    repo_.reset();
    DialectTest::TearDown();
  }

  std::int64_t blob_count() {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->read([&](Session& s) -> Result<void> {
                     SHENPI_ASSIGN(Rows r, s.query("SELECT COUNT(*) FROM upload_blobs"));
                     n = r.int64(0, 0);
                     return ok_result();
                   })
                    .ok());
    return n;
  }

  std::shared_ptr<app::UploadRepository> repo_;
};

TEST_P(UploadContract, StoredUploadReadsBackWithItsBytesIntact) {
  const UploadInfo u = upload(1, kOwner, 'a');
  ASSERT_TRUE(repo_->add(u, all_bytes()).ok());
  auto found = repo_->find(u.id);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, u);
  EXPECT_EQ((*found)->case_number, "") << "unattached";
  auto bytes = repo_->bytes(u.sha256);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  ASSERT_TRUE(bytes->has_value());
  EXPECT_EQ(**bytes, all_bytes());
}

TEST_P(UploadContract, MissingUploadsAndBytesAreAbsentNotErrors) {
  auto found = repo_->find(upload_id(99));
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  auto bytes = repo_->bytes(fake_hash('f'));
  ASSERT_TRUE(bytes.ok());
  EXPECT_FALSE(bytes->has_value());
}

TEST_P(UploadContract, SameContentUploadedTwiceIsKeptOnce) {
  ASSERT_TRUE(repo_->add(upload(1, kOwner, 'a'), all_bytes()).ok());
  ASSERT_TRUE(repo_->add(upload(2, kOther, 'a'), all_bytes()).ok());
  EXPECT_EQ(blob_count(), 1);
  ASSERT_TRUE(repo_->add(upload(3, kOwner, 'b'), "other content").ok());
  EXPECT_EQ(blob_count(), 2);
  // Each upload keeps its own owner and name over the shared bytes.
  auto second = repo_->find(upload_id(2));
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->owner_account_id, kOther);
  EXPECT_EQ((*second)->filename, "营业执照2.pdf");
  EXPECT_EQ(**repo_->bytes(fake_hash('a')), all_bytes());
  EXPECT_EQ(**repo_->bytes(fake_hash('b')), "other content");
}

TEST_P(UploadContract, SameContentUploadedConcurrentlyIsKeptOnce) {
  std::vector<std::thread> threads;
  std::vector<int> ok(6, 0);
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back(
        [&, i] { ok[i] = repo_->add(upload(10 + i, kOwner, 'c'), all_bytes()).ok(); });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(ok[i], 1) << i;
  EXPECT_EQ(blob_count(), 1);
}

TEST_P(UploadContract, TakenIdIsAConflictAndStoresNothing) {
  ASSERT_TRUE(repo_->add(upload(1, kOwner, 'a'), "first").ok());
  UploadInfo again = upload(1, kOther, 'd');
  auto r = repo_->add(again, "second");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::conflict);
  EXPECT_EQ(r.error().code, "upload_exists");
  EXPECT_EQ(blob_count(), 1);
  EXPECT_EQ((*repo_->find(upload_id(1)))->owner_account_id, kOwner);
}

TEST_P(UploadContract, FindManyReturnsTheExistingOnesOfAnyNumberOfIds) {
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(repo_->add(upload(i, kOwner, 'a'), "x").ok());
  std::vector<std::string> ids;
  for (int i = 0; i < 250; ++i) ids.push_back(upload_id(1000 + i));  // missing
  ids.insert(ids.begin() + 120, upload_id(2));
  ids.push_back(upload_id(3));
  ids.insert(ids.begin(), upload_id(1));
  auto found = repo_->find_many(ids);
  ASSERT_TRUE(found.ok()) << found.error().message;
  std::vector<std::string> got;
  for (const UploadInfo& u : *found) got.push_back(u.id);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{upload_id(1), upload_id(2), upload_id(3)}));
  auto none = repo_->find_many({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(UploadContract, LargeUploadRoundTrips) {
  std::string big(5 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 131) % 251);
  UploadInfo u = upload(1, kOwner, 'e');
  u.size = static_cast<std::int64_t>(big.size());
  ASSERT_TRUE(repo_->add(u, big).ok());
  auto bytes = repo_->bytes(u.sha256);
  ASSERT_TRUE(bytes.ok() && bytes->has_value());
  EXPECT_TRUE(**bytes == big);
}

INSTANTIATE_TEST_SUITE_P(Dialects, UploadContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
