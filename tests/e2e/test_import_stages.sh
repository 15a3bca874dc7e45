#!/usr/bin/env bash
# kt import --stages (issue 22): where an import's CPU time went, on stderr, stage by stage, and
# nothing else about the import changes: the same summary, the same fate of every row.
. "$(dirname "$0")/lib.sh"
export KT_TODAY=2025-06-01

H='external_id,first_name,last_name,gender,birth_date,email,mobile,city,street,postal_code,country,company,pets,expected_gifts,source,marital_status,marketing_consent,notes'
# C2 is C1 typed again (merged by similarity), the third row is refused (a bad gender)
cat > "$TMP/persons.csv" <<CSV
$H
C1,Ola,Lis,F,1990-01-02,ola@example.com,+48 601 200 300,Kraków,,,PL,,dog,book,,,,
C2,Ola,Lis,F,1990-01-02,ola@example.com,,Kraków,Długa 1,,PL,,dog,book,,,,
C3,Jan,Kot,X?,1980-03-02,jan@example.com,,Gdańsk,,,PL,,cat,wine,,,,
C4,Jan,Kot,M,1980-03-02,jan@example.com,601 200 301,Gdańsk,,,PL,,cat,wine,,,,
CSV

new_ws plain --example pet-shop
expect 0 import "$TMP/persons.csv" --script imports/persons.lua --log "$TMP/plain.csv" --json
PLAIN=$OUT
lacks "$ERR" "stages" "without --stages no stage line"

new_ws staged --example pet-shop
expect 0 import "$TMP/persons.csv" --script imports/persons.lua --log "$TMP/staged.csv" --json --stages
equals "$OUT" "$PLAIN" "the summary is the same with --stages"
equals "$(cat "$TMP/staged.csv")" "$(cat "$TMP/plain.csv")" "every row's fate is the same"
equals "$(jqget "$OUT" '[.created,.merged,.rejected] | join(" ")')" "2 1 1" "two created, one merged, one refused"
LINE=$(grep '^stages' <<<"$ERR" || true)
# every stage named, in this order, each with seconds
NUM='[0-9]+\.[0-9]{2} s'
if grep -Eq "^stages \(CPU\): read\+map $NUM, dedupe lookup $NUM, write $NUM, index $NUM, commit $NUM, other $NUM$" <<<"$LINE"; then
  pass
else
  fail "the stage line: '$LINE' (stderr: $ERR)"
fi

# an import that cannot start fails as before, with no stage line
expect 66 import "$TMP/missing.csv" --script imports/persons.lua --stages
lacks "$ERR" "stages" "a file that cannot be read prints no stages"
expect 64 import --stages
finish
