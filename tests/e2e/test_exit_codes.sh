#!/usr/bin/env bash
# Exit codes and messages that tell the truth (issue 15, the smaller ones): numbers on the
# command line are parsed strictly (exit 64), a read-only database is an I/O error (exit 74)
# that leaves no -wal/-shm behind, a plugin kartoteka.lua names but that is refused is a data
# error (exit 65), and the busy message states the wait that was really configured.
source "$(dirname "$0")/lib.sh"

new_ws shop
ID=$("$KT" add person first_name=Ola last_name=Nowak)

# --- numbers: every numeric argument through one strict parser
for args in "get 99999999999999999999999" "get -1" "get +$ID" "get ${ID}x" "get 0x10" "get ''" \
            "set 99999999999999999999 city=X" "archive 1.5" "restore 99999999999999999999" "history 9223372036854775808" \
            "merge $ID 99999999999999999999" "unmerge x" "import undo '-1; DROP'" \
            "dupes person --not $ID 99999999999999999999" "dupes person --explain $ID 2x" \
            "field add person.nick text --max-length 12abc" "field add person.nick text --scale -1"; do
  eval "run $args"
  equals "$RC" 64 "kt $args: refused as usage"
  contains "$ERR" "must be" "kt $args: says what a number must be"
done
for opt in "-1; DROP" "-1" "0" "abc" "99999999999999999999" "5 " "1e2"; do
  expect 64 list person --limit "$opt"
  contains "$ERR" "--limit must be" "list --limit '$opt' refused with a message"
  expect 64 find Ola --limit "$opt"
done
expect 0 list person --limit 1 --json
equals "$(jqget "$OUT" length)" 1 "a good --limit still works"
expect 0 get "$ID" --json
equals "$(jqget "$OUT" .first_name)" Ola "a good id still works"
expect 66 get 9223372036854775807

# --- the busy message states the configured wait
printf 'BEGIN IMMEDIATE;\nINSERT INTO kt_batch(kind, source, started_at, status) VALUES (%s);\n.shell sleep 3\nROLLBACK;\n' \
  "'import', 'hold', 'now', 'running'" | sqlite3 kartoteka.db &
hpid=$!
sleep 1
KT_BUSY_TIMEOUT_MS=300 run add person first_name=Busy last_name=Writer
equals "$RC" 75 "a writer behind another gives up with 75"
contains "$ERR" "for more than 300 ms" "the busy message states the real wait"
lacks "$ERR" "two minutes" "and not the default"
wait "$hpid" || true

# --- a refused plugin named in kartoteka.lua is an error, not a warning
cp kartoteka.lua kartoteka.lua.ok
echo 'plugin "no_such_plugin"' >>kartoteka.lua
expect 65 get "$ID"
contains "$ERR" 'plugin "no_such_plugin" not loaded' "the refusal is named"
contains "$ERR" "kartoteka.lua needs this plugin" "and why it stops"
printf 'not a plugin' >plugins/broken.so
chmod 600 plugins/broken.so
echo 'plugin "broken"' >>kartoteka.lua
expect 65 list person
mv kartoteka.lua.ok kartoteka.lua
expect 0 get "$ID"

# --- a read-only database: exit 74, no 0400 -wal/-shm left to block later writers. Root may
# write anything, so as root the command runs as nobody.
as_user=()
if [ "$(id -u)" = 0 ]; then
  command -v setpriv >/dev/null || { fail "setpriv is needed to test a read-only database as root"; finish; exit; }
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  chmod o+x "$TMP" "$PWD"
  chown -R 65534 .
  "${as_user[@]}" test -x "$KT" -a -r kartoteka.lua ||
    fail "nobody cannot reach $KT or this workspace: the read-only test needs both"
fi
rm -f kartoteka.db-wal kartoteka.db-shm
chmod 400 kartoteka.db
for cmd in "get $ID" "list person" "add person first_name=Ro last_name=Only"; do
  rc=0
  # shellcheck disable=SC2086
  "${as_user[@]}" "$KT" $cmd >/dev/null 2>"$TMP/ro.err" || rc=$?
  equals "$rc" 74 "kt $cmd on a read-only database: exit 74"
  contains "$(cat "$TMP/ro.err")" "cannot be written" "kt $cmd: says the database cannot be written"
done
[ -e kartoteka.db-wal ] || [ -e kartoteka.db-shm ] && fail "a read-only database left $(ls kartoteka.db-*)" || pass
chmod 600 kartoteka.db
rc=0
"${as_user[@]}" "$KT" add person first_name=Rw last_name=Again >/dev/null 2>"$TMP/rw.err" || rc=$?
equals "$rc" 0 "writable again: the next write works ($(cat "$TMP/rw.err"))"
finish
