-- Uploaded materials (申请材料, issue 4). The bytes live in the database, not on a node's
-- disk, so that every node of a cluster serves them and a database backup holds them; they
-- are kept once per distinct content, keyed by their SHA-256, however often they are
-- uploaded. An upload row names its owner, the safe display name, the kind decided by
-- content ('pdf', 'png', 'jpeg'; see src/core/uploads/file_kind.h) and, once the material
-- is filed with an application, the case number. Times are Unix seconds.
-- Written by src/store/upload_store.cpp (and case_number by the case store).
-- Keep in step with ../postgres/0006_uploads.sql.

CREATE TABLE upload_blobs (
  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  bytes  BLOB NOT NULL
);

CREATE TABLE uploads (
  id               TEXT PRIMARY KEY CHECK (length(id) = 32),
  owner_account_id TEXT NOT NULL REFERENCES accounts (id),
  filename         TEXT NOT NULL CHECK (filename <> ''),
  kind             TEXT NOT NULL CHECK (kind IN ('pdf', 'png', 'jpeg')),
  content_type     TEXT NOT NULL,
  size             INTEGER NOT NULL CHECK (size > 0),
  sha256           TEXT NOT NULL REFERENCES upload_blobs (sha256),
  created_at       INTEGER NOT NULL,
  case_number      TEXT
);
CREATE INDEX uploads_by_owner ON uploads (owner_account_id, created_at);
CREATE INDEX uploads_by_case ON uploads (case_number) WHERE case_number IS NOT NULL;
CREATE INDEX uploads_by_sha256 ON uploads (sha256);
