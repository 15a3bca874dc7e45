-- External ids a record is also known by: the id of an import row that was absorbed into the
-- record (it updated it, filled its gaps, or was skipped as its duplicate) and that the record
-- does not carry in its own external_id field. Lookups by external id find the holder. A merged
-- record's own external id needs no row here: lookups follow merged_into to the record that
-- absorbed it, so `kt unmerge` gives it back by itself. Owned by core/src/record/alias.c.
CREATE TABLE IF NOT EXISTS kt_alias (
  entity TEXT NOT NULL,
  value  TEXT NOT NULL,                         -- the external id as stored (normalised)
  record INTEGER NOT NULL REFERENCES kt_record(id),
  batch  INTEGER,                               -- the import that attached it: its undo detaches it
  PRIMARY KEY (entity, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS kt_alias_record ON kt_alias(record);
CREATE INDEX IF NOT EXISTS kt_alias_batch ON kt_alias(batch);
