-- The public service catalogue (办事指南): regions, departments, items and their versions,
-- materials with their template files, parallel-approval bundles, the search index and
-- the catalogue generation. List-valued parts of a version (conditions, procedure,
-- themes, form) are JSON text written by src/app/catalogue_json.cpp.
-- Keep in step with ../postgres/0001_catalogue.sql.

CREATE TABLE regions (
  code        TEXT PRIMARY KEY CHECK (code <> ''),
  name        TEXT NOT NULL CHECK (name <> ''),
  parent_code TEXT REFERENCES regions (code)  -- NULL for the city itself
);
CREATE INDEX regions_by_parent ON regions (parent_code);

CREATE TABLE departments (
  code        TEXT PRIMARY KEY CHECK (code <> ''),
  name        TEXT NOT NULL CHECK (name <> ''),
  short_name  TEXT NOT NULL DEFAULT '',
  region_code TEXT NOT NULL REFERENCES regions (code),
  kind        TEXT NOT NULL CHECK (kind IN ('approval', 'service_centre', 'establishment',
                                            'information', 'supervision', 'leading_group')),
  phone       TEXT NOT NULL DEFAULT '',
  address     TEXT NOT NULL DEFAULT '',
  hours       TEXT NOT NULL DEFAULT '',
  sort_order  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX departments_by_region ON departments (region_code, sort_order, code);

-- One row per item code; points at the version the public sees.
CREATE TABLE items (
  code                 TEXT PRIMARY KEY CHECK (code <> ''),
  published_version_id INTEGER REFERENCES item_versions (id)
);

-- AUTOINCREMENT: a version id is never reused, since cases keep the id they were filed under.
CREATE TABLE item_versions (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  item_code           TEXT NOT NULL REFERENCES items (code),
  version_no          INTEGER NOT NULL CHECK (version_no >= 1),
  state               TEXT NOT NULL CHECK (state IN ('draft', 'signed_off', 'filed',
                                                     'published', 'superseded')),
  published_on        TEXT NOT NULL DEFAULT '' CHECK (published_on = '' OR length(published_on) = 10),
  name                TEXT NOT NULL CHECK (name <> ''),
  type                TEXT NOT NULL CHECK (type IN ('licence', 'non_licence_approval',
                                                    'public_service')),
  department_code     TEXT NOT NULL REFERENCES departments (code),
  legal_basis         TEXT NOT NULL DEFAULT '',
  conditions          TEXT NOT NULL DEFAULT '[]',
  procedure_steps     TEXT NOT NULL DEFAULT '[]',
  legal_limit_days    INTEGER NOT NULL CHECK (legal_limit_days >= 0),
  promised_limit_days INTEGER NOT NULL CHECK (promised_limit_days >= 0
                                              AND promised_limit_days <= legal_limit_days),
  fees                TEXT NOT NULL DEFAULT '',
  result_name         TEXT NOT NULL DEFAULT '',
  visits              INTEGER NOT NULL DEFAULT 0 CHECK (visits >= 0),
  online_level        TEXT NOT NULL CHECK (online_level IN ('info_only', 'form_download',
                                                            'pre_review', 'full_online')),
  offline_reason      TEXT NOT NULL DEFAULT '',
  consult_phone       TEXT NOT NULL DEFAULT '',
  complaint_phone     TEXT NOT NULL DEFAULT '',
  place               TEXT NOT NULL DEFAULT '',
  hours               TEXT NOT NULL DEFAULT '',
  audience            TEXT NOT NULL CHECK (audience IN ('person', 'organisation', 'both')),
  themes              TEXT NOT NULL DEFAULT '[]',
  form                TEXT NOT NULL DEFAULT '{"fields":[]}',
  UNIQUE (item_code, version_no)
);
-- At most one published version per item.
CREATE UNIQUE INDEX item_versions_one_published ON item_versions (item_code)
  WHERE state = 'published';
CREATE INDEX item_versions_by_department ON item_versions (department_code);

CREATE TABLE item_materials (
  version_id            INTEGER NOT NULL REFERENCES item_versions (id),
  idx                   INTEGER NOT NULL CHECK (idx >= 0),
  name                  TEXT NOT NULL CHECK (name <> ''),
  required              INTEGER NOT NULL CHECK (required IN (0, 1)),
  form                  TEXT NOT NULL CHECK (form IN ('original', 'copy', 'original_and_copy',
                                                      'electronic')),
  copies                INTEGER NOT NULL CHECK (copies >= 0),
  note                  TEXT NOT NULL DEFAULT '',
  template_filename     TEXT NOT NULL DEFAULT '',
  source                TEXT NOT NULL DEFAULT '',
  template_content_type TEXT,
  template_bytes        BLOB,  -- NULL when the material has no template file
  PRIMARY KEY (version_id, idx)
);

CREATE TABLE bundles (
  code                 TEXT PRIMARY KEY CHECK (code <> ''),
  name                 TEXT NOT NULL CHECK (name <> ''),
  lead_department_code TEXT NOT NULL REFERENCES departments (code),
  description          TEXT NOT NULL DEFAULT '',
  joint_limit_days     INTEGER NOT NULL CHECK (joint_limit_days > 0)
);
CREATE INDEX bundles_by_lead_department ON bundles (lead_department_code);

CREATE TABLE bundle_items (
  bundle_code TEXT NOT NULL REFERENCES bundles (code) ON DELETE CASCADE,
  idx         INTEGER NOT NULL CHECK (idx >= 0),
  item_code   TEXT NOT NULL REFERENCES items (code),
  PRIMARY KEY (bundle_code, idx),
  UNIQUE (bundle_code, item_code)
);
CREATE INDEX bundle_items_by_item ON bundle_items (item_code);

-- Unigrams and bigrams of the searchable text of each item's published version
-- (src/core/catalogue/search_text.h). Publishing replaces an item's grams.
CREATE TABLE item_search_grams (
  gram      TEXT NOT NULL,
  item_code TEXT NOT NULL REFERENCES items (code),
  PRIMARY KEY (gram, item_code)
) WITHOUT ROWID;
CREATE INDEX item_search_grams_by_item ON item_search_grams (item_code);

-- A single row; generation changes whenever anything public in the catalogue changes.
CREATE TABLE catalogue_meta (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
);
INSERT INTO catalogue_meta (id, generation) VALUES (1, 1);
