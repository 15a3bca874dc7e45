#!/usr/bin/env bash
# Erasure that really erases (issue 23): a person written into every corner of a workspace —
# fields, edits (history), an import (its log and rejects kept under imports/), a merge (the
# loser and an alias), a campaign message (outbox, ledger key, the file channel's copy), a deal,
# a sale, an activity, the search index — is erased, and after it neither the database, its WAL
# nor any file of the workspace holds one of their values. Anonymise keeps what statistics need.
. "$(dirname "$0")/lib.sh"
export KT_TODAY=2026-06-01

NAME=Zxqvbelkovska
SURNAME=Qwertyanskaya
EMAIL=qq7-unique@example.org
LOSER_EMAIL=qq7-loser@example.org
STREET=Zxqvstreet
XID=ZXQ-C1
PHONE_DIGITS=601234567

new_ws shop --example pet-shop
cat >>kartoteka.lua <<'LUA'
settings { email_channel = "file" }
campaign "hello" {
  entity = "person",
  audience = function(r, day) return r.email ~= nil end,
  key = function(r, day) return "hello-" .. r.email end,
  action = function(r, day)
    kt.send { channel = "email", to = r.email, subject = "Hello " .. r.last_name,
              text = "Dear " .. r.first_name .. " " .. r.last_name .. ", we miss you." }
  end,
}
LUA

# --- the import: the person arrives from a file, a second row about them is rejected; the file,
# its log and its rejects are kept under imports/
H='external_id,first_name,last_name,gender,birth_date,email,mobile,city,street,postal_code,country,company,pets,expected_gifts,source,marital_status,marketing_consent,notes'
cat > imports/clients.csv <<CSV
$H
$XID,$NAME,Kowalska,F,1985-06-02,$EMAIL,601 234 567,Kraków,$STREET 5,30-001,PL,,dog,leash,,,yes,
ZXQ-C2,$NAME,Kowalska,Q?,1985-06-02,other-$EMAIL,,Kraków,,,PL,,dog,leash,,,yes,
OTH-1,Jan,Kot,M,1980-03-02,jan@example.com,,Gdańsk,,,PL,,cat,wine,,,yes,
CSV
expect 0 import imports/clients.csv --script imports/persons.lua --rejects imports/rejects.csv \
  --log imports/log.csv --json
equals "$(jqget "$OUT" '[.created,.rejected] | join(" ")')" "2 1" "two created, one rejected"
contains "$(cat imports/rejects.csv)" "$NAME" "the rejects name the person before"
P=$(jqget "$("$KT" get --external $XID --json)" .id)
JAN=$(jqget "$("$KT" get --external OTH-1 --json)" .id)

# --- edits: three changes, the old values in history
expect 0 set "$P" last_name=$SURNAME
expect 0 set "$P" notes="Met $NAME at the fair"
expect 0 set "$P" street="$STREET 7"

# --- a second import under another id matched by e-mail: the old id becomes an alias
sed 's/match = { "external_id", "email", "mobile" }/match = { "email" }/' imports/persons.lua \
  > imports/by_email.lua
printf '%s\n%s\n' "$H" "ZXQ-C1B,$NAME,$SURNAME,F,1985-06-02,$EMAIL,,Kraków,,,PL,,dog,leash,,,yes," \
  > imports/again.csv
expect 0 import imports/again.csv --script imports/by_email.lua --json
expect 0 get --external $XID --json
equals "$(jqget "$OUT" .id)" "$P" "the old external id is an alias of the person"

# --- a duplicate typed by hand, merged into the person
L=$("$KT" add person first_name=$NAME last_name=$SURNAME personal_email=$LOSER_EMAIL mobile="601 234 999" pets=cat \
  expected_gifts=ball external_id=ZXQ-LOSER --allow-duplicate)
expect 0 merge "$P" "$L"

# --- a deal, a sale and an activity about them; a campaign message, delivered to a file
D=$("$KT" add deal title="Renewal for $NAME" person="$P" amount=100)
expect 0 add sale customer="$P" date=2026-05-01 amount=250.00 product=Leash
expect 0 add sale customer="$JAN" date=2026-05-02 amount=40.00 product=Food
expect 0 add activity kind=call person="$P" note="Called $NAME about $EMAIL"
expect 0 campaign run hello --as-of 2026-06-01
expect 0 outbox deliver
contains "$(cat outbox/* 2>/dev/null)" "$NAME" "the file channel kept a copy of the message"
expect 0 consent give "$P" sms --source call --note "$NAME said yes at the counter"
expect 0 find $NAME --json
contains "$OUT" "\"$P\"" "search finds the person before"
expect 0 report abc --json
TOTAL_BEFORE=$(jqget "$OUT" '[.[].revenue | tonumber] | add')

# --- the export lists every corner
expect 0 person export "$P"
EXPORT=$OUT
equals "$(jqget "$EXPORT" '[.consents.history[] | select(.purpose == "sms")] | .[-1].source')" "call" \
  "export: the consent with its proof"
equals "$(jqget "$EXPORT" '.access_log | type')" "array" "export: the access log (empty: no server read)"
equals "$(jqget "$EXPORT" .record.id)" "$P" "export: the record"
equals "$(jqget "$EXPORT" '[.history[] | select(.action == "update")] | length >= 3')" true \
  "export: the edits"
equals "$(jqget "$EXPORT" '[.history[] | select(.batch != null)] | length > 0')" true \
  "export: the import batch in history"
equals "$(jqget "$EXPORT" '.related.deal[0].title')" "Renewal for $NAME" "export: the deal"
equals "$(jqget "$EXPORT" '.related.sale | length')" 1 "export: the sale"
equals "$(jqget "$EXPORT" '[.related.activity[].kind] | sort | join(" ")')" "call email" \
  "export: the activity and the message's"
equals "$(jqget "$EXPORT" '.messages[0].to')" "$EMAIL" "export: the message sent"
equals "$(jqget "$EXPORT" '.merges[0].loser')" "$L" "export: the merge"
equals "$(jqget "$EXPORT" '.merged_records[0].personal_email')" "$LOSER_EMAIL" \
  "export: the merged record"
equals "$(jqget "$EXPORT" '.aliases[0].value')" "$XID" "export: the alias"
expect 0 person export "$P" --format html
contains "$OUT" "<h2>history</h2>" "export: an HTML page"
lacks "$OUT" "<script" "export: nothing but escaped text"
expect 64 person export "$P" --format xml

# --- files kt writes where the user says, inside the workspace: an export in clear, a report,
# the rejects of an import kept beside the database, and a backup (a binary copy)
mkdir -p exports
expect 0 export person --show-pii --format csv --out exports/people.csv
contains "$(cat exports/people.csv)" "$EMAIL" "the export holds the person before"
expect 0 export --all --show-pii --format ndjson --out everything.ndjson
printf '%s\n' "$H" "ZXQ-C3,$NAME,$SURNAME,F,1985-06-02,third-$EMAIL,,Kraków,,,PL,,dog,leash,,,maybe," \
  > late.csv
expect 0 import late.csv --script imports/persons.lua --rejects late-rejects.csv --log late-log.csv
contains "$(cat late-rejects.csv)" "$NAME" "rejects kept beside the database name the person"
expect 0 backup backup.db

# --- erase: only with a reason, only by a manager or the owner
expect 64 person erase "$P"
expect 65 person erase "$L" --reason "asked"
contains "$ERR" "merged into $P" "a merged record is erased through the one it went into"
expect 0 person erase "$P" --reason "request by letter of 2026-05-30" --json
equals "$(jqget "$OUT" .checkpointed)" true "the WAL was emptied"
equals "$(jqget "$OUT" .records)" 2 "the person and the merged record"
equals "$(jqget "$OUT" .kept_files)" 1 "the backup is a binary file the erasure leaves alone"
contains "$ERR" "a backup is the owner's copy" "and says so"
contains "$(cat backup.db | tr -d '\0')" "$EMAIL" "the backup still holds the person: the owner's copy"
rm backup.db

for s in "$NAME" "$SURNAME" "$EMAIL" "$LOSER_EMAIL" "$STREET" "$XID" "ZXQ-C1B" "$PHONE_DIGITS" \
  "601 234 567" "601234999"; do
  HITS=$(grep -rlaF -- "$s" . || true)
  equals "$HITS" "" "no file of the workspace holds '$s' after the erasure"
done
[ -e kartoteka.db-wal ] && [ -s kartoteka.db-wal ] && fail "the WAL is not empty" || pass
contains "$(cat imports/clients.csv)" "Jan,Kot" "another person's line of the import is kept"

expect 0 history "$P" --json
equals "$(jqget "$OUT" '[.[] | select(.action == "erase")] | .[0].new')" \
  "request by letter of 2026-05-30" "the erasure is in the history with its reason"
expect 0 get "$P" --json
equals "$(jqget "$OUT" '[.first_name, .email, .mobile] | map(. == null) | all')" true \
  "the pii fields are tombstoned"
equals "$(jqget "$OUT" .city)" "Kraków" "a field that is not personal stays"
expect 0 get "$D" --json
equals "$(jqget "$OUT" '.title + " " + .person + " " + .amount')" "Renewal for [erased] $P 100.00" \
  "the deal stays, its amount too, and no longer names the person"
expect 0 find $NAME --json
equals "$(jqget "$OUT" length)" 0 "search no longer finds the person"
expect 0 report abc --json
equals "$(jqget "$OUT" '[.[].revenue | tonumber] | add')" "$TOTAL_BEFORE" \
  "the sales total of the report is unchanged"
expect 0 get "$JAN" --json
equals "$(jqget "$OUT" .email)" "jan@example.com" "another person is untouched"

# --- the outbox keeps the message, emptied
expect 0 person export "$P"
equals "$(jqget "$OUT" '[.messages[0].to, .messages[0].body] | join(" ")')" "[erased] [erased]" \
  "the message keeps no address and no body"

# --- anonymise: the year of birth, gender, city and enums stay; the rest goes the same way
new_ws anon --example pet-shop
A=$("$KT" add person first_name=$NAME last_name=$SURNAME gender=F birth_date=1985-06-02 \
  email=$EMAIL mobile="601 234 567" city=Kraków street="$STREET 1" job_title=Vet \
  notes="Likes $NAME-style names" pets=dog expected_gifts=ball marketing_consent=yes)
expect 0 set "$A" email=second-$EMAIL
expect 0 person anonymise "$A" --json
expect 0 get "$A" --json
equals "$(jqget "$OUT" '[.gender, .birth_date, .city, .job_title, .marketing_consent] | join(" ")')" \
  "F 1985-01-01 Kraków Vet yes" "anonymise keeps gender, the year of birth, the city, a title, enums"
equals "$(jqget "$OUT" '[.first_name, .last_name, .email, .mobile, .street, .notes] | map(. == null) | all')" \
  true "anonymise erases names, contacts, the street and free text"
for s in "$NAME" "$SURNAME" "$EMAIL" "$STREET" "$PHONE_DIGITS" "1985-06-02"; do
  HITS=$(grep -rlaF -- "$s" . || true)
  equals "$HITS" "" "no file of the anonymised workspace holds '$s'"
done
expect 0 history "$A" --json
equals "$(jqget "$OUT" '[.[] | select(.action == "anonymise")] | length')" 1 \
  "the anonymisation is in the history"
finish
