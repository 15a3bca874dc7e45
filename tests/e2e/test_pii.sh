#!/usr/bin/env bash
# Personal data on the command line (issue 23): fields marked pii are masked as *** in kt list
# and kt export (table, --json, csv, json, ndjson, vcf, --all) unless --show-pii; a masked
# value is always a JSON string; kt get shows the one record asked for in clear; --show-pii
# gives a lossless copy; reads on the command line are not written to the access log.
source "$(dirname "$0")/lib.sh"

new_ws pii
expect 0 field add person.vip bool --pii
expect 0 field add person.shoe_size integer --pii
expect 0 field add person.allergies set --options nuts,milk,eggs --pii
expect 0 field add person.partner ref --ref person --pii
expect 0 add person first_name=Zofia last_name=Wróblewska email=zofia@example.com city=Kraków
A=$OUT
expect 0 add person first_name=Olgierd last_name=Kmicic email=olgierd@example.org \
  mobile="600 700 800" city=Orsza vip=true shoe_size=44 allergies=nuts,milk partner=$A
B=$OUT

# the table: pii columns masked, the others (city) as they are
expect 0 list person --columns first_name,last_name,email,mobile,city
contains "$OUT" "***" "kt list masks pii"
contains "$OUT" "Kraków" "non-pii values stay"
for secret in Zofia Wróblewska zofia@example.com Olgierd Kmicic 48600700800; do
  lacks "$OUT" "$secret" "kt list hides $secret"
done
expect 0 list person --columns first_name,email,city --show-pii
contains "$OUT" "Zofia" "--show-pii shows names"
contains "$OUT" "zofia@example.com" "--show-pii shows e-mail"
# a reference is shown by its target's title, which is personal data too
expect 0 list person --columns partner --where "partner is not null"
lacks "$OUT" "Zofia" "a reference's title is masked"

# --json: valid, every masked value a string, the others typed as always
expect 0 list person --json --where "id = $B"
equals "$(jqget "$OUT" '.[0].first_name')" "***" "json: first_name masked"
equals "$(jqget "$OUT" '.[0].vip | type')" "string" "json: a masked bool is a string"
equals "$(jqget "$OUT" '.[0].shoe_size | type')" "string" "json: a masked integer is a string"
equals "$(jqget "$OUT" '.[0].partner | type + " " + .')" "string ***" "json: a masked ref is ***"
equals "$(jqget "$OUT" '.[0].allergies | tostring')" '["***"]' "json: a masked set is [\"***\"]"
equals "$(jqget "$OUT" '.[0].city')" "Orsza" "json: city in clear"
expect 0 list person --json --where "id = $B" --show-pii
equals "$(jqget "$OUT" '.[0].vip | type')" "boolean" "json --show-pii: bool typed"
equals "$(jqget "$OUT" '.[0].shoe_size')" "44" "json --show-pii: integer"
equals "$(jqget "$OUT" '.[0].allergies | sort | tostring')" '["milk","nuts"]' "json --show-pii: the set"

# the export formats
for fmt in csv json ndjson vcf; do
  expect 0 export person --format $fmt
  contains "$OUT" "***" "export $fmt masks"
  for secret in Zofia Wróblewska zofia@example.com olgierd@example.org 600700800; do
    lacks "$OUT" "$secret" "export $fmt hides $secret"
  done
  expect 0 export person --format $fmt --show-pii
  contains "$OUT" "zofia@example.com" "export $fmt --show-pii"
  contains "$OUT" "Wróblewska" "export $fmt --show-pii: names"
done
expect 0 export person --format ndjson
jq -e . >/dev/null <<<"$OUT" && pass || fail "a masked ndjson export is valid JSON"
equals "$(jq -r 'select(.city == "Orsza") | .vip | type' <<<"$OUT")" "string" "ndjson: masked bool"
expect 0 export --all --format ndjson
lacks "$OUT" "Kmicic" "export --all masks"
expect 0 export --all --format ndjson --show-pii --out "$TMP/copy.ndjson"
contains "$(cat "$TMP/copy.ndjson")" "Kmicic" "export --all --show-pii is whole"

# a lossless copy: --show-pii export read back into a new workspace gives the same values
cd "$TMP"
new_ws copy
expect 0 field add person.vip bool --pii
expect 0 field add person.shoe_size integer --pii
expect 0 field add person.allergies set --options nuts,milk,eggs --pii
expect 0 field add person.partner ref --ref person --pii
expect 0 import "$TMP/copy.ndjson"
expect 0 export person --format csv --show-pii
COPY=$OUT
cd "$TMP/pii"
expect 0 export person --format csv --show-pii
equals "$(cut -d, -f2- <<<"$COPY" | sort)" "$(cut -d, -f2- <<<"$OUT" | sort)" \
  "the copy holds every value"

# one record asked for by id is shown in clear; filters still match the stored values
expect 0 get "$A"
contains "$OUT" "Wróblewska" "kt get shows the record"
expect 0 list person --count --where "email = zofia@example.com"
equals "$OUT" "1" "a filter on a pii field matches the stored value"

# reads on the command line are not the server's: nothing is logged
expect 0 access-log
equals "$OUT" "" "no access logged by the command line"
expect 0 access-log --json
equals "$OUT" "[]" "an empty log as JSON"
expect 64 access-log 1 2
expect 64 access-log x

finish
