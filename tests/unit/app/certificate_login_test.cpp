// Staff sign-in by client-certificate subject plus password or TOTP (Art. 21
// "身份认证(CA)"), with the in-memory fakes: what works, what is refused with the one
// generic message, replay, throttling and the audit entries.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/account_service.h"
#include "unit/app/account_fakes.h"

namespace shenpi::app {
namespace {

using testing::fake_crypto;
using testing::fake_totp_code;
using testing::FakeAccounts;
using testing::FakeAudit;

constexpr const char* kMarket = "445100-SCJGJ";
constexpr const char* kSubject = "CN=Li Lei,OU=Licensing,O=Chaozhou Market";
constexpr std::int64_t kT0 = 1767225600;  // 2026-01-01 00:00 UTC

class CertificateLoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = std::make_shared<FakeAccounts>();
    audit_ = std::make_shared<FakeAudit>();
    service_ = std::make_unique<AccountService>(repo_, audit_, fake_crypto(),
                                                core::PasswordPolicy::from_text("password\n"));
    StaffSpec spec{"lilei", "李雷", kMarket, {"clerk"}, "staff password", kSubject};
    auto e = service_->add_staff(Principal::system_actor(), spec, at(kT0));
    ASSERT_TRUE(e.ok()) << e.error().code;
  }

  RequestContext at(std::int64_t now) const {
    return RequestContext{now, "2026-01-01", "192.0.2.7", "test-agent", "req-1"};
  }

  Result<SignedIn> by_cert(std::string_view subject, std::string_view secret, bool totp,
                           std::int64_t now = kT0, std::int64_t* retry_after = nullptr) {
    return service_->login_with_certificate(subject, secret, totp, at(now), retry_after);
  }

  std::shared_ptr<FakeAccounts> repo_;
  std::shared_ptr<FakeAudit> audit_;
  std::unique_ptr<AccountService> service_;
};

TEST_F(CertificateLoginTest, SubjectWithTotpOrPasswordSignsIn) {
  auto with_totp = by_cert(kSubject, fake_totp_code(kT0 / 30), true);
  ASSERT_TRUE(with_totp.ok()) << with_totp.error().code;
  EXPECT_EQ(with_totp->principal.username, "lilei");
  EXPECT_EQ(with_totp->token.size(), 64u);

  auto with_password = by_cert(kSubject, "staff password", false);
  ASSERT_TRUE(with_password.ok()) << with_password.error().code;
  EXPECT_EQ(with_password->principal.username, "lilei");
  EXPECT_EQ(audit_->count("session.login", "success"), 2);
}

TEST_F(CertificateLoginTest, EveryWrongCredentialGetsTheSameAnswer) {
  const std::string code = fake_totp_code(kT0 / 30);
  ASSERT_TRUE(by_cert(kSubject, code, true).ok());
  struct Case {
    const char* name;
    std::string subject;
    std::string secret;
    bool totp;
  } cases[] = {
      {"replayed TOTP", kSubject, code, true},
      {"wrong TOTP", kSubject, "000000", true},
      {"wrong password", kSubject, "not the password", false},
      {"no certificate", "", "staff password", false},
      {"unknown subject", "CN=Han Meimei,O=Chaozhou Market", "staff password", false},
      {"subject differs in case", "cn=li lei,ou=licensing,o=chaozhou market", "staff password",
       false},
  };
  for (const Case& c : cases) {
    auto r = by_cert(c.subject, c.secret, c.totp, kT0 + 5);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().kind, ErrorKind::unauthenticated) << c.name;
    EXPECT_EQ(r.error().code, "login_failed") << c.name;
  }
  EXPECT_EQ(audit_->count("session.login", "failure"), 6);
}

TEST_F(CertificateLoginTest, FailuresAreThrottledWithTheAccount) {
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(by_cert(kSubject, "wrong", false, kT0 + i).ok());
  std::int64_t retry_after = 0;
  auto r = by_cert(kSubject, "staff password", false, kT0 + 10, &retry_after);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::rate_limited);
  EXPECT_GT(retry_after, 0);
  // The counter is the account's: password login is blocked too.
  auto pw =
      service_->login({"lilei", "staff password", fake_totp_code((kT0 + 10) / 30)}, at(kT0 + 10));
  ASSERT_FALSE(pw.ok());
  EXPECT_EQ(pw.error().kind, ErrorKind::rate_limited);
}

TEST_F(CertificateLoginTest, SubjectBelongsToOneAccount) {
  StaffSpec spec{"hanmm", "韩梅梅", kMarket, {"clerk"}, "staff password", kSubject};
  auto e = service_->add_staff(Principal::system_actor(), spec, at(kT0));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, ErrorKind::conflict);
  EXPECT_EQ(e.error().field, "cert_subject");

  spec.cert_subject = "no equals sign";
  e = service_->add_staff(Principal::system_actor(), spec, at(kT0));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "cert_subject");
}

}  // namespace
}  // namespace shenpi::app
