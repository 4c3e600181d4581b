-- The transactional outbox (issue 4): every case transition writes an event here in the
-- same transaction as the change; a dispatcher fans it out to an in-app message per
-- recipient and an email delivery per recipient with an enabled address, and delivers
-- the emails with a lease, retries and backoff. The ascending id is the cursor of the
-- event feed that department systems will read. See docs/decisions/0009-outbox.md.
-- Times are Unix seconds. Keep in step with ../sqlite/0009_outbox.sql.

CREATE TABLE outbox_events (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- the feed cursor: never reused
  event_id        TEXT NOT NULL UNIQUE CHECK (length(event_id) = 32),
  topic           TEXT NOT NULL CHECK (topic <> ''),
  case_number     TEXT NOT NULL DEFAULT '',
  department_code TEXT NOT NULL DEFAULT '',
  payload_json    TEXT NOT NULL DEFAULT '{}',
  created_at      BIGINT NOT NULL,
  fanned_out      INTEGER NOT NULL DEFAULT 0 CHECK (fanned_out IN (0, 1))
);
CREATE INDEX outbox_events_unfanned ON outbox_events (id) WHERE fanned_out = 0;

-- Who is to be told of an event (the applicant, the staff of a queue …).
CREATE TABLE outbox_recipients (
  event_id   TEXT NOT NULL REFERENCES outbox_events (event_id) ON DELETE CASCADE,
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  PRIMARY KEY (event_id, account_id)
);

-- One email per event and recipient, whatever happens: the UNIQUE constraint is what
-- makes a repeated fan-out harmless. address_sealed is the recipient's sealed address
-- as it was at fan-out (associated data "account:<id>:email").
CREATE TABLE notification_deliveries (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        TEXT NOT NULL REFERENCES outbox_events (event_id) ON DELETE CASCADE,
  account_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  channel         TEXT NOT NULL CHECK (channel IN ('email')),
  address_sealed  BYTEA NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at BIGINT NOT NULL,
  lease_owner     TEXT,
  lease_until     BIGINT,
  sent_at         BIGINT,
  last_error      TEXT,
  UNIQUE (event_id, account_id, channel)
);
CREATE INDEX deliveries_due ON notification_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_leased ON notification_deliveries (lease_until) WHERE state = 'sending';

-- 站内消息: the text is composed once at fan-out, so that it reads the same later.
CREATE TABLE inbox_messages (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  event_id    TEXT NOT NULL REFERENCES outbox_events (event_id) ON DELETE CASCADE,
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,
  case_number TEXT NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL,
  read_at     BIGINT,
  UNIQUE (event_id, account_id)
);
CREATE INDEX inbox_by_account ON inbox_messages (account_id, id);
CREATE INDEX inbox_unread ON inbox_messages (account_id) WHERE read_at IS NULL;

-- Where and whether to send email. The address is personal data: sealed, with a blind
-- index (purpose "email") to find equal addresses without opening them.
CREATE TABLE account_contacts (
  account_id    TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  email_sealed  BYTEA,
  email_index   TEXT,
  email_enabled INTEGER NOT NULL DEFAULT 0 CHECK (email_enabled IN (0, 1))
);
CREATE INDEX account_contacts_by_email ON account_contacts (email_index);
