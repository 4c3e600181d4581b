#pragma once
// Email through a configured SMTP server, with libcurl (docs/decisions/0009-outbox.md).
//
//   smtp://host:port   plain SMTP, upgraded with STARTTLS when the server offers it; when
//                      credentials are configured and the host is not this machine,
//                      STARTTLS is required (a password never crosses the network bare)
//   smtps://host:port  TLS from the first byte (implicit TLS, usually port 465)
//
// The server certificate is verified against the system's CA store. Every message is
// text/plain; charset=UTF-8 (base64 transfer encoding), its subject and sender name
// encoded per RFC 2047, and its Message-ID derived from the event id, so that a message
// sent again after a crash carries the same id and receivers can drop the copy.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace shenpi::jobs {

struct MailMessage {
  std::string from;        //!< bare address, e.g. noreply@example.gov.cn
  std::string from_name;   //!< display name, may be Chinese; "" for none
  std::string to;          //!< bare address (already validated)
  std::string subject;     //!< UTF-8
  std::string body;        //!< UTF-8 plain text, '\n' line ends
  std::string message_id;  //!< without angle brackets: "<local>@<domain>" content
  std::string event_id;    //!< also sent as X-Shenpi-Event-Id
  std::int64_t date = 0;   //!< Unix seconds, for the Date header (China Standard Time)
};

//! Sends one message. An error with ErrorKind::invalid_input is permanent (the server
//! refused it for good: 5xx, a bad address) and is not to be retried; any other error
//! (ErrorKind::unavailable: connection, timeout, 4xx) is worth another try later.
class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual Result<void> send(const MailMessage& message) = 0;
};

struct SmtpConfig {
  std::string url;       //!< smtp://host:port or smtps://host:port
  std::string user;      //!< "" for no AUTH
  std::string password;  //!< from SHENPI_SMTP_PASSWORD or a file; never logged
  std::chrono::seconds timeout{60};
};

//! A mailer over `config`; invalid_input "bad_smtp_url" for a URL that is not smtp:// or
//! smtps://. Call from the main thread before other threads start (it initialises
//! libcurl once for the process).
Result<std::shared_ptr<Mailer>> make_smtp_mailer(SmtpConfig config);

//! The complete message (headers and body, CRLF line ends) as sent. Exposed for tests.
std::string format_message(const MailMessage& message);

//! `text` as RFC 2047 encoded-words ("=?UTF-8?B?…?="), each at most 75 characters,
//! split only between UTF-8 characters and joined by CRLF + space (header folding).
//! Plain printable ASCII comes back unchanged.
std::string encode_header_words(std::string_view text);

//! RFC 4648 base64 with '=' padding, no line breaks.
std::string base64(std::string_view bytes);

//! The Message-ID content "<event_id>.<suffix>@<domain>" with `domain` taken from the
//! sender address (or "shenpi.invalid").
std::string message_id_for(std::string_view event_id, std::string_view suffix,
                           std::string_view from);

}  // namespace shenpi::jobs
