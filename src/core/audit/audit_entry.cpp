#include "core/audit/audit_entry.h"

#include <array>
#include <cstdio>

namespace shenpi::core {
namespace {

constexpr std::string_view kEntryTag = "shenpi-audit-entry-v1\n";

void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

void put_field(std::string& out, std::string_view bytes) {
  const auto n = static_cast<std::uint32_t>(bytes.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  out.append(bytes);
}

// Days since 1970-01-01 to a proleptic Gregorian civil date (the well-known era-based
// conversion: 400-year eras of 146097 days, years starting in March).
void civil_from_days(std::int64_t days, int& year, int& month, int& day) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;                                    // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

}  // namespace

std::string canonical_bytes(const AuditEntry& e) {
  std::string out;
  out.reserve(kEntryTag.size() + 16 + 13 * 4 + e.prev_hash.size() + e.actor_id.size() +
              e.actor_name.size() + e.role.size() + e.department_code.size() + e.address.size() +
              e.request_id.size() + e.action.size() + e.object_type.size() + e.object_id.size() +
              e.outcome.size() + e.before_json.size() + e.after_json.size());
  out.append(kEntryTag);
  put_u64(out, static_cast<std::uint64_t>(e.seq));
  put_u64(out, static_cast<std::uint64_t>(e.at_unix_ms));
  for (const std::string* f :
       {&e.prev_hash, &e.actor_id, &e.actor_name, &e.role, &e.department_code, &e.address,
        &e.request_id, &e.action, &e.object_type, &e.object_id, &e.outcome, &e.before_json,
        &e.after_json}) {
    put_field(out, *f);
  }
  return out;
}

std::string checkpoint_message(std::int64_t seq, std::string_view hash_hex) {
  std::string out = "shenpi-audit-checkpoint\n";
  out += std::to_string(seq);
  out += '\n';
  out += hash_hex;
  return out;
}

std::string valid_utf8_text(std::string_view text) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    // Length and the allowed range of the second byte (RFC 3629 table).
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;  // no overlong forms
      if (b == 0xED) hi = 0x9F;  // no surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;  // no overlong forms
      if (b == 0xF4) hi = 0x8F;  // nothing beyond U+10FFFF
    }
    std::size_t good = 0;  // bytes of a valid sequence, 0 when invalid
    if (len != 0 && i + len <= text.size()) {
      good = len;
      for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(text[i + k]);
        const unsigned char min = k == 1 ? lo : 0x80;
        const unsigned char max = k == 1 ? hi : 0xBF;
        if (c < min || c > max) {
          good = 0;
          break;
        }
      }
    }
    if (good != 0) {
      out.append(text.substr(i, good));
      i += good;
    } else {
      out += kReplacement;
      ++i;  // resynchronise at the next byte
    }
  }
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

bool from_hex(std::string_view hex, std::string* bytes) {
  if (hex.size() % 2 != 0) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  *bytes = std::move(out);
  return true;
}

std::string format_beijing_time(std::int64_t unix_ms) {
  constexpr std::int64_t kMsPerDay = 86'400'000;
  const std::int64_t local = unix_ms + 8 * 3'600'000;
  std::int64_t days = local / kMsPerDay;
  std::int64_t ms_of_day = local % kMsPerDay;
  if (ms_of_day < 0) {
    ms_of_day += kMsPerDay;
    --days;
  }
  int y = 0, mo = 0, d = 0;
  civil_from_days(days, y, mo, d);
  const int h = static_cast<int>(ms_of_day / 3'600'000);
  const int mi = static_cast<int>(ms_of_day / 60'000 % 60);
  const int s = static_cast<int>(ms_of_day / 1000 % 60);
  const int ms = static_cast<int>(ms_of_day % 1000);
  std::array<char, 40> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02d %02d:%02d:%02d.%03d", y, mo, d, h, mi, s,
                ms);
  return buf.data();
}

// ---- CSV ------------------------------------------------------------------------------

std::string csv_field(std::string_view value) {
  std::string v;
  if (!value.empty() && (value.front() == '=' || value.front() == '+' || value.front() == '-' ||
                         value.front() == '@' || value.front() == '\t' || value.front() == '\r')) {
    v.push_back('\'');
  }
  v.append(value);
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out;
  out.reserve(v.size() + 2);
  out.push_back('"');
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string audit_csv_header() {
  static constexpr std::string_view kColumns[] = {"序号 Seq",
                                                  "时间(北京时间) Time (UTC+8)",
                                                  "操作人编号 Actor ID",
                                                  "操作人 Actor",
                                                  "角色 Role",
                                                  "单位 Department",
                                                  "地址 Address",
                                                  "请求编号 Request ID",
                                                  "操作 Action",
                                                  "对象类型 Object type",
                                                  "对象编号 Object ID",
                                                  "结果 Outcome",
                                                  "变更前 Before",
                                                  "变更后 After",
                                                  "前一哈希 Previous hash",
                                                  "哈希 Hash"};
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte order mark
  bool first = true;
  for (std::string_view c : kColumns) {
    if (!first) out.push_back(',');
    first = false;
    out += csv_field(c);
  }
  out += "\r\n";
  return out;
}

std::string audit_csv_row(const AuditEntry& e) {
  const std::string fields[] = {std::to_string(e.seq),
                                format_beijing_time(e.at_unix_ms),
                                e.actor_id,
                                e.actor_name,
                                e.role,
                                e.department_code,
                                e.address,
                                e.request_id,
                                e.action,
                                e.object_type,
                                e.object_id,
                                e.outcome,
                                e.before_json,
                                e.after_json,
                                e.prev_hash,
                                e.hash};
  std::string out;
  bool first = true;
  for (const std::string& f : fields) {
    if (!first) out.push_back(',');
    first = false;
    out += csv_field(f);
  }
  out += "\r\n";
  return out;
}

std::string audit_csv(const std::vector<AuditEntry>& entries) {
  std::string out = audit_csv_header();
  for (const AuditEntry& e : entries) out += audit_csv_row(e);
  return out;
}

}  // namespace shenpi::core
