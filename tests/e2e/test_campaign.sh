#!/usr/bin/env bash
# Campaigns as a new user meets them, on the pet-shop example with generated clients: the
# birthday dry run equals the clients whose birthday falls 7 days later and who may be
# contacted (29 February included), a second run sends nothing, opted-out clients never
# appear, the file channel's messages show the gifts, `kt due` catches up once per missed day,
# two concurrent `kt due` do not double, failed deliveries are retried, drips stop on a reply.
source "$(dirname "$0")/lib.sh"
# gen N: N generated clients (a generous script budget: sanitizer builds are slow)
gen() {
  echo 'settings { script_time_ms = 120000 }' >>kartoteka.lua
  expect 0 run "$SRC/tests/e2e/campaign/gen_clients.lua" "$1"
}
GEN="$SRC/tests/e2e/campaign/gen_clients.lua"

# expected ids (sorted, one per line) of clients with birthday MM-DD who may be contacted
expected() {
  "$KT" list --show-pii person --json | jq -r --arg md "$1" '.[] | select(.birth_date != null and
    (.birth_date[5:] == $md) and .marketing_consent == "yes" and (.email != null or .mobile != null))
    | .id' | sort -n
}

new_ws shop --example pet-shop
gen 120
expect 0 campaign list --json
equals "$(jqget "$OUT" '.[0].name + " " + .[0].schedule + " " + (.[0].marketing|tostring)')" \
  "birthday daily 08:00 true" "campaign list"

# --- the dry run's audience is exactly the clients with a birthday 7 days later
expect 0 campaign run birthday --as-of 2027-03-01 --dry-run --json
WANT=$(expected 03-08)
GOT=$(jqget "$OUT" '.[].record' | sort -n)
equals "$GOT" "$WANT" "dry-run audience = birthdays on 03-08 with consent and a contact"
[ -n "$WANT" ] && pass || fail "the generator made no birthday clients"
equals "$(jqget "$OUT" '[.[] | .record | type] | unique | .[]')" "string" "record ids are strings"
equals "$(jqget "$OUT" '[.[] | .messages | length] | unique | .[]')" "1" "one message each"
equals "$(jqget "$OUT" '[.[] | .tasks[0].due] | unique | .[]')" "2027-03-06" "task due day + 5"
contains "$(jqget "$OUT" '.[0].messages[0].body')" "bone" "dry-run body lists the gifts"
NO=$("$KT" list person --where marketing_consent=no --json | jq -r '.[].id')
for id in $NO; do lacks " $(jqget "$OUT" '[.[].record] | join(" ")') " " $id " "opted-out $id in dry run"; done
expect 0 outbox list --json
equals "$(jqget "$OUT" 'length')" "0" "a dry run writes nothing"

# --- 29 February: on 28 February in common years, on 29 February in leap years
expect 0 add person first_name=Leap last_name=Year email=leap@example.com pets=cat \
  expected_gifts=mouse birth_date=1992-02-29 marketing_consent=yes
LEAP=$OUT
expect 0 add person first_name=Feb last_name=End email=feb@example.com pets=cat \
  expected_gifts=ball birth_date=1990-02-28 marketing_consent=yes
FEB28=$OUT
expect 0 campaign run birthday --as-of 2027-02-21 --dry-run --json
equals "$(jqget "$OUT" '[.[].record] | sort | join(" ")')" "$(echo "$LEAP $FEB28" | tr ' ' '\n' | sort | paste -sd' ')" \
  "2027: the 29 Feb and 28 Feb birthdays both on 28 Feb"
expect 0 campaign run birthday --as-of 2028-02-22 --dry-run --json
equals "$(jqget "$OUT" '[.[].record] | join(" ")')" "$LEAP" "2028 (leap): 29 Feb on 29 Feb only"
expect 0 campaign run birthday --as-of 2028-02-21 --dry-run --json
equals "$(jqget "$OUT" '[.[].record] | join(" ")')" "$FEB28" "2028: 28 Feb birthday alone on 28 Feb"

# --- a real run, then a second run sends nothing
expect 0 campaign run birthday --as-of 2027-03-01 --json
equals "$(jqget "$OUT" '.[].record' | sort -n)" "$WANT" "the real run reached the same clients"
expect 0 outbox list --json
N=$(jqget "$OUT" 'length')
equals "$N" "$(echo "$WANT" | wc -l | tr -d ' ')" "one queued message per client"
equals "$(jqget "$OUT" '[.[] | .status] | unique | .[]')" "queued" "queued before delivery"
equals "$(jqget "$OUT" '[.[] | has("id") and has("campaign") and has("record") and has("key") and has("channel") and has("to") and has("body") and has("status")] | unique | .[]')" \
  "true" "outbox fields"
expect 0 campaign run birthday --as-of 2027-03-01 --json
equals "$(jqget "$OUT" 'length')" "0" "the second run acts on nobody"
expect 0 outbox list --json
equals "$(jqget "$OUT" 'length')" "$N" "the second run queued nothing more"
for id in $NO; do lacks " $(jqget "$OUT" '[.[].record] | join(" ")') " " $id " "opted-out $id in the outbox"; done

# --- delivery through the file channel: one .eml per mail and one .sms per SMS, with the gifts
expect 0 outbox deliver --json
equals "$(jqget "$OUT" '.sent')" "$N" "every message delivered"
equals "$(ls outbox/*.eml outbox/*.sms 2>/dev/null | wc -l | tr -d ' ')" "$N" "one file per message"
expect 0 outbox list --json
ok=1
for row in $(jqget "$OUT" '.[] | .id + ":" + .record'); do
  mid=${row%%:*}; rid=${row##*:}
  n=$("$KT" get "$rid" --json | jq -r '.notes | ltrimstr("client ")')
  f=$(ls outbox/$mid.eml outbox/$mid.sms 2>/dev/null || true)
  grep -q "gift-$n, bone" "$f" || { ok=0; fail "outbox/$mid lacks gift-$n"; }
done
[ $ok = 1 ] && pass
equals "$(jqget "$OUT" '[.[] | .status] | unique | .[]')" "sent" "all sent"
expect 0 list activity --where class=campaign --where status=done --json
equals "$(jqget "$OUT" 'length')" "$N" "every sent message is a done campaign activity"
expect 0 outbox deliver --json
equals "$(jqget "$OUT" '.sent')" "0" "nothing is delivered twice"

# --- kt due: three missed days are caught up once per day
new_ws due --example pet-shop
gen 40
expect 0 due --now 2027-03-01T07:59 --json
equals "$(jqget "$OUT" '.runs | length')" "0" "not due before 08:00"
expect 0 due --now 2027-03-01T08:00 --json
equals "$(jqget "$OUT" '[.runs[].day] | join(" ")')" "2027-03-01" "first due run"
equals "$(jqget "$OUT" '.delivery.sent')" "$(expected 03-08 | wc -l | tr -d ' ')" "kt due delivers"
expect 0 due --now 2027-03-01T23:00 --json
equals "$(jqget "$OUT" '.runs | length')" "0" "once per day"
expect 0 due --now 2027-03-04T09:00 --json
equals "$(jqget "$OUT" '[.runs[].day] | join(" ")')" "2027-03-02 2027-03-03 2027-03-04" \
  "three missed days, three runs, each with its own day"
expect 0 campaign list --json
equals "$(jqget "$OUT" '.[0].last_run_day')" "2027-03-04" "last run day"

# --- two kt due at the same time do not both act
new_ws twice --example pet-shop
gen 150
# a preloaded test shim slows every SQLite step, so the two runs overlap (tests/crash/slow_step.c)
SHIM=${KT_SLOW_SHIM:-$(dirname "$KT")/../tests/libkt_slow_step.so}
SLOW_RUN=(env LD_PRELOAD="$SHIM" KT_SLOW_STEP_US=300 ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
("${SLOW_RUN[@]}" "$KT" due --now 2027-03-01T09:00 --json >"$TMP/due1.json" 2>"$TMP/due1.err") &
P1=$!
("${SLOW_RUN[@]}" "$KT" due --now 2027-03-01T09:00 --json >"$TMP/due2.json" 2>"$TMP/due2.err") &
P2=$!
wait $P1; R1=$?
wait $P2; R2=$?
equals "$R1 $R2" "0 0" "both kt due exit 0"
expect 0 outbox list --json
equals "$(jqget "$OUT" 'length')" "$(expected 03-08 | wc -l | tr -d ' ')" "concurrent kt due: every client once"
equals "$(jqget "$OUT" '[.[] | .record + "/" + .key] | unique | length')" "$(jqget "$OUT" 'length')" "no doubles"
BUSY=$(cat "$TMP/due1.err" "$TMP/due2.err")
A1=$(jq '[.runs[]?.acted] | add // 0' "$TMP/due1.json"); A2=$(jq '[.runs[]?.acted] | add // 0' "$TMP/due2.json")
equals "$((A1 + A2))" "$(expected 03-08 | wc -l | tr -d ' ')" "acted counts add up to the audience"

# --- failed deliveries are retried later and visible; the password never from kartoteka.lua
new_ws retry --example pet-shop
cat >>kartoteka.lua <<'LUA'
settings { email_channel = "smtp", smtp_url = "smtp://127.0.0.1:9", smtp_from = "shop@example.com",
           smtp_tls = "none", smtp_password = "hunter2-secret" }
LUA
expect 0 add person first_name=Ola last_name=Lis email=ola@example.com pets=dog expected_gifts=leash \
  birth_date=1990-03-08 marketing_consent=yes
expect 0 campaign run birthday --as-of 2027-03-01
expect 74 outbox deliver
expect 0 outbox list --json
equals "$(jqget "$OUT" '.[0].status + " " + (.[0].attempts|tostring)')" "failed 1" "failed delivery is kept"
contains "$(jqget "$OUT" '.[0].last_error')" "smtp_password" "refuses a password in kartoteka.lua"
lacks "$OUT" "hunter2" "the password is not in the outbox"
expect 0 history "$(jqget "$OUT" '.[0].record')"
lacks "$OUT" "hunter2" "nor in history"
[ "$(jqget "$("$KT" outbox list --json)" '.[0].next_attempt')" != null ] && pass || fail "next attempt set"
expect 0 outbox deliver --json
equals "$(jqget "$OUT" '.waiting')" "1" "not retried before its next attempt"
sed -i 's/, smtp_password = "hunter2-secret"//' kartoteka.lua
echo 'settings { smtp_password_env = "KT_TEST_SMTP_PASSWORD" }' >>kartoteka.lua
KT_NOW=2099-01-01T00:00:00 KT_TEST_SMTP_PASSWORD=s3cret expect 74 outbox deliver
expect 0 outbox list --json
equals "$(jqget "$OUT" '.[0].status + " " + (.[0].attempts|tostring)')" "failed 2" "retried at its time"
contains "$(jqget "$OUT" '.[0].last_error')" "smtp://127.0.0.1:9" "the channel's error is kept"
lacks "$OUT" "s3cret" "the password is not in the error"
echo 'settings { email_channel = "file", file_mbox = "sent.mbox" }' >>kartoteka.lua
KT_NOW=2099-02-01T00:00:00 expect 0 outbox deliver --json
equals "$(jqget "$OUT" '.sent')" "1" "delivered once the channel works"
equals "$(grep -c '^X-Kartoteka-Outbox-Id: ' sent.mbox)" "1" "mbox holds the message"
contains "$(cat sent.mbox)" "leash" "mbox message shows the gifts"
[ "$(stat -c %a sent.mbox)" = 600 ] && pass || fail "mbox is 0600"

# --- drips: no reply in 14 days sends the second message; a reply stops the drip
new_ws drip
cat >>kartoteka.lua <<'LUA'
campaign "welcome" {
  entity = "person",
  schedule = "daily 09:00",
  filter = { client_status = "prospect" },
  audience = function(r, day)
    local first = kt.last_activity(r.id, { class = "campaign", outcome = "welcome:step-1" })
    if first == nil then return true end                       -- step 1 for everyone new
    local reply = kt.last_activity(r.id, { kind = "email", class = "client interest" })
    if reply ~= nil and reply.at >= first.at then return false end -- replied: stop
    return day - kt.date.of(first.at:sub(1, 10)) >= 14           -- silent for 14 days: step 2
  end,
  key = function(r, day)
    return kt.last_activity(r.id, { class = "campaign", outcome = "welcome:step-1" }) and "step-2" or "step-1"
  end,
  action = function(r, day)
    local first = kt.last_activity(r.id, { class = "campaign", outcome = "welcome:step-1" })
    kt.send { channel = "email", to = r.email, subject = first and "Still thinking, {{name}}?" or "Welcome, {{name}}",
              text = "Hello {{name}}", data = { name = r.first_name } }
  end,
}
LUA
expect 0 add person first_name=Silent last_name=A email=a@example.com
A=$OUT
expect 0 add person first_name=Replier last_name=B email=b@example.com
B=$OUT
KT_NOW=2027-05-01T10:00:00 expect 0 campaign run welcome --as-of 2027-05-01 --json
equals "$(jqget "$OUT" '[.[].key] | unique | join(" ")')" "step-1" "step 1 to both"
KT_NOW=2027-05-03T10:00:00 expect 0 add activity person=$B kind=email class="client interest" at=2027-05-03T10:00:00 note="yes please"
KT_NOW=2027-05-10T10:00:00 expect 0 campaign run welcome --as-of 2027-05-10 --json
equals "$(jqget "$OUT" 'length')" "0" "nothing before 14 days"
KT_NOW=2027-05-15T10:00:00 expect 0 campaign run welcome --as-of 2027-05-15 --json
equals "$(jqget "$OUT" '[.[] | .record + ":" + .key] | join(" ")')" "$A:step-2" "silent one gets step 2, replier stops"
KT_NOW=2027-05-16T10:00:00 expect 0 campaign run welcome --as-of 2027-05-16 --json
equals "$(jqget "$OUT" 'length')" "0" "step 2 once"

# --- marketing: opted-out never contacted unless the campaign says marketing = false
cat >>kartoteka.lua <<'LUA'
campaign "service" { entity = "person", marketing = false,
  action = function(r, day) kt.task { title = "Check " .. r.first_name, person = r.id, due = day } end }
LUA
expect 0 add person first_name=NoMail last_name=C email=c@example.com marketing_consent=no
C=$OUT
KT_NOW=2027-05-20T10:00:00 expect 0 campaign run welcome --as-of 2027-05-20 --json
lacks "$(jqget "$OUT" '[.[].record] | join(" ")')" "$C" "opted-out not in a marketing campaign"
expect 0 campaign run service --as-of 2027-05-20 --dry-run --json
contains " $(jqget "$OUT" '[.[].record] | join(" ")') " " $C " "a service campaign (marketing = false) reaches them"

# --- errors people see
expect 66 campaign run nosuch
contains "$ERR" "no campaign \"nosuch\"" "unknown campaign"
expect 64 campaign run welcome --as-of 2027-13-45
expect 64 due --now yesterday

# --- the reminders helper: a task for every client with no activity for N days
new_ws remind
expect 0 add person first_name=Quiet last_name=Q email=q@example.com
Q=$OUT
KT_TODAY=2030-01-01 expect 0 run "$SRC/scripts/reminders.lua" 60
contains "$OUT" "1 call-back task" "reminders made one task"
KT_TODAY=2030-01-01 expect 0 run "$SRC/scripts/reminders.lua" 60
contains "$OUT" "0 call-back task" "and not a second one"
expect 0 list task --where person=$Q --json
equals "$(jqget "$OUT" '.[0].title')" "Call the client back" "the task"
expect 65 run "$SRC/scripts/reminders.lua"

finish
