-- Duplicates, as SQLite's migration 18 (018_dupe_label.sql): "these two are the same" (kt dupes
-- review, kt dupes label, the web's review), and the labelled pairs a model was trained with.
CREATE TABLE kt_dupe_same (
  a      bigint NOT NULL REFERENCES kt_record(id),
  b      bigint NOT NULL REFERENCES kt_record(id),
  at     text NOT NULL,
  source text NOT NULL,
  PRIMARY KEY (a, b)
);
CREATE TABLE kt_dupe_model_labels (
  entity    text PRIMARY KEY,
  same      bigint NOT NULL,
  different bigint NOT NULL
);
