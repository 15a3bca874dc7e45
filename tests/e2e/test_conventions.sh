#!/usr/bin/env bash
# The command line's conventions (issue 21): -q/-v, colour only on a terminal and never with
# NO_COLOR, progress on stderr only on a terminal, --dry-run on the commands that write in bulk.
# Terminal behaviour is checked under a pseudo-terminal (python3's pty).
. "$(dirname "$0")/lib.sh"
export TERM=xterm
unset NO_COLOR
# tty CMD...: runs kt with stdin, stdout and stderr on a pseudo-terminal; $OUT holds all it
# wrote (both streams), $RC its exit code.
tty() {
  set +e
  OUT=$(python3 -c '
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    out += data
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))' "$KT" "$@")
  RC=$?
  set -e
}
ESC=$'\033'
new_ws conv
# 1100 people, so listing them reports progress (every 512 records)
{ echo "first_name,last_name"; for i in $(seq 1 1100); do echo "Anna$i,Nowak$i"; done; } >people.csv
expect 0 -q import people.csv --entity person --no-dedupe
equals "$OUT" "" "-q: no import summary"

# --- colour: errors and table headers on a terminal, never when piped or with NO_COLOR
tty lst
equals "$RC" "64" "an unknown command on a terminal"
contains "$OUT" "${ESC}[1;31mkt:${ESC}[0m unknown command" "an error is red on a terminal"
expect 64 lst
lacks "$ERR" "$ESC" "no colour when stderr is not a terminal"
NO_COLOR=1 tty lst
lacks "$OUT" "$ESC[" "no colour with NO_COLOR"
tty list person --limit 2
contains "$OUT" "${ESC}[1m" "the table's header is bold on a terminal"
expect 0 list person --limit 2
lacks "$OUT" "$ESC" "no colour when piped"
NO_COLOR=1 tty list person --limit 2
lacks "$OUT" "$ESC[" "a table without colour under NO_COLOR"

# --- progress: on stderr on a terminal, after its delay; never piped, never with -q
export KT_PROGRESS_DELAY_MS=0
tty export person --format csv --out all.csv
equals "$RC" "0" "export on a terminal"
contains "$OUT" "records  " "export shows progress on a terminal"
contains "$OUT" "/s" "with its rate"
contains "$OUT" $'\r' "the progress line redraws in place"
tty check person --json
contains "$OUT" "records  " "check shows progress"
tty dupes person
contains "$OUT" "records read" "dupes shows progress"
# a report's SQL counts nothing: the line says how long it has run
mkdir -p reports
cat >reports/slow.lua <<'LUA'
return { title = "Slow", params = {}, columns = { "n" }, run = function()
  local n = kt.query([[WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5000000)
                       SELECT count(*) AS n FROM c]])[1].n
  return { { n = n } }
end }
LUA
tty report slow
contains "$OUT" "report slow: " "a report shows how long it has run"
contains "$OUT" "5000000" "and then its rows"
tty -q export person --format csv --out all.csv --force
lacks "$OUT" "/s" "no progress with -q"
expect 0 export person --format csv --out all.csv --force
lacks "$ERR" "/s" "no progress when stderr is not a terminal"
unset KT_PROGRESS_DELAY_MS
tty export person --format csv --out all.csv --force
lacks "$OUT" "/s" "quick work shows no progress line (a second of quiet first)"

# --- -q and -v, before or after the command
expect 0 add person first_name=Ola last_name=Lis
ID=$OUT
expect 0 backup "$TMP/b.db"
contains "$OUT" "backed up to" "a confirmation without -q"
expect 0 backup "$TMP/b.db" --force -q
equals "$OUT" "" "-q after the command silences it"
expect 0 -v list person --count
equals "$OUT" "1101" "-v leaves the data alone"
contains "$ERR" "kt: workspace $TMP/conv" "-v names the workspace"
contains "$ERR" "exit 0 after" "-v says how long it took"
expect 64 -q -v list person
contains "$ERR" "-q and -v do not go together" "both"
expect 0 help
contains "$OUT" "-q, --quiet" "kt help lists the global options"

# --- --dry-run where a command writes in bulk
B=$(kt_batch() { "$KT" import list --json | jq -r '.[0].batch'; }; kt_batch)
expect 0 import undo "$B" --dry-run
contains "$OUT" "would be undone: 1100 created records archived" "import undo --dry-run counts"
contains "$ERR" "dry run: nothing was written" "says nothing was written"
expect 0 list person --count
equals "$OUT" "1101" "and nothing was"
expect 0 add person first_name=Ola last_name=Lis --allow-duplicate
DUP=$OUT
expect 0 merge "$ID" "$DUP" --dry-run
contains "$OUT" "would merge $DUP into $ID" "merge --dry-run"
expect 0 get "$DUP" --json
equals "$(jqget "$OUT" .state)" "active" "the dry run merged nothing"
echo 'kt.save{entity = "person", first_name = "Z", last_name = "Q"}' >make.lua
expect 0 run --dry-run make.lua
expect 0 list person --count
equals "$OUT" "1102" "kt run --dry-run wrote nothing"
expect 0 restore "$TMP/b.db" --force --dry-run
contains "$OUT" "would restore from $TMP/b.db: 1101 records" "restore --dry-run checks the file"
expect 0 list person --count
equals "$OUT" "1102" "and replaced nothing"
finish
