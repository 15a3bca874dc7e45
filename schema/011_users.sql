-- Who may use the workspace through the server (issue 18), migration 11. Passwords and tokens
-- are never stored: a user's password as an argon2id string, a token as the SHA-256 of its text.
CREATE TABLE IF NOT EXISTS kt_user (
  name        TEXT PRIMARY KEY,
  role        TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'staff', 'viewer')),
  password    TEXT NOT NULL,                   -- crypto_pwhash_str (argon2id)
  disabled_at TEXT,                            -- NULL while the user may log in
  failed      INTEGER NOT NULL DEFAULT 0,      -- wrong passwords since the last good one
  locked_until TEXT,                           -- no login before this time (after 5 failures)
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS kt_token (
  name        TEXT PRIMARY KEY,                -- the program it is for: 'shop-sync'
  role        TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'staff', 'viewer')),
  hash        TEXT NOT NULL UNIQUE,            -- hex SHA-256 of the token's text
  expires     TEXT,                            -- last valid day (UTC, YYYY-MM-DD), or NULL
  revoked_at  TEXT,
  created_at  TEXT NOT NULL
);

-- Browser sessions: only hashes of the session id and of its CSRF token are kept.
CREATE TABLE IF NOT EXISTS kt_session (
  hash       TEXT PRIMARY KEY,                 -- hex SHA-256 of the session id (the cookie)
  csrf       TEXT NOT NULL,                    -- hex SHA-256 of the CSRF token
  user       TEXT NOT NULL REFERENCES kt_user(name),
  created_at TEXT NOT NULL,                    -- absolute expiry counts from here
  seen_at    TEXT NOT NULL                     -- idle expiry counts from here
);

-- Changes to users and tokens: who did what to whom (never a password or a token).
CREATE TABLE IF NOT EXISTS kt_auth_change (
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  action  TEXT NOT NULL,                       -- user.add, user.passwd, user.role, token.add, ...
  subject TEXT NOT NULL,                       -- the user or token changed
  detail  TEXT,                                -- the new role, an expiry
  source  TEXT NOT NULL                        -- who: 'cli', 'web:anna', 'api:shop-sync'
);
