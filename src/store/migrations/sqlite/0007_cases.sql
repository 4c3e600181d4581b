-- Cases (办件, issue 4): each case is one JSON document (doc, written by
-- src/app/case_json.cpp) plus the projections that lists, work queues and the
-- supervision job query, all rewritten by src/store/case_store.cpp in the transaction
-- of every change. The document is the truth; the other columns and tables can be
-- rebuilt from it and from case_events. Dates are 'YYYY-MM-DD' (China time), '' when
-- unset; times are Unix milliseconds. Keep in step with ../postgres/0007_cases.sql.

CREATE TABLE cases (
  number               TEXT PRIMARY KEY CHECK (number <> ''),  -- region + YYYYMMDD + 5 digits
  version              INTEGER NOT NULL CHECK (version >= 1),  -- optimistic concurrency
  state                TEXT NOT NULL CHECK (state IN ('draft', 'submitted',
                         'correction_requested', 'accepted', 'not_accepted', 'in_review',
                         'suspended', 'approved', 'refused', 'withdrawn', 'delivered')),
  title                TEXT NOT NULL DEFAULT '',  -- item or bundle name, for lists
  bundle_code          TEXT NOT NULL DEFAULT '',
  region_code          TEXT NOT NULL DEFAULT '',
  lead_department_code TEXT NOT NULL DEFAULT '',
  applicant_account_id TEXT NOT NULL,
  applicant_name       TEXT NOT NULL DEFAULT '',
  submitted_on         TEXT NOT NULL DEFAULT '',
  due_on               TEXT NOT NULL DEFAULT '',  -- the overall due date; '' when no clock runs
  updated_on           TEXT NOT NULL DEFAULT '',  -- date of the latest event
  updated_at           INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL DEFAULT 0,
  doc                  TEXT NOT NULL  -- app::case_to_json
);
-- "My applications", newest first.
CREATE INDEX cases_by_applicant ON cases (applicant_account_id, updated_at);
-- The supervision job scans open cases by due date.
CREATE INDEX cases_by_state_due ON cases (state, due_on);
CREATE INDEX cases_by_updated ON cases (updated_at);

-- The lead department and every part's department: the departments that see the case in
-- their lists. Rows are only ever added (a department once concerned stays concerned).
CREATE TABLE case_departments (
  case_number     TEXT NOT NULL REFERENCES cases (number),
  department_code TEXT NOT NULL,
  PRIMARY KEY (case_number, department_code)
);
CREATE INDEX case_departments_by_department ON case_departments (department_code, case_number);

-- The case's tasks (core::Task), replaced at each change. due_on is set for open tasks
-- only: the work queues read open tasks of a department by due date.
CREATE TABLE case_tasks (
  case_number     TEXT NOT NULL REFERENCES cases (number),
  task_id         INTEGER NOT NULL,
  part_seq        INTEGER NOT NULL DEFAULT -1,
  stage           TEXT NOT NULL CHECK (stage IN ('acceptance', 'review', 'recheck', 'decision',
                                                 'delivery')),
  department_code TEXT NOT NULL DEFAULT '',
  state           TEXT NOT NULL CHECK (state IN ('open', 'done', 'cancelled')),
  assignee_id     TEXT NOT NULL DEFAULT '',
  assignee_name   TEXT NOT NULL DEFAULT '',
  created_on      TEXT NOT NULL DEFAULT '',
  due_on          TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_number, task_id)
);
CREATE INDEX case_tasks_queue ON case_tasks (department_code, state, due_on);

-- The timeline (core::CaseEvent): who did what, when and why. Append-only by intent;
-- the ascending id is the order of the timeline.
CREATE TABLE case_events (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  case_number     TEXT NOT NULL REFERENCES cases (number),
  at_unix_ms      INTEGER NOT NULL,
  on_date         TEXT NOT NULL DEFAULT '',
  actor_id        TEXT NOT NULL DEFAULT '',
  actor_name      TEXT NOT NULL DEFAULT '',
  actor_role      TEXT NOT NULL DEFAULT '',
  department_code TEXT NOT NULL DEFAULT '',
  action          TEXT NOT NULL CHECK (action <> ''),
  from_state      TEXT NOT NULL DEFAULT '',
  to_state        TEXT NOT NULL DEFAULT '',
  part_seq        INTEGER NOT NULL DEFAULT -1,
  reason          TEXT NOT NULL DEFAULT '',
  detail          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_by_case ON case_events (case_number, id);

-- Case numbers unique across nodes (DESIGN.md): one row per region and day, incremented
-- in the transaction that creates the case, never an in-memory counter. next_seq is the
-- sequence the next case of that day gets.
CREATE TABLE case_counters (
  region_code TEXT NOT NULL,
  day         TEXT NOT NULL CHECK (length(day) = 8),  -- YYYYMMDD
  next_seq    INTEGER NOT NULL CHECK (next_seq >= 1),
  PRIMARY KEY (region_code, day)
);

-- Idempotency-Key of writes that create a case: a retry with the same key and request
-- gets the same case; created_at in Unix seconds.
CREATE TABLE idempotency_keys (
  account_id   TEXT NOT NULL,
  key          TEXT NOT NULL CHECK (key <> ''),
  request_hash TEXT NOT NULL DEFAULT '',
  case_number  TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, key)
);
