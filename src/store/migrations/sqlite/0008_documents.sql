-- The signed documents of cases (受理通知书, 补正材料通知书, 准予/不予行政许可决定书 …) and
-- their public verification codes (GET /verify/{code}). Written by the case store in the
-- transaction of the transition that issues a document (src/store/document_rows.cpp);
-- append-only by intent. Keep in step with ../postgres/0008_documents.sql.

CREATE TABLE case_documents (
  id              INTEGER PRIMARY KEY,
  case_number     TEXT NOT NULL,
  kind            TEXT NOT NULL,
  document_number TEXT NOT NULL DEFAULT '',
  verify_code     TEXT NOT NULL UNIQUE CHECK (length(verify_code) = 19),
  content         TEXT NOT NULL,  -- core::canonical_bytes: what was hashed and signed
  content_json    TEXT NOT NULL,  -- the same content, for reading back
  sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
  signature_hex   TEXT NOT NULL CHECK (length(signature_hex) = 128),
  public_key_hex  TEXT NOT NULL CHECK (length(public_key_hex) = 64),
  issued_on       TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL
);
CREATE INDEX case_documents_by_case ON case_documents (case_number, id);
