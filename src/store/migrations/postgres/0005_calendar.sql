-- Working-day calendar years entered or imported by the service centre (issue 4): the
-- State Council's days off (放假) and make-up working days (调休上班) per year. Years
-- shipped with the binary (data/calendar/) are not stored here; a stored year replaces
-- the shipped one. Written by src/store/calendar_store.cpp only.
-- Keep in step with ../sqlite/0005_calendar.sql.

-- One row per stored year, also when its lists are empty (a year with no holiday at all
-- is still a known year). updated_at_unix_ms: Unix milliseconds.
CREATE TABLE calendar_years (
  year               INTEGER PRIMARY KEY CHECK (year BETWEEN 1 AND 9999),
  updated_by         TEXT NOT NULL DEFAULT '',
  updated_at_unix_ms BIGINT NOT NULL
);

-- The listed days of each year; the primary key keeps a day out of both lists at once.
CREATE TABLE calendar_days (
  day  TEXT PRIMARY KEY CHECK (length(day) = 10),
  year INTEGER NOT NULL REFERENCES calendar_years (year) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('off', 'make_up'))
);
CREATE INDEX calendar_days_by_year ON calendar_days (year, day);
