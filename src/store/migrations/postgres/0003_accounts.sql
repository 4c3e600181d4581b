-- Accounts of applicants and staff, their role grants and training records, browser
-- sessions and the counters of failed logins (issue 3; Art. 19–21).
--
-- Personal fields are sealed by the application (crypto::Sealer, associated data = the
-- account id and field name) and stored as blobs; masked copies are computed for display,
-- never stored. An account is found by the keyed blind index of its normalised login (ID
-- number, credit code or staff username). Times are Unix seconds.
-- Keep in step with ../sqlite/0003_accounts.sql.

CREATE TABLE accounts (
  id                  TEXT PRIMARY KEY CHECK (length(id) = 36),
  kind                TEXT NOT NULL CHECK (kind IN ('person', 'organisation', 'staff')),
  login_index         TEXT NOT NULL UNIQUE CHECK (length(login_index) = 64),
  username            TEXT,  -- staff only: not personal data, shown to colleagues
  display_name        TEXT NOT NULL CHECK (display_name <> ''),
  id_number_sealed    BYTEA,
  mobile_sealed       BYTEA,
  credit_code_sealed  BYTEA,
  representative_sealed BYTEA,
  agent_name_sealed   BYTEA,
  agent_id_sealed     BYTEA,
  password_hash       TEXT NOT NULL CHECK (password_hash <> ''),
  totp_secret_sealed  BYTEA,
  totp_last_step      BIGINT,
  department_code     TEXT REFERENCES departments (code),
  status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at          BIGINT NOT NULL,
  version             INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  CHECK (kind <> 'staff' OR (username IS NOT NULL AND department_code IS NOT NULL))
);
CREATE UNIQUE INDEX accounts_by_username ON accounts (username) WHERE username IS NOT NULL;

CREATE TABLE role_grants (
  account_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  role            TEXT NOT NULL CHECK (role IN ('clerk', 'reviewer', 'approver', 'business_lead',
                                                'security_officer', 'dept_admin', 'centre_admin',
                                                'catalogue_admin', 'tech_admin', 'supervisor',
                                                'leading_group')),
  department_code TEXT NOT NULL REFERENCES departments (code),
  PRIMARY KEY (account_id, role, department_code)
);

CREATE TABLE training_records (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  course      TEXT NOT NULL CHECK (course <> ''),
  passed_on   TEXT NOT NULL CHECK (length(passed_on) = 10),
  valid_until TEXT NOT NULL CHECK (length(valid_until) = 10),
  recorded_by TEXT NOT NULL
);
CREATE INDEX training_by_account ON training_records (account_id, valid_until);

-- id is the SHA-256 (hex) of the session token: a copy of this table lets nobody in.
CREATE TABLE sessions (
  id              TEXT PRIMARY KEY CHECK (length(id) = 64),
  account_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at      BIGINT NOT NULL,
  last_seen_at    BIGINT NOT NULL,
  absolute_expiry BIGINT NOT NULL,
  csrf_token      TEXT NOT NULL,
  address         TEXT NOT NULL DEFAULT '',
  user_agent      TEXT NOT NULL DEFAULT '',
  revoked_at      BIGINT
);
CREATE INDEX sessions_by_account ON sessions (account_id, revoked_at);

-- key: "acct:<login blind index>" or "addr:<client address>".
CREATE TABLE login_failures (
  key           TEXT PRIMARY KEY,
  count         INTEGER NOT NULL CHECK (count >= 0),
  window_start  BIGINT NOT NULL,
  blocked_until BIGINT NOT NULL DEFAULT 0
);
