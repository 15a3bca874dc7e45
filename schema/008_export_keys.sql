-- Export keys, migration 8. A workspace's own name for itself, made once, so that the records
-- it exports can be told apart from any other workspace's ("<uid>:<id>", stable for the life
-- of the workspace and of its backups); and the keys under which records came in from another
-- workspace's export, so references in such a file find their targets here and a second import
-- of the file finds the records the first one made.
-- (IF NOT EXISTS: a database set back to an older user_version runs this again unharmed.)
CREATE TABLE IF NOT EXISTS kt_workspace_uid (
  uid TEXT NOT NULL
);
INSERT INTO kt_workspace_uid(uid)
  SELECT lower(hex(randomblob(16))) WHERE NOT EXISTS (SELECT 1 FROM kt_workspace_uid);

CREATE TABLE IF NOT EXISTS kt_record_key (
  key    TEXT PRIMARY KEY,                     -- "<uid of the exporting workspace>:<its id>"
  record INTEGER NOT NULL REFERENCES kt_record(id)
) WITHOUT ROWID;
