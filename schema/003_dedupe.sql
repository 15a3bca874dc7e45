-- Duplicates, migration 3: decisions that two records are different people, the blocking keys
-- the on-entry check looks candidates up by, and the merge log unmerge reverses.

-- "These two are not the same" (kt dupes --not A B): a < b; never proposed again.
CREATE TABLE kt_dupe_distinct (
  a      INTEGER NOT NULL REFERENCES kt_record(id),
  b      INTEGER NOT NULL REFERENCES kt_record(id),
  at     TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (a, b)
) WITHOUT ROWID;

-- Blocking keys (64-bit hashes) of records, kept in step lazily from kt_change (see
-- core/src/dedupe/key_index.c): records sharing a key are the candidates of a new one.
CREATE TABLE kt_dupe_key (
  key    INTEGER NOT NULL,
  record INTEGER NOT NULL
);
CREATE INDEX kt_dupe_key_key ON kt_dupe_key(key);
CREATE INDEX kt_dupe_key_record ON kt_dupe_key(record);

-- Per entity: the rule the keys were made with and the last kt_change row they reflect.
CREATE TABLE kt_dupe_key_state (
  entity      TEXT PRIMARY KEY,
  rule        TEXT NOT NULL,
  last_change INTEGER NOT NULL
);

-- One row per loser merged into a winner.
CREATE TABLE kt_merge (
  id        INTEGER PRIMARY KEY,
  winner    INTEGER NOT NULL REFERENCES kt_record(id),
  loser     INTEGER NOT NULL REFERENCES kt_record(id),
  at        TEXT NOT NULL,
  source    TEXT NOT NULL,
  undone_at TEXT
);
CREATE INDEX kt_merge_loser ON kt_merge(loser);

-- What a merge changed, so unmerge can put it back: 'fill' = a winner's field got a value
-- (old was empty), 'repoint' = another record's ref field moved from loser to winner.
CREATE TABLE kt_merge_item (
  merge  INTEGER NOT NULL REFERENCES kt_merge(id),
  kind   TEXT NOT NULL CHECK (kind IN ('fill', 'repoint')),
  record INTEGER NOT NULL,
  field  TEXT NOT NULL,
  old    TEXT,
  new    TEXT
);
CREATE INDEX kt_merge_item_merge ON kt_merge_item(merge);
