#include "crypto/password_hasher.h"

#include <sodium.h>

#include <atomic>
#include <mutex>
#include <semaphore>

#include "crypto/secure_bytes.h"

namespace shenpi::crypto {

static_assert(crypto_pwhash_OPSLIMIT_MODERATE == 3, "defaults documented as MODERATE");

struct PasswordHasher::State {
  explicit State(const PasswordHasherOptions& o) : options(o), slots(o.max_concurrent) {}
  PasswordHasherOptions options;
  mutable std::counting_semaphore<> slots;
  mutable std::atomic<int> in_flight{0};
  mutable std::atomic<int> peak{0};
  mutable std::once_flag dummy_once;
  mutable std::string dummy_hash;  //!< written once under dummy_once
};

namespace {

//! Holds one hashing slot for its lifetime (RAII over the counting semaphore).
class Slot {
 public:
  Slot(std::counting_semaphore<>& sem, std::chrono::milliseconds timeout,
       std::atomic<int>& in_flight, std::atomic<int>& peak)
      : sem_(sem), in_flight_(in_flight) {
    held_ = sem_.try_acquire_for(timeout);
    if (!held_) return;
    const int now = in_flight_.fetch_add(1) + 1;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() {
    if (!held_) return;
    in_flight_.fetch_sub(1);
    sem_.release();
  }
  bool held() const { return held_; }

 private:
  std::counting_semaphore<>& sem_;
  std::atomic<int>& in_flight_;
  bool held_ = false;
};

Error busy() {
  return make_error(ErrorKind::rate_limited, "password_hashing_busy", "登录的人太多，请稍后再试");
}

//! crypto_pwhash_str with this hasher's parameters; empty on failure (out of memory).
std::string hash_now(std::string_view password, const PasswordHasherOptions& o) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), o.opslimit, o.memlimit) != 0) {
    return {};
  }
  return std::string(out);
}

}  // namespace

PasswordHasher::PasswordHasher(std::unique_ptr<State> state) : state_(std::move(state)) {}
PasswordHasher::PasswordHasher(PasswordHasher&&) noexcept = default;
PasswordHasher& PasswordHasher::operator=(PasswordHasher&&) noexcept = default;
PasswordHasher::~PasswordHasher() = default;

Result<PasswordHasher> PasswordHasher::create(const PasswordHasherOptions& options) {
  ensure_sodium();
  const auto bad = [](std::string what) {
    return make_error(ErrorKind::invalid_input, "hasher_options", std::move(what));
  };
  if (options.opslimit < crypto_pwhash_OPSLIMIT_MIN ||
      options.opslimit > crypto_pwhash_OPSLIMIT_MAX) {
    return bad("argon2id opslimit out of range");
  }
  if (options.memlimit < crypto_pwhash_MEMLIMIT_MIN ||
      options.memlimit > crypto_pwhash_MEMLIMIT_MAX) {
    return bad("argon2id memlimit out of range");
  }
  if (options.max_concurrent < 1 || options.max_concurrent > 1024) {
    return bad("max_concurrent must be between 1 and 1024");
  }
  if (options.wait_timeout.count() < 0) return bad("wait_timeout must not be negative");
  return PasswordHasher(std::make_unique<State>(options));
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
  if (password.size() > kMaxPasswordBytes) {
    return make_error(ErrorKind::invalid_input, "password_too_long", "密码过长", "password");
  }
  Slot slot(state_->slots, state_->options.wait_timeout, state_->in_flight, state_->peak);
  if (!slot.held()) return busy();
  std::string encoded = hash_now(password, state_->options);
  if (encoded.empty()) {
    return make_error(ErrorKind::unavailable, "password_hash_failed",
                      "服务器暂时无法处理密码，请稍后再试");
  }
  return encoded;
}

Result<bool> PasswordHasher::verify(std::string_view stored_hash, std::string_view password) const {
  // crypto_pwhash_str_verify reads a NUL-terminated string of < STRBYTES bytes.
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES ||
      stored_hash.find('\0') != std::string_view::npos) {
    return false;
  }
  if (password.size() > kMaxPasswordBytes) return false;
  const std::string stored(stored_hash);
  Slot slot(state_->slots, state_->options.wait_timeout, state_->in_flight, state_->peak);
  if (!slot.held()) return busy();
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

Result<void> PasswordHasher::verify_dummy(std::string_view password) const {
  Slot slot(state_->slots, state_->options.wait_timeout, state_->in_flight, state_->peak);
  if (!slot.held()) return busy();
  // The dummy hash is made once, inside the slot this caller already holds.
  std::call_once(state_->dummy_once,
                 [this] { state_->dummy_hash = hash_now(random_bytes(16), state_->options); });
  if (state_->dummy_hash.empty() || password.size() > kMaxPasswordBytes) return ok_result();
  [[maybe_unused]] const int never_matches =
      crypto_pwhash_str_verify(state_->dummy_hash.c_str(), password.data(), password.size());
  return ok_result();
}

bool PasswordHasher::needs_rehash(std::string_view stored_hash) const {
  if (stored_hash.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string stored(stored_hash);
  return crypto_pwhash_str_needs_rehash(stored.c_str(), state_->options.opslimit,
                                        state_->options.memlimit) != 0;
}

int PasswordHasher::in_flight() const { return state_->in_flight.load(); }
int PasswordHasher::peak_in_flight() const { return state_->peak.load(); }
const PasswordHasherOptions& PasswordHasher::options() const { return state_->options; }

}  // namespace shenpi::crypto
