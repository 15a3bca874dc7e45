-- The core's own tables, migration 1. Entity tables (person, company, ...) are made from the
-- field registry, not here: one table per entity, one column per field.
CREATE TABLE kt_entity (
  name       TEXT PRIMARY KEY,
  label      TEXT NOT NULL DEFAULT '{}',       -- JSON: {"en": "Person", "pl": "Osoba"}
  origin     TEXT NOT NULL,                    -- 'schema' for built-in, else 'kartoteka.lua' / 'cli'
  created_at TEXT NOT NULL
);

CREATE TABLE kt_field (
  entity     TEXT NOT NULL REFERENCES kt_entity(name),
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  props      TEXT NOT NULL DEFAULT '{}',       -- JSON: label, required, options, pattern, ...
  position   INTEGER NOT NULL,
  origin     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (entity, name)
);

-- How the registry itself changed: a field added, made mandatory, given new options.
CREATE TABLE kt_field_change (
  id     INTEGER PRIMARY KEY,
  at     TEXT NOT NULL,
  entity TEXT NOT NULL,
  field  TEXT NOT NULL,
  old    TEXT,                                 -- JSON of the previous definition, NULL when new
  new    TEXT NOT NULL,
  source TEXT NOT NULL
);

-- Every record of every entity: ids are unique across the workspace.
CREATE TABLE kt_record (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  entity      TEXT NOT NULL REFERENCES kt_entity(name),
  state       TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'archived', 'merged')),
  merged_into INTEGER REFERENCES kt_record(id),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  batch       INTEGER                          -- the import batch that created it, if any
);
CREATE INDEX kt_record_entity_state ON kt_record(entity, state);

-- History: one row per changed field (or per action without a field). A create written since
-- 2026-11 is one row whose `new` is a JSON object of the first values (see query/history.c).
CREATE TABLE kt_change (
  id     INTEGER PRIMARY KEY,
  record INTEGER NOT NULL REFERENCES kt_record(id),
  at     TEXT NOT NULL,
  action TEXT NOT NULL,                        -- create, update, archive, restore, merge, unmerge, undo
  field  TEXT,
  old    TEXT,                                 -- canonical text (sets as JSON arrays)
  new    TEXT,
  source TEXT NOT NULL,                        -- 'cli', 'import', 'script x.lua', 'campaign birthday'
  batch  INTEGER
);
CREATE INDEX kt_change_record ON kt_change(record, id);
CREATE INDEX kt_change_batch ON kt_change(batch) WHERE batch IS NOT NULL;

-- Import batches (and other bulk runs): what ran, how it ended.
CREATE TABLE kt_batch (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,                   -- 'import'
  source      TEXT NOT NULL,                   -- the file and script
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  status      TEXT NOT NULL,                   -- running, done, interrupted, undone
  summary     TEXT                             -- JSON
);

-- Full-text search over a folded copy of each record's searchable fields (see core/src/text).
CREATE VIRTUAL TABLE kt_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 0');
