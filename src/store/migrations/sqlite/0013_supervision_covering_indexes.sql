-- The supervision pass (issue 5, "Speed"): its claim finds the due and recently changed
-- cases from index entries alone, without reading a case row per due case. A pass that
-- finds everything checked already (the job runs every minute) then costs a walk over
-- the due cases' index entries, not a page read for each of them. The indexes keep their
-- names and their leading columns, so every other query is planned as before.
-- Keep in step with ../postgres/0013_supervision_covering_indexes.sql.

-- The open cases by due date, with the number and version the claim needs.
DROP INDEX cases_by_state_due;
CREATE INDEX cases_by_state_due ON cases (state, due_on, number, version);

-- The due open tasks, with their case's number.
DROP INDEX case_tasks_open_due;
CREATE INDEX case_tasks_open_due ON case_tasks (state, due_on, case_number);

-- The recently changed cases, with their number and version.
DROP INDEX cases_by_updated_on;
CREATE INDEX cases_by_updated_on ON cases (updated_on, number, version);
