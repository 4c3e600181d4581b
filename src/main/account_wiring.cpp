#include "main/account_wiring.h"

#include <chrono>
#include <filesystem>

#include "crypto/password_hasher.h"
#include "crypto/sealer.h"
#include "crypto/secure_bytes.h"
#include "crypto/signer.h"
#include "crypto/totp.h"
#include "resources/resources.h"
#include "store/account_store.h"

namespace shenpi::main {
namespace {

app::AccountCrypto account_crypto(std::shared_ptr<const crypto::Sealer> sealer,
                                  std::shared_ptr<const crypto::PasswordHasher> hasher) {
  app::AccountCrypto c;
  c.random_bytes = [](std::size_t n) { return crypto::random_bytes(n); };
  c.sha256_hex = [](std::string_view b) { return crypto::sha256_hex(b); };
  c.seal = [sealer](std::string_view pt, std::string_view ad) { return sealer->seal(pt, ad); };
  c.open = [sealer](std::string_view s, std::string_view ad) { return sealer->open(s, ad); };
  c.blind_index = [sealer](std::string_view v, std::string_view purpose) {
    return sealer->blind_index(v, purpose);
  };
  c.hash_password = [hasher](std::string_view pw) { return hasher->hash(pw); };
  c.verify_password = [hasher](std::string_view h, std::string_view pw) {
    return hasher->verify(h, pw);
  };
  c.verify_dummy = [hasher](std::string_view pw) { return hasher->verify_dummy(pw); };
  c.needs_rehash = [hasher](std::string_view h) { return hasher->needs_rehash(h); };
  c.totp_secret = [] { return crypto::totp::generate_secret(); };
  c.base32 = [](std::string_view b) { return crypto::base32_encode(b); };
  c.otpauth_uri = [](std::string_view account, std::string_view secret) {
    return crypto::totp::otpauth_uri(crypto::totp::kIssuer, account, secret);
  };
  c.totp_verify = [](std::string_view secret, std::string_view code, std::int64_t now,
                     std::optional<std::int64_t> last) {
    return crypto::totp::verify(secret, code, now, 1, last);
  };
  return c;
}

}  // namespace

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::shared_ptr<app::AccountService>> make_account_service(
    std::shared_ptr<store::Database> db, const std::string& data_dir,
    std::shared_ptr<app::AuditSink> audit) {
  SHENPI_ASSIGN(crypto::Sealer sealer,
                crypto::Sealer::open_or_create(std::filesystem::path(data_dir) / "keys" /
                                               "personal-data.key"));
  SHENPI_ASSIGN(crypto::PasswordHasher hasher, crypto::PasswordHasher::create());
  const std::optional<std::string_view> common = resource("data/security/common-passwords.txt");
  if (!common) {
    return make_error(ErrorKind::internal, "resource_missing", "缺少常见密码清单");
  }
  return std::make_shared<app::AccountService>(
      store::make_account_store(std::move(db)), std::move(audit),
      account_crypto(std::make_shared<const crypto::Sealer>(std::move(sealer)),
                     std::make_shared<const crypto::PasswordHasher>(std::move(hasher))),
      core::PasswordPolicy::from_text(*common));
}

}  // namespace shenpi::main
