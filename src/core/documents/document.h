#pragma once
// The written documents of a case (law Art. 32, 38, 42, 44, 45): what each one says, the
// deterministic bytes that are hashed and signed, and the public verification code that
// anyone can type at /verify to check a document.
//
// Pure: no I/O, no clock, no randomness it is not given.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shenpi::core {

enum class DocumentKind {
  receipt,                  //!< 申请材料接收凭证
  acceptance_notice,        //!< 受理通知书 (Art. 32)
  non_acceptance_decision,  //!< 不予受理决定书 (Art. 32)
  correction_notice,        //!< 补正材料通知书, 一次告知 (Art. 32)
  approval_decision,        //!< 准予行政许可决定书 (Art. 38, 44)
  refusal_decision,         //!< 不予行政许可决定书 (Art. 38)
  suspension_notice,        //!< 特别程序告知书 (Art. 45)
  extension_notice,         //!< 延长审批期限告知书 (Art. 42)
};

//! Every kind, in declaration order (tests, listings).
inline constexpr DocumentKind kAllDocumentKinds[] = {
    DocumentKind::receipt,
    DocumentKind::acceptance_notice,
    DocumentKind::non_acceptance_decision,
    DocumentKind::correction_notice,
    DocumentKind::approval_decision,
    DocumentKind::refusal_decision,
    DocumentKind::suspension_notice,
    DocumentKind::extension_notice,
};

//! The stable name used by the API and the database: "receipt", "acceptance_notice", …
std::string_view to_string(DocumentKind kind);
//! The document's title: 申请材料接收凭证, 受理通知书, 不予受理决定书, 补正材料通知书,
//! 准予行政许可决定书, 不予行政许可决定书, 特别程序告知书, 延长审批期限告知书.
std::string_view label(DocumentKind kind);
//! The inverse of to_string; nullopt for anything else (case-sensitive).
std::optional<DocumentKind> parse_document_kind(std::string_view name);

//! What a document says. Dates are "YYYY-MM-DD"; fields a kind does not use stay empty.
struct DocumentContent {
  DocumentKind kind = DocumentKind::receipt;
  std::string document_number;  //!< 文号, e.g. "潮市监受〔2026〕0001号"; see make_document_number
  std::string case_number, item_code, item_name, department_code, department_name;
  std::string applicant_name;       //!< in full: the PDF shows it, the verify page masks it
  std::string applicant_id_masked;  //!< citizen ID or credit code, already masked
  std::string issued_on;            //!< YYYY-MM-DD
  std::string received_on, accepted_on, due_on;  //!< where relevant, else ""
  std::vector<std::string> reasons;    //!< refusal / non-acceptance / suspension / extension
  std::vector<std::string> materials;  //!< correction notice: every missing or faulty material
  std::string where_to_apply;          //!< non-acceptance: the competent body, may be ""
  std::string result_name;             //!< approval: e.g. 食品经营许可证
  std::string procedure;               //!< suspension: 检验/检测/鉴定/专家评审/听证…
  int days = 0;                        //!< suspension: how long it takes; extension: days added
  std::string correction_due_on;       //!< correction notice: reply by (5 working days)
  std::string reconsideration_body;  //!< refusal: 行政复议机关 ("" = the renderer's default)
  std::string court;                 //!< refusal: 人民法院 ("" = the renderer's default)

  bool operator==(const DocumentContent&) const = default;
};

//! The bytes that are hashed and signed. The first line names the format
//! ("shenpi-document-v1"); then one "key=value" line per field in a fixed order, lists as
//! "reasons.count=N" followed by "reasons.0=…", "reasons.1=…". Values are UTF-8 as given,
//! with '\\' written as "\\\\", a newline as "\\n" and a carriage return as "\\r", so no
//! value can forge another line. Equal contents give equal bytes; any change of any field
//! (including moving text between fields or list items) changes them.
std::string canonical_bytes(const DocumentContent& content);

//! A 文号: prefix + one character for the kind + "〔year〕" + the sequence with at least
//! four digits + "号", e.g. make_document_number("潮市监", acceptance_notice, 2026, 1) is
//! "潮市监受〔2026〕0001号". Kind characters: 收 受 不受 补 许 不许 特 延 (in enum order).
std::string make_document_number(std::string_view prefix, DocumentKind kind, int year,
                                 int sequence);

//! The verification code: the first 80 bits of `random_bytes` (missing bytes count as zero;
//! pass at least 10) as 16 characters of Crockford base32 (0-9, A-Z without I, L, O, U),
//! grouped "XXXX-XXXX-XXXX-XXXX".
std::string make_verify_code(std::string_view random_bytes);

//! What a person typed, as the grouped code: upper-cases, drops spaces and hyphens, reads
//! I and L as 1 and O as 0 (Crockford's rules). nullopt unless exactly 16 valid characters
//! remain (U and any other character are invalid).
std::optional<std::string> normalise_verify_code(std::string_view input);

}  // namespace shenpi::core
