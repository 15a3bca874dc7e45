#!/usr/bin/env bash
# Consent with proof (issue 23): kt consent give|withdraw|show and their JSON, marketing_consent
# as the view of the rows (and writes to it becoming rows), campaigns checking the purpose of
# their channel only, expiry, the migration of an old workspace, kt.consent in Lua, the API.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

new_ws shop
expect 0 add person first_name=Ola last_name=Lis email=ola@example.com mobile="600 100 200"
OLA=$OUT

# --- give, withdraw, show
expect 0 consent show "$OLA" --json
equals "$(jqget "$OUT" '[.person, (.marketing_consent|tostring), (.history|length)] | join(" ")')" \
  "$OLA null 0" "a person who never said anything has no rows"
equals "$(jqget "$OUT" '[.current[] | .purpose + "=" + .state] | join(" ")')" \
  "email=none sms=none phone=none profiling=none" "the built-in purposes, none recorded"
expect 0 consent give "$OLA" email --source form --wording v3 --wording-text "We write once a month" \
  --note "newsletter box"
contains "$OUT" "email consent given for person $OLA" "said on the terminal"
expect 0 consent withdraw "$OLA" sms --source call
expect 0 consent show "$OLA" --json
equals "$(jqget "$OUT" '.current[0] | [.purpose,.state,.source,.by,.wording,.wording_text,.note] | join("|")')" \
  "email|given|form|cli|v3|We write once a month|newsletter box" "the proof of the e-mail consent"
equals "$(jqget "$OUT" '.current[1] | [.purpose,.state,.source] | join("|")')" "sms|withdrawn|call" \
  "sms withdrawn"
equals "$(jqget "$OUT" '.current[0] | keys | join(",")')" \
  "at,batch,by,expires,id,note,purpose,source,state,wording,wording_text" "the row's shape"
equals "$(jqget "$OUT" '.history | length')" "2" "two rows"
equals "$(jqget "$OUT" '.history[0].at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")')" "true" \
  "when, in UTC"
equals "$(jqget "$OUT" '.marketing_consent')" "yes" "marketing_consent: yes while e-mail is given"
expect 0 consent show "$OLA"
contains "$OUT" "withdrawn" "the table shows the state"
contains "$OUT" "history:" "and the history"
expect 0 consent give "$OLA" email --source "campaign reply"
expect 0 consent show "$OLA" --json
equals "$(jqget "$OUT" '[.history[] | select(.purpose == "email")] | length')" "2" \
  "a new row, the old one kept"
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM kt_consent WHERE person = $OLA")" "3" \
  "append-only: three rows"

# --- wrong input
expect 64 consent give "$OLA" newsletter
contains "$ERR" "unknown consent purpose 'newsletter'" "an unknown purpose is refused"
expect 64 consent give "$OLA"
expect 64 consent give x email
expect 64 consent dance "$OLA" email
expect 66 consent give 999 email
expect 0 add company name=Acme
expect 66 consent give "$OUT" email
contains "$ERR" "not a person" "consent is a person's"
expect 0 add person first_name=Ola last_name=Lis email=ola2@example.com --allow-duplicate
expect 0 merge "$OLA" "$OUT"
expect 65 consent give "$(sqlite3 kartoteka.db "SELECT max(id) FROM kt_record WHERE state = 'merged'")" email
contains "$ERR" "was merged into $OLA" "a merged person's consent goes to the survivor"
cat >>kartoteka.lua <<'LUA'
settings { consent_purposes = "newsletter, loyalty" }
LUA
expect 0 consent give "$OLA" newsletter --source form
expect 0 consent show "$OLA" --json
equals "$(jqget "$OUT" '[.current[].purpose] | join(" ")')" \
  "email sms phone profiling newsletter loyalty" "declared purposes follow the built-in ones"

# --- marketing_consent is the view of the rows, and writing it records rows
expect 0 add person first_name=Jan last_name=Kot email=jan@example.com mobile="600 100 201" \
  marketing_consent=yes
JAN=$OUT
expect 0 consent show "$JAN" --json
equals "$(jqget "$OUT" '[.current[0:3][] | .purpose + "=" + .state + "/" + .source] | join(" ")')" \
  "email=given/marketing_consent sms=given/marketing_consent phone=given/marketing_consent" \
  "kt add marketing_consent=yes gives e-mail, SMS and phone"
expect 0 consent withdraw "$JAN" email
expect 0 consent withdraw "$JAN" sms
expect 0 get "$JAN" --json
equals "$(jqget "$OUT" .marketing_consent)" "yes" "phone still given: yes"
expect 0 consent withdraw "$JAN" phone
expect 0 get "$JAN" --json
equals "$(jqget "$OUT" .marketing_consent)" "no" "all three withdrawn: no"
expect 0 history "$JAN" --json
equals "$(jqget "$OUT" '[.[] | select(.field == "marketing_consent")] | last | [.old,.new,.source] | join(" ")')" \
  "yes no cli" "the derived change is in the history"
expect 0 set "$JAN" marketing_consent=yes
expect 0 consent show "$JAN" --json
equals "$(jqget "$OUT" '[.current[0:3][].state] | join(" ")')" "given given given" \
  "kt set marketing_consent=yes gives all three again"
expect 0 set "$JAN" marketing_consent=
expect 0 get "$JAN" --json
equals "$(jqget "$OUT" .marketing_consent)" "yes" "clearing it does not forget the consents"
expect 0 set "$JAN" marketing_consent=no
expect 0 consent show "$JAN" --json
equals "$(jqget "$OUT" '[.current[0:3][].state] | join(" ")')" "withdrawn withdrawn withdrawn" \
  "kt set marketing_consent=no withdraws all three"
equals "$(jqget "$OUT" '.history | length')" "12" "3 given, 3 withdrawn by hand, 3 given, 3 withdrawn"

# --- campaigns: the channel's purpose only
cat >>kartoteka.lua <<'LUA'
campaign "both" {
  entity = "person",
  action = function(r, day)
    if r.email then kt.send { channel = "email", to = r.email, subject = "Hi", text = "Hello" } end
    if r.mobile then kt.send { channel = "sms", to = r.mobile, text = "Hello" } end
  end,
}
LUA
expect 0 add person first_name=Ewa last_name=Mak email=ewa@example.com mobile="600 100 202" \
  marketing_consent=yes
EWA=$OUT
expect 0 add person first_name=Bez last_name=Zgody email=bez@example.com mobile="600 100 203"
BEZ=$OUT
expect 0 campaign run both --dry-run --json
equals "$(jqget "$OUT" "[.[] | select(.record == \"$EWA\") | .messages[].channel] | sort | join(\" \")")" \
  "email sms" "consent to all: e-mail and SMS"
expect 0 consent withdraw "$EWA" sms --source "campaign reply" --note "STOP"
expect 0 campaign run both --json
M=$OUT
equals "$(jqget "$M" "[.[] | .messages[] | select(.to == \"ewa@example.com\")] | length")" "1" \
  "withdrawing SMS keeps e-mail"
equals "$(jqget "$M" "[.[] | .messages[] | select(.to == \"+48600100202\")] | length")" "0" \
  "withdrawing SMS stops SMS"
equals "$(jqget "$M" "[.[] | .skipped_consent[]? | select(.to == \"+48600100202\")] | length")" "1" \
  "the SMS is reported as refused for consent"
equals "$(jqget "$M" "[.[] | .messages[] | select(.to == \"bez@example.com\" or .to == \"+48600100203\")] | length")" \
  "2" "no record at all and no marketing_consent: both go, as before consent records"
equals "$(jqget "$M" "[.[] | .messages[] | select(.to == \"jan@example.com\" or .to == \"+48600100201\")] | length")" \
  "0" "marketing_consent no (all withdrawn): nothing"
equals "$(jqget "$M" "[.[] | .messages[] | select(.to == \"ola@example.com\")] | length")" "1" \
  "given by kt consent: e-mail goes"
equals "$(jqget "$M" "[.[] | .messages[] | select(.to == \"+48600100200\")] | length")" "0" \
  "withdrawn by kt consent, no marketing_consent: SMS refused"
expect 0 outbox list --json
equals "$(jqget "$OUT" '[.[] | select(.recipient == "+48600100202")] | length')" "0" \
  "nothing queued for the withdrawn channel"

# --- expiry from settings { consent_valid_months = N }
new_ws expiry
cat >>kartoteka.lua <<'LUA'
settings { consent_valid_months = 24 }
campaign "mail" {
  entity = "person",
  action = function(r, day) kt.send { channel = "email", to = r.email, text = "Hello" } end,
}
LUA
expect 0 add person first_name=Ada last_name=Nowak email=ada@example.com
ADA=$OUT
KT_NOW=2026-01-31T10:00:00 expect 0 consent give "$ADA" email
KT_NOW=2026-02-01T10:00:00 expect 0 consent show "$ADA" --json
equals "$(jqget "$OUT" '.current[0] | [.state, .expires] | join(" ")')" "given 2028-01-31T10:00:00Z" \
  "expires 24 months after it was given"
KT_NOW=2028-02-01T10:00:00 expect 0 consent show "$ADA" --json
equals "$(jqget "$OUT" '.current[0].state')" "expired" "expired once that passed"
KT_NOW=2028-02-01T10:00:00 expect 0 campaign run mail --json
equals "$(jqget "$OUT" '[.[] | .messages[]] | length')" "0" "an expired consent sends nothing"
equals "$(jqget "$OUT" '[.[] | .skipped_consent[]?] | length')" "1" "refused for consent"
sed -i 's/consent_valid_months = 24/consent_valid_months = "two years"/' kartoteka.lua
expect 65 consent give "$ADA" email
contains "$ERR" "consent_valid_months" "a bad setting is named"

# --- the import writes marketing_consent through the write door: rows with the batch
new_ws imp --example pet-shop
cat >persons.csv <<'CSV'
external_id,first_name,last_name,gender,birth_date,email,mobile,city,street,postal_code,country,company,pets,expected_gifts,source,marital_status,marketing_consent,notes
C1,Ola,Lis,F,1990-01-02,ola@example.com,,Kraków,,,PL,,dog,book,radio,single,yes,
C2,Jan,Kot,M,1980-03-02,jan@example.com,,Gdańsk,,,PL,,cat,wine,,,no,
CSV
expect 0 import persons.csv --script imports/persons.lua --json
BATCH=$(jqget "$OUT" .batch)
ID=$("$KT" list person --where marketing_consent=no --json | jq -r '.[0].id')
expect 0 consent show "$ID" --json
equals "$(jqget "$OUT" '[.history[] | .purpose + "=" + .state + "/" + .source + "/" + (.batch|tostring)] | join(" ")')" \
  "email=withdrawn/import/$BATCH sms=withdrawn/import/$BATCH phone=withdrawn/import/$BATCH" \
  "an imported no becomes withdrawals naming the batch"
expect 0 import persons.csv --script imports/persons.lua --json
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_consent')" "6" \
  "a re-run with the same values records nothing"

# --- an old workspace: each yes/no becomes rows whose source says migrated
new_ws old
expect 0 add person first_name=Tak last_name=A marketing_consent=yes
YES=$OUT
expect 0 add person first_name=Nie last_name=B marketing_consent=no
NO=$OUT
expect 0 add person first_name=Nic last_name=C
NONE=$OUT
# the database as kt wrote it before consent records (schema 12): no kt_consent, the values only
sqlite3 kartoteka.db "DROP TABLE kt_consent; DROP TABLE kt_consent_todo; PRAGMA user_version = 12;"
expect 0 consent show "$YES" --json
equals "$(jqget "$OUT" '[.history[] | .purpose + "=" + .state + "/" + .source] | join(" ")')" \
  "email=given/migrated sms=given/migrated phone=given/migrated" "yes became three given rows"
equals "$(jqget "$OUT" '.history[0].note')" "marketing_consent was yes" "the note says from what"
expect 0 consent show "$NO" --json
equals "$(jqget "$OUT" '[.history[] | .state + "/" + .source] | unique | join(" ")')" \
  "withdrawn/migrated" "no became withdrawals"
equals "$(jqget "$OUT" .marketing_consent)" "no" "the value reads the same"
expect 0 consent show "$NONE" --json
equals "$(jqget "$OUT" '.history | length')" "0" "no value, no rows"
equals "$(sqlite3 kartoteka.db 'PRAGMA user_version')" "$(ls "$SRC"/schema/*.sql | sed 's|.*/||' | sort | tail -1 | sed 's/_.*//; s/^0*//')" \
  "migrated to the newest schema"
expect 0 list person --count
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_consent')" "6" "migrated once, not at every open"

# --- kt.consent in Lua
new_ws lua
expect 0 add person first_name=Lua last_name=Script email=lua@example.com
LUA_ID=$OUT
cat >consent.lua <<LUA
assert(kt.consent.give($LUA_ID, "email", { source = "form", wording = "v2", note = "web form" }))
assert(kt.consent.withdraw($LUA_ID, "profiling", { source = "call" }))
local ok, why = kt.consent.give($LUA_ID, "carrier_pigeon")
assert(ok == nil and why:find("unknown consent purpose"), why)
local c = kt.consent.show($LUA_ID)
kt.print(c.person, c.marketing_consent, #c.history, c.current[1].purpose, c.current[1].state,
         c.current[1].wording, c.current[1].by, c.current[4].state)
kt.print(kt.consent.state($LUA_ID, "email"), kt.consent.state($LUA_ID, "sms"))
LUA
expect 0 run consent.lua
equals "$OUT" "$(printf '%s\tyes\t2\temail\tgiven\tv2\tscript consent.lua\twithdrawn\ngiven\tnone' "$LUA_ID")" \
  "kt.consent.give, withdraw, show and state"

# --- the API: staff give and withdraw, viewers read
STAFF=$("$KT" token add desk --role staff)
VIEWER=$("$KT" token add reader --role viewer)
start_serve http
call "$VIEWER" GET "/person/$LUA_ID/consents"
status 200 "a viewer reads consents"
equals "$(jqget "$BODY" '[.person, .current[0].state] | join(" ")')" "$LUA_ID given" "the same document"
call "$VIEWER" POST "/person/$LUA_ID/consents" -d '{"purpose": "sms", "action": "give"}'
status 403 "a viewer may not give consent"
call "$STAFF" POST "/person/$LUA_ID/consents" \
  -d '{"purpose": "sms", "action": "give", "source": "form", "wording": "v4"}'
status 201 "staff give consent"
equals "$(jqget "$BODY" '.current[1] | [.purpose, .state, .source, .by, .wording] | join(" ")')" \
  "sms given form api:desk v4" "recorded with who gave it"
call "$STAFF" POST "/person/$LUA_ID/consents" -d '{"purpose": "sms", "action": "withdraw"}'
status 201 "staff withdraw consent"
equals "$(jqget "$BODY" '.current[1].state')" "withdrawn" "withdrawn"
call "$STAFF" POST "/person/$LUA_ID/consents" -d '{"purpose": "sms", "action": "forget"}'
status 400 "an unknown action"
call "$STAFF" POST "/person/$LUA_ID/consents" -d '{"purpose": "telepathy", "action": "give"}'
status 400 "an unknown purpose"
call "$STAFF" GET "/person/999/consents"
status 404 "no such person"
call "$STAFF" GET "/openapi.json"
equals "$(jqget "$BODY" '.paths["/person/{id}/consents"] | keys | join(" ")')" "get post" \
  "described in the OpenAPI document"

finish
