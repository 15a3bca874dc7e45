-- Duplicates, migration 18: "these two are the same" (kt dupes review, kt dupes label, the web's
-- review), the counterpart of kt_dupe_distinct: kt dupes reports the pair whatever it scores and
-- kt dupes train takes it as a match for certain. A pair holds one label: setting one removes the
-- other. a < b.
CREATE TABLE IF NOT EXISTS kt_dupe_same (
  a      INTEGER NOT NULL REFERENCES kt_record(id),
  b      INTEGER NOT NULL REFERENCES kt_record(id),
  at     TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (a, b)
) WITHOUT ROWID;

-- The labelled pairs a model was trained with, as kt dupes model shows (written with
-- kt_dupe_model; a model trained before labels existed has no row: none).
CREATE TABLE IF NOT EXISTS kt_dupe_model_labels (
  entity   TEXT PRIMARY KEY,
  same     INTEGER NOT NULL,
  different INTEGER NOT NULL
);
