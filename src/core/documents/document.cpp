#include "core/documents/document.h"

#include <array>
#include <cstdint>

namespace shenpi::core {
namespace {

struct KindInfo {
  DocumentKind kind;
  std::string_view name;
  std::string_view label;
  std::string_view number_char;  // the character of the 文号 that tells the kind
};

constexpr std::array<KindInfo, 8> kKinds{{
    {DocumentKind::receipt, "receipt", "申请材料接收凭证", "收"},
    {DocumentKind::acceptance_notice, "acceptance_notice", "受理通知书", "受"},
    {DocumentKind::non_acceptance_decision, "non_acceptance_decision", "不予受理决定书", "不受"},
    {DocumentKind::correction_notice, "correction_notice", "补正材料通知书", "补"},
    {DocumentKind::approval_decision, "approval_decision", "准予行政许可决定书", "许"},
    {DocumentKind::refusal_decision, "refusal_decision", "不予行政许可决定书", "不许"},
    {DocumentKind::suspension_notice, "suspension_notice", "特别程序告知书", "特"},
    {DocumentKind::extension_notice, "extension_notice", "延长审批期限告知书", "延"},
}};

const KindInfo& info(DocumentKind kind) {
  for (const KindInfo& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kKinds[0];  // unreachable for valid enum values
}

// Crockford's base32 alphabet: digits and upper-case letters without I, L, O and U.
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kCodeChars = 16;

void append_escaped(std::string& out, std::string_view value) {
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

void field(std::string& out, std::string_view key, std::string_view value) {
  out += key;
  out += '=';
  append_escaped(out, value);
  out += '\n';
}

void list(std::string& out, std::string_view key, const std::vector<std::string>& values) {
  field(out, std::string(key) + ".count", std::to_string(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    field(out, std::string(key) + "." + std::to_string(i), values[i]);
  }
}

std::string group(std::string_view plain) {
  std::string out;
  for (std::size_t i = 0; i < plain.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += plain[i];
  }
  return out;
}

}  // namespace

std::string_view to_string(DocumentKind kind) { return info(kind).name; }

std::string_view label(DocumentKind kind) { return info(kind).label; }

std::optional<DocumentKind> parse_document_kind(std::string_view name) {
  for (const KindInfo& k : kKinds) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

std::string canonical_bytes(const DocumentContent& c) {
  std::string out = "shenpi-document-v1\n";
  field(out, "kind", to_string(c.kind));
  field(out, "document_number", c.document_number);
  field(out, "case_number", c.case_number);
  field(out, "item_code", c.item_code);
  field(out, "item_name", c.item_name);
  field(out, "department_code", c.department_code);
  field(out, "department_name", c.department_name);
  field(out, "applicant_name", c.applicant_name);
  field(out, "applicant_id_masked", c.applicant_id_masked);
  field(out, "issued_on", c.issued_on);
  field(out, "received_on", c.received_on);
  field(out, "accepted_on", c.accepted_on);
  field(out, "due_on", c.due_on);
  list(out, "reasons", c.reasons);
  list(out, "materials", c.materials);
  field(out, "where_to_apply", c.where_to_apply);
  field(out, "result_name", c.result_name);
  field(out, "procedure", c.procedure);
  field(out, "days", std::to_string(c.days));
  field(out, "correction_due_on", c.correction_due_on);
  field(out, "reconsideration_body", c.reconsideration_body);
  field(out, "court", c.court);
  return out;
}

std::string make_document_number(std::string_view prefix, DocumentKind kind, int year,
                                 int sequence) {
  std::string seq = std::to_string(sequence < 0 ? 0 : sequence);
  if (seq.size() < 4) seq.insert(0, 4 - seq.size(), '0');
  std::string out(prefix);
  out += info(kind).number_char;
  out += "〔";
  out += std::to_string(year);
  out += "〕";
  out += seq;
  out += "号";
  return out;
}

std::string make_verify_code(std::string_view random_bytes) {
  // 16 characters × 5 bits = 80 bits = the first 10 bytes, read big-endian.
  std::string plain;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t next = 0;
  while (plain.size() < kCodeChars) {
    if (bits < 5) {
      const std::uint8_t byte =
          next < random_bytes.size() ? static_cast<std::uint8_t>(random_bytes[next]) : 0;
      ++next;
      buffer = (buffer << 8) | byte;
      bits += 8;
    }
    bits -= 5;
    plain += kAlphabet[(buffer >> bits) & 0x1F];
  }
  return group(plain);
}

std::optional<std::string> normalise_verify_code(std::string_view input) {
  std::string plain;
  for (char c : input) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'I' || c == 'L') c = '1';
    if (c == 'O') c = '0';
    if (kAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    plain += c;
    if (plain.size() > kCodeChars) return std::nullopt;
  }
  if (plain.size() != kCodeChars) return std::nullopt;
  return group(plain);
}

}  // namespace shenpi::core
