#pragma once
// One entry of the tamper-evident audit trail (Art. 24; 等保 2.0 §8.1.4) and the pure
// functions around it: the canonical bytes that are hashed, the message a checkpoint
// signs, and the CSV export for security officers.
//
// The chain: entry n carries prev_hash = hash of entry n-1 (64 zeros for entry 1) and
// hash = SHA-256(canonical_bytes(entry n)). Hashing itself lives outside core (no crypto
// here); see app::AuditLog and docs/decisions/0007-audit-hash-chain.md.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shenpi::core {

//! prev_hash of the first entry: 64 ASCII zeros.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

//! The fields of app::AuditEvent (src/app/audit_sink.h, same meaning) plus the chain.
struct AuditEntry {
  std::int64_t seq = 0;  //!< 1-based, gapless; assigned by the repository at append
  std::int64_t at_unix_ms = 0;
  std::string actor_id;
  std::string actor_name;
  std::string role;
  std::string department_code;
  std::string address;
  std::string request_id;
  std::string action;
  std::string object_type;
  std::string object_id;
  std::string outcome;
  std::string before_json;
  std::string after_json;
  std::string prev_hash;  //!< hex SHA-256 of the previous entry, kAuditGenesisHash for seq 1
  std::string hash;       //!< hex SHA-256 of canonical_bytes(*this)

  bool operator==(const AuditEntry&) const = default;
};

//! The bytes whose SHA-256 is an entry's hash: everything but `hash` itself, in a fixed
//! order, unambiguous. Layout (all integers big-endian):
//!   "shenpi-audit-entry-v1\n"
//!   seq (8 bytes, two's complement) · at_unix_ms (8 bytes, two's complement)
//!   then prev_hash, actor_id, actor_name, role, department_code, address, request_id,
//!   action, object_type, object_id, outcome, before_json, after_json, each as
//!   4-byte length + raw bytes.
//! Any change of any field, including moving bytes from one field to the next, changes
//! the result. Never change this layout for existing entries: add a v2 tag instead.
std::string canonical_bytes(const AuditEntry& entry);

//! The message an Ed25519 checkpoint signs: "shenpi-audit-checkpoint\n<seq>\n<hash>".
std::string checkpoint_message(std::int64_t seq, std::string_view hash_hex);

//! `text` as valid UTF-8 without NUL: each invalid byte sequence (bad lead or continuation
//! byte, overlong form, surrogate, beyond U+10FFFF, truncated) and each NUL becomes U+FFFD.
//! Audit fields pass through this before hashing, so what is hashed is exactly what any
//! database stores and returns (PostgreSQL refuses NUL and invalid UTF-8 in text).
std::string valid_utf8_text(std::string_view text);

//! Lower-case hex of raw bytes, and its inverse: from_hex stores the bytes and returns
//! true, or returns false (leaving `bytes` alone) for odd length or a non-hex character.
std::string to_hex(std::string_view bytes);
bool from_hex(std::string_view hex, std::string* bytes);

//! Formats unix milliseconds as Beijing time (UTC+8, no daylight saving):
//! "YYYY-MM-DD HH:MM:SS.mmm". Defined for the years 1970–9999.
std::string format_beijing_time(std::int64_t unix_ms);

// ---- CSV export ------------------------------------------------------------------------

//! The start of an export: a UTF-8 byte order mark (so Excel reads the Chinese as UTF-8)
//! and the header row, each column named in Chinese and English ("序号 Seq", …), CRLF.
std::string audit_csv_header();

//! One entry as a CSV record ending in CRLF, columns as in the header: seq, time (Beijing),
//! actor id, actor name, role, department, address, request id, action, object type,
//! object id, outcome, before, after, prev hash, hash.
std::string audit_csv_row(const AuditEntry& entry);

//! Header plus one row per entry, in the given order.
std::string audit_csv(const std::vector<AuditEntry>& entries);

//! One CSV field: a value starting with = + - @ (or tab / carriage return, which some
//! spreadsheets also treat as formula starts) gets a leading apostrophe so it is shown
//! as text, never evaluated (CSV/formula injection); then RFC 4180 quoting when the value
//! contains a comma, double quote, CR or LF (quotes doubled).
std::string csv_field(std::string_view value);

}  // namespace shenpi::core
