-- Duplicates, migration 6: kt_dupe_key keyed by (key, record) without a rowid and without an
-- index by record, so a key row costs one b-tree insert (an import writes a dozen per record;
-- the index by record, filled in no useful order, cost three times the rest). What a record's
-- rows are, to remove them when it changes, is kept once per record in kt_dupe_rec.
CREATE TABLE kt_dupe_key_new (
  key    INTEGER NOT NULL,
  record INTEGER NOT NULL,
  PRIMARY KEY (key, record)
) WITHOUT ROWID;
INSERT OR IGNORE INTO kt_dupe_key_new(key, record) SELECT key, record FROM kt_dupe_key;

-- A record's keys in kt_dupe_key: 8-byte little-endian integers (a BLOB), or, as this migration
-- leaves them, the same integers in decimal separated by spaces (TEXT).
CREATE TABLE kt_dupe_rec (
  record INTEGER PRIMARY KEY,
  keys   BLOB NOT NULL
);
INSERT INTO kt_dupe_rec(record, keys)
  SELECT record, group_concat(key, ' ') FROM kt_dupe_key_new GROUP BY record;

DROP TABLE kt_dupe_key;
ALTER TABLE kt_dupe_key_new RENAME TO kt_dupe_key;
