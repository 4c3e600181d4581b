-- E-supervision (电子监察, issue 5): the warnings (警示) the supervision job records, and
-- which case it last examined on which day at which version, so that a pass touches each
-- due case once a day and passes on several nodes never repeat each other's work.
-- See docs/decisions/0011-supervision-job.md. Dates are 'YYYY-MM-DD' (China time).
-- Keep in step with ../sqlite/0010_supervision.sql.

-- A warning exists once per (case, rule, part, task): the job inserts it the first day it
-- finds it (with its audit entry and outbox event, in one transaction) and afterwards
-- only moves days_late and last_seen_on on.
CREATE TABLE warnings (
  id              BIGSERIAL PRIMARY KEY,
  case_number     TEXT NOT NULL REFERENCES cases (number),
  department_code TEXT NOT NULL DEFAULT '',
  rule            TEXT NOT NULL CHECK (rule IN ('acceptance_late', 'correction_notice_late',
                    'case_late', 'task_late', 'opinion_late', 'delivery_late', 'no_reasons',
                    'flow_violation')),
  part_seq        INTEGER NOT NULL DEFAULT -1,
  task_id         BIGINT NOT NULL DEFAULT 0,
  days_late       INTEGER NOT NULL DEFAULT 0 CHECK (days_late >= 0),
  legal_days_late INTEGER NOT NULL DEFAULT 0 CHECK (legal_days_late >= 0),
  due_on          TEXT NOT NULL DEFAULT '',
  state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'closed')),
  first_seen_on   TEXT NOT NULL,
  last_seen_on    TEXT NOT NULL,
  UNIQUE (case_number, rule, part_seq, task_id)
);
-- The centre's and the bureau's lists by department and state.
CREATE INDEX warnings_by_department ON warnings (department_code, state);

-- The supervision job's due work: a case is examined when it is due (or changed) and has
-- no row here for today at its current version. Written in the batch's transaction.
CREATE TABLE supervision_checks (
  case_number     TEXT PRIMARY KEY REFERENCES cases (number),
  checked_on      TEXT NOT NULL,
  checked_version BIGINT NOT NULL
);

-- The job finds due open tasks across every department, and recently changed cases.
CREATE INDEX case_tasks_open_due ON case_tasks (state, due_on);
CREATE INDEX cases_by_updated_on ON cases (updated_on);
