#include "jobs/smtp_mailer.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>

namespace shenpi::jobs {
namespace {

// ---- RAII for libcurl handles ---------------------------------------------------------

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;

struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using ListPtr = std::unique_ptr<curl_slist, ListDeleter>;

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlString {
  char* p = nullptr;
  CurlString() = default;
  CurlString(const CurlString&) = delete;
  CurlString& operator=(const CurlString&) = delete;
  ~CurlString() { curl_free(p); }
};

// ---- message text ---------------------------------------------------------------------

bool plain_ascii(std::string_view s) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c > 0x7E) return false;
  }
  // "=?" would read as the start of an encoded word.
  return s.find("=?") == std::string_view::npos;
}

// "Tue, 07 May 2024 14:03:00 +0800" (China Standard Time has no daylight saving).
std::string rfc5322_date(std::int64_t unix_seconds) {
  using namespace std::chrono;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const sys_seconds t{seconds{unix_seconds + 8 * 3600}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const weekday wd{day};
  const hh_mm_ss hms{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0800", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

// Header values come from the system (subject text, configured addresses); a CR or LF
// in them would start a new header, so they are dropped whatever their origin.
std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (c != '\r' && c != '\n') out += c;
  }
  return out;
}

// ---- sending --------------------------------------------------------------------------

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t nitems, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t room = size * nitems;
  const std::size_t n = std::min(room, u->data.size() - u->offset);
  std::memcpy(buffer, u->data.data() + u->offset, n);
  u->offset += n;
  return n;
}

bool is_local_host(const std::string& url) {
  UrlPtr u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return false;
  CurlString host;
  if (curl_url_get(u.get(), CURLUPART_HOST, &host.p, 0) != CURLUE_OK || host.p == nullptr) {
    return false;
  }
  const std::string_view h(host.p);
  return h == "localhost" || h == "127.0.0.1" || h == "[::1]" || h == "::1";
}

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpConfig config) : config_(std::move(config)) {
    implicit_tls_ = config_.url.rfind("smtps://", 0) == 0;
    require_tls_ = !implicit_tls_ && !config_.user.empty() && !is_local_host(config_.url);
  }

  Result<void> send(const MailMessage& m) override {
    EasyPtr curl(curl_easy_init());
    if (!curl) return transient("curl_easy_init failed");
    const std::string text = format_message(m);
    Upload upload{text};
    const std::string from = "<" + one_line(m.from) + ">";
    ListPtr rcpt(curl_slist_append(nullptr, ("<" + one_line(m.to) + ">").c_str()));
    if (!rcpt) return transient("out of memory");
    char error[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, config_.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(config_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
    if (!implicit_tls_) {
      curl_easy_setopt(c, CURLOPT_USE_SSL,
                       static_cast<long>(require_tls_ ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    }
    if (!config_.user.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, config_.user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text.size()));
    const CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (rc == CURLE_OK) return ok_result();
    std::string why = std::string(curl_easy_strerror(rc));
    if (error[0] != '\0') why += ": " + std::string(error);
    if (code != 0) why += " (SMTP " + std::to_string(code) + ")";
    // 5xx: the server refused for good (unknown mailbox, policy); everything else may pass
    // later. A refused login is a configuration fault an operator fixes: keep retrying.
    if (code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED) {
      return make_error(ErrorKind::invalid_input, "mail_rejected", why);
    }
    return transient(why);
  }

 private:
  static Error transient(std::string why) {
    return make_error(ErrorKind::unavailable, "mail_unavailable", std::move(why));
  }

  SmtpConfig config_;
  bool implicit_tls_ = false;
  bool require_tls_ = false;
};

}  // namespace

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const auto b = static_cast<unsigned char>(bytes[i + 1]);
    const auto c = static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[a >> 2];
    out += kAlphabet[((a & 0x03) << 4) | (b >> 4)];
    out += kAlphabet[((b & 0x0F) << 2) | (c >> 6)];
    out += kAlphabet[c & 0x3F];
  }
  if (i < bytes.size()) {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const bool two = i + 1 < bytes.size();
    const auto b = two ? static_cast<unsigned char>(bytes[i + 1]) : 0;
    out += kAlphabet[a >> 2];
    out += kAlphabet[((a & 0x03) << 4) | (b >> 4)];
    out += two ? kAlphabet[(b & 0x0F) << 2] : '=';
    out += '=';
  }
  return out;
}

std::string encode_header_words(std::string_view text) {
  if (plain_ascii(text)) return std::string(text);
  // "=?UTF-8?B?" + base64 + "?=" ≤ 75 characters leaves 63 for base64: 45 bytes of text.
  constexpr std::size_t kMaxBytes = 45;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + kMaxBytes);
    // Back off to a character boundary (never split a UTF-8 sequence).
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (end == i) end = std::min(text.size(), i + kMaxBytes);  // malformed: split anyway
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string message_id_for(std::string_view event_id, std::string_view suffix,
                           std::string_view from) {
  std::string domain = "shenpi.invalid";
  if (const std::size_t at = from.rfind('@');
      at != std::string_view::npos && at + 1 < from.size()) {
    domain = one_line(from.substr(at + 1));
  }
  std::string id(event_id);
  if (!suffix.empty()) id += "." + std::string(suffix);
  return id + "@" + domain;
}

std::string format_message(const MailMessage& m) {
  std::string body;
  body.reserve(m.body.size() + m.body.size() / 20);
  for (std::size_t i = 0; i < m.body.size(); ++i) {
    if (m.body[i] == '\n' && (i == 0 || m.body[i - 1] != '\r')) body += '\r';
    body += m.body[i];
  }
  const std::string encoded = base64(body);
  std::string out;
  out += "Date: " + rfc5322_date(m.date) + "\r\n";
  out += "From: ";
  if (!m.from_name.empty()) out += encode_header_words(one_line(m.from_name)) + " ";
  out += "<" + one_line(m.from) + ">\r\n";
  out += "To: <" + one_line(m.to) + ">\r\n";
  out += "Subject: " + encode_header_words(one_line(m.subject)) + "\r\n";
  out += "Message-ID: <" + one_line(m.message_id) + ">\r\n";
  if (!m.event_id.empty()) out += "X-Shenpi-Event-Id: " + one_line(m.event_id) + "\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "\r\n";
  for (std::size_t i = 0; i < encoded.size(); i += 76) {
    out += encoded.substr(i, 76) + "\r\n";
  }
  return out;
}

Result<std::shared_ptr<Mailer>> make_smtp_mailer(SmtpConfig config) {
  if (config.url.rfind("smtp://", 0) != 0 && config.url.rfind("smtps://", 0) != 0) {
    return make_error(ErrorKind::invalid_input, "bad_smtp_url",
                      "--smtp-url 须为 smtp://HOST:PORT 或 smtps://HOST:PORT", "smtp-url");
  }
  static std::once_flag once;
  static CURLcode init = CURLE_OK;
  std::call_once(once, [] { init = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (init != CURLE_OK) {
    return make_error(ErrorKind::unavailable, "curl_init", "无法初始化 libcurl");
  }
  return std::shared_ptr<Mailer>(std::make_shared<SmtpMailer>(std::move(config)));
}

}  // namespace shenpi::jobs
