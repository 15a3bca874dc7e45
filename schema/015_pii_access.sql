-- Who was shown personal data through the server (issue 23), migration 15: one row per request
-- and record whose pii values were served in clear, naming the fields, never their values.
CREATE TABLE IF NOT EXISTS kt_pii_access (
  id     INTEGER PRIMARY KEY,
  at     TEXT NOT NULL,                  -- UTC, when the request was served
  who    TEXT NOT NULL,                  -- 'web:anna', 'api:shop-sync'
  role   TEXT NOT NULL,                  -- the role it had then
  record INTEGER NOT NULL,
  entity TEXT NOT NULL,
  fields TEXT NOT NULL,                  -- 'email,first_name,mobile'
  route  TEXT NOT NULL                   -- 'GET /api/v1/person/17' (never a query string)
);
CREATE INDEX IF NOT EXISTS kt_pii_access_record ON kt_pii_access(record, id);
