// A cookie presented after its session ended (logout, revocation, expiry, a disabled
// account) is refused and audited as "session.replay_refused"; an unknown cookie is refused
// without any write, so an anonymous flood of made-up cookies costs no audit entries.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/account_service.h"
#include "unit/app/account_fakes.h"

namespace shenpi::app {
namespace {

using testing::fake_crypto;
using testing::FakeAccounts;
using testing::FakeAudit;

constexpr const char* kId = "445102199003071230";
constexpr const char* kPassword = "correct horse battery";
constexpr std::int64_t kT0 = 1767225600;  // 2026-01-01 00:00 UTC

class SessionReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = std::make_shared<FakeAccounts>();
    audit_ = std::make_shared<FakeAudit>();
    service_ = std::make_unique<AccountService>(repo_, audit_, fake_crypto(),
                                                core::PasswordPolicy::from_text("password\n"),
                                                AccountOptions{}, audit_->planner());
    auto r = service_->register_person({"张三", kId, "13812345678", kPassword}, at(kT0));
    ASSERT_TRUE(r.ok()) << r.error().code;
    account_id_ = r->id;
  }

  RequestContext at(std::int64_t now, std::string request_id = "req-1") const {
    return RequestContext{now, "2026-01-01", "198.51.100.7", "test-agent", std::move(request_id)};
  }

  SignedIn sign_in(std::int64_t now = kT0) {
    auto s = service_->login({kId, kPassword, ""}, at(now));
    EXPECT_TRUE(s.ok()) << s.error().code;
    return s.ok() ? *s : SignedIn{};
  }

  std::vector<AuditEvent> replays() const {
    std::vector<AuditEvent> out;
    for (const AuditEvent& e : audit_->events) {
      if (e.action == "session.replay_refused") out.push_back(e);
    }
    return out;
  }

  std::shared_ptr<FakeAccounts> repo_;
  std::shared_ptr<FakeAudit> audit_;
  std::unique_ptr<AccountService> service_;
  std::string account_id_;
};

TEST_F(SessionReplayTest, ACookieUsedAfterLogoutIsRefusedAndAuditedWithoutTheToken) {
  SignedIn s = sign_in();
  ASSERT_TRUE(service_->logout(s.principal, at(kT0 + 5)).ok());

  auto replay = service_->validate_session(s.token, at(kT0 + 10, "req-replay"));
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().code, "not_signed_in");

  const auto entries = replays();
  ASSERT_EQ(entries.size(), 1u);
  const AuditEvent& e = entries.front();
  EXPECT_EQ(e.outcome, "denied");
  EXPECT_EQ(e.actor_id, account_id_) << "the entry names whose session was replayed";
  EXPECT_EQ(e.address, "198.51.100.7");
  EXPECT_EQ(e.request_id, "req-replay");
  EXPECT_EQ(e.object_type, "session");
  const std::string session_id = s.principal.session_id;
  EXPECT_EQ(e.object_id, session_id.substr(0, 8) + "…");
  EXPECT_NE(e.after_json.find("\"reason\":\"revoked\""), std::string::npos) << e.after_json;
  for (const std::string& field : {e.object_id, e.after_json, e.before_json}) {
    EXPECT_EQ(field.find(s.token), std::string::npos) << "never the token";
    EXPECT_EQ(field.find(session_id), std::string::npos) << "never the whole session id";
  }
}

TEST_F(SessionReplayTest, EachWayASessionEndsIsNamedInTheEntry) {
  struct Case {
    const char* what;
    std::int64_t used_at;  // seconds after sign-in
    bool disable_account;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {"idle for 30 minutes", 31 * 60, false, "idle"},
      {"past the 12 hours", 12 * 3600 + 1, false, "expired"},
      {"account disabled", 60, true, "account_disabled"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    audit_->events.clear();
    repo_->accounts.at(account_id_).status = "active";
    SignedIn s = sign_in();
    if (c.disable_account) repo_->accounts.at(account_id_).status = "disabled";
    auto replay = service_->validate_session(s.token, at(kT0 + c.used_at));
    ASSERT_FALSE(replay.ok());
    EXPECT_EQ(replay.error().code, "not_signed_in");
    const auto entries = replays();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_NE(entries.front().after_json.find(std::string("\"reason\":\"") + c.reason + "\""),
              std::string::npos)
        << entries.front().after_json;
    EXPECT_EQ(entries.front().actor_id, account_id_);
  }
}

TEST_F(SessionReplayTest, UnknownAndMalformedCookiesWriteNothing) {
  sign_in();
  const std::size_t before = audit_->events.size();
  const std::vector<std::string> made_up = {
      std::string(64, 'a'),
      std::string(64, '0'),
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "",
      "zz",
      std::string(64, 'G'),
      std::string(65, 'a')};
  for (int round = 0; round < 50; ++round) {
    for (const std::string& token : made_up) {
      ASSERT_FALSE(service_->validate_session(token, at(kT0 + round)).ok()) << token;
    }
  }
  EXPECT_EQ(audit_->events.size(), before) << "no entry for a cookie that names no session";
}

TEST_F(SessionReplayTest, AFloodWithOneStolenCookieIsAuditedOncePerInterval) {
  SignedIn s = sign_in();
  ASSERT_TRUE(service_->logout(s.principal, at(kT0 + 1)).ok());
  for (int i = 0; i < 100; ++i) {
    ASSERT_FALSE(service_->validate_session(s.token, at(kT0 + 2 + i % 50)).ok());
  }
  EXPECT_EQ(replays().size(), 1u) << "one entry for the first minute's flood";
  ASSERT_FALSE(service_->validate_session(s.token, at(kT0 + 2 + 60)).ok());
  EXPECT_EQ(replays().size(), 2u) << "and one more once the interval has passed";

  // Another ended session is audited on its own account, not swallowed by the first.
  SignedIn other = sign_in(kT0 + 70);
  ASSERT_TRUE(service_->logout(other.principal, at(kT0 + 71)).ok());
  ASSERT_FALSE(service_->validate_session(other.token, at(kT0 + 72)).ok());
  EXPECT_EQ(replays().size(), 3u);
}

TEST_F(SessionReplayTest, AnAuditFailureStillRefusesAndIsRetriedNextTime) {
  SignedIn s = sign_in();
  ASSERT_TRUE(service_->logout(s.principal, at(kT0 + 1)).ok());
  audit_->fail = true;
  auto refused = service_->validate_session(s.token, at(kT0 + 2));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "not_signed_in") << "a 401, not a 503";
  audit_->fail = false;
  ASSERT_FALSE(service_->validate_session(s.token, at(kT0 + 3)).ok());
  EXPECT_EQ(replays().size(), 1u) << "the entry that could not be written is written now";
}

TEST_F(SessionReplayTest, ALiveSessionWritesNoReplayEntry) {
  SignedIn s = sign_in();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(service_->validate_session(s.token, at(kT0 + i * 60)).ok());
  }
  EXPECT_TRUE(replays().empty());
}

}  // namespace
}  // namespace shenpi::app
