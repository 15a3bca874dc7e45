#!/usr/bin/env bash
# Concurrency (issue 9, point 4): several kt processes write one workspace at the same time
# while another reads. No error may reach the user (every exit 0, nothing about a locked or
# busy database on stderr), no write may be lost, and every record has its history.
#   A. four `kt run` scripts saving KT_CONC_RECORDS (1000) records each: `kt run` holds one
#      transaction (BEGIN IMMEDIATE) for the whole script, so they queue on the write lock;
#   B. four loops of KT_CONC_ADDS (50) short `kt add` each: contention between many short
#      transactions;
# and, during both, a reader looping over `kt list`, `kt find` and `kt get`.
. "$(dirname "$0")/lib.sh"

RECORDS=${KT_CONC_RECORDS:-1000}
ADDS=${KT_CONC_ADDS:-50}
WRITERS=4

new_ws conc
# a script of 1000 saves outlives the default 1 s budget of a call; the duplicate check runs
# on every save but compares only external_id, unique here: the generated names look alike
cat >>kartoteka.lua <<'LUA'
settings { script_time_ms = 600000 }
dedupe "person" { threshold = 1, compare = { { field = "external_id", method = "exact", weight = 1 } } }
LUA
cat >writer.lua <<'LUA'
local w, n = kt.args[1], tonumber(kt.args[2])
for i = 1, n do
  local id, why = kt.save { entity = "person", first_name = "Writer" .. w, last_name = "N" .. i,
                            city = "Miasto " .. w, external_id = "W" .. w .. "-" .. i }
  assert(id, "save " .. i .. " of writer " .. w .. " failed")
end
LUA

# reader LOGDIR: reads until LOGDIR/stop exists; one line per command: "exit-code command"
reader() {
  set +e
  local dir=$1 i=0
  while [ ! -e "$dir/stop" ]; do
    i=$((i + 1))
    "$KT" list person --limit 5 >/dev/null 2>>"$dir/reader.err"
    echo "$? list" >>"$dir/reader.log"
    "$KT" find Writer1 >/dev/null 2>>"$dir/reader.err"
    echo "$? find" >>"$dir/reader.log"
    "$KT" list person --where city="Miasto 2" --json >/dev/null 2>>"$dir/reader.err"
    echo "$? list --where" >>"$dir/reader.log"
  done
}

# check_logs DIR WHAT: every command of the run exited 0 and said nothing about locks
check_logs() {
  local dir=$1 what=$2 bad
  bad=$(cat "$dir"/*.log | grep -cv '^0 ' || true)
  equals "$bad" 0 "$what: commands that failed ($(cat "$dir"/*.log | grep -v '^0 ' | sort | uniq -c | head -3 | tr '\n' ' '))"
  local errs
  errs=$(cat "$dir"/*.err)
  equals "$errs" "" "$what: nothing on stderr"
  lacks "$errs" "locked" "$what: no 'database is locked' reaches the user"
  local reads
  reads=$(wc -l <"$dir/reader.log")
  [ "$reads" -gt 0 ] && pass || fail "$what: the reader ran"
  echo "$what: $reads reads during the writes"
}

# --- A: four long scripts
A="$TMP/a"
mkdir -p "$A"
reader "$A" &
rpid=$!
pids=()
for w in $(seq 1 $WRITERS); do
  (
    set +e
    "$KT" run writer.lua "$w" "$RECORDS" >/dev/null 2>"$A/writer$w.err"
    echo "$? run writer $w" >"$A/writer$w.log"
  ) &
  pids+=($!)
done
wait "${pids[@]}"
touch "$A/stop"
wait "$rpid"
check_logs "$A" "4 x kt run"
for w in $(seq 1 $WRITERS); do
  equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person WHERE first_name = 'Writer$w'")" \
    "$RECORDS" "writer $w: every record saved"
done
TOTAL_A=$((WRITERS * RECORDS))
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_record')" "$TOTAL_A" "no write lost"
equals "$(sqlite3 kartoteka.db "SELECT count(DISTINCT record) FROM kt_change WHERE action = 'create'")" \
  "$TOTAL_A" "a create row in history for every record"
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM kt_change WHERE action = 'create'")" \
  "$TOTAL_A" "one history row per create"
# a create's fields are one JSON object in its row
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person p WHERE NOT EXISTS (SELECT 1 FROM kt_change c WHERE c.record = p.id AND c.action = 'create' AND c.field IS NULL AND json_extract(c.new, '$.last_name') = p.last_name)")" \
  0 "every record's fields in its history"
# kt history itself, for the first and the last record of each writer
for w in 1 $WRITERS; do
  for id in $(sqlite3 kartoteka.db "SELECT min(id), max(id) FROM person WHERE first_name = 'Writer$w'" | tr '|' ' '); do
    expect 0 history "$id" --json
    equals "$(jqget "$OUT" '[.[] | select(.action == "create" and .field == null)] | length')" 1 \
      "kt history $id: its create row"
    equals "$(jqget "$OUT" '[.[] | select(.field == "last_name")] | length')" 1 \
      "kt history $id: the fields' rows"
  done
done

# --- B: many short kt add in parallel loops
B="$TMP/b"
mkdir -p "$B"
reader "$B" &
rpid=$!
pids=()
for w in $(seq 1 $WRITERS); do
  (
    set +e
    for i in $(seq 1 "$ADDS"); do
      "$KT" add person first_name="Adder$w" last_name="N$i" external_id="A$w-$i" >/dev/null \
        2>>"$B/adder$w.err"
      echo "$? add $w $i" >>"$B/adder$w.log"
    done
  ) &
  pids+=($!)
done
wait "${pids[@]}"
touch "$B/stop"
wait "$rpid"
check_logs "$B" "4 x $ADDS kt add"
for w in $(seq 1 $WRITERS); do
  equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person WHERE first_name = 'Adder$w'")" \
    "$ADDS" "adder $w: every record saved"
done
TOTAL=$((TOTAL_A + WRITERS * ADDS))
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_record')" "$TOTAL" "no write lost (A + B)"
equals "$(sqlite3 kartoteka.db "SELECT count(DISTINCT record) FROM kt_change WHERE action = 'create'")" \
  "$TOTAL" "a create row in history for every record (A + B)"
equals "$(sqlite3 kartoteka.db 'PRAGMA integrity_check')" ok "integrity_check"

# --- C: a reader while another process holds the write lock (an import in progress): commands
# that only read never take the write lock, so they neither wait nor fail.
printf 'BEGIN IMMEDIATE;\nINSERT INTO kt_batch(kind, source, started_at, status) VALUES (%s);\n.shell sleep 4\nROLLBACK;\n' \
  "'import', 'hold', 'now', 'running'" | sqlite3 kartoteka.db &
hpid=$!
sleep 1
start=$(date +%s%N)
expect 0 list person --limit 1
expect 0 find Holder
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed" -lt 3000 ] && pass || fail "readers waited for the writer (${elapsed} ms)"
wait "$hpid" || true
finish
