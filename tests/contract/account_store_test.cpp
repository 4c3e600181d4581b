// app::AccountRepository as implemented by store::make_account_store, on both dialects.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "contract/scratch_database.h"
#include "store/account_store.h"
#include "store/audit_store.h"

namespace shenpi::store {
namespace {

using app::AccountKind;
using app::AccountRecord;
using app::RoleGrant;
using app::SessionRecord;
using app::TrainingRecord;

const char* const kMarket = "445100-SCJGJ";
const char* const kInfo = "445100-XXB";

std::string id_of(int n) {
  std::string s = "00000000-0000-4000-8000-" + std::string(12, '0');
  const std::string tail = std::to_string(n);
  s.replace(s.size() - tail.size(), tail.size(), tail);
  return s;
}

std::string index_of(char c) { return std::string(64, c); }

AccountRecord person(int n, char index) {
  AccountRecord a;
  a.id = id_of(n);
  a.kind = AccountKind::person;
  a.login_index = index_of(index);
  a.display_name = "张三";
  a.id_number_sealed = std::string("\x01\x00\xff sealed-id", 13);
  a.mobile_sealed = "sealed-mobile";
  a.password_hash = "$argon2id$v=19$m=8,t=1,p=1$x$y";
  a.created_at = 1700000000;
  return a;
}

AccountRecord staff(int n, char index, const std::string& username) {
  AccountRecord a = person(n, index);
  a.kind = AccountKind::staff;
  a.username = username;
  a.display_name = "李四";
  a.id_number_sealed.clear();
  a.mobile_sealed.clear();
  a.totp_secret_sealed = "sealed-totp";
  a.department_code = kMarket;
  return a;
}

SessionRecord session_of(const std::string& account_id, char id, std::int64_t at) {
  SessionRecord s;
  s.id = index_of(id);
  s.account_id = account_id;
  s.created_at = at;
  s.last_seen_at = at;
  s.absolute_expiry = at + 12 * 3600;
  s.csrf_token = std::string("csrf-") + id;
  s.address = "192.0.2.7";
  s.user_agent = "test";
  return s;
}

// Failures 3 and later block for 10 seconds times the count (a rule for the test only).
std::int64_t block_from_third(int count, int threshold) {
  return count >= threshold ? 10 * count : 0;
}

class AccountContract : public testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(db_->write([](Session& s) -> Result<void> {
                     SHENPI_TRY(
                         s.exec("INSERT INTO regions (code, name) VALUES ('445100', '潮州市')"));
                     for (const char* d : {kMarket, kInfo}) {
                       SHENPI_TRY(
                           s.exec("INSERT INTO departments (code, name, region_code, kind) "
                                  "VALUES (?, ?, '445100', 'approval')",
                                  {std::string(d), std::string("单位") + d}));
                     }
                     return ok_result();
                   })
                    .ok());
    repo_ = make_account_store(db_);
  }
  void TearDown() override {
    repo_.reset();
    DialectTest::TearDown();
  }
  std::shared_ptr<app::AccountRepository> repo_;
};

TEST_P(AccountContract, CreatedAccountReadsBackByIdAndLoginWithSealedBytesIntact) {
  const AccountRecord a = person(1, 'a');
  ASSERT_TRUE(repo_->create_account(a, {}).ok());
  auto by_id = repo_->account_by_id(a.id);
  ASSERT_TRUE(by_id.ok()) << by_id.error().message;
  ASSERT_TRUE(by_id->has_value());
  const AccountRecord& b = **by_id;
  EXPECT_EQ(b.kind, AccountKind::person);
  EXPECT_EQ(b.display_name, "张三");
  EXPECT_EQ(b.id_number_sealed, a.id_number_sealed);
  EXPECT_EQ(b.mobile_sealed, "sealed-mobile");
  EXPECT_EQ(b.credit_code_sealed, "");
  EXPECT_EQ(b.password_hash, a.password_hash);
  EXPECT_FALSE(b.totp_last_step.has_value());
  EXPECT_EQ(b.status, "active");
  EXPECT_EQ(b.created_at, 1700000000);
  EXPECT_EQ(b.version, 1);
  auto by_login = repo_->account_by_login(index_of('a'));
  ASSERT_TRUE(by_login.ok() && by_login->has_value());
  EXPECT_EQ((*by_login)->id, a.id);
  EXPECT_FALSE(repo_->account_by_login(index_of('z'))->has_value());
  EXPECT_FALSE(repo_->account_by_id(id_of(99))->has_value());
}

TEST_P(AccountContract, OneAccountPerLoginAndPerUsername) {
  ASSERT_TRUE(repo_->create_account(person(1, 'a'), {}).ok());
  auto again = repo_->create_account(person(2, 'a'), {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(again.error().code, "account_exists");
  ASSERT_TRUE(repo_->create_account(staff(3, 'b', "lisi"), {}).ok());
  auto same_user = repo_->create_account(staff(4, 'c', "lisi"), {});
  ASSERT_FALSE(same_user.ok());
  EXPECT_EQ(same_user.error().code, "account_exists");
  // The failed attempts left nothing behind.
  EXPECT_FALSE(repo_->account_by_id(id_of(2))->has_value());
  EXPECT_FALSE(repo_->account_by_id(id_of(4))->has_value());
}

TEST_P(AccountContract, StaffWithRoleGrantsAndUnknownDepartmentRefused) {
  const AccountRecord s = staff(5, 'd', "wangwu");
  ASSERT_TRUE(
      repo_->create_account(s, {{"reviewer", kMarket}, {"clerk", kMarket}, {"tech_admin", kInfo}})
          .ok());
  auto roles = repo_->role_grants(s.id);
  ASSERT_TRUE(roles.ok());
  EXPECT_EQ(*roles, (std::vector<RoleGrant>{
                        {"clerk", kMarket}, {"reviewer", kMarket}, {"tech_admin", kInfo}}));
  auto by_user = repo_->account_by_username("wangwu");
  ASSERT_TRUE(by_user.ok() && by_user->has_value());
  EXPECT_EQ((*by_user)->department_code, kMarket);
  EXPECT_EQ((*by_user)->totp_secret_sealed, "sealed-totp");

  auto bad = repo_->create_account(staff(6, 'e', "zhaoliu"), {{"clerk", "445100-NOPE"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "department_not_found");
  EXPECT_EQ(bad.error().field, "department");
  EXPECT_FALSE(repo_->account_by_username("zhaoliu")->has_value());
}

TEST_P(AccountContract, PasswordChangeChecksTheVersionRead) {
  const AccountRecord a = person(1, 'a');
  ASSERT_TRUE(repo_->create_account(a, {}).ok());
  ASSERT_TRUE(repo_->set_password_hash(a.id, 1, "new-hash").ok());
  auto stale = repo_->set_password_hash(a.id, 1, "other-hash");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().kind, ErrorKind::precondition);
  auto b = repo_->account_by_id(a.id);
  EXPECT_EQ((*b)->password_hash, "new-hash");
  EXPECT_EQ((*b)->version, 2);
  auto missing = repo_->set_password_hash(id_of(42), 1, "x");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
}

TEST_P(AccountContract, TotpStepOnlyMovesForward) {
  const AccountRecord s = staff(5, 'd', "wangwu");
  ASSERT_TRUE(repo_->create_account(s, {}).ok());
  EXPECT_TRUE(*repo_->use_totp_step(s.id, 100));
  EXPECT_FALSE(*repo_->use_totp_step(s.id, 100));  // the same code again: a replay
  EXPECT_FALSE(*repo_->use_totp_step(s.id, 99));
  EXPECT_TRUE(*repo_->use_totp_step(s.id, 101));
  EXPECT_EQ((*repo_->account_by_id(s.id))->totp_last_step, 101);
}

TEST_P(AccountContract, ConcurrentUsesOfOneStepSucceedOnce) {
  const AccountRecord s = staff(5, 'd', "wangwu");
  ASSERT_TRUE(repo_->create_account(s, {}).ok());
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto r = repo_->use_totp_step(s.id, 500);
      if (r.ok() && *r) ++wins;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wins.load(), 1);
}

TEST_P(AccountContract, TrainingRecordsLatestFirst) {
  const AccountRecord s = staff(5, 'd', "wangwu");
  ASSERT_TRUE(repo_->create_account(s, {}).ok());
  EXPECT_TRUE(repo_->training(s.id)->empty());
  ASSERT_TRUE(repo_->add_training(s.id, {"保密培训", "2024-01-05", "2025-01-04", "system"}).ok());
  ASSERT_TRUE(repo_->add_training(s.id, {"业务培训", "2025-01-03", "2026-01-02", id_of(9)}).ok());
  auto t = repo_->training(s.id);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0], (TrainingRecord{"业务培训", "2025-01-03", "2026-01-02", id_of(9)}));
  EXPECT_EQ((*t)[1].course, "保密培训");
  auto missing = repo_->add_training(id_of(77), {"x", "2024-01-01", "2024-12-31", "system"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
}

TEST_P(AccountContract, SessionsLiveTouchRevokeAndRevokeOthers) {
  const AccountRecord a = person(1, 'a');
  ASSERT_TRUE(repo_->create_account(a, {}).ok());
  const std::int64_t t0 = 1700000000;
  ASSERT_TRUE(repo_->create_session(session_of(a.id, '1', t0)).ok());
  ASSERT_TRUE(repo_->create_session(session_of(a.id, '2', t0 + 10)).ok());
  ASSERT_TRUE(repo_->create_session(session_of(a.id, '3', t0 + 20)).ok());

  auto s1 = repo_->session(index_of('1'));
  ASSERT_TRUE(s1.ok() && s1->has_value());
  EXPECT_EQ((*s1)->csrf_token, "csrf-1");
  EXPECT_EQ((*s1)->address, "192.0.2.7");
  EXPECT_EQ((*s1)->absolute_expiry, t0 + 12 * 3600);
  EXPECT_FALSE((*s1)->revoked_at.has_value());

  ASSERT_TRUE(repo_->touch_session(index_of('1'), t0 + 100).ok());
  ASSERT_TRUE(repo_->touch_session(index_of('1'), t0 + 50).ok());  // never backwards
  EXPECT_EQ((*repo_->session(index_of('1')))->last_seen_at, t0 + 100);

  auto live = repo_->live_sessions(a.id, t0 + 200);
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->size(), 3u);
  EXPECT_EQ((*live)[0].id, index_of('1'));  // most recently seen first

  EXPECT_TRUE(*repo_->revoke_session(index_of('2'), t0 + 300));
  EXPECT_FALSE(*repo_->revoke_session(index_of('2'), t0 + 301));
  EXPECT_EQ((*repo_->session(index_of('2')))->revoked_at, t0 + 300);
  EXPECT_EQ(repo_->live_sessions(a.id, t0 + 300)->size(), 2u);

  EXPECT_EQ(*repo_->revoke_other_sessions(a.id, index_of('3'), t0 + 400), 1);
  live = repo_->live_sessions(a.id, t0 + 400);
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ((*live)[0].id, index_of('3'));
  // Past the absolute expiry a session is no longer live.
  EXPECT_TRUE(repo_->live_sessions(a.id, t0 + 20 + 12 * 3600)->empty());
  EXPECT_FALSE(repo_->session(index_of('9'))->has_value());
}

TEST_P(AccountContract, LoginFailuresCountWithinTheWindowAndBlock) {
  const std::string key = "acct:" + index_of('a');
  const std::int64_t t0 = 1700000000;
  EXPECT_FALSE(repo_->login_failures(key)->has_value());
  auto f = repo_->count_login_failure(key, t0, 900, block_from_third, 3);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->count, 1);
  EXPECT_EQ(f->window_start, t0);
  EXPECT_EQ(f->blocked_until, 0);
  f = repo_->count_login_failure(key, t0 + 10, 900, block_from_third, 3);
  EXPECT_EQ(f->count, 2);
  EXPECT_EQ(f->blocked_until, 0);
  f = repo_->count_login_failure(key, t0 + 20, 900, block_from_third, 3);
  EXPECT_EQ(f->count, 3);
  EXPECT_EQ(f->blocked_until, t0 + 20 + 30);
  auto stored = repo_->login_failures(key);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->blocked_until, t0 + 50);
  EXPECT_EQ((*stored)->window_start, t0);
  // A failure after the window starts a new count.
  f = repo_->count_login_failure(key, t0 + 900, 900, block_from_third, 3);
  EXPECT_EQ(f->count, 1);
  EXPECT_EQ(f->window_start, t0 + 900);
  // Other keys are separate; clearing removes the counter.
  EXPECT_EQ(repo_->count_login_failure("addr:192.0.2.7", t0, 900, block_from_third, 3)->count, 1);
  ASSERT_TRUE(repo_->clear_login_failures(key).ok());
  EXPECT_FALSE(repo_->login_failures(key)->has_value());
  EXPECT_TRUE(repo_->login_failures("addr:192.0.2.7")->has_value());
}

TEST_P(AccountContract, ConcurrentFailuresAreAllCounted) {
  const std::string key = "addr:198.51.100.1";
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        (void)repo_->count_login_failure(key, 1700000000, 900, block_from_third, 100);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ((*repo_->login_failures(key))->count, 20);
}

TEST_P(AccountContract, CertificateSubjectFindsItsOneAccount) {
  ASSERT_TRUE(repo_->create_account(staff(1, 'a', "lisi"), {}).ok());
  ASSERT_TRUE(repo_->create_account(staff(2, 'b', "wangwu"), {}).ok());
  const std::string subject = "CN=Li Si,OU=Licensing,O=Chaozhou Market";
  EXPECT_FALSE(repo_->account_by_certificate(subject)->has_value());
  ASSERT_TRUE(repo_->set_certificate_subject(id_of(1), subject).ok());
  auto found = repo_->account_by_certificate(subject);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->username, "lisi");
  EXPECT_FALSE(repo_->account_by_certificate("CN=Li Si")->has_value());

  auto taken = repo_->set_certificate_subject(id_of(2), subject);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, "certificate_taken");
  auto second = repo_->set_certificate_subject(id_of(1), "CN=Other");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "certificate_taken");
}

// ---- audit entries appended inside the account write --------------------------------------

//! An entry for `action` whose hasher returns `hash` (a malformed one makes the append, and
//! so the whole write, fail).
app::AuditAppend audit_of(const std::string& action, std::string hash = std::string(64, 'a')) {
  app::AuditAppend a;
  a.content.at_unix_ms = 1700000000000;
  a.content.actor_name = "test";
  a.content.action = action;
  a.content.object_type = "account";
  a.content.outcome = "success";
  a.hasher = [hash](const core::AuditEntry&) { return hash; };
  return a;
}

std::vector<std::string> audit_actions(const std::shared_ptr<Database>& db) {
  auto audit = make_audit_store(db);
  auto entries = audit->range(1, 100);
  EXPECT_TRUE(entries.ok());
  std::vector<std::string> out;
  if (entries.ok()) {
    for (const auto& e : *entries) out.push_back(e.action);
  }
  return out;
}

TEST_P(AccountContract, AccountAndItsAuditEntryCommitTogether) {
  const app::AuditAppend registered = audit_of("account.register");
  ASSERT_TRUE(repo_->create_account(person(1, 'a'), {}, &registered).ok());
  EXPECT_EQ(audit_actions(db_), std::vector<std::string>{"account.register"});

  // A refused account leaves no entry; an entry that cannot be appended leaves no account.
  EXPECT_FALSE(repo_->create_account(person(2, 'a'), {}, &registered).ok());
  const app::AuditAppend broken = audit_of("account.register", "not a hash");
  EXPECT_FALSE(repo_->create_account(person(3, 'c'), {}, &broken).ok());
  EXPECT_FALSE(repo_->account_by_id(id_of(3))->has_value());
  EXPECT_EQ(audit_actions(db_).size(), 1u);
}

TEST_P(AccountContract, PasswordChangeAndItsAuditEntryCommitTogether) {
  ASSERT_TRUE(repo_->create_account(person(1, 'a'), {}).ok());
  const app::AuditAppend changed = audit_of("account.change_password");
  ASSERT_TRUE(repo_->set_password_hash(id_of(1), 1, "hash-2", &changed).ok());
  EXPECT_FALSE(repo_->set_password_hash(id_of(1), 1, "stale", &changed).ok());  // version 2 now
  const app::AuditAppend broken = audit_of("account.change_password", "");
  EXPECT_FALSE(repo_->set_password_hash(id_of(1), 2, "hash-3", &broken).ok());
  auto a = repo_->account_by_id(id_of(1));
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->password_hash, "hash-2") << "the failed append rolled the change back";
  EXPECT_EQ((*a)->version, 2);
  EXPECT_EQ(audit_actions(db_), std::vector<std::string>{"account.change_password"});
}

TEST_P(AccountContract, CertificateSubjectIsReplacedOrRemovedWithItsAuditEntry) {
  ASSERT_TRUE(repo_->create_account(staff(1, 'a', "lisi"), {}).ok());
  ASSERT_TRUE(repo_->create_account(staff(2, 'b', "wangwu"), {}).ok());
  const app::AuditAppend entry = audit_of("staff.certificate");
  EXPECT_EQ(*repo_->certificate_subject(id_of(1)), "");
  ASSERT_TRUE(repo_->replace_certificate_subject(id_of(1), "CN=Li Si,O=A", &entry).ok());
  ASSERT_TRUE(repo_->replace_certificate_subject(id_of(1), "CN=Li Si,O=B", &entry).ok());
  EXPECT_EQ(*repo_->certificate_subject(id_of(1)), "CN=Li Si,O=B");
  EXPECT_FALSE(repo_->account_by_certificate("CN=Li Si,O=A")->has_value());
  EXPECT_EQ((*repo_->account_by_certificate("CN=Li Si,O=B"))->username, "lisi");

  auto taken = repo_->replace_certificate_subject(id_of(2), "CN=Li Si,O=B", &entry);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, "certificate_taken");
  EXPECT_EQ(taken.error().field, "cert_subject");
  auto unknown = repo_->replace_certificate_subject(id_of(9), "CN=X", &entry);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
  const app::AuditAppend broken = audit_of("staff.certificate", "x");
  EXPECT_FALSE(repo_->replace_certificate_subject(id_of(1), "CN=Y", &broken).ok());
  EXPECT_EQ(*repo_->certificate_subject(id_of(1)), "CN=Li Si,O=B") << "rolled back";

  ASSERT_TRUE(repo_->replace_certificate_subject(id_of(1), "", &entry).ok());
  EXPECT_EQ(*repo_->certificate_subject(id_of(1)), "");
  EXPECT_EQ(audit_actions(db_).size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Dialects, AccountContract,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::dialect_name);

}  // namespace
}  // namespace shenpi::store
