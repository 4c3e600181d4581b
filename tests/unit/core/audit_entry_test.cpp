// core::canonical_bytes, the checkpoint message and the CSV export of the audit trail.
#include "core/audit/audit_entry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace shenpi::core {
namespace {

AuditEntry sample() {
  AuditEntry e;
  e.seq = 7;
  e.at_unix_ms = 1714537496789;  // 2024-05-01 12:24:56.789 in Beijing
  e.actor_id = "acc-42";
  e.actor_name = "张三";
  e.role = "clerk";
  e.department_code = "445100-SCJGJ";
  e.address = "10.0.0.8";
  e.request_id = "req-1";
  e.action = "case.read_personal";
  e.object_type = "case";
  e.object_id = "SP2024-0001";
  e.outcome = "success";
  e.before_json = "";
  e.after_json = R"({"id_number":"4451**********123X"})";
  e.prev_hash = std::string(kAuditGenesisHash);
  e.hash = "";
  return e;
}

TEST(AuditCanonicalBytes, StartsWithVersionTagThenBigEndianSeqAndTime) {
  const std::string b = canonical_bytes(sample());
  const std::string tag = "shenpi-audit-entry-v1\n";
  ASSERT_EQ(b.substr(0, tag.size()), tag);
  EXPECT_EQ(b.substr(tag.size(), 8), std::string("\0\0\0\0\0\0\0\x07", 8));
  // The first length-prefixed field after seq and time is prev_hash (64 bytes).
  EXPECT_EQ(b.substr(tag.size() + 16, 4), std::string("\0\0\0\x40", 4));
  EXPECT_EQ(b.substr(tag.size() + 20, 64), std::string(kAuditGenesisHash));
}

TEST(AuditCanonicalBytes, IgnoresTheHashItselfOnly) {
  AuditEntry a = sample();
  AuditEntry b = sample();
  b.hash = std::string(64, 'f');
  EXPECT_EQ(canonical_bytes(a), canonical_bytes(b));
}

TEST(AuditCanonicalBytes, EveryFieldChangesTheBytes) {
  const std::string base = canonical_bytes(sample());
  std::set<std::string> seen{base};
  auto changed = [&](auto mutate) {
    AuditEntry e = sample();
    mutate(e);
    return canonical_bytes(e);
  };
  const std::string variants[] = {
      changed([](AuditEntry& e) { e.seq = 8; }),
      changed([](AuditEntry& e) { e.at_unix_ms += 1; }),
      changed([](AuditEntry& e) { e.actor_id += "x"; }),
      changed([](AuditEntry& e) { e.actor_name = "李四"; }),
      changed([](AuditEntry& e) { e.role = "reviewer"; }),
      changed([](AuditEntry& e) { e.department_code = "445100-WSJKJ"; }),
      changed([](AuditEntry& e) { e.address = "10.0.0.9"; }),
      changed([](AuditEntry& e) { e.request_id = "req-2"; }),
      changed([](AuditEntry& e) { e.action = "case.read"; }),
      changed([](AuditEntry& e) { e.object_type = "item"; }),
      changed([](AuditEntry& e) { e.object_id = "SP2024-0002"; }),
      changed([](AuditEntry& e) { e.outcome = "denied"; }),
      changed([](AuditEntry& e) { e.before_json = "{}"; }),
      changed([](AuditEntry& e) { e.after_json = "{}"; }),
      changed([](AuditEntry& e) { e.prev_hash = std::string(64, '1'); }),
  };
  for (const std::string& v : variants) {
    EXPECT_TRUE(seen.insert(v).second) << "two different entries share canonical bytes";
  }
}

TEST(AuditCanonicalBytes, MovingBytesBetweenFieldsIsNotTheSameEntry) {
  // Plain concatenation would make these equal; the length prefixes keep them apart.
  AuditEntry a = sample();
  a.object_type = "case";
  a.object_id = "1";
  AuditEntry b = sample();
  b.object_type = "case1";
  b.object_id = "";
  EXPECT_NE(canonical_bytes(a), canonical_bytes(b));
  AuditEntry c = sample();
  c.before_json = "";
  c.after_json = "x";
  AuditEntry d = sample();
  d.before_json = "x";
  d.after_json = "";
  EXPECT_NE(canonical_bytes(c), canonical_bytes(d));
}

TEST(AuditCheckpointMessage, NamesSeqAndHashOnSeparateLines) {
  EXPECT_EQ(checkpoint_message(100, "ab12"), "shenpi-audit-checkpoint\n100\nab12");
}

TEST(AuditHex, RoundTripsAndRejectsBadInput) {
  const std::string raw("\x00\x01\xfe\xff", 4);
  EXPECT_EQ(to_hex(raw), "0001feff");
  std::string back;
  ASSERT_TRUE(from_hex("0001FEff", &back));
  EXPECT_EQ(back, raw);
  EXPECT_FALSE(from_hex("abc", &back));
  EXPECT_FALSE(from_hex("zz", &back));
}

TEST(AuditValidUtf8, KeepsValidTextAndReplacesTheRest) {
  EXPECT_EQ(valid_utf8_text("潮州 abc 😀"), "潮州 abc 😀");
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(valid_utf8_text(std::string("a\0b", 3)), "a" + fffd + "b");
  EXPECT_EQ(valid_utf8_text("\xC0\xAF"), fffd + fffd);                        // overlong '/'
  EXPECT_EQ(valid_utf8_text("\xED\xA0\x80"), fffd + fffd + fffd);             // surrogate
  EXPECT_EQ(valid_utf8_text("x\xE6\xBD"), "x" + fffd + fffd);                 // truncated 潮
  EXPECT_EQ(valid_utf8_text("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // > U+10FFFF
}

TEST(AuditTime, FormatsBeijingTime) {
  EXPECT_EQ(format_beijing_time(0), "1970-01-01 08:00:00.000");
  EXPECT_EQ(format_beijing_time(1714537496789), "2024-05-01 12:24:56.789");
  // 2024-02-29 23:59:59.999 Beijing = 15:59:59.999 UTC.
  EXPECT_EQ(format_beijing_time(1709222399999), "2024-02-29 23:59:59.999");
  EXPECT_EQ(format_beijing_time(-28800000), "1970-01-01 00:00:00.000");
}

TEST(AuditCsv, FieldsAreQuotedPerRfc4180) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv_field("中文"), "中文");
}

TEST(AuditCsv, FormulaStartsAreNeutralised) {
  EXPECT_EQ(csv_field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_field("+1"), "'+1");
  EXPECT_EQ(csv_field("-2+3"), "'-2+3");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\tcmd"), "'\tcmd");
  EXPECT_EQ(csv_field("a=b"), "a=b");  // only the first character matters
}

TEST(AuditCsv, HeaderHasBomAndBilingualColumns) {
  const std::string h = audit_csv_header();
  ASSERT_EQ(h.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(h.substr(3, std::string("序号 Seq,").size()), "序号 Seq,");
  EXPECT_NE(h.find("操作人 Actor"), std::string::npos);
  EXPECT_NE(h.find("哈希 Hash\r\n"), std::string::npos);
  EXPECT_EQ(h.find("\r\n"), h.size() - 2);
  // 16 columns: 15 separators.
  EXPECT_EQ(std::count(h.begin(), h.end(), ','), 15);
}

TEST(AuditCsv, RowHoldsEveryColumnInHeaderOrder) {
  AuditEntry e = sample();
  e.hash = std::string(64, 'a');
  e.before_json = R"({"a":1,"b":"x"})";
  e.actor_name = "=cmd|' /C calc'!A0";
  const std::string row = audit_csv_row(e);
  EXPECT_EQ(
      row,
      "7,2024-05-01 12:24:56.789,acc-42,'=cmd|' /C calc'!A0,clerk,445100-SCJGJ,"
      "10.0.0.8,req-1,case.read_personal,case,SP2024-0001,success,"
      "\"{\"\"a\"\":1,\"\"b\"\":\"\"x\"\"}\",\"{\"\"id_number\"\":\"\"4451**********123X\"\"}\"," +
          std::string(kAuditGenesisHash) + "," + std::string(64, 'a') + "\r\n");
  const std::string all = audit_csv({e, e});
  EXPECT_EQ(all, audit_csv_header() + row + row);
}

}  // namespace
}  // namespace shenpi::core
