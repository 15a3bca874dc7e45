#!/usr/bin/env bash
# Import speed (issue 5): a 200 000-row persons-shaped file into a fresh pet-shop workspace
# through imports/persons.lua — the write door with every rule, match keys external_id/email/
# mobile (indexed lookups), history and the search index — against `sqlite3 .import` of the same
# file into a plain table, measured in the same run. Prints wall and CPU time, rows/s, peak
# memory and the ratios. Not a ctest test.
#   tests/bench/bench_import.sh [KT_BINARY] [ROWS] [--no-dedupe]
# ROWS defaults to 200000 (../shared/data/persons-200k.csv.gz when present, else generated).
# The import runs as a user runs it: a row whose external id, e-mail and mobile find no record
# is a new person, whom duplicate detection then looks for by similarity (blocking keys held in
# memory for the run); --no-dedupe switches that off. kt import --stages says where its CPU time
# went: read+map (the file read and decoded, the Lua map), dedupe lookup (match keys, the
# similarity lookup, held keys written between rows), write (the write door: rules, record,
# history, savepoints), index (full-text entries) and commit (the held duplicate keys stored,
# the search index filled, the commit).
set -euo pipefail
KT=${1:-${KT_BIN:-$(dirname "$0")/../../build/core/kt}}
ROWS=${2:-200000}
DEDUPE=
[ "${3:-}" = "--no-dedupe" ] && DEDUPE=--no-dedupe
KT=$(readlink -f "$KT")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/persons_setup.sh"
persons_setup import "$ROWS"

"$KT" init "$TMP/ws" --example pet-shop >/dev/null
cd "$TMP/ws"
/usr/bin/time -f "%e %U %S %M" -o "$TMP/kt.time" \
  "$KT" import "$FILE" --script imports/persons.lua $DEDUPE --json --stages > "$TMP/kt.json" \
  2> "$TMP/kt.err" || { cat "$TMP/kt.err" >&2; exit 1; }
cat "$TMP/kt.json"
grep -v '^stages' "$TMP/kt.err" >&2 || true
/usr/bin/time -f "%e %U %S %M" -o "$TMP/sq.time" sqlite3 "$TMP/base.db" ".import --csv $FILE t"
echo "baseline rows: $(sqlite3 "$TMP/base.db" 'SELECT count(*) FROM t')"

read -r kw ku ks km < "$TMP/kt.time"
read -r sw su ss sm < "$TMP/sq.time"
python3 - "$N" "$kw" "$ku" "$ks" "$km" "$sw" "$su" "$ss" "$sm" "$(grep '^stages' "$TMP/kt.err")" <<'PY'
import re, sys
n = int(sys.argv[1]); kw, ku, ks, km, sw, su, ss, sm = map(float, sys.argv[2:10])
kc, sc = ku + ks, su + ss
print(f"kt import     : {kw:8.2f} s wall, {kc:8.2f} s CPU, {n / max(kw, 1e-9):9.0f} rows/s (wall), "
      f"{n / max(kc, 1e-9):9.0f} rows/s (CPU), peak {km / 1024:.0f} MB")
print(f"sqlite3 import: {sw:8.2f} s wall, {sc:8.2f} s CPU, {n / max(sw, 1e-9):9.0f} rows/s (wall), "
      f"peak {sm / 1024:.0f} MB")
print(f"ratio         : {kw / max(sw, 1e-9):.1f}x wall, {kc / max(sc, 1e-9):.1f}x CPU "
      f"(issue 22: at most 10x at 200 000 rows, 12x and 150 MiB at 1 000 000)")
stages = re.findall(r"([a-z+ ]+?) ([0-9.]+) s", sys.argv[10].split(":", 1)[-1])
print("stages (CPU)  : " + ", ".join(f"{k.strip()} {float(v):.2f} s ({float(v) / max(sw, 1e-9):.1f}x)"
                                    for k, v in stages) + " -- (Nx): of the baseline's wall time")
PY
