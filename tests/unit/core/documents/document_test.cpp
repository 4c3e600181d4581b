// Documents in core: kind names, the canonical bytes that are signed, 文号, and the
// verification codes people type.
#include "core/documents/document.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace shenpi::core {
namespace {

DocumentContent sample() {
  DocumentContent c;
  c.kind = DocumentKind::refusal_decision;
  c.document_number = "潮市监不许〔2026〕0003号";
  c.case_number = "4451002026050600012";
  c.item_code = "445100-SCJGJ-001";
  c.item_name = "食品经营许可";
  c.department_code = "445100-SCJGJ";
  c.department_name = "潮州市市场监督管理局";
  c.applicant_name = "张三";
  c.applicant_id_masked = "4451**********1234";
  c.issued_on = "2026-05-20";
  c.received_on = "2026-05-06";
  c.accepted_on = "2026-05-07";
  c.due_on = "2026-06-04";
  c.reasons = {"理由一", "理由二"};
  c.materials = {"材料一"};
  c.where_to_apply = "某机关";
  c.result_name = "食品经营许可证";
  c.procedure = "检验";
  c.days = 10;
  c.correction_due_on = "2026-05-13";
  c.reconsideration_body = "潮州市人民政府";
  c.court = "潮州市中级人民法院";
  return c;
}

TEST(DocumentKind, NamesLabelsAndParsingRoundTrip) {
  std::set<std::string_view> names, labels;
  for (DocumentKind k : kAllDocumentKinds) {
    EXPECT_EQ(parse_document_kind(to_string(k)), k);
    names.insert(to_string(k));
    labels.insert(label(k));
  }
  EXPECT_EQ(names.size(), 8u);
  EXPECT_EQ(labels.size(), 8u);
  EXPECT_EQ(label(DocumentKind::approval_decision), "准予行政许可决定书");
  EXPECT_EQ(label(DocumentKind::refusal_decision), "不予行政许可决定书");
  EXPECT_EQ(to_string(DocumentKind::correction_notice), "correction_notice");
  EXPECT_FALSE(parse_document_kind("Receipt"));
  EXPECT_FALSE(parse_document_kind(""));
}

TEST(CanonicalBytes, DeterministicAndStartWithTheFormat) {
  EXPECT_EQ(canonical_bytes(sample()), canonical_bytes(sample()));
  EXPECT_EQ(canonical_bytes(sample()).rfind("shenpi-document-v1\nkind=refusal_decision\n", 0), 0u);
}

TEST(CanonicalBytes, EveryFieldChangesTheBytes) {
  using Edit = std::function<void(DocumentContent&)>;
  const std::vector<std::pair<const char*, Edit>> edits = {
      {"kind", [](auto& c) { c.kind = DocumentKind::approval_decision; }},
      {"document_number", [](auto& c) { c.document_number += "x"; }},
      {"case_number", [](auto& c) { c.case_number += "x"; }},
      {"item_code", [](auto& c) { c.item_code += "x"; }},
      {"item_name", [](auto& c) { c.item_name += "x"; }},
      {"department_code", [](auto& c) { c.department_code += "x"; }},
      {"department_name", [](auto& c) { c.department_name += "x"; }},
      {"applicant_name", [](auto& c) { c.applicant_name = "李四"; }},
      {"applicant_id_masked", [](auto& c) { c.applicant_id_masked += "x"; }},
      {"issued_on", [](auto& c) { c.issued_on = "2026-05-21"; }},
      {"received_on", [](auto& c) { c.received_on = "2026-05-05"; }},
      {"accepted_on", [](auto& c) { c.accepted_on = ""; }},
      {"due_on", [](auto& c) { c.due_on = "2026-06-05"; }},
      {"reasons: changed", [](auto& c) { c.reasons[1] = "理由三"; }},
      {"reasons: added", [](auto& c) { c.reasons.push_back(""); }},
      {"reasons: reordered", [](auto& c) { std::swap(c.reasons[0], c.reasons[1]); }},
      {"reasons: merged", [](auto& c) { c.reasons = {"理由一\nreasons.1=理由二"}; }},
      {"materials", [](auto& c) { c.materials.clear(); }},
      {"where_to_apply", [](auto& c) { c.where_to_apply = ""; }},
      {"result_name", [](auto& c) { c.result_name += "（副本）"; }},
      {"procedure", [](auto& c) { c.procedure = "检测"; }},
      {"days", [](auto& c) { c.days = 15; }},
      {"correction_due_on", [](auto& c) { c.correction_due_on = ""; }},
      {"reconsideration_body", [](auto& c) { c.reconsideration_body = ""; }},
      {"court", [](auto& c) { c.court = "x"; }},
      {"text moved between fields", [](auto& c) { c.court += "\ncourt="; }},
  };
  const std::string original = canonical_bytes(sample());
  std::set<std::string> seen{original};
  for (const auto& [name, edit] : edits) {
    DocumentContent c = sample();
    edit(c);
    const std::string bytes = canonical_bytes(c);
    EXPECT_NE(bytes, original) << name;
    EXPECT_TRUE(seen.insert(bytes).second) << name << " gives the bytes of another edit";
  }
}

TEST(CanonicalBytes, NewlinesInValuesCannotForgeLines) {
  DocumentContent a = sample();
  a.item_name = "食品\nitem_code=X";
  const std::string bytes = canonical_bytes(a);
  EXPECT_NE(bytes.find("item_name=食品\\nitem_code=X\n"), std::string::npos) << bytes;
  DocumentContent b = sample();
  b.item_name = "食品\\nitem_code=X";  // a literal backslash-n is told apart
  EXPECT_NE(canonical_bytes(b), bytes);
}

TEST(DocumentNumber, PrefixKindYearAndFourDigits) {
  EXPECT_EQ(make_document_number("潮市监", DocumentKind::acceptance_notice, 2026, 1),
            "潮市监受〔2026〕0001号");
  EXPECT_EQ(make_document_number("潮市监", DocumentKind::refusal_decision, 2026, 12345),
            "潮市监不许〔2026〕12345号");
  EXPECT_EQ(make_document_number("潮自然资", DocumentKind::correction_notice, 2025, 37),
            "潮自然资补〔2025〕0037号");
}

TEST(VerifyCode, MadeFromTheFirstTenBytesInCrockfordBase32) {
  EXPECT_EQ(make_verify_code(std::string(10, '\0')), "0000-0000-0000-0000");
  EXPECT_EQ(make_verify_code(std::string(10, '\xff')), "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
  // 0x00 0x44 0x32 0x14 0xC7 … : 00000 00001 00010 00011 00100 00101 00110 00111 …
  EXPECT_EQ(make_verify_code(std::string("\x00\x44\x32\x14\xc7\x42\x54\xb6\x35\xcf", 10)),
            "0123-4567-89AB-CDEF");
  EXPECT_EQ(make_verify_code(std::string("\x00\x44\x32\x14\xc7\x42\x54\xb6\x35\xcf\xff\xff", 12)),
            "0123-4567-89AB-CDEF");  // bytes after the tenth are not used
  EXPECT_EQ(make_verify_code(""), "0000-0000-0000-0000");
  std::set<std::string> codes;
  for (int i = 0; i < 256; ++i) {
    codes.insert(make_verify_code(std::string(9, 'a') + static_cast<char>(i)));
  }
  EXPECT_EQ(codes.size(), 256u);
}

TEST(VerifyCode, NormalisationTable) {
  struct Case {
    const char* input;
    const char* expected;  // nullptr: rejected
  };
  const Case cases[] = {
      {"7K2M-9QXR-4T8V-HW3B", "7K2M-9QXR-4T8V-HW3B"},
      {"7k2m9qxr4t8vhw3b", "7K2M-9QXR-4T8V-HW3B"},
      {" 7K2M 9QXR 4T8V HW3B ", "7K2M-9QXR-4T8V-HW3B"},
      {"7K2M--9QXR-4T8V-HW3B", "7K2M-9QXR-4T8V-HW3B"},
      {"IL0O-iloo-0000-0000", "1100-1100-0000-0000"},
      {"7K2M-9QXR-4T8V-HW3", nullptr},    // 15 characters
      {"7K2M-9QXR-4T8V-HW3BX", nullptr},  // 17 characters
      {"7K2M-9QXR-4T8V-HW3U", nullptr},   // U is not in the alphabet
      {"7K2M_9QXR_4T8V_HW3B", nullptr},   // underscores are not separators
      {"7K2M-9QXR-4T8V-HW3Б", nullptr},   // a Cyrillic letter
      {"", nullptr},
      {"../../etc/passwd", nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    const auto got = normalise_verify_code(c.input);
    if (c.expected == nullptr) {
      EXPECT_FALSE(got.has_value()) << *got;
    } else {
      ASSERT_TRUE(got.has_value());
      EXPECT_EQ(*got, c.expected);
    }
  }
}

TEST(VerifyCode, EveryMadeCodeNormalisesToItself) {
  for (int i = 0; i < 200; ++i) {
    std::string bytes;
    for (int j = 0; j < 10; ++j) bytes += static_cast<char>((i * 37 + j * 101) & 0xFF);
    const std::string code = make_verify_code(bytes);
    EXPECT_EQ(normalise_verify_code(code), code);
  }
}

}  // namespace
}  // namespace shenpi::core
