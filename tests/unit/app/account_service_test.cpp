// The account use cases with in-memory fakes: registration, sign-in, throttling, TOTP,
// sessions, password change, staff enrolment and training.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/account_service.h"
#include "core/identity/citizen_id.h"
#include "unit/app/account_fakes.h"

namespace shenpi::app {
namespace {

using testing::fake_crypto;
using testing::fake_totp_code;
using testing::FakeAccounts;
using testing::FakeAudit;

constexpr const char* kId = "445102199003071230";
constexpr const char* kOtherId = "445122200002290029";
constexpr const char* kCredit = "91350100M000100Y43";
constexpr const char* kMarket = "445100-SCJGJ";
constexpr const char* kHealth = "445100-WSJKJ";
constexpr const char* kInfo = "445100-XXB";
constexpr std::int64_t kT0 = 1767225600;  // 2026-01-01 00:00 UTC

// An ID number ending in the check character X, found by trying sequence numbers.
std::string id_ending_in_x() {
  for (int seq = 100; seq < 1000; ++seq) {
    std::string body = "44510219900307" + std::to_string(seq);
    if (core::citizen_id_check_char(body) == 'X') return body + "X";
  }
  return "";
}

class AccountServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = std::make_shared<FakeAccounts>();
    audit_ = std::make_shared<FakeAudit>();
    // As in production, account writes append their audit entry inside the write.
    service_ = std::make_unique<AccountService>(
        repo_, audit_, fake_crypto(), core::PasswordPolicy::from_text("password\n12345678\n"),
        AccountOptions{}, audit_->planner());
  }

  RequestContext at(std::int64_t now, std::string address = "192.0.2.1") const {
    return RequestContext{now, "2026-01-01", std::move(address), "test-agent", "req-1"};
  }

  PersonRegistration person(std::string id = kId) const {
    return {"张三", std::move(id), "13812345678", "correct horse battery"};
  }

  OrganisationRegistration organisation() const {
    return {"潮州市某某有限公司", kCredit, "李四", "王五", kOtherId, "13912345678",
            "organisation pass"};
  }

  Result<SignedIn> login(std::string login, std::string password, std::string totp = "",
                         std::int64_t now = kT0, std::string address = "192.0.2.1",
                         std::int64_t* retry_after = nullptr) {
    return service_->login({std::move(login), std::move(password), std::move(totp)},
                           at(now, std::move(address)), retry_after);
  }

  // A staff member added by the system, optionally trained until `valid_until`.
  std::string add_staff(const std::string& username, const std::string& dept,
                        std::vector<std::string> roles, const std::string& valid_until = "") {
    auto e = service_->add_staff(Principal::system_actor(),
                                 {username, "工作人员", dept, std::move(roles), "staff password"},
                                 at(kT0));
    EXPECT_TRUE(e.ok()) << e.error().code;
    if (!valid_until.empty()) {
      EXPECT_TRUE(
          service_
              ->train_staff(Principal::system_actor(), username, "上岗培训", valid_until, at(kT0))
              .ok());
    }
    return e.ok() ? e->account_id : "";
  }

  Principal staff_principal(const std::string& username, std::int64_t now = kT0) {
    auto s = login(username, "staff password", fake_totp_code(now / 30), now);
    EXPECT_TRUE(s.ok()) << s.error().code;
    return s.ok() ? s->principal : Principal{};
  }

  std::shared_ptr<FakeAccounts> repo_;
  std::shared_ptr<FakeAudit> audit_;
  std::unique_ptr<AccountService> service_;
};

// ---- registration ---------------------------------------------------------------------

TEST_F(AccountServiceTest, PersonRegistersWithSealedPersonalDataAndMaskedSummary) {
  auto r = service_->register_person(person(), at(kT0));
  ASSERT_TRUE(r.ok()) << r.error().code << " " << r.error().field;
  EXPECT_EQ(r->kind, AccountKind::person);
  EXPECT_EQ(r->name, "张三");
  EXPECT_EQ(r->login_masked, "4451**********1230");
  EXPECT_EQ(r->id.size(), 36u);
  const AccountRecord& a = repo_->accounts.at(r->id);
  EXPECT_EQ(a.id_number_sealed.find(kId), std::string::npos)
      << "the ID number is not stored in clear";
  EXPECT_EQ(a.mobile_sealed.find("13812345678"), std::string::npos);
  const std::string tag = "[" + r->id + ":id_number]";
  EXPECT_EQ(a.id_number_sealed.substr(0, tag.size()), tag) << "bound to the account id";
  EXPECT_EQ(a.password_hash, "H:correct horse battery");
  EXPECT_EQ(audit_->count("account.register", "success"), 1);
}

TEST_F(AccountServiceTest, EachBadPersonFieldIsNamed) {
  struct Case {
    const char* what;
    PersonRegistration reg;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"empty name", {"  ", kId, "13812345678", "correct horse battery"}, "name"},
      {"wrong check digit",
       {"张三", "445102199003071231", "13812345678", "correct horse battery"},
       "id_number"},
      {"short id",
       {"张三", "44510219900307123", "13812345678", "correct horse battery"},
       "id_number"},
      {"bad mobile", {"张三", kId, "1381234567", "correct horse battery"}, "mobile"},
      {"mobile not starting with 1",
       {"张三", kId, "23812345678", "correct horse battery"},
       "mobile"},
      {"short password", {"张三", kId, "13812345678", "short"}, "password"},
      {"common password", {"张三", kId, "13812345678", "Password"}, "password"},
      {"password is the id", {"张三", kId, "13812345678", kId}, "password"},
  };
  for (const Case& c : cases) {
    auto r = service_->register_person(c.reg, at(kT0));
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << c.what;
    EXPECT_EQ(r.error().field, c.field) << c.what;
  }
  EXPECT_TRUE(repo_->accounts.empty());
}

TEST_F(AccountServiceTest, OrganisationRegistersAndEachBadFieldIsNamed) {
  auto ok = service_->register_organisation(organisation(), at(kT0));
  ASSERT_TRUE(ok.ok()) << ok.error().field;
  EXPECT_EQ(ok->kind, AccountKind::organisation);
  EXPECT_EQ(ok->login_masked, "9135**********0Y43");
  const AccountRecord& a = repo_->accounts.at(ok->id);
  for (const std::string* sealed : {&a.credit_code_sealed, &a.representative_sealed,
                                    &a.agent_name_sealed, &a.agent_id_sealed, &a.mobile_sealed}) {
    EXPECT_FALSE(sealed->empty());
  }

  struct Case {
    const char* field;
    std::function<void(OrganisationRegistration&)> spoil;
  };
  const std::vector<Case> cases = {
      {"name", [](auto& r) { r.name = ""; }},
      {"credit_code", [](auto& r) { r.credit_code = "91350100M000100Y44"; }},
      {"representative", [](auto& r) { r.representative = ""; }},
      {"agent.name", [](auto& r) { r.agent_name = std::string(65, 'a'); }},
      {"agent.id_number", [](auto& r) { r.agent_id_number = "445122200002290028"; }},
      {"mobile", [](auto& r) { r.mobile = "abc"; }},
      {"password", [](auto& r) { r.password = "12345678"; }},
  };
  for (const Case& c : cases) {
    OrganisationRegistration reg = organisation();
    reg.credit_code = "91350100M000100Y43";
    c.spoil(reg);
    auto r = service_->register_organisation(reg, at(kT0));
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << c.field;
    EXPECT_EQ(r.error().field, c.field);
  }
}

TEST_F(AccountServiceTest, OneAccountPerIdNumberAndCreditCodeWhateverTheCase) {
  const std::string x = id_ending_in_x();
  ASSERT_FALSE(x.empty());
  ASSERT_TRUE(service_->register_person(person(x), at(kT0)).ok());
  std::string lower = x;
  lower.back() = 'x';
  auto again = service_->register_person(person(" " + lower + " "), at(kT0));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(again.error().code, "account_exists");

  ASSERT_TRUE(service_->register_organisation(organisation(), at(kT0)).ok());
  OrganisationRegistration lower_code = organisation();
  lower_code.credit_code = "91350100m000100y43";
  auto dup = service_->register_organisation(lower_code, at(kT0));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "account_exists");
}

TEST_F(AccountServiceTest, RegistrationThatCannotBeAuditedFails) {
  audit_->fail = true;
  auto r = service_->register_person(person(), at(kT0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
}

// ---- sign-in --------------------------------------------------------------------------

TEST_F(AccountServiceTest, PersonAndOrganisationSignInAndTheSessionNamesThem) {
  ASSERT_TRUE(service_->register_person(person(), at(kT0)).ok());
  ASSERT_TRUE(service_->register_organisation(organisation(), at(kT0)).ok());
  auto p = login(kId, "correct horse battery");
  ASSERT_TRUE(p.ok()) << p.error().code;
  EXPECT_EQ(p->token.size(), 64u);
  EXPECT_EQ(p->principal.kind, AccountKind::person);
  EXPECT_EQ(p->principal.name, "张三");
  EXPECT_EQ(p->principal.csrf_token.size(), 64u);
  EXPECT_EQ(repo_->sessions_by_id.count(p->token), 0u) << "the token itself is never stored";
  auto o = login("91350100m000100y43", "organisation pass");
  ASSERT_TRUE(o.ok()) << o.error().code;
  EXPECT_EQ(o->principal.kind, AccountKind::organisation);

  auto v = service_->validate_session(p->token, at(kT0 + 60));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->account_id, p->principal.account_id);
  auto s = service_->summary(*v);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->login_masked, "4451**********1230");
  EXPECT_EQ(audit_->count("session.login", "success"), 2);
}

TEST_F(AccountServiceTest, EveryWrongCredentialGivesTheSameAnswer) {
  ASSERT_TRUE(service_->register_person(person(), at(kT0)).ok());
  add_staff("lisi", kMarket, {"clerk"}, "2026-12-31");
  struct Case {
    const char* what;
    std::string login, password, totp;
  };
  const std::vector<Case> cases = {
      {"wrong password", kId, "wrong password!", ""},
      {"unknown ID number", kOtherId, "correct horse battery", ""},
      {"garbage login", "nobody", "correct horse battery", ""},
      {"staff without TOTP", "lisi", "staff password", ""},
      {"staff with wrong TOTP", "lisi", "staff password", "000000"},
      {"staff with wrong password", "lisi", "nope nope nope", fake_totp_code(kT0 / 30)},
  };
  int n = 0;
  for (const Case& c : cases) {
    // Each case from its own address, so that no counter gets in the way.
    auto r = login(c.login, c.password, c.totp, kT0, "198.51.100." + std::to_string(++n));
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.error().kind, ErrorKind::unauthenticated) << c.what;
    EXPECT_EQ(r.error().code, "login_failed") << c.what;
    EXPECT_EQ(r.error().message, "账号、密码或动态口令不正确") << c.what;
    EXPECT_EQ(r.error().field, "") << c.what;
  }
  EXPECT_EQ(audit_->count("session.login", "failure"), static_cast<int>(cases.size()));
}

TEST_F(AccountServiceTest, StaffNeedTotpAndAUsedCodeCannotBeReplayed) {
  add_staff("lisi", kMarket, {"clerk"}, "2026-12-31");
  const std::string code = fake_totp_code(kT0 / 30);
  auto first = login("LiSi", "staff password", code);
  ASSERT_TRUE(first.ok()) << first.error().code;
  EXPECT_EQ(first->principal.kind, AccountKind::staff);
  EXPECT_EQ(first->principal.roles, (std::vector<RoleGrant>{{"clerk", kMarket}}));
  EXPECT_TRUE(first->principal.trained);
  auto replay = login("lisi", "staff password", code, kT0 + 5);
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().code, "login_failed");
  // The next step's code works (one step of clock drift either way is allowed).
  EXPECT_TRUE(login("lisi", "staff password", fake_totp_code(kT0 / 30 + 1), kT0 + 5).ok());
  EXPECT_FALSE(login("lisi", "staff password", fake_totp_code(kT0 / 30 + 3), kT0 + 5).ok());
}

TEST_F(AccountServiceTest, BlockGrowsFromOneMinuteAndNeverPassesFifteen) {
  struct Case {
    int count, threshold;
    std::int64_t seconds;
  };
  for (const Case& c : std::vector<Case>{{1, 5, 0},
                                         {4, 5, 0},
                                         {5, 5, 60},
                                         {6, 5, 120},
                                         {7, 5, 240},
                                         {8, 5, 480},
                                         {9, 5, 900},
                                         {30, 5, 900},
                                         {1000, 5, 900},
                                         {19, 20, 0},
                                         {20, 20, 60},
                                         {21, 20, 120}}) {
    EXPECT_EQ(login_block_seconds(c.count, c.threshold), c.seconds)
        << c.count << "/" << c.threshold;
  }
}

TEST_F(AccountServiceTest, FiveFailuresThrottleTheAccountAndSuccessClearsIt) {
  ASSERT_TRUE(service_->register_person(person(), at(kT0)).ok());
  for (int i = 0; i < 5; ++i) {
    auto r = login(kId, "wrong password!", "", kT0 + i);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::unauthenticated) << "failure " << i + 1 << " is still 401";
  }
  std::int64_t retry = 0;
  auto blocked = login(kId, "correct horse battery", "", kT0 + 10, "203.0.113.9", &retry);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().kind, ErrorKind::rate_limited) << "even the right password waits";
  EXPECT_EQ(retry, 54);  // blocked at kT0+4 for 60 s
  // After the block, one more failure doubles it.
  ASSERT_FALSE(login(kId, "wrong password!", "", kT0 + 70).ok());
  retry = 0;
  ASSERT_FALSE(login(kId, "wrong password!", "", kT0 + 71, "192.0.2.1", &retry).ok());
  EXPECT_EQ(retry, 119);
  // Once it ends, the right password gets in and clears the counter.
  ASSERT_TRUE(login(kId, "correct horse battery", "", kT0 + 200).ok());
  EXPECT_FALSE(repo_->login_failures("acct:login:" + std::string(kId))->has_value());
  ASSERT_FALSE(login(kId, "wrong password!", "", kT0 + 201).ok());
  EXPECT_TRUE(login(kId, "correct horse battery", "", kT0 + 202).ok()) << "counting starts afresh";
}

TEST_F(AccountServiceTest, TwentyFailuresFromOneAddressThrottleIt) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_FALSE(login("user" + std::to_string(i), "whatever pass", "", kT0).ok());
  }
  std::int64_t retry = 0;
  auto r = login("another", "whatever pass", "", kT0 + 1, "192.0.2.1", &retry);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::rate_limited);
  EXPECT_EQ(retry, 59);
  EXPECT_EQ(login("another", "whatever pass", "", kT0 + 1, "192.0.2.2").error().kind,
            ErrorKind::unauthenticated)
      << "other addresses are not affected";
}

TEST_F(AccountServiceTest, OldHashIsReplacedAtTheNextSignIn) {
  auto r = service_->register_person(person(), at(kT0));
  ASSERT_TRUE(r.ok());
  repo_->accounts.at(r->id).password_hash = "OLD:correct horse battery";
  ASSERT_TRUE(login(kId, "correct horse battery").ok());
  EXPECT_EQ(repo_->accounts.at(r->id).password_hash, "H:correct horse battery");
}

// ---- sessions -------------------------------------------------------------------------

TEST_F(AccountServiceTest, SessionEndsAfterThirtyIdleMinutesOrTwelveHours) {
  ASSERT_TRUE(service_->register_person(person(), at(kT0)).ok());
  auto idle = login(kId, "correct horse battery");
  ASSERT_TRUE(idle.ok());
  EXPECT_TRUE(service_->validate_session(idle->token, at(kT0 + 29 * 60)).ok());
  EXPECT_TRUE(service_->validate_session(idle->token, at(kT0 + 58 * 60)).ok())
      << "each use extends";
  auto gone = service_->validate_session(idle->token, at(kT0 + 89 * 60));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, "not_signed_in");

  auto busy = login(kId, "correct horse battery", "", kT0 + 100);
  ASSERT_TRUE(busy.ok());
  std::int64_t t = kT0 + 100;
  for (; t < kT0 + 100 + 12 * 3600; t += 20 * 60) {
    ASSERT_TRUE(service_->validate_session(busy->token, at(t)).ok()) << t - kT0;
  }
  EXPECT_FALSE(service_->validate_session(busy->token, at(kT0 + 100 + 12 * 3600)).ok());
  for (const char* bad : {"", "zz", "not-hex-at-all"}) {
    EXPECT_FALSE(service_->validate_session(bad, at(kT0)).ok());
  }
}

TEST_F(AccountServiceTest, LogoutEndsTheSession) {
  ASSERT_TRUE(service_->register_person(person(), at(kT0)).ok());
  auto s = login(kId, "correct horse battery");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(service_->logout(s->principal, at(kT0 + 1)).ok());
  EXPECT_FALSE(service_->validate_session(s->token, at(kT0 + 2)).ok());
  EXPECT_EQ(audit_->count("session.logout", "success"), 1);
}

TEST_F(AccountServiceTest, OwnSessionsListedAndEndedButNotSomeoneElses) {
  ASSERT_TRUE(service_->register_person(person(), at(kT0)).ok());
  ASSERT_TRUE(service_->register_organisation(organisation(), at(kT0)).ok());
  auto a1 = login(kId, "correct horse battery", "", kT0);
  auto a2 = login(kId, "correct horse battery", "", kT0 + 1);
  auto other = login(kCredit, "organisation pass", "", kT0 + 2);
  ASSERT_TRUE(a1.ok() && a2.ok() && other.ok());
  auto list = service_->sessions(a2->principal, at(kT0 + 3));
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  int current = 0;
  for (const auto& s : *list) current += s.current ? 1 : 0;
  EXPECT_EQ(current, 1);

  auto foreign = service_->end_session(a2->principal, other->principal.session_id, at(kT0 + 4));
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().kind, ErrorKind::not_found);
  EXPECT_TRUE(service_->validate_session(other->token, at(kT0 + 5)).ok());

  ASSERT_TRUE(service_->end_session(a2->principal, a1->principal.session_id, at(kT0 + 6)).ok());
  EXPECT_FALSE(service_->validate_session(a1->token, at(kT0 + 7)).ok());
  EXPECT_TRUE(service_->validate_session(a2->token, at(kT0 + 7)).ok());
}

TEST_F(AccountServiceTest, PasswordChangeNeedsTheCurrentOneAndEndsOtherSessions) {
  ASSERT_TRUE(service_->register_person(person(), at(kT0)).ok());
  auto a1 = login(kId, "correct horse battery", "", kT0);
  auto a2 = login(kId, "correct horse battery", "", kT0 + 1);
  ASSERT_TRUE(a1.ok() && a2.ok());
  auto wrong = service_->change_password(a2->principal, "not the password", "a new long passphrase",
                                         at(kT0 + 2));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "current_password");
  auto weak =
      service_->change_password(a2->principal, "correct horse battery", "password", at(kT0 + 2));
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().field, "password");
  ASSERT_TRUE(service_
                  ->change_password(a2->principal, "correct horse battery", "a new long passphrase",
                                    at(kT0 + 3))
                  .ok());
  EXPECT_FALSE(service_->validate_session(a1->token, at(kT0 + 4)).ok());
  EXPECT_TRUE(service_->validate_session(a2->token, at(kT0 + 4)).ok());
  EXPECT_FALSE(login(kId, "correct horse battery", "", kT0 + 5).ok());
  EXPECT_TRUE(login(kId, "a new long passphrase", "", kT0 + 6).ok());
}

// ---- staff ----------------------------------------------------------------------------

TEST_F(AccountServiceTest, SystemAddsStaffAndGetsTheTotpEnrolment) {
  auto e = service_->add_staff(
      Principal::system_actor(),
      {"Zhang.San", "张三", kMarket, {"clerk", "reviewer"}, "staff password"}, at(kT0));
  ASSERT_TRUE(e.ok()) << e.error().code;
  EXPECT_EQ(e->totp_secret_base32, "B32(SECRET)");
  EXPECT_EQ(e->otpauth_uri, "otpauth://totp/x:zhang.san?secret=SECRET");
  const AccountRecord& a = repo_->accounts.at(e->account_id);
  EXPECT_EQ(a.username, "zhang.san");
  EXPECT_EQ(a.department_code, kMarket);
  EXPECT_NE(a.totp_secret_sealed, "SECRET") << "sealed at rest";
  EXPECT_EQ(repo_->grants.at(e->account_id),
            (std::vector<RoleGrant>{{"clerk", kMarket}, {"reviewer", kMarket}}));
  EXPECT_EQ(audit_->count("staff.add", "success"), 1);
}

TEST_F(AccountServiceTest, StaffSpecificationsRefused) {
  struct Case {
    const char* what;
    StaffSpec spec;
    ErrorKind kind;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"short username",
       {"ab", "张三", kMarket, {"clerk"}, "staff password"},
       ErrorKind::invalid_input,
       "username"},
      {"username with blank",
       {"zhang san", "张三", kMarket, {"clerk"}, "staff password"},
       ErrorKind::invalid_input,
       "username"},
      {"no name",
       {"zhangsan", "", kMarket, {"clerk"}, "staff password"},
       ErrorKind::invalid_input,
       "name"},
      {"no department",
       {"zhangsan", "张三", "", {"clerk"}, "staff password"},
       ErrorKind::invalid_input,
       "department"},
      {"no role",
       {"zhangsan", "张三", kMarket, {}, "staff password"},
       ErrorKind::invalid_input,
       "role"},
      {"unknown role",
       {"zhangsan", "张三", kMarket, {"boss"}, "staff password"},
       ErrorKind::invalid_input,
       "role"},
      {"admin who approves",
       {"zhangsan", "张三", kMarket, {"dept_admin", "approver"}, "staff password"},
       ErrorKind::conflict,
       "role"},
      {"tech admin who reviews",
       {"zhangsan", "张三", kInfo, {"tech_admin", "reviewer"}, "staff password"},
       ErrorKind::conflict,
       "role"},
      {"centre admin who approves",
       {"zhangsan", "张三", kInfo, {"centre_admin", "approver"}, "staff password"},
       ErrorKind::conflict,
       "role"},
      {"weak password",
       {"zhangsan", "张三", kMarket, {"clerk"}, "12345678"},
       ErrorKind::invalid_input,
       "password"},
      {"password is username",
       {"zhangsan", "张三", kMarket, {"clerk"}, "ZhangSan"},
       ErrorKind::invalid_input,
       "password"},
  };
  for (const Case& c : cases) {
    auto r = service_->add_staff(Principal::system_actor(), c.spec, at(kT0));
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.error().kind, c.kind) << c.what;
    EXPECT_EQ(r.error().field, c.field) << c.what;
  }
  EXPECT_TRUE(repo_->accounts.empty());
  add_staff("zhangsan", kMarket, {"clerk"});
  auto dup =
      service_->add_staff(Principal::system_actor(),
                          {"ZHANGSAN", "张三", kHealth, {"clerk"}, "staff password"}, at(kT0));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "account_exists");
}

TEST_F(AccountServiceTest, WhoMayAddStaff) {
  add_staff("deptadmin", kMarket, {"dept_admin"}, "2026-12-31");
  add_staff("techadmin", kInfo, {"tech_admin"}, "2026-12-31");
  add_staff("clerk1", kMarket, {"clerk"}, "2026-12-31");
  add_staff("untrained", kInfo, {"tech_admin"});
  struct Case {
    const char* actor;
    const char* dept;
    std::vector<std::string> roles;
    bool allowed;
  };
  const std::vector<Case> cases = {
      {"deptadmin", kMarket, {"clerk"}, true},
      {"deptadmin", kHealth, {"clerk"}, false},       // another department
      {"deptadmin", kMarket, {"supervisor"}, false},  // city-wide role
      {"techadmin", kHealth, {"clerk"}, true},
      {"techadmin", kHealth, {"catalogue_admin"}, true},
      {"clerk1", kMarket, {"clerk"}, false},
      {"untrained", kMarket, {"clerk"}, false},  // Art. 20
  };
  int n = 0;
  std::int64_t now = kT0 + 100;
  for (const Case& c : cases) {
    now += 60;
    const Principal actor = staff_principal(c.actor, now);
    const int denials = audit_->count("staff.add", "denied");
    auto r = service_->add_staff(
        actor, {"new" + std::to_string(++n), "新人", c.dept, c.roles, "staff password"}, at(now));
    EXPECT_EQ(r.ok(), c.allowed) << c.actor << " → " << c.dept;
    if (!c.allowed) {
      EXPECT_EQ(r.error().kind, ErrorKind::forbidden) << c.actor;
      EXPECT_EQ(audit_->count("staff.add", "denied"), denials + 1) << "denial audited";
    }
  }
}

TEST_F(AccountServiceTest, TrainingIsRecordedByTechAdminOnlyAndOpensTheGate) {
  add_staff("techadmin", kInfo, {"tech_admin"}, "2026-12-31");
  add_staff("centre", kInfo, {"centre_admin"}, "2026-12-31");
  add_staff("newbie", kMarket, {"clerk"});
  Principal newbie = staff_principal("newbie", kT0 + 30);
  EXPECT_FALSE(newbie.trained);
  EXPECT_TRUE(service_->training_status(newbie, at(kT0 + 31))->empty());
  EXPECT_EQ(require(newbie, Permission::case_read, kMarket).error().code, "training_required");

  const Principal centre = staff_principal("centre", kT0 + 60);
  auto denied = service_->train_staff(centre, "newbie", "上岗培训", "2026-06-30", at(kT0 + 61));
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().kind, ErrorKind::forbidden);

  const Principal tech = staff_principal("techadmin", kT0 + 90);
  auto bad_date = service_->train_staff(tech, "newbie", "上岗培训", "2025-12-31", at(kT0 + 91));
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.error().field, "valid_until");
  auto unknown = service_->train_staff(tech, "nobody", "上岗培训", "2026-06-30", at(kT0 + 91));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
  ASSERT_TRUE(service_->train_staff(tech, "newbie", "上岗培训", "2026-06-30", at(kT0 + 92)).ok());

  newbie = staff_principal("newbie", kT0 + 120);
  EXPECT_TRUE(newbie.trained);
  EXPECT_EQ(newbie.training_valid_until, "2026-06-30");
  EXPECT_TRUE(require(newbie, Permission::case_read, kMarket).ok());
  auto status = service_->training_status(newbie, at(kT0 + 121));
  ASSERT_EQ(status->size(), 1u);
  EXPECT_EQ((*status)[0].recorded_by, tech.account_id);
  // On 2026-07-01 the record has lapsed.
  RequestContext later = at(kT0 + 150);
  later.today = "2026-07-01";
  auto lapsed = service_->validate_session(
      login("newbie", "staff password", fake_totp_code((kT0 + 150) / 30), kT0 + 150)->token, later);
  ASSERT_TRUE(lapsed.ok());
  EXPECT_FALSE(lapsed->trained);
}

}  // namespace
}  // namespace shenpi::app
