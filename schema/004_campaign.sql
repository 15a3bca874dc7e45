-- Campaigns (migration 4): the ledger that makes every (campaign, record, key) act exactly once,
-- the outbox of messages waiting for or done with delivery, the runs, and the locks that keep
-- two `kt due` (or a `kt due` and a `kt campaign run`) from acting at once.

-- One row per (campaign, record, key) that has acted. Written in the same transaction as the
-- action's effects (outbox rows, tasks, activities), so a row here means all of them exist.
CREATE TABLE kt_campaign_ledger (
  campaign TEXT NOT NULL,
  record   INTEGER NOT NULL,
  key      TEXT NOT NULL,
  day      TEXT NOT NULL,                      -- the run's day (YYYY-MM-DD, workspace time zone)
  run      INTEGER,                            -- kt_campaign_run.id
  at       TEXT NOT NULL,                      -- UTC ISO datetime of the commit
  PRIMARY KEY (campaign, record, key)
);

-- Messages. status: queued (never tried), failed (tried, retried at next_attempt), sent.
CREATE TABLE kt_outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  campaign     TEXT NOT NULL,
  record       INTEGER NOT NULL,
  key          TEXT NOT NULL,
  seq          INTEGER NOT NULL,               -- the n-th kt.send of that action
  channel      TEXT NOT NULL,                  -- as the campaign named it ("email")
  recipient    TEXT NOT NULL,
  subject      TEXT,
  body         TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'failed', 'sent')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  next_attempt TEXT,                           -- UTC ISO datetime; NULL = at once
  activity     INTEGER,                        -- the person's activity for this message
  created_at   TEXT NOT NULL,
  sent_at      TEXT,
  UNIQUE (campaign, record, key, seq)
);
CREATE INDEX kt_outbox_pending ON kt_outbox(status, next_attempt);

-- Runs: one row per campaign run (trigger 'due' or 'manual'). `kt due` catches up from the last
-- day whose 'due' run finished.
CREATE TABLE kt_campaign_run (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  campaign    TEXT NOT NULL,
  day         TEXT NOT NULL,
  trigger     TEXT NOT NULL CHECK (trigger IN ('due', 'manual')),
  status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  reached     INTEGER NOT NULL DEFAULT 0,
  acted       INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  error       TEXT
);
CREATE INDEX kt_campaign_run_day ON kt_campaign_run(campaign, trigger, status, day);

-- Advisory locks ("due", "campaign:NAME", "outbox"): taken inside BEGIN IMMEDIATE; a lock whose
-- process is gone is taken over.
CREATE TABLE kt_campaign_lock (
  name  TEXT PRIMARY KEY,
  pid   INTEGER NOT NULL,
  since TEXT NOT NULL
);
