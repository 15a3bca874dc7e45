#!/usr/bin/env bash
# Crash safety of import (issue 9, point 1): `kt import` of a generated file is killed with
# SIGKILL at random moments (tests/crash/crash.sh). After every kill: integrity_check is ok;
# every batch is done, undone or visibly interrupted (none left "running"); the file's
# records are all there or none are (the import is one transaction), never twice; undo works
# on the interrupted batch. At the end the same import, run again, completes with every record
# once, and a second run adds none.
#   KT_CRASH_KILLS (25) kills; KT_CRASH_ROWS (1000) rows. The long run:
#   KT_CRASH_KILLS=1000 ctest -R crash_import   (or run this file with KT_BIN etc. set)
. "$(dirname "$0")/lib.sh"

ROWS=${KT_CRASH_ROWS:-1000}
KILLS=${KT_CRASH_KILLS:-25}
CRASH="$SRC/tests/crash/crash.sh"

new_ws crash
WS=$PWD
# the generated names look alike: the duplicate check compares external_id only, unique here
cat >>kartoteka.lua <<'LUA'
settings { script_time_ms = 600000 }
dedupe "person" { threshold = 1, compare = { { field = "external_id", method = "exact", weight = 1 } } }
LUA
cat >people.lua <<'LUA'
return {
  entity = "person",
  read = { format = "csv" },
  match = { "external_id" },
  on_match = "update",
  map = function(row, ctx)
    return { external_id = row.external_id, first_name = row.first_name,
             last_name = row.last_name, city = row.city, email = row.email }
  end,
}
LUA
awk -v n="$ROWS" 'BEGIN {
  print "external_id,first_name,last_name,city,email"
  for (i = 1; i <= n; i++) printf "E%06d,Imię%d,Nazwisko%d,Kraków,p%d@example.com\n", i, i, i, i
}' >people.csv

# How long a full import takes here decides the spread of the kills (in a scratch copy).
mkdir -p "$TMP/timing"
cp kartoteka.lua people.lua people.csv "$TMP/timing/"
cp kartoteka.db "$TMP/timing/"
start=$(date +%s%N)
(cd "$TMP/timing" && "$KT" import people.csv --script people.lua >/dev/null 2>&1) ||
  fail "a full import runs"
ms=$((($(date +%s%N) - start) / 1000000))
echo "a full import of $ROWS rows takes ${ms} ms here; kills spread over 0..$((ms * 11 / 10)) ms"

cat >check.sh <<'SH'
set -u
cd "$WS"
fail() { echo "check $CRASH_ITER ($CRASH_OUTCOME): $*" >&2; exit 1; }
ic=$(sqlite3 kartoteka.db 'PRAGMA integrity_check') || fail "sqlite3 cannot read the database"
[ "$ic" = ok ] || fail "integrity_check: $ic"
list=$("$KT" import list --json 2>&1) || fail "kt import list: $list"
running=$(printf '%s' "$list" | jq '[.[] | select(.status == "running")] | length')
[ "$running" = 0 ] || fail "a batch of a dead process is still 'running': $list"
bad=$(printf '%s' "$list" | jq -r '[.[] | select(.status != "done" and .status != "interrupted" and .status != "undone")] | length')
[ "$bad" = 0 ] || fail "a batch in an unknown state: $list"
n=$(sqlite3 kartoteka.db 'SELECT count(*) FROM person')
dups=$(sqlite3 kartoteka.db 'SELECT count(*) - count(DISTINCT external_id) FROM person')
[ "$dups" = 0 ] || fail "$dups duplicate records"
done=$(printf '%s' "$list" | jq '[.[] | select(.status == "done")] | length')
if [ "$done" = 0 ]; then
  [ "$n" = 0 ] || fail "$n records, but no import is done"
else
  [ "$n" = "$ROWS" ] || fail "$n records after a done import of $ROWS rows"
fi
if [ "$CRASH_OUTCOME" = finished ] && [ "$CRASH_RC" != 0 ]; then
  fail "the import ended by itself with exit $CRASH_RC"
fi
# undo the newest interrupted batch: it must work and leave the records as they were
last=$(printf '%s' "$list" | jq -r '[.[] | select(.status == "interrupted")] | max_by(.batch | tonumber) | .batch // empty')
if [ -n "$last" ]; then
  out=$("$KT" import undo "$last" 2>&1) || fail "kt import undo $last (interrupted): $out"
  echo "$last" >>"$WS/undone.log"
  st=$("$KT" import list --json | jq -r --arg id "$last" '.[] | select(.batch == $id) | .status')
  [ "$st" = undone ] || fail "batch $last is '$st' after its undo"
  n2=$(sqlite3 kartoteka.db 'SELECT count(*) FROM person WHERE state = '"'"'active'"'"'' 2>/dev/null || echo "$n")
  [ "$n2" = "$n" ] || fail "undoing an interrupted batch changed the records ($n -> $n2)"
fi
exit 0
SH
# Two runs in three start from the empty database (kills while creating); every third keeps
# what the runs before left (kills while a re-run updates).
cp kartoteka.db "$TMP/empty.db"
cat >before.sh <<'SH'
[ $((CRASH_ITER % 3)) -eq 0 ] && exit 0
rm -f "$WS/kartoteka.db-wal" "$WS/kartoteka.db-shm"
cp "$EMPTY" "$WS/kartoteka.db"
SH
export WS KT ROWS EMPTY="$TMP/empty.db"
: >undone.log
if bash "$CRASH" --kills "$KILLS" --max-ms $((ms * 9 / 10 + 50)) --check "bash $WS/check.sh" \
  --before "bash $WS/before.sh" -- "$KT" -C "$WS" import "$WS/people.csv" --script "$WS/people.lua"; then
  pass
else
  fail "a check failed after a kill (above)"
fi
echo "interrupted batches undone after a kill: $(wc -l <undone.log)"

# --- the same import, run to the end: complete, each record once; and once more: no change
expect 0 import people.csv --script people.lua
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM person')" "$ROWS" "the re-run completes the import"
equals "$(sqlite3 kartoteka.db 'SELECT count(DISTINCT external_id) FROM person')" "$ROWS" "no duplicate record"
expect 0 import people.csv --script people.lua
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM person')" "$ROWS" "a second complete run adds nothing"
equals "$(sqlite3 kartoteka.db 'PRAGMA integrity_check')" ok "integrity_check at the end"
finish
