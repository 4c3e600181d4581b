#include "store/document_rows.h"

#include <boost/json.hpp>

#include <utility>
#include <vector>

namespace shenpi::store {
namespace {

namespace json = boost::json;
using core::DocumentContent;

// The text fields of a content with their JSON names; kind, lists and days are apart.
std::vector<std::pair<const char*, std::string*>> text_fields(DocumentContent& c) {
  return {
      {"document_number", &c.document_number},
      {"case_number", &c.case_number},
      {"item_code", &c.item_code},
      {"item_name", &c.item_name},
      {"department_code", &c.department_code},
      {"department_name", &c.department_name},
      {"applicant_name", &c.applicant_name},
      {"applicant_id_masked", &c.applicant_id_masked},
      {"issued_on", &c.issued_on},
      {"received_on", &c.received_on},
      {"accepted_on", &c.accepted_on},
      {"due_on", &c.due_on},
      {"where_to_apply", &c.where_to_apply},
      {"result_name", &c.result_name},
      {"procedure", &c.procedure},
      {"correction_due_on", &c.correction_due_on},
      {"reconsideration_body", &c.reconsideration_body},
      {"court", &c.court},
  };
}

Error corrupt(const std::string& why) {
  return make_error(ErrorKind::internal, "document_row_corrupt", "文书记录无法读取：" + why);
}

Result<std::vector<std::string>> string_list(const json::object& o, const char* key) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) return corrupt(key);
  for (const json::value& e : v->get_array()) {
    if (!e.is_string()) return corrupt(key);
    out.emplace_back(e.get_string());
  }
  return out;
}

}  // namespace

const char* const kDocumentColumns =
    "id, verify_code, content_json, sha256, signature_hex, public_key_hex, created_at";

std::string document_content_json(const DocumentContent& content) {
  DocumentContent c = content;
  json::object o;
  o["kind"] = core::to_string(c.kind);
  for (const auto& [name, member] : text_fields(c)) o[name] = *member;
  json::array reasons(c.reasons.begin(), c.reasons.end());
  json::array materials(c.materials.begin(), c.materials.end());
  o["reasons"] = std::move(reasons);
  o["materials"] = std::move(materials);
  o["days"] = c.days;
  return json::serialize(o);
}

Result<DocumentContent> parse_document_content_json(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return corrupt("content_json");
  const json::object& o = v.get_object();
  DocumentContent c;
  const json::value* kind = o.if_contains("kind");
  if (kind == nullptr || !kind->is_string()) return corrupt("kind");
  const auto parsed = core::parse_document_kind(std::string(kind->get_string()));
  if (!parsed) return corrupt("kind");
  c.kind = *parsed;
  for (const auto& [name, member] : text_fields(c)) {
    const json::value* f = o.if_contains(name);
    if (f == nullptr || f->is_null()) continue;
    if (!f->is_string()) return corrupt(name);
    *member = std::string(f->get_string());
  }
  SHENPI_ASSIGN(c.reasons, string_list(o, "reasons"));
  SHENPI_ASSIGN(c.materials, string_list(o, "materials"));
  if (const json::value* d = o.if_contains("days"); d != nullptr && !d->is_null()) {
    if (!d->is_int64()) return corrupt("days");
    c.days = static_cast<int>(d->get_int64());
  }
  return c;
}

Result<std::int64_t> insert_document_row(Session& s, const app::DocumentRecord& r) {
  SHENPI_ASSIGN(Rows taken,
                s.query("SELECT 1 FROM case_documents WHERE verify_code = ?", {r.verify_code}));
  if (!taken.empty()) {
    return make_error(ErrorKind::conflict, "verify_code_taken", "文书验证码重复，请重试");
  }
  const DocumentContent& c = r.content;
  return s.insert(
      "INSERT INTO case_documents (case_number, kind, document_number, verify_code, content, "
      "content_json, sha256, signature_hex, public_key_hex, issued_on, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {c.case_number, std::string(core::to_string(c.kind)), c.document_number, r.verify_code,
       core::canonical_bytes(c), document_content_json(c), r.sha256, r.signature_hex,
       r.public_key_hex, c.issued_on, r.created_at});
}

Result<std::vector<app::DocumentRecord>> read_document_rows(const Rows& rows) {
  std::vector<app::DocumentRecord> out;
  out.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    app::DocumentRecord r;
    r.id = rows.int64(i, 0);
    r.verify_code = rows.text(i, 1);
    SHENPI_ASSIGN(r.content, parse_document_content_json(rows.text(i, 2)));
    r.sha256 = rows.text(i, 3);
    r.signature_hex = rows.text(i, 4);
    r.public_key_hex = rows.text(i, 5);
    r.created_at = rows.int64(i, 6);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace shenpi::store
