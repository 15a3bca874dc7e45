#!/usr/bin/env bash
# Where the import's time cannot go below (issue 5's 5x aim), measured in one run against
# `sqlite3 .import` of the same file into a plain table:
#   read+map  kt import with the shipped imports/persons.lua whose map runs in full and then
#             returns nil: the file read, decoded and split, every row's Lua map run, nothing
#             validated, matched or written;
#   storage   the same rows written into a fresh pet-shop workspace with the cheapest form SQLite
#             has, set-based INSERT ... SELECT from the baseline's table in one transaction: the
#             kt_record row, the person row with its indexes, a create history row and the
#             full-text entry. No per-row statement, no rules, no matching, no duplicate keys.
# Both are lower bounds of parts of what `kt import` does per row; their sum bounds an import
# on one thread, and the larger of the two one that overlaps reading with writing.
#   tests/bench/bench_import_floor.sh [KT_BINARY] [ROWS]
set -euo pipefail
KT=$(readlink -f "${1:-${KT_BIN:-$(dirname "$0")/../../build/core/kt}}")
ROWS=${2:-200000}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/persons_setup.sh"
persons_setup floor "$ROWS"
timed() { # timed NAME CMD...: wall seconds of CMD into $TMP/NAME.time
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$TMP/$name.time" "$@"
}

timed base sqlite3 "$TMP/base.db" ".import --csv $FILE t"
[ "$(sqlite3 "$TMP/base.db" 'SELECT count(*) FROM t')" = "$N" ] || { echo "baseline lost rows" >&2; exit 1; }

"$KT" init "$TMP/map" --example pet-shop > /dev/null
grep -q '^return {$' "$TMP/map/imports/persons.lua" || { echo "persons.lua changed shape" >&2; exit 1; }
{
  sed 's/^return {$/local script = {/' "$TMP/map/imports/persons.lua"
  echo 'local map = script.map'
  echo 'script.map = function(row, ctx) map(row, ctx) return nil end'
  echo 'return script'
} > "$TMP/map/imports/map_only.lua"
(cd "$TMP/map" && timed map "$KT" import "$FILE" --script imports/map_only.lua --json > "$TMP/map.json")
grep -q "\"skipped\":$N," "$TMP/map.json" || { echo "map-only run: $(cat "$TMP/map.json")" >&2; exit 1; }

"$KT" init "$TMP/floor" --example pet-shop > /dev/null
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
timed storage sqlite3 "$TMP/floor/kartoteka.db" > "$TMP/steps.txt" <<SQL
ATTACH '$TMP/base.db' AS b;
PRAGMA cache_size = -65536;
BEGIN;
.timer on
INSERT INTO kt_batch(id, kind, source, started_at, finished_at, status)
  VALUES (1, 'import', 'floor', '$NOW', '$NOW', 'done');
INSERT INTO kt_record(id, entity, created_at, updated_at, batch)
  SELECT rowid, 'person', '$NOW', '$NOW', 1 FROM b.t;
INSERT INTO person(id, external_id, first_name, last_name, gender, birth_date, email, mobile, city,
                   street, postal_code, country, pets, expected_gifts, source, marital_status,
                   marketing_consent, notes)
  SELECT rowid, external_id, first_name, last_name, gender, birth_date, email, mobile, city,
         street, postal_code, country, json_array(pets), expected_gifts, source, marital_status,
         marketing_consent, nullif(notes, '') FROM b.t;
INSERT INTO kt_change(record, at, action, new, source, batch)
  SELECT rowid, '$NOW', 'create', json_object('external_id', external_id, 'first_name', first_name,
         'last_name', last_name, 'gender', gender, 'birth_date', birth_date, 'email', email,
         'mobile', mobile, 'city', city, 'street', street, 'postal_code', postal_code,
         'country', country, 'pets', json_array(pets), 'expected_gifts', expected_gifts,
         'source', source, 'marital_status', marital_status,
         'marketing_consent', marketing_consent, 'notes', nullif(notes, '')), 'import', 1 FROM b.t;
INSERT INTO kt_search(rowid, body)
  SELECT rowid, lower(first_name || ' ' || last_name || ' ' || email || ' ' || mobile || ' ' ||
                      city || ' ' || external_id || ' ' || expected_gifts) FROM b.t;
COMMIT;
SQL
[ "$(sqlite3 "$TMP/floor/kartoteka.db" 'SELECT count(*) FROM person')" = "$N" ] || { echo "storage lost rows" >&2; exit 1; }

python3 - "$N" "$TMP" <<'PY'
import sys
n, tmp = int(sys.argv[1]), sys.argv[2]
t = {k: list(map(float, open(f"{tmp}/{k}.time").read().split()))
     for k in ("base", "map", "storage")}
b = max(t["base"][0], 1e-9)
for k, label in (("base", "sqlite3 .import"), ("map", "read + Lua map"),
                 ("storage", "storage floor")):
    w, m = t[k]
    print(f"{label:16}: {w:6.2f} s wall, {n / max(w, 1e-9):8.0f} rows/s, peak {m / 1024:4.0f} MB, "
          f"{w / b:5.1f}x the baseline")
steps = [float(l.split()[3]) for l in open(f"{tmp}/steps.txt") if l.startswith("Run Time:")]
names = ("batch", "kt_record", "person + indexes", "history", "full-text", "commit")
print("  of which: " + ", ".join(f"{k} {v / b:.1f}x" for k, v in zip(names, steps) if k != "batch"))
s = t["map"][0] + t["storage"][0]
print(f"{'sum (a floor)':16}: {s:6.2f} s wall, {s / b:5.1f}x the baseline (aim of issue 5: 5x)")
PY
