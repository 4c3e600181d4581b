-- Rectification notices (整改通知) and the supervision dashboard (issue 5). Dates are
-- 'YYYY-MM-DD' (China time), times Unix milliseconds. Keep in step with
-- ../sqlite/0012_rectification.sql. Design: docs/decisions/0012-supervision-dashboard.md.

-- A notice the service centre or the supervision bureau issues to a department, optionally
-- about cases and warnings, with a reply deadline; the department's business lead answers
-- once. Whether it is overdue (red) is derived on reading from reply_due_on and today,
-- never stored. case_numbers and warning_ids are space-separated lists, for display.
CREATE TABLE rectification_notices (
  id              BIGSERIAL PRIMARY KEY,
  department_code TEXT NOT NULL CHECK (department_code <> ''),
  subject         TEXT NOT NULL CHECK (subject <> ''),
  body            TEXT NOT NULL DEFAULT '',
  case_numbers    TEXT NOT NULL DEFAULT '',
  warning_ids     TEXT NOT NULL DEFAULT '',
  issued_by_id    TEXT NOT NULL DEFAULT '',
  issued_by_name  TEXT NOT NULL DEFAULT '',
  issuer_role     TEXT NOT NULL DEFAULT '',
  issued_on       TEXT NOT NULL,
  issued_at       BIGINT NOT NULL DEFAULT 0,
  reply_due_on    TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered')),
  reply           TEXT NOT NULL DEFAULT '',
  replied_by_id   TEXT NOT NULL DEFAULT '',
  replied_by_name TEXT NOT NULL DEFAULT '',
  replied_on      TEXT NOT NULL DEFAULT '',
  replied_at      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX rectification_by_department ON rectification_notices (department_code, state, reply_due_on);
CREATE INDEX rectification_by_state_due ON rectification_notices (state, reply_due_on);

-- The dashboard's projection of open cases (those whose clock runs: cases.due_on set):
-- one row per open case with the department answerable (the lead department) and its due
-- date, and the number of open cases per (department, due date). Counting the signals of
-- a million open cases from the cases table means reading a million index entries; from
-- open_case_counts it means reading one row per department and due date. Both are kept by
-- store::sync_open_case (src/store/dashboard_rows.cpp) in the transaction of every case
-- write, and filled here from the cases already stored.
CREATE TABLE open_case_keys (
  case_number     TEXT PRIMARY KEY REFERENCES cases (number),
  department_code TEXT NOT NULL,
  due_on          TEXT NOT NULL
);
-- The late list: overdue cases oldest due first, for the city or one department.
CREATE INDEX open_case_keys_by_due ON open_case_keys (due_on, case_number);
CREATE INDEX open_case_keys_by_department ON open_case_keys (department_code, due_on);

CREATE TABLE open_case_counts (
  department_code TEXT NOT NULL,
  due_on          TEXT NOT NULL,
  n               BIGINT NOT NULL DEFAULT 0 CHECK (n >= 0),
  PRIMARY KEY (department_code, due_on)
);

INSERT INTO open_case_keys (case_number, department_code, due_on)
SELECT number, lead_department_code, due_on FROM cases
WHERE state IN ('submitted', 'accepted', 'in_review', 'suspended', 'approved', 'refused')
  AND due_on > '';
INSERT INTO open_case_counts (department_code, due_on, n)
SELECT department_code, due_on, COUNT(*) FROM open_case_keys GROUP BY department_code, due_on;

-- The dashboard's warnings: counted per rule and state under any of its filters from this
-- index alone, and listed most days late first by walking the other one backwards and
-- stopping at the limit (tens of thousands of warnings at a million cases).
CREATE INDEX warnings_by_rule ON warnings (rule, state, first_seen_on, department_code);
CREATE INDEX warnings_by_days_late ON warnings (days_late, id);
