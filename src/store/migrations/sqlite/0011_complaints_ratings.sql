-- Complaints (投诉, Art. 13) and ratings (好差评), issue 5. A complaint is one row plus its
-- history; the complainant's phone is personal data, sealed (associated data
-- "complaint:<number>:phone"); the tracking code is kept only as its SHA-256. Ratings are
-- one per case, with the follow-up of a 差评 in the same row. Dates are 'YYYY-MM-DD'
-- (China time), '' when unset; times are Unix milliseconds. Written by
-- src/store/complaint_store.cpp and rating_store.cpp. Keep in step with
-- ../postgres/0011_complaints_ratings.sql.

CREATE TABLE complaints (
  number          TEXT PRIMARY KEY CHECK (number <> ''),  -- TS + YYYYMMDD + 5 digits
  version         INTEGER NOT NULL CHECK (version >= 1),
  state           TEXT NOT NULL CHECK (state IN ('submitted', 'investigating', 'answered',
                                                 'confirmed', 'disputed')),
  subject         TEXT NOT NULL CHECK (subject IN ('case', 'department', 'staff')),
  case_number     TEXT NOT NULL DEFAULT '',
  department_code TEXT NOT NULL DEFAULT '',
  department_name TEXT NOT NULL DEFAULT '',
  staff_name      TEXT NOT NULL DEFAULT '',
  content         TEXT NOT NULL,
  contact_name    TEXT NOT NULL,
  phone_sealed    BLOB NOT NULL,
  account_id      TEXT NOT NULL DEFAULT '',  -- '' when filed without signing in
  tracking_hash   TEXT NOT NULL CHECK (length(tracking_hash) = 64),
  filed_on        TEXT NOT NULL,
  due_on          TEXT NOT NULL DEFAULT '',
  assignee_id     TEXT NOT NULL DEFAULT '',
  assignee_name   TEXT NOT NULL DEFAULT '',
  outcome         TEXT NOT NULL DEFAULT 'none'
                    CHECK (outcome IN ('none', 'upheld', 'partly_upheld', 'not_upheld')),
  findings        TEXT NOT NULL DEFAULT '',
  answer          TEXT NOT NULL DEFAULT '',
  answered_on     TEXT NOT NULL DEFAULT '',
  feedback        TEXT NOT NULL DEFAULT '',
  closed_on       TEXT NOT NULL DEFAULT '',
  disputes        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL DEFAULT 0,
  updated_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX complaints_by_account ON complaints (account_id, updated_at);
CREATE INDEX complaints_by_state_due ON complaints (state, due_on);
CREATE INDEX complaints_by_updated ON complaints (updated_at);

CREATE TABLE complaint_events (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  complaint_number TEXT NOT NULL REFERENCES complaints (number),
  at_unix_ms       INTEGER NOT NULL,
  on_date          TEXT NOT NULL DEFAULT '',
  actor_id         TEXT NOT NULL DEFAULT '',
  actor_name       TEXT NOT NULL DEFAULT '',
  actor_role       TEXT NOT NULL DEFAULT '',
  action           TEXT NOT NULL CHECK (action <> ''),
  from_state       TEXT NOT NULL DEFAULT '',
  to_state         TEXT NOT NULL DEFAULT '',
  note             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_number, id);

-- Complaint numbers unique across nodes: one counter row per day, incremented in the
-- transaction that files the complaint.
CREATE TABLE complaint_counters (
  day      TEXT PRIMARY KEY CHECK (length(day) = 8),  -- YYYYMMDD
  next_seq INTEGER NOT NULL CHECK (next_seq >= 1)
);

CREATE TABLE ratings (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  case_number       TEXT NOT NULL UNIQUE REFERENCES cases (number),  -- one rating per case
  version           INTEGER NOT NULL CHECK (version >= 1),
  account_id        TEXT NOT NULL,
  department_code   TEXT NOT NULL DEFAULT '',
  department_name   TEXT NOT NULL DEFAULT '',
  item_name         TEXT NOT NULL DEFAULT '',
  level             TEXT NOT NULL CHECK (level IN ('very_satisfied', 'satisfied',
                      'basically_satisfied', 'dissatisfied', 'very_dissatisfied')),
  comment           TEXT NOT NULL DEFAULT '',
  rated_on          TEXT NOT NULL,
  defaulted         INTEGER NOT NULL DEFAULT 0 CHECK (defaulted IN (0, 1)),
  follow_up         TEXT NOT NULL DEFAULT 'none'
                      CHECK (follow_up IN ('none', 'open', 'appealed', 'closed', 'appeal_upheld')),
  follow_up_due_on  TEXT NOT NULL DEFAULT '',
  callback_note     TEXT NOT NULL DEFAULT '',
  outcome           TEXT NOT NULL DEFAULT '',
  follow_up_done_on TEXT NOT NULL DEFAULT '',
  appeal_reason     TEXT NOT NULL DEFAULT '',
  appealed_on       TEXT NOT NULL DEFAULT '',
  appeal_decision   TEXT NOT NULL DEFAULT '',
  appeal_note       TEXT NOT NULL DEFAULT '',
  appeal_decided_on TEXT NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ratings_by_department ON ratings (department_code, rated_on);
CREATE INDEX ratings_follow_ups ON ratings (follow_up, follow_up_due_on);

-- The default-rating pass looks for delivered cases by their last change (the delivery
-- day, delivery being final) that have no rating yet.
CREATE INDEX cases_by_state_updated_on ON cases (state, updated_on);
