#!/usr/bin/env bash
# Nothing lost on import (issue 16): every row is validated whatever its fate, the --log names
# every row's fate, every external id a record was known by still finds it (aliases, merges),
# and undo of a batch others refer to refuses unless --cascade or --force. Fixtures made here.
. "$(dirname "$0")/lib.sh"
export KT_TODAY=2025-06-01

new_ws shop --example pet-shop
H='external_id,first_name,last_name,gender,birth_date,email,mobile,city,street,postal_code,country,company,pets,expected_gifts,source,marital_status,marketing_consent,notes'
# C1 and C3 are one client typed twice (C3 has a street C1 lacks); C2 is a bad copy of C1 by the
# same e-mail and name; the fourth row repeats C1's own external id with a bad gender; C5 is another client.
cat > persons.csv <<CSV
$H
C1,Ola,Lis,F,1990-01-02,ola@example.com,,Kraków,,,PL,,dog,book,,,,
C2,Ola,Lis,F,1990-01-02,ola@example.com,,Kraków,,,PL,,lizard,book,,,,
C3,Ola,Lis,F,1990-01-02,ola@example.com,,Kraków,Długa 1,,PL,,dog,book,,,,
C1,Ola,Lis,X?,1990-01-02,ola@example.com,,Kraków,,,PL,,dog,book,,,,
C5,Jan,Kot,M,1980-03-02,jan@example.com,,Gdańsk,,,PL,,cat,wine,,,,
CSV

# --- every row is validated, whatever the match decides; the log names every row's fate
expect 0 import persons.csv --script imports/persons.lua --rejects rejects.csv --log log.csv --json
S=$OUT
equals "$(jqget "$S" '[.created,.updated,.merged,.skipped,.rejected] | join(" ")')" "2 0 1 0 2" \
  "a duplicate and a key match with bad values are rejected, not absorbed"
contains "$(grep '^3,' rejects.csv)" 'lizard' "the bad duplicate's reason (it matched C1 by similarity)"
contains "$(grep '^5,' rejects.csv)" 'gender' "the bad copy of C1's own id is rejected"
equals "$(stat -c %a log.csv)" 600 "the log is private"
equals "$(head -1 log.csv)" $'line,fate,record,matched_by,reasons\r' "log header"
OLA=$(jqget "$("$KT" list person --where external_id=C1 --json)" '.[0].id')
equals "$(sed -n 2p log.csv | tr -d '\r')" "2,created,$OLA,," "a created row"
contains "$(sed -n 3p log.csv)" "3,rejected,$OLA,duplicate " "a rejected row names the record it matched and the score"
contains "$(sed -n 3p log.csv)" 'pets: ""lizard"" is not one of' "and every reason"
contains "$(sed -n 4p log.csv)" "4,merged,$OLA,duplicate " "a merged row"
equals "$(sed -n 5p log.csv | cut -d, -f1-4)" "5,rejected,$OLA,external_id" "a key match names the key"
for f in created updated merged skipped rejected; do
  equals "$(tail -n +2 log.csv | cut -d, -f2 | grep -cx "$f" || true)" "$(jqget "$S" ".$f")" "log lines $f = summary"
done

# a second run rejects the same rows again (they used to turn into skipped)
expect 0 import persons.csv --script imports/persons.lua --rejects rejects2.csv --log log2.ndjson --json
equals "$(jqget "$OUT" '[.created,.rejected,.skipped] | join(" ")')" "0 2 3" "second run: same rejects"
equals "$(cut -d, -f1,2 rejects2.csv)" "$(cut -d, -f1,2 rejects.csv)" "the same rows rejected"
equals "$(wc -l < log2.ndjson)" 5 "NDJSON log: one line per row"
equals "$(jq -r 'select(.line == 3) | .fate + " " + .record' log2.ndjson)" "rejected $OLA" "NDJSON fate and record"
equals "$(jq -r 'select(.line == 3) | .reasons[0]' log2.ndjson)" 'pets: "lizard" is not one of: dog, cat, fish, bird, hamster, rabbit, none' "NDJSON reasons as a list"
equals "$(jq -r 'select(.line == 4) | .matched_by' log2.ndjson)" "external_id (alias)" "an alias match is named so"
expect 0 import persons.csv --script imports/persons.lua --on-match skip --json
equals "$(jqget "$OUT" .rejected)" 2 "rows skipped as matches are validated too"
expect 0 import persons.csv --script imports/persons.lua --dry-run --log dry.csv --json
equals "$(tail -n +2 dry.csv | wc -l)" 5 "a dry run writes the same log"

printf '%s\n%s\n' "$H" '"C8,Broken' > broken.csv
run import broken.csv --script imports/persons.lua --log broken-log.csv
equals "$RC $(test -e broken-log.csv && echo kept || echo gone)" "65 gone" "a failed import leaves no log"

# --- every identity is kept: C3 was absorbed into C1's record
expect 0 get --external C3 --json
equals "$(jqget "$OUT" '.id + " " + .external_id + " " + .street')" "$OLA C1 Długa 1" "kt get --external finds the survivor"
expect 66 get --external C2
contains "$ERR" 'external id "C2"' "a rejected row's id is nobody's"
cat > sales.csv <<'CSV'
customer_external_id,date,amount
C3,2024-01-05,10.00
C1,2024-02-05,20.00
CSV
expect 0 import sales.csv --script imports/sales.lua --json
equals "$(jqget "$OUT" '[.created,.rejected] | join(" ")')" "2 0" "sales of either id find the customer"
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM sale WHERE customer = $OLA")" 2 "both sales are Ola's"
cat > find.lua <<'LUA'
local r = kt.get { external_id = "C3", entity = "person" }
local any = kt.get { external_id = "C3" }
local found = kt.find("C3")
print(r.id, any.id, found[1].id, kt.get { external_id = "nobody" } == nil)
LUA
expect 0 run find.lua
equals "$OUT" "$OLA	$OLA	$OLA	true" "kt.get and kt.find resolve an alias"
JAN=$(jqget "$("$KT" list person --where external_id=C5 --json)" '.[0].id')
expect 65 set "$JAN" external_id=C3
contains "$ERR" "already an external id of record $OLA" "an alias stays unique, naming its holder"

# --- kt merge: the loser's id leads to the winner until unmerge gives it back
expect 0 merge "$OLA" "$JAN"
expect 0 get --external C5 --json
equals "$(jqget "$OUT" .id)" "$OLA" "the loser's external id finds the winner"
printf 'customer_external_id,date,amount\nC5,2024-03-05,30.00\n' > sales5.csv
expect 0 import sales5.csv --script imports/sales.lua --json
equals "$(sqlite3 kartoteka.db "SELECT customer FROM sale WHERE amount = 3000")" "$OLA" "an import finds the winner by the loser's id"
expect 0 unmerge "$JAN"
expect 0 get --external C5 --json
equals "$(jqget "$OUT" .id)" "$JAN" "unmerge gives the id back"

# --- an update that replaces a record's external id keeps the old one; an alias is one record's
sed 's/match = { "external_id", "email", "mobile" }/match = { "email" }/' imports/persons.lua > imports/by_email.lua
printf '%s\n%s\n%s\n' "$H" 'C7,Jan,Kot,M,1980-03-02,jan@example.com,,Gdańsk,,,PL,,cat,wine,,,,' \
  'C3,Jan,Kot,M,1980-03-02,jan@example.com,,Gdańsk,,,PL,,cat,wine,,,,' > by_email.csv
expect 0 import by_email.csv --script imports/by_email.lua --rejects by_email_rejects.csv --json
equals "$(jqget "$OUT" '[.updated,.rejected] | join(" ")')" "1 1" "one update, one row claiming another's id"
equals "$(jqget "$("$KT" get --external C5 --json)" '.id + " " + .external_id')" "$JAN C7" \
  "the id an update replaced still finds the record"
contains "$(cat by_email_rejects.csv)" "already an external id of record $OLA" "the rejected row names the holder"

# --- undo of a batch that later records refer to
new_ws undo --example pet-shop
printf '%s\n%s\n' "$H" 'D1,Ewa,Nowak,F,1985-04-04,ewa@example.com,,,,,PL,,cat,tea,,,,' > p.csv
expect 0 import p.csv --script imports/persons.lua --json
BP=$(jqget "$OUT" .batch)
printf 'customer_external_id,date,amount\nD1,2024-01-01,5.00\nD1,2024-02-01,6.00\n' > s.csv
expect 0 import s.csv --script imports/sales.lua --json
printf 'deal_external_id,customer_external_id,stage,amount\nX1,D1,new,100\n' > d.csv
expect 0 import d.csv --script imports/deals.lua --json
EWA=$(jqget "$("$KT" list person --where external_id=D1 --json)" '.[0].id')
expect 0 add activity kind=call person="$EWA"
before=$(sqlite3 kartoteka.db "SELECT group_concat(id || state) FROM kt_record")
expect 65 import undo "$BP"
contains "$ERR" "1 activity, 1 deal, 2 sales" "refusal counts the dependants of each entity"
contains "$ERR" "--cascade" "and says how to go on"
equals "$(sqlite3 kartoteka.db "SELECT group_concat(id || state) FROM kt_record")" "$before" "a refused undo changes nothing"
expect 0 import undo "$BP" --cascade --json
equals "$(jqget "$OUT" '[.archived,.dependants] | join(" ")')" "1 4" "cascade archives the dependants too"
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM kt_record WHERE state = 'active'")" 0 "nothing left active"
expect 0 history "$(sqlite3 kartoteka.db "SELECT id FROM sale LIMIT 1")"
contains "$OUT" "undo batch $BP" "the cascade is part of the undo's history"
expect 0 import p.csv --script imports/persons.lua --json
BP2=$(jqget "$OUT" .batch)
expect 0 import s.csv --script imports/sales.lua --json
expect 0 import undo "$BP2" --force
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM kt_record r JOIN sale s ON s.id = r.id WHERE r.state = 'active'")" 2 \
  "--force leaves the dependants"

finish
