#!/usr/bin/env bash
# kt import without --script never creates a record with no name (issue 21, item 12): NDJSON
# and JSON rows go through the identity mapping, which refuses a row that fills none of the
# entity's name fields, naming the line; vCards are covered by test_import_vcf.sh.
. "$(dirname "$0")/lib.sh"
new_ws nameless
printf '%s\n' '{"email":"a@example.com"}' '{"first_name":"Ala","last_name":"Kot"}' '{}' \
  '{"first_name":"   ","email":"b@example.com"}' '{"last_name":"Lis"}' >people.ndjson
expect 0 import people.ndjson --rejects rejects.csv --json
equals "$(jqget "$OUT" '[.rows,.created,.rejected] | join(" ")')" "5 2 3" "three nameless rows refused"
contains "$(cat rejects.csv)" "1,1,the row fills no first_name or last_name: a person needs a name" \
  "the rejected line and why"
contains "$(cat rejects.csv)" "4,4,the row fills no first_name or last_name" "blanks are no name"
expect 0 list person --json
equals "$(jqget "$OUT" '[.[] | select(.first_name == null and .last_name == null)] | length')" "0" \
  "no person without a name"
printf '[{"name":"Acme"},{"tax_id":"123"}]' >companies.json
expect 0 import companies.json --entity company --json
equals "$(jqget "$OUT" '[.created,.rejected] | join(" ")')" "1 1" "a company needs its name"
# an entity without name fields (a sale) is not held to one
printf '%s\n' '{"customer":"2","date":"2026-01-02","amount":"10.00"}' >sales.ndjson
expect 0 import sales.ndjson --entity sale --json
equals "$(jqget "$OUT" .created)" "1" "a sale has no name to miss"
finish
