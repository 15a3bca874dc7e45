-- SQLite's functions and operators that Kartoteka's statements use, given the same meaning on
-- PostgreSQL, so one statement text serves both stores. Results are text in SQLite's own
-- spelling (compact JSON), so what is written and shown is identical on either store.

-- json(x): the JSON text itself, marked as JSON so json_object embeds it instead of quoting it.
CREATE FUNCTION json(doc text) RETURNS json LANGUAGE sql IMMUTABLE AS $$ SELECT doc::json $$;

-- json_object('k1', v1, 'k2', json(v2)): the one form the store writes, compact like SQLite's.
CREATE FUNCTION json_object(k1 text, v1 text, k2 text, v2 json) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT '{' || to_json(k1)::text || ':' || coalesce(to_json(v1)::text, 'null') || ',' ||
         to_json(k2)::text || ':' || coalesce(v2::text, 'null') || '}'
$$;

-- doc ->> '$.a.b': a member of the JSON text doc, as text (NULL when absent or not JSON).
CREATE FUNCTION kt_json_member(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN doc IS NULL OR NOT doc ~ '^\s*[\{\[]' THEN NULL
              WHEN path LIKE '$.%' THEN (doc::jsonb) #>> string_to_array(substr(path, 3), '.')
              ELSE (doc::jsonb) ->> path END
$$;
CREATE OPERATOR ->> (LEFTARG = text, RIGHTARG = text, FUNCTION = kt_json_member);
CREATE FUNCTION json_extract(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT kt_json_member(doc, path)
$$;

-- instr(haystack, needle): 1-based position, 0 when absent.
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT strpos(haystack, needle)
$$;

-- pragma_table_info('t'): the columns of a table, as SQLite's table-valued pragma lists them.
CREATE FUNCTION pragma_table_info(tbl text) RETURNS TABLE(cid integer, name text, type text)
LANGUAGE sql STABLE AS $$
  SELECT (ordinal_position - 1)::integer, column_name::text, data_type::text
  FROM information_schema.columns
  WHERE table_schema = current_schema() AND table_name = tbl ORDER BY ordinal_position
$$;

-- PRAGMA name (a read) arrives as SELECT kt_pragma('name'): the settings with a meaning here.
CREATE FUNCTION kt_pragma(name text) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT CASE name
    WHEN 'query_only' THEN (current_setting('transaction_read_only') = 'on')::integer
    WHEN 'foreign_keys' THEN 1
    ELSE NULL END
$$;

-- sqlite_master: the tables and indexes of the workspace, by type and name.
CREATE VIEW sqlite_master AS
  SELECT 'table'::text AS type, c.relname::text AS name, c.relname::text AS tbl_name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
  UNION ALL
  SELECT 'index'::text, i.relname::text, t.relname::text
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema();
