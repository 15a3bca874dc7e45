#!/usr/bin/env bash
# Crash safety of campaigns: `kt due` (a campaign run, then delivery) is killed with SIGKILL at
# random moments on a workspace with a few hundred clients; after each kill the database must
# pass PRAGMA integrity_check, and a re-run must complete the day: every (campaign, record, key)
# has exactly one outbox message, every message is delivered, none is missing. A message may be
# delivered twice only when the kill fell between the channel's acceptance and our commit: the
# test counts those repeats (at most one per kill).
#   KT_CRASH_KILLS=1000 bash tests/e2e/test_campaign_crash.sh     (CI runs 25)
#   KT_CRASH_CLIENTS=300 (default 120), KT_CRASH_SLOW_US=100 (pause per SQLite step, by a shim)
# Then the same killed the way a cron wrapper is, with `timeout -s KILL` (the wrapper and kt both
# die; kt, orphaned, stays a zombie where init does not reap, as in Docker without --init), and
# re-run at once: the lock died with its process, so the re-run is never refused as busy.
#   KT_CRASH_TIMEOUT_KILLS=10 (default)
source "$(dirname "$0")/lib.sh"
# gen N: N generated clients (a generous script budget: sanitizer builds are slow)
gen() {
  echo 'settings { script_time_ms = 120000 }' >>kartoteka.lua
  expect 0 run "$SRC/tests/e2e/campaign/gen_clients.lua" "$1"
}
KILLS=${KT_CRASH_KILLS:-25}
CLIENTS=${KT_CRASH_CLIENTS:-120}
SLOW=${KT_CRASH_SLOW_US:-100}
TKILLS=${KT_CRASH_TIMEOUT_KILLS:-10}
# kills land mid-run because a preloaded test shim slows every SQLite step (tests/crash/slow_step.c)
SHIM=${KT_SLOW_SHIM:-$(dirname "$KT")/../tests/libkt_slow_step.so}
SLOW_RUN=(env LD_PRELOAD="$SHIM" KT_SLOW_STEP_US=$SLOW ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")

new_ws crash --example pet-shop
cat >>kartoteka.lua <<'LUA'
settings { email_channel = "file", sms_channel = "file", file_mbox = "sent.mbox" }
campaign "blast" {
  entity = "person",
  schedule = "daily 08:00",
  filter = { marketing_consent = "yes" },
  audience = function(r, day) return r.email ~= nil or r.mobile ~= nil end,
  key = function(r, day) return "blast-" .. tostring(day) end,
  action = function(r, day)
    kt.send { channel = r.email and "email" or "sms", to = r.email or r.mobile,
              text = "Hello {{name}}, today's offer: {{gifts}}", subject = "Offer {{day}}",
              data = { name = r.first_name, gifts = r.expected_gifts, day = day } }
    kt.task { title = "Follow up the offer", person = r.id, due = day + 3 }
  end,
}
LUA
gen "$CLIENTS"
AUDIENCE=$("$KT" list person --where marketing_consent=yes --json | jq '[.[] | select(.email != null or .mobile != null)] | length')
echo "clients $CLIENTS, blast audience $AUDIENCE per day, kills $KILLS"

# how long an undisturbed day takes, to aim the kills
day_of() { date -u -d "2030-01-01 + $1 days" +%Y-%m-%d; }
expect 0 due --now "$(day_of 0)T09:00" --json
T0=$(date +%s%N)
"${SLOW_RUN[@]}" "$KT" due --now "$(day_of 1)T09:00" >/dev/null 2>&1 || fail "calibration run"
SPAN_MS=$(( ($(date +%s%N) - T0) / 1000000 ))
echo "an undisturbed day takes ${SPAN_MS} ms"

corrupt=0; doubled=0; missing=0; repeats=0; landed=0
for k in $(seq 1 "$KILLS"); do
  now="$(day_of $((k + 1)))T09:00"
  "${SLOW_RUN[@]}" "$KT" due --now "$now" >/dev/null 2>&1 &
  pid=$!
  delay=$(( RANDOM % (SPAN_MS + 1) ))
  sleep "$(printf '0.%03d' $((delay % 1000)))"; [ $delay -ge 1000 ] && sleep $((delay / 1000))
  if kill -9 "$pid" 2>/dev/null; then landed=$((landed + 1)); fi
  wait "$pid" 2>/dev/null || true
  ic=$(sqlite3 kartoteka.db 'PRAGMA integrity_check' 2>&1)
  [ "$ic" = ok ] || { corrupt=$((corrupt + 1)); echo "kill $k: integrity_check: $ic" >&2; }
  # the re-run completes the day (and delivers what is pending)
  "$KT" due --now "$now" >/dev/null 2>"$TMP/rerun.err" || { fail "re-run after kill $k: $(cat "$TMP/rerun.err")"; }
done

# killed by timeout -s KILL, re-run at once
zombies=0
for k in $(seq 1 "$TKILLS"); do
  now="$(day_of $((KILLS + k + 1)))T09:00"
  delay=$(( RANDOM % (SPAN_MS + 1) ))
  # env execs kt, so the pid written is kt's own
  KTPID="$TMP/ktpid" timeout -s KILL "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))" \
    sh -c '"$@" >/dev/null 2>&1 & echo $! >"$KTPID"; wait' sh "${SLOW_RUN[@]}" "$KT" due --now "$now" \
    2>/dev/null || true
  [ "$(ps -o stat= -p "$(cat "$TMP/ktpid")" 2>/dev/null | cut -c1)" = Z ] && zombies=$((zombies + 1))
  rc=0
  "$KT" due --now "$now" >/dev/null 2>"$TMP/rerun.err" || rc=$?
  [ "$rc" -eq 0 ] || fail "re-run at once after timeout kill $k exited $rc: $(cat "$TMP/rerun.err")"
done
echo "timeout -s KILL: $TKILLS kills, $zombies left a zombie kt behind"
KILLS=$((KILLS + TKILLS))

# every day: one message per record of the audience, and no (campaign, record, key) twice
per_key=$(sqlite3 kartoteka.db "SELECT count(*) FROM (SELECT campaign, record, key FROM kt_outbox
  GROUP BY campaign, record, key HAVING count(*) > 1)")
doubled=$per_key
short=$(sqlite3 kartoteka.db "SELECT count(*) FROM (SELECT key, count(*) n FROM kt_outbox WHERE
  campaign = 'blast' GROUP BY key HAVING n != $AUDIENCE)")
days=$(sqlite3 kartoteka.db "SELECT count(DISTINCT key) FROM kt_outbox WHERE campaign = 'blast'")
equals "$days" "$((KILLS + 2))" "every day ran (calibration days and one per kill)"
equals "$short" "0" "every day reached its whole audience exactly"
ledger=$(sqlite3 kartoteka.db "SELECT count(*) FROM kt_campaign_ledger WHERE campaign = 'blast'")
equals "$ledger" "$(( (KILLS + 2) * AUDIENCE ))" "ledger rows = days x audience"
tasks=$("$KT" list task --where title="Follow up the offer" --json | jq length)
equals "$tasks" "$ledger" "one task per ledger row: the action's effects commit with it"
unsent=$(sqlite3 kartoteka.db "SELECT count(*) FROM kt_outbox WHERE status != 'sent'")
# delivered copies per outbox id, from the mbox (mail) and outbox/*.sms (an SMS is a file of its
# own, which a repeat rewrites in place: its repeats are not counted)
cat sent.mbox $(ls outbox/*.sms 2>/dev/null) | grep '^X-Kartoteka-Outbox-Id: ' | awk '{print $2}' | sort -n | uniq -c | awk '{print $2, $1}' >"$TMP/copies"
total=$(sqlite3 kartoteka.db "SELECT count(*) FROM kt_outbox")
delivered=$(wc -l <"$TMP/copies" | tr -d ' ')
missing=$((total - delivered + unsent))
repeats=$(awk '$2 > 1 {r += $2 - 1} END {print r + 0}' "$TMP/copies")
echo "kills $KILLS (landed $landed), corrupt databases $corrupt, doubled messages $doubled," \
     "missing $missing, repeats (channel accepted, commit lost) $repeats of $total messages"
equals "$corrupt" "0" "no corrupt database"
equals "$doubled" "0" "no message queued twice"
equals "$missing" "0" "no message missing"
[ "$repeats" -le "$KILLS" ] && pass || fail "more repeats ($repeats) than kills ($KILLS)"
finish
