-- Consent with proof: one row per decision a person made about one purpose (email, sms, phone,
-- profiling, or one the workspace declares), never changed or deleted. The person's state for a
-- purpose is the newest row (by id); a given consent past expires_at counts as not given.
CREATE TABLE IF NOT EXISTS kt_consent (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  person       INTEGER NOT NULL,
  purpose      TEXT NOT NULL,
  given        INTEGER NOT NULL CHECK (given IN (0, 1)),  -- 1 given, 0 withdrawn
  at           TEXT NOT NULL,                             -- UTC "YYYY-MM-DDTHH:MM:SSZ"
  source       TEXT NOT NULL,                             -- how: form, call, import, migrated, ...
  by_whom      TEXT NOT NULL,                             -- the actor: cli, api:anna, web:anna
  wording      TEXT,                                      -- the version id of the text shown
  wording_text TEXT,                                      -- the text itself, when given
  note         TEXT,
  batch        INTEGER,                                   -- the import batch that wrote it
  expires_at   TEXT                                       -- UTC; NULL = does not expire
);
CREATE INDEX IF NOT EXISTS kt_consent_person ON kt_consent(person, purpose, id);

-- The person table is made from kartoteka.lua after the migrations run, so the existing
-- marketing_consent values become rows (source "migrated") when the workspace is next opened;
-- this row says that is still to do.
CREATE TABLE IF NOT EXISTS kt_consent_todo (what TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT OR IGNORE INTO kt_consent_todo(what) VALUES ('migrate marketing_consent');
