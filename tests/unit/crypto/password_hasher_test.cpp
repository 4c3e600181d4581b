#include "crypto/password_hasher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

namespace shenpi::crypto {
namespace {

//! The cheapest parameters libsodium allows: tests check behaviour, not strength.
PasswordHasherOptions fast() {
  PasswordHasherOptions o;
  o.opslimit = 1;
  o.memlimit = 8192;
  return o;
}

PasswordHasher make(const PasswordHasherOptions& o) {
  auto h = PasswordHasher::create(o);
  EXPECT_TRUE(h.ok());
  return std::move(h).value();
}

TEST(PasswordHasher, HashThenVerify) {
  const auto hasher = make(fast());
  auto stored = hasher.hash("韩江边的牌坊街很热闹");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->rfind("$argon2id$", 0), 0u) << *stored;
  EXPECT_EQ(hasher.verify(*stored, "韩江边的牌坊街很热闹").value(), true);
  EXPECT_EQ(hasher.verify(*stored, "韩江边的牌坊街很热闹 ").value(), false);
  EXPECT_EQ(hasher.verify(*stored, "").value(), false);
}

TEST(PasswordHasher, SamePasswordGivesDifferentHashes) {
  const auto hasher = make(fast());
  auto a = hasher.hash("correct horse battery staple");
  auto b = hasher.hash("correct horse battery staple");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b) << "each hash has its own salt";
  EXPECT_TRUE(hasher.verify(*a, "correct horse battery staple").value());
  EXPECT_TRUE(hasher.verify(*b, "correct horse battery staple").value());
}

TEST(PasswordHasher, MalformedStoredHashNeverMatches) {
  const auto hasher = make(fast());
  for (const char* bad : {"", "plaintext-password", "$argon2id$v=19$m=8,t=1,p=1$AAAA$BBBB",
                          "$2b$12$abcdefghijklmnopqrstuv"}) {
    auto r = hasher.verify(bad, "plaintext-password");
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(*r) << bad;
  }
  EXPECT_FALSE(hasher.verify(std::string(500, 'a'), "x").value());
}

TEST(PasswordHasher, PasswordsWithNulBytesAreWholeValues) {
  const auto hasher = make(fast());
  const std::string with_nul("abc\0def", 7);
  auto stored = hasher.hash(with_nul);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(hasher.verify(*stored, with_nul).value());
  EXPECT_FALSE(hasher.verify(*stored, "abc").value());
}

TEST(PasswordHasher, OverlongPasswordIsRefused) {
  const auto hasher = make(fast());
  const std::string huge(PasswordHasher::kMaxPasswordBytes + 1, 'p');
  auto r = hasher.hash(huge);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "password_too_long");
  auto stored = hasher.hash("short-enough");
  EXPECT_FALSE(hasher.verify(*stored, huge).value());
}

TEST(PasswordHasher, NeedsRehashWhenParametersRise) {
  const auto weak = make(fast());
  auto stored = weak.hash("a good long passphrase");
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(weak.needs_rehash(*stored));
  PasswordHasherOptions more_ops = fast();
  more_ops.opslimit = 2;
  EXPECT_TRUE(make(more_ops).needs_rehash(*stored));
  PasswordHasherOptions more_mem = fast();
  more_mem.memlimit = 16384;
  EXPECT_TRUE(make(more_mem).needs_rehash(*stored));
  EXPECT_TRUE(weak.needs_rehash("not a hash"));
  EXPECT_TRUE(weak.needs_rehash(""));
}

TEST(PasswordHasher, OptionsAreChecked) {
  PasswordHasherOptions o = fast();
  o.opslimit = 0;
  EXPECT_FALSE(PasswordHasher::create(o).ok());
  o = fast();
  o.memlimit = 1024;
  EXPECT_FALSE(PasswordHasher::create(o).ok());
  o = fast();
  o.max_concurrent = 0;
  auto r = PasswordHasher::create(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "hasher_options");
  EXPECT_TRUE(PasswordHasher::create().ok()) << "the defaults are valid";
}

TEST(PasswordHasher, VerifyDummyDoesTheWork) {
  const auto hasher = make(fast());
  EXPECT_TRUE(hasher.verify_dummy("whatever").ok());
  EXPECT_TRUE(hasher.verify_dummy("whatever again").ok());
  EXPECT_EQ(hasher.in_flight(), 0);
}

TEST(PasswordHasher, NeverMoreThanTheCapAtOnce) {
  PasswordHasherOptions o = fast();
  o.memlimit = std::size_t{1} << 20;  // 1 MiB: long enough for the threads to overlap
  o.opslimit = 2;
  o.max_concurrent = 2;
  o.wait_timeout = std::chrono::seconds(30);
  const auto hasher = make(o);
  constexpr int kThreads = 6;
  std::latch start(kThreads);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int round = 0; round < 2; ++round) {
        if (hasher.hash("a login flood").ok()) ok.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * 2) << "with a long wait everyone gets a turn";
  EXPECT_LE(hasher.peak_in_flight(), 2);
  EXPECT_GE(hasher.peak_in_flight(), 1);
  EXPECT_EQ(hasher.in_flight(), 0);
}

TEST(PasswordHasher, CallersPastTheCapAreToldToRetry) {
  PasswordHasherOptions o = fast();
  o.memlimit = std::size_t{4} << 20;  // ~tens of milliseconds per hash
  o.opslimit = 3;
  o.max_concurrent = 1;
  o.wait_timeout = std::chrono::milliseconds(0);
  const auto hasher = make(o);
  constexpr int kThreads = 4;
  std::latch start(kThreads);
  std::atomic<int> ok{0};
  std::atomic<int> limited{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      auto r = hasher.hash("a login flood");
      if (r.ok()) {
        ok.fetch_add(1);
      } else if (r.error().kind == ErrorKind::rate_limited) {
        EXPECT_EQ(r.error().code, "password_hashing_busy");
        limited.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(ok.load(), 1);
  EXPECT_GE(limited.load(), 1) << "four hashes at once with room for one";
  EXPECT_EQ(ok.load() + limited.load(), kThreads);
  EXPECT_EQ(hasher.peak_in_flight(), 1);
  // Once the flood is over, the slot is free again.
  EXPECT_TRUE(hasher.hash("after the flood").ok());
}

}  // namespace
}  // namespace shenpi::crypto
