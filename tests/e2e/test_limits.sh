#!/usr/bin/env bash
# Limits (issue 9, point 7): input past a reader's limit is a clear error naming the limit, in
# bounded memory, and the database is left exactly as it was. The huge cell is streamed from
# /dev/zero, never held by the test.
. "$(dirname "$0")/lib.sh"

new_ws lim
expect 0 add person first_name=Ola last_name=Lis
dump() { sqlite3 kartoteka.db .dump | sha256sum; }
# peak CMD...: runs kt under GNU time; $RC, $ERR as run does, $PEAK_KB the peak resident set
peak() {
  set +e
  # ASan keeps freed blocks in quarantine: not memory the reader holds
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=0" \
    /usr/bin/time -f %M -o "$TMP/.peak" "$KT" "$@" >/dev/null 2>"$TMP/.err"
  RC=$?
  set -e
  ERR=$(cat "$TMP/.err")
  PEAK_KB=$(tail -1 "$TMP/.peak")
}

# --- a normal import, for the memory baseline
printf 'first_name,last_name,notes\nJan,Nowak,short\n' >small.csv
before=$(dump)
peak import small.csv --entity person --dry-run
equals "$RC" 0 "a small import runs: $ERR"
BASE_KB=$PEAK_KB

# --- one cell of 100 MiB: more than the 16 MiB cell limit, and than any buffer should hold
CELL_MB=${KT_LIMITS_CELL_MB:-100}
{
  printf 'first_name,last_name,notes\nAnna,Kot,"'
  head -c $((CELL_MB * 1024 * 1024)) /dev/zero | tr '\0' 'x'
  printf '"\nJan,Nowak,short\n'
} >huge.csv
before=$(dump)
peak import huge.csv --entity person
equals "$RC" 65 "a huge cell is bad data (exit 65), not a crash: $ERR"
contains "$ERR" "max_cell" "the error names the limit"
contains "$ERR" "line 2" "the error names the line"
equals "$(dump)" "$before" "the database is unchanged after the refused import"
growth_mb=$(((PEAK_KB - BASE_KB) / 1024))
echo "peak memory: ${PEAK_KB} KiB for the ${CELL_MB} MiB cell, ${BASE_KB} KiB for a small file"
[ "$growth_mb" -lt $((CELL_MB * 3 / 4)) ] && pass ||
  fail "memory grew by ${growth_mb} MiB reading a ${CELL_MB} MiB cell: the cell is buffered whole"
rm -f huge.csv

# --- an unquoted huge cell (a line without a newline): the same limit
{
  printf 'first_name,last_name,notes\nAnna,Kot,'
  head -c $((20 * 1024 * 1024)) /dev/zero | tr '\0' 'y'
  printf '\n'
} >line.csv
run import line.csv --entity person
equals "$RC" 65 "an endless unquoted cell: exit 65 ($ERR)"
contains "$ERR" "max_cell" "the error names the limit"
equals "$(dump)" "$before" "the database is unchanged"
rm -f line.csv

# --- too many cells in a row
{
  printf 'first_name,last_name'
  for _ in $(seq 1 5000); do printf ',c'; done
  printf '\nAnna,Kot\n'
} >wide.csv
run import wide.csv --entity person
equals "$RC" 65 "5000 cells in a row: exit 65 ($ERR)"
contains "$ERR" "max_fields" "the error names the limit"
equals "$(dump)" "$before" "the database is unchanged"

# --- JSON nested deeper than the limit
{
  printf '[{"first_name":"Anna","last_name":"Kot","notes":'
  for _ in $(seq 1 200); do printf '['; done
  for _ in $(seq 1 200); do printf ']'; done
  printf '}]\n'
} >deep.json
run import deep.json --entity person
equals "$RC" 65 "JSON nested 200 deep: exit 65 ($ERR)"
contains "$ERR" "max_depth" "the error names the limit"
equals "$(dump)" "$before" "the database is unchanged"

# --- a refused import leaves no batch behind that claims records
run import list --json
equals "$(jqget "$OUT" '[.[] | select(.status == "done")] | length')" 0 "no refused import is listed as done"
finish
