-- Duplicates, migration 16: the probabilistic (Fellegi-Sunter) model kt dupes train learns from
-- the workspace's own records, the value frequencies behind its term-frequency adjustment, and
-- the pairs queued for review because the evidence was too thin to act on.

-- One trained model per entity: the prior (share of matches among compared pairs) and when and
-- from how much it was learned. rule: the fields and methods it was trained for (a changed rule
-- makes it stale: the declared weights are used until it is trained again).
CREATE TABLE IF NOT EXISTS kt_dupe_model (
  entity       TEXT PRIMARY KEY,
  rule         TEXT NOT NULL,
  lambda       REAL NOT NULL,
  trained_at   TEXT NOT NULL,
  records      INTEGER NOT NULL,
  pairs        INTEGER NOT NULL,  -- blocked candidate pairs the m probabilities were fit on
  random_pairs INTEGER NOT NULL,  -- random pairs the u probabilities were counted on
  iterations   INTEGER NOT NULL
);

-- Per compared field and level of agreement (0 far, 1 close, 2 exact): P(level | match) and
-- P(level | non-match). filled: records with a value (the denominator of the frequencies).
CREATE TABLE IF NOT EXISTS kt_dupe_model_level (
  entity TEXT NOT NULL,
  field  TEXT NOT NULL,
  level  INTEGER NOT NULL,
  m      REAL NOT NULL,
  u      REAL NOT NULL,
  filled INTEGER NOT NULL,
  PRIMARY KEY (entity, field, level)
) WITHOUT ROWID;

-- How many records hold a value (by the 64-bit hash of its prepared form, so no personal data
-- is copied here), for values held by two records or more; a value not listed is rare.
CREATE TABLE IF NOT EXISTS kt_dupe_tf (
  entity TEXT NOT NULL,
  field  TEXT NOT NULL,
  hash   INTEGER NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (entity, field, hash)
) WITHOUT ROWID;

-- Probable duplicates nobody acted on because too few fields agreed (an import row created
-- beside a similar record): kt dupes proposes them. a < b.
CREATE TABLE IF NOT EXISTS kt_dupe_review (
  a      INTEGER NOT NULL REFERENCES kt_record(id),
  b      INTEGER NOT NULL REFERENCES kt_record(id),
  score  REAL NOT NULL,
  at     TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (a, b)
) WITHOUT ROWID;
