-- kt field remove retires a field: it leaves the registry (lists, forms, exports, checks) while
-- its kt_field row and column keep the definition and values, and kt_change their history;
-- kt field restore deletes the row here.
CREATE TABLE IF NOT EXISTS kt_field_retired (
  entity     TEXT NOT NULL,
  name       TEXT NOT NULL,
  retired_at TEXT NOT NULL,
  PRIMARY KEY (entity, name)
) WITHOUT ROWID;

-- kt outbox cancel: a cancelled message is never delivered. SQLite cannot widen a CHECK in
-- place, so the table is rebuilt with the same columns, rows and ids.
CREATE TABLE kt_outbox_new (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  campaign     TEXT NOT NULL,
  record       INTEGER NOT NULL,
  key          TEXT NOT NULL,
  seq          INTEGER NOT NULL,               -- the n-th kt.send of that action
  channel      TEXT NOT NULL,                  -- as the campaign named it ("email")
  recipient    TEXT NOT NULL,
  subject      TEXT,
  body         TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'queued'
               CHECK (status IN ('queued', 'failed', 'sent', 'cancelled')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  next_attempt TEXT,                           -- UTC ISO datetime; NULL = at once
  activity     INTEGER,                        -- the person's activity for this message
  created_at   TEXT NOT NULL,
  sent_at      TEXT,
  UNIQUE (campaign, record, key, seq)
);
INSERT INTO kt_outbox_new(id, campaign, record, key, seq, channel, recipient, subject, body,
                          status, attempts, last_error, next_attempt, activity, created_at, sent_at)
  SELECT id, campaign, record, key, seq, channel, recipient, subject, body, status, attempts,
         last_error, next_attempt, activity, created_at, sent_at FROM kt_outbox;
DROP TABLE kt_outbox;
ALTER TABLE kt_outbox_new RENAME TO kt_outbox;
CREATE INDEX kt_outbox_pending ON kt_outbox(status, next_attempt);
