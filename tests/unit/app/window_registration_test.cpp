// Registration at the service window with a staff override of the check digit (issue 3:
// "a staff override with a reason (audited) for real legacy codes that fail the check"),
// certificate subjects set by administrators, and audit entries written inside the
// account write they describe.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "app/account_service.h"
#include "core/identity/citizen_id.h"
#include "core/identity/credit_code.h"
#include "unit/app/account_fakes.h"

namespace shenpi::app {
namespace {

using testing::fake_crypto;
using testing::fake_totp_code;
using testing::FakeAccounts;
using testing::FakeAudit;

constexpr const char* kMarket = "445100-SCJGJ";
constexpr const char* kHealth = "445100-WSJKJ";
constexpr std::int64_t kT0 = 1767225600;  // 2026-01-01 00:00 UTC
// Right except the check character (…1230 is right).
constexpr const char* kLegacyId = "445102199003071231";
constexpr const char* kGoodId = "445102199003071230";
// Right except the final check character (…Y43 is right).
constexpr const char* kLegacyCode = "91350100M000100Y44";
constexpr const char* kReason = "校验位不符，已核验原件（1998年签发的身份证）";

class WindowRegistrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = std::make_shared<FakeAccounts>();
    audit_ = std::make_shared<FakeAudit>();
    service_ = std::make_unique<AccountService>(repo_, audit_, fake_crypto(),
                                                core::PasswordPolicy::from_text("password\n"),
                                                AccountOptions{}, audit_->planner());
    for (const auto& [username, dept, role] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"clerk1", kMarket, "clerk"},
             {"admin1", kMarket, "dept_admin"},
             {"admin2", kHealth, "dept_admin"},
             {"reviewer1", kMarket, "reviewer"},
             {"member1", kMarket, "clerk"}}) {
      auto e = service_->add_staff(Principal::system_actor(),
                                   {username, "工作人员", dept, {role}, "staff password"}, at(kT0));
      ASSERT_TRUE(e.ok()) << e.error().code;
      ASSERT_TRUE(
          service_
              ->train_staff(Principal::system_actor(), username, "上岗培训", "2026-12-31", at(kT0))
              .ok());
    }
  }

  RequestContext at(std::int64_t now) const {
    return RequestContext{now, "2026-01-01", "192.0.2.9", "test-agent", "req-w"};
  }

  Principal staff(const std::string& username) {
    now_ += 60;
    auto s = service_->login({username, "staff password", fake_totp_code(now_ / 30)}, at(now_));
    EXPECT_TRUE(s.ok()) << username << ": " << (s.ok() ? "" : s.error().code);
    return s.ok() ? s->principal : Principal{};
  }

  PersonRegistration person(std::string id) const {
    return {"陈老伯", std::move(id), "13812345678", "a long enough pass"};
  }
  OrganisationRegistration organisation(std::string code) const {
    return {"潮州市老字号食品厂", std::move(code),    "林某", "黄某", kGoodId,
            "13912345678",        "organisation pass"};
  }

  const AuditEvent* last(std::string_view action) const {
    for (auto it = audit_->events.rbegin(); it != audit_->events.rend(); ++it) {
      if (it->action == action) return &*it;
    }
    return nullptr;
  }

  std::int64_t now_ = kT0 + 100;
  std::shared_ptr<FakeAccounts> repo_;
  std::shared_ptr<FakeAudit> audit_;
  std::unique_ptr<AccountService> service_;
};

std::string code_of(const Result<AccountSummary>& r) { return r.ok() ? "" : r.error().code; }

TEST_F(WindowRegistrationTest, WhoMayOverrideTheCheckDigit) {
  struct Case {
    const char* staff;  // "" = self-registration
    const char* reason;
    const char* expected;  // error code, "" for success
  };
  const Case kCases[] = {
      {"", "", "citizen_id_check"},                 // self-registration: strict
      {"", kReason, "citizen_id_check"},            // a reason without staff changes nothing
      {"clerk1", "", "citizen_id_check"},           // staff without a reason: strict
      {"clerk1", "   ", "citizen_id_check"},        // blanks are no reason
      {"reviewer1", kReason, "permission_denied"},  // no window role
      {"clerk1", kReason, ""},
  };
  for (const Case& c : kCases) {
    WindowRegistration window;
    Principal who;
    if (*c.staff != '\0') {
      who = staff(c.staff);
      window.staff = &who;
    }
    window.check_override_reason = c.reason;
    auto r = service_->register_person(person(kLegacyId), at(now_), window);
    EXPECT_EQ(code_of(r), c.expected) << c.staff << " / " << c.reason;
    if (!r.ok() && r.error().kind == ErrorKind::invalid_input) {
      EXPECT_EQ(r.error().field, "id_number");
    }
  }
  EXPECT_EQ(audit_->count("account.register", "denied"), 1) << "the refused reviewer";
}

TEST_F(WindowRegistrationTest, OverrideIsAuditedAndTheApplicantSignsInNormally) {
  const Principal clerk = staff("clerk1");
  auto r = service_->register_person(person(kLegacyId), at(now_), {&clerk, kReason});
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_EQ(r->login_masked, "4451**********1231");
  EXPECT_TRUE(r->check_overridden);

  const AuditEvent* e = last("account.register_override");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->actor_id, clerk.account_id);
  EXPECT_EQ(e->actor_name, "clerk1");
  EXPECT_EQ(e->department_code, kMarket);
  EXPECT_EQ(e->object_id, r->id);
  EXPECT_NE(e->after_json.find(kReason), std::string::npos) << e->after_json;
  EXPECT_NE(e->after_json.find("4451**********1231"), std::string::npos) << e->after_json;
  EXPECT_EQ(e->after_json.find(kLegacyId), std::string::npos) << "never the whole number";
  // Written inside the account's own write.
  ASSERT_FALSE(repo_->appended.empty());
  EXPECT_EQ(repo_->appended.back().action, "account.register_override");

  auto in = service_->login({kLegacyId, "a long enough pass", ""}, at(now_ + 1));
  ASSERT_TRUE(in.ok()) << in.error().code;
  EXPECT_EQ(in->principal.account_id, r->id);
  EXPECT_EQ(in->principal.kind, AccountKind::person);
  // The same number cannot be registered twice, override or not.
  auto again = service_->register_person(person(kLegacyId), at(now_ + 2), {&clerk, kReason});
  EXPECT_EQ(code_of(again), "account_exists");
}

TEST_F(WindowRegistrationTest, OnlyTheCheckDigitMayFail) {
  const Principal clerk = staff("clerk1");
  const WindowRegistration window{&clerk, kReason};
  EXPECT_EQ(code_of(service_->register_person(person("44510219900307123"), at(now_), window)),
            "citizen_id_length");
  EXPECT_EQ(code_of(service_->register_person(person("945102199003071231"), at(now_), window)),
            "citizen_id_region");
  EXPECT_EQ(code_of(service_->register_person(person("445102199002301231"), at(now_), window)),
            "citizen_id_birth_date");
  EXPECT_EQ(code_of(service_->register_person(person("44510219900307123A"), at(now_), window)),
            "citizen_id_chars");
  EXPECT_EQ(audit_->count("account.register_override", "success"), 0);
}

TEST_F(WindowRegistrationTest, AnOverrideNotNeededIsNotRecordedAsOne) {
  const Principal clerk = staff("clerk1");
  auto r = service_->register_person(person(kGoodId), at(now_), {&clerk, kReason});
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_FALSE(r->check_overridden);
  EXPECT_EQ(audit_->count("account.register_override", "success"), 0);
  const AuditEvent* e = last("account.register");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->actor_name, "clerk1") << "registered at the window by the clerk";
  EXPECT_NE(e->after_json.find("\"at_window\":true"), std::string::npos);
  EXPECT_EQ(e->after_json.find(kReason), std::string::npos);
}

TEST_F(WindowRegistrationTest, DeptAdminOverridesALegacyCreditCode) {
  const Principal admin = staff("admin1");
  EXPECT_EQ(code_of(service_->register_organisation(organisation(kLegacyCode), at(now_))),
            "credit_code_check");
  auto r = service_->register_organisation(organisation("91350100m000100y44"), at(now_),
                                           {&admin, "单位旧证照，已核验营业执照原件"});
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_EQ(r->login_masked, "9135**********0Y44");
  const AuditEvent* e = last("account.register_override");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->actor_name, "admin1");
  // Still structurally checked: 工商 has no organisation type 4.
  EXPECT_EQ(code_of(service_->register_organisation(organisation("94350100M000100Y44"), at(now_),
                                                    {&admin, kReason})),
            "credit_code_type");
  // The agent's ID number is not covered by the override.
  OrganisationRegistration bad_agent = organisation("92445102MA4W12346X");
  bad_agent.agent_id_number = kLegacyId;
  auto agent = service_->register_organisation(bad_agent, at(now_), {&admin, kReason});
  ASSERT_FALSE(agent.ok());
  EXPECT_EQ(agent.error().field, "agent.id_number");

  auto in = service_->login({kLegacyCode, "organisation pass", ""}, at(now_ + 1));
  ASSERT_TRUE(in.ok()) << in.error().code;
  EXPECT_EQ(in->principal.account_id, r->id);
}

TEST_F(WindowRegistrationTest, ReasonIsBoundedAndPlain) {
  const Principal clerk = staff("clerk1");
  std::string long_reason;
  for (int i = 0; i < 201; ++i) long_reason += "核";
  auto r = service_->register_person(person(kLegacyId), at(now_), {&clerk, long_reason});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "check_override_reason");
  auto ctl = service_->register_person(person(kLegacyId), at(now_), {&clerk, "a\x01b"});
  ASSERT_FALSE(ctl.ok());
  EXPECT_EQ(ctl.error().field, "check_override_reason");
}

TEST_F(WindowRegistrationTest, NothingIsStoredWhenTheAuditEntryCannotBePlanned) {
  const Principal clerk = staff("clerk1");
  const std::size_t before = repo_->accounts.size();
  audit_->fail = true;
  auto r = service_->register_person(person(kLegacyId), at(now_), {&clerk, kReason});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(repo_->accounts.size(), before);
}

TEST_F(WindowRegistrationTest, PasswordChangeAppendsItsEntryInsideTheWrite) {
  ASSERT_TRUE(service_->register_person(person(kGoodId), at(now_)).ok());
  auto in = service_->login({kGoodId, "a long enough pass", ""}, at(now_));
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(
      service_
          ->change_password(in->principal, "a long enough pass", "another long pass", at(now_ + 1))
          .ok());
  ASSERT_FALSE(repo_->appended.empty());
  EXPECT_EQ(repo_->appended.back().action, "account.change_password");
  EXPECT_EQ(audit_->count("account.change_password", "success"), 1);
}

// ---- certificate subjects set by administrators ------------------------------------------

TEST_F(WindowRegistrationTest, AdministratorSetsAndReplacesACertificateSubject) {
  const Principal admin = staff("admin1");
  const std::string first = "CN=李雷,O=潮州市市场监督管理局";
  const std::string second = "CN=李雷,OU=2026,O=潮州市市场监督管理局";
  ASSERT_TRUE(service_->set_staff_certificate(admin, "member1", first, at(now_)).ok());
  auto by_first = service_->login_with_certificate(first, "staff password", false, at(now_ + 1));
  ASSERT_TRUE(by_first.ok()) << by_first.error().code;
  EXPECT_EQ(by_first->principal.username, "member1");

  ASSERT_TRUE(service_->set_staff_certificate(admin, "MEMBER1", second, at(now_ + 2)).ok());
  EXPECT_FALSE(service_->login_with_certificate(first, "staff password", false, at(now_ + 3)).ok());
  EXPECT_TRUE(service_->login_with_certificate(second, "staff password", false, at(now_ + 4)).ok());

  const AuditEvent* e = last("staff.certificate");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->actor_name, "admin1");
  EXPECT_NE(e->before_json.find(first), std::string::npos) << e->before_json;
  EXPECT_NE(e->after_json.find(second), std::string::npos) << e->after_json;
  EXPECT_EQ(repo_->appended.back().action, "staff.certificate");

  // Setting the same subject again changes nothing and records nothing.
  const int entries = audit_->count("staff.certificate", "success");
  ASSERT_TRUE(service_->set_staff_certificate(admin, "member1", second, at(now_ + 5)).ok());
  EXPECT_EQ(audit_->count("staff.certificate", "success"), entries);
  // An empty subject removes it.
  ASSERT_TRUE(service_->set_staff_certificate(admin, "member1", "", at(now_ + 6)).ok());
  EXPECT_FALSE(
      service_->login_with_certificate(second, "staff password", false, at(now_ + 7)).ok());
}

TEST_F(WindowRegistrationTest, CertificateSubjectRefusals) {
  const Principal admin = staff("admin1");
  const Principal other = staff("admin2");
  const Principal clerk = staff("clerk1");
  ASSERT_TRUE(service_->set_staff_certificate(admin, "clerk1", "CN=A,O=B", at(now_)).ok());
  struct Case {
    const Principal* actor;
    const char* username;
    const char* subject;
    ErrorKind kind;
    const char* field;
  };
  const Case kCases[] = {
      {&other, "member1", "CN=X,O=Y", ErrorKind::forbidden, ""},  // another department
      {&clerk, "member1", "CN=X,O=Y", ErrorKind::forbidden, ""},  // no staff_manage
      {&admin, "nobody", "CN=X,O=Y", ErrorKind::not_found, "username"},
      {&admin, "member1", "no equals sign", ErrorKind::invalid_input, "cert_subject"},
      {&admin, "member1", "CN=A,O=B", ErrorKind::conflict, "cert_subject"},  // clerk1 has it
  };
  for (const Case& c : kCases) {
    auto r = service_->set_staff_certificate(*c.actor, c.username, c.subject, at(now_));
    ASSERT_FALSE(r.ok()) << c.username << " " << c.subject;
    EXPECT_EQ(r.error().kind, c.kind) << c.username << " " << c.subject;
    EXPECT_EQ(r.error().field, c.field) << c.username << " " << c.subject;
  }
  EXPECT_EQ(audit_->count("staff.certificate", "denied"), 2);
}

}  // namespace
}  // namespace shenpi::app
