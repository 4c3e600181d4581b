-- The tamper-evident audit trail (Art. 24): a hash chain of entries, signed checkpoints,
-- and a one-row head that serialises appends and names the newest entry.
-- Written by src/store/audit_store.cpp only; see docs/decisions/0007-audit-hash-chain.md.
-- Append-only by intent: the application never updates or deletes an entry or a
-- checkpoint. Keep in step with ../sqlite/0002_audit.sql.

CREATE TABLE audit_entries (
  seq             BIGINT PRIMARY KEY CHECK (seq >= 1),  -- 1-based, gapless
  at_unix_ms      BIGINT NOT NULL,
  actor_id        TEXT NOT NULL DEFAULT '',
  actor_name      TEXT NOT NULL DEFAULT '',
  role            TEXT NOT NULL DEFAULT '',
  department_code TEXT NOT NULL DEFAULT '',
  address         TEXT NOT NULL DEFAULT '',
  request_id      TEXT NOT NULL DEFAULT '',
  action          TEXT NOT NULL CHECK (action <> ''),
  object_type     TEXT NOT NULL DEFAULT '',
  object_id       TEXT NOT NULL DEFAULT '',
  outcome         TEXT NOT NULL DEFAULT '',
  before_json     TEXT NOT NULL DEFAULT '',
  after_json      TEXT NOT NULL DEFAULT '',
  prev_hash       TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash            TEXT NOT NULL CHECK (length(hash) = 64)
);
-- Searches run newest first within one actor, object, department or time range.
CREATE INDEX audit_entries_by_actor_id ON audit_entries (actor_id, seq);
CREATE INDEX audit_entries_by_actor_name ON audit_entries (actor_name, seq);
CREATE INDEX audit_entries_by_object ON audit_entries (object_type, object_id, seq);
CREATE INDEX audit_entries_by_department ON audit_entries (department_code, seq);
CREATE INDEX audit_entries_by_time ON audit_entries (at_unix_ms);

-- An Ed25519 signature over "shenpi-audit-checkpoint\n<seq>\n<hash>", every N entries.
CREATE TABLE audit_checkpoints (
  seq                BIGINT PRIMARY KEY REFERENCES audit_entries (seq),
  hash               TEXT NOT NULL CHECK (length(hash) = 64),
  signature_hex      TEXT NOT NULL CHECK (length(signature_hex) = 128),
  public_key_hex     TEXT NOT NULL CHECK (length(public_key_hex) = 64),
  created_at_unix_ms BIGINT NOT NULL
);

-- Exactly one row: the seq and hash of the newest entry (0 and 64 zeros when empty).
-- Every append reads and updates it in its transaction.
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  BIGINT NOT NULL CHECK (seq >= 0),
  hash TEXT NOT NULL CHECK (length(hash) = 64)
);
INSERT INTO audit_head (id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Deployment: the role the application connects as should hold only SELECT and INSERT on
-- audit_entries and audit_checkpoints (and SELECT, UPDATE on audit_head), e.g.
--   REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries, audit_checkpoints FROM shenpi_app;
-- with the tables owned by a separate migration role. (A trigger refusing UPDATE/DELETE
-- would need a $$ function body, which the migration splitter does not support.)
