#include "crypto/key_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "crypto/secure_bytes.h"
#include "temp_dir.h"

namespace shenpi::crypto {
namespace {

using testing::mode_of;
using testing::TempDir;
namespace fs = std::filesystem;

TEST(KeyFile, CreatedOnFirstUseWithOwnerOnlyPermissions) {
  TempDir dir;
  const auto path = dir / "keys" / "seal.key";  // the keys/ folder does not exist yet
  auto key = load_or_create_key_file(path, 32);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->size(), 32u);
  EXPECT_EQ(fs::file_size(path), 32u);
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(path.parent_path()), 0700u);
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(path.parent_path()), fs::directory_iterator()), 1);
}

TEST(KeyFile, SecondLoadReturnsTheSameKey) {
  TempDir dir;
  const auto path = dir / "seal.key";
  auto first = load_or_create_key_file(path, 32);
  auto second = load_or_create_key_file(path, 32);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->view(), second->view());
  TempDir other;
  auto elsewhere = load_or_create_key_file(other / "seal.key", 32);
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_NE(first->view(), elsewhere->view()) << "each new key is random";
}

TEST(KeyFile, RefusesFilesOthersCanRead) {
  TempDir dir;
  const auto path = dir / "seal.key";
  ASSERT_TRUE(load_or_create_key_file(path, 32).ok());
  for (auto perms : {0640u, 0604u, 0644u, 0660u, 0602u, 0610u}) {
    fs::permissions(path, static_cast<fs::perms>(perms));
    auto r = load_or_create_key_file(path, 32);
    ASSERT_FALSE(r.ok()) << std::oct << perms;
    EXPECT_EQ(r.error().code, "key_file_unsafe");
    EXPECT_NE(r.error().message.find("chmod 600"), std::string::npos);
  }
  fs::permissions(path, static_cast<fs::perms>(0400));
  EXPECT_TRUE(load_or_create_key_file(path, 32).ok()) << "read-only for the owner is fine";
}

TEST(KeyFile, RefusesSymbolicLinksAndDirectories) {
  TempDir dir;
  const auto target = dir / "real.key";
  ASSERT_TRUE(load_or_create_key_file(target, 32).ok());
  fs::create_symlink(target, dir / "link.key");
  auto r = load_or_create_key_file(dir / "link.key", 32);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "key_file_unsafe");
  fs::create_directory(dir / "folder.key");
  fs::permissions(dir / "folder.key", fs::perms::owner_all);
  EXPECT_FALSE(load_or_create_key_file(dir / "folder.key", 32).ok());
}

TEST(KeyFile, RefusesWrongSize) {
  TempDir dir;
  const auto path = dir / "short.key";
  {
    std::ofstream out(path);
    out << "too short";
  }
  fs::permissions(path, static_cast<fs::perms>(0600));
  auto r = load_or_create_key_file(path, 32);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "key_file_invalid");
  EXPECT_EQ(fs::file_size(path), 9u) << "an existing file is never overwritten";
}

TEST(KeyFile, ConcurrentStartersAgreeOnOneKey) {
  TempDir dir;
  const auto path = dir / "race.key";
  std::vector<std::string> keys(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    threads.emplace_back([&, i] {
      auto k = load_or_create_key_file(path, 32);
      if (k.ok()) keys[i] = std::string(k->view());
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& k : keys) {
    EXPECT_EQ(k.size(), 32u);
    EXPECT_EQ(k, keys[0]);
  }
}

TEST(KeyFile, ParentThatIsAFileIsAnError) {
  TempDir dir;
  { std::ofstream(dir / "data") << "not a directory"; }
  auto r = load_or_create_key_file(dir / "data" / "seal.key", 32);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(r.error().code, "key_file_io");
}

TEST(KeyFile, UnwritableDirectoryIsAnError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  TempDir dir;
  fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec);
  auto r = load_or_create_key_file(dir / "seal.key", 32);
  fs::permissions(dir.path(), fs::perms::owner_all);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(r.error().code, "key_file_io");
}

TEST(Hex, RoundTripAndRejects) {
  EXPECT_EQ(to_hex(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(from_hex("0001ABff"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(from_hex(""), std::string());
  EXPECT_EQ(from_hex("abc"), std::nullopt);
  EXPECT_EQ(from_hex("zz"), std::nullopt);
  EXPECT_EQ(random_bytes(20).size(), 20u);
  EXPECT_NE(random_bytes(16), random_bytes(16));
}

}  // namespace
}  // namespace shenpi::crypto
