// The email as it goes over the wire: RFC 2047 subjects, base64 UTF-8 bodies, a
// Message-ID from the event id, and no header injection.
#include <gtest/gtest.h>

#include <string>

#include "jobs/smtp_mailer.h"

namespace shenpi::jobs {
namespace {

// Decodes RFC 4648 base64 (test helper; no validation).
std::string unbase64(std::string_view s) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  for (const char c : s) {
    const std::size_t v = kAlphabet.find(c);
    if (v == std::string::npos) continue;
    buf = (buf << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xFF);
    }
  }
  return out;
}

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> table[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [in, out] : table) EXPECT_EQ(base64(in), out) << in;
}

TEST(EncodeHeaderWords, AsciiStaysAndChineseIsEncodedInShortWords) {
  EXPECT_EQ(encode_header_words("Case accepted"), "Case accepted");
  EXPECT_EQ(encode_header_words("已受理"), "=?UTF-8?B?" + base64("已受理") + "?=");
  // A long subject: every word ≤ 75 characters, split between characters, and the
  // decoded words give the text back.
  std::string subject;
  for (int i = 0; i < 20; ++i) subject += "准予行政许可";
  const std::string encoded = encode_header_words(subject);
  std::string decoded;
  std::size_t start = 0;
  while (start < encoded.size()) {
    std::size_t end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    const std::string word = encoded.substr(start, end - start);
    EXPECT_LE(word.size(), 75u);
    ASSERT_EQ(word.rfind("=?UTF-8?B?", 0), 0u) << word;
    const std::string part = unbase64(word.substr(10, word.size() - 12));
    EXPECT_NE(static_cast<unsigned char>(part.front()) & 0xC0, 0x80u) << "split in a character";
    decoded += part;
    start = end + 3;
  }
  EXPECT_EQ(decoded, subject);
}

TEST(FormatMessage, HeadersAndBody) {
  MailMessage m;
  m.from = "noreply@sp.chaozhou.gov.cn";
  m.from_name = "潮州市网上行政审批系统";
  m.to = "li.lei@example.com";
  m.subject = "已受理：食品经营许可";
  m.body = "您好：\n\n已受理。\n";
  m.event_id = std::string(32, 'a');
  m.message_id = message_id_for(m.event_id, "7", m.from);
  m.date = 1714528800;  // 2024-05-01 10:00 China Standard Time
  const std::string text = format_message(m);
  const std::size_t split = text.find("\r\n\r\n");
  ASSERT_NE(split, std::string::npos);
  const std::string headers = text.substr(0, split + 2);
  EXPECT_NE(headers.find("Date: Wed, 01 May 2024 10:00:00 +0800\r\n"), std::string::npos)
      << headers;
  EXPECT_NE(headers.find("From: =?UTF-8?B?" + base64("潮州市网上行政审批系统") +
                         "?= <noreply@sp.chaozhou.gov.cn>\r\n"),
            std::string::npos);
  EXPECT_NE(headers.find("To: <li.lei@example.com>\r\n"), std::string::npos);
  EXPECT_NE(headers.find("Subject: =?UTF-8?B?" + base64("已受理：食品经营许可") + "?=\r\n"),
            std::string::npos);
  EXPECT_NE(headers.find("Message-ID: <" + std::string(32, 'a') + ".7@sp.chaozhou.gov.cn>\r\n"),
            std::string::npos);
  EXPECT_NE(headers.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(headers.find("Content-Transfer-Encoding: base64\r\n"), std::string::npos);
  EXPECT_EQ(unbase64(text.substr(split + 4)), "您好：\r\n\r\n已受理。\r\n");
}

TEST(FormatMessage, NoHeaderInjection) {
  MailMessage m;
  m.from = "noreply@example.com";
  m.to = "a@example.com\r\nBcc: victim@example.com";
  m.subject = "Hello\r\nBcc: victim@example.com";
  m.message_id = "x@example.com";
  const std::string text = format_message(m);
  EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos) << text;
}

TEST(MessageId, FromTheEventIdAndTheSendersDomain) {
  EXPECT_EQ(message_id_for("abc", "1", "n@example.gov.cn"), "abc.1@example.gov.cn");
  EXPECT_EQ(message_id_for("abc", "", "broken"), "abc@shenpi.invalid");
}

TEST(SmtpMailer, RefusesOtherSchemes) {
  EXPECT_FALSE(make_smtp_mailer({"http://example.com"}).ok());
  EXPECT_TRUE(make_smtp_mailer({"smtp://127.0.0.1:2525"}).ok());
  EXPECT_TRUE(make_smtp_mailer({"smtps://mail.example.com:465"}).ok());
}

}  // namespace
}  // namespace shenpi::jobs
