-- The sales reports' rollup (issue 22): per customer and calendar month, the sum and the count of
-- the active sale lines (sale records in state 'active' with a customer, a date and an amount).
-- ABC, XYZ and their matrix read these few rows instead of every line. The write door keeps it
-- current (record/rollup_table.c); `kt check --rebuild` makes it again from the lines.
CREATE TABLE IF NOT EXISTS kt_sale_month (
  customer INTEGER NOT NULL,
  month    TEXT NOT NULL,                   -- 'YYYY-MM' of the lines' date
  amount   INTEGER NOT NULL,                -- sum of the lines' amounts as stored (cents)
  lines    INTEGER NOT NULL,                -- how many lines; a row without any is removed
  PRIMARY KEY (customer, month)
) WITHOUT ROWID;

-- Whether a rollup matches its lines. A workspace that already holds sales when it is migrated
-- gets an empty rollup marked unbuilt: reports read the lines until `kt check --rebuild`.
CREATE TABLE IF NOT EXISTS kt_rollup (
  name  TEXT PRIMARY KEY,
  built INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO kt_rollup(name, built)
  SELECT 'sale_month', NOT EXISTS (SELECT 1 FROM kt_record WHERE entity = 'sale');

-- The configuration last applied to the registry (issue 22): a hash of the kt build, the
-- built-in schema, kartoteka.lua, the files it requires, the plugins it loads and the registry's
-- version, with the files that went into it (one path a line). While the hash is unchanged, a
-- command still runs kartoteka.lua (its rules, defaults and campaigns) but does not declare its
-- entities and fields to the registry again.
CREATE TABLE IF NOT EXISTS kt_config_applied (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  hash  TEXT NOT NULL,
  files TEXT NOT NULL
);
