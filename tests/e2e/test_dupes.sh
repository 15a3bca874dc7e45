#!/usr/bin/env bash
# Duplicates: refused on entry unless --allow-duplicate, found in batch (clusters, JSON shape),
# --not remembered, --explain, declared rules, and a small generated set with known duplicates.
source "$(dirname "$0")/lib.sh"

new_ws dupes

# --- on entry ---
expect 0 add person first_name=Łukasz last_name=Wiśniewski email=lukasz.w@gmail.com \
  mobile="+48 601 234 567" birth_date=1980-03-04 street="ul. Polna 5"
A=$OUT
expect 65 add person first_name=LUKASZ last_name=Wisniewski email=Lukasz.W@Gmail.com \
  birth_date=04.03.1980
contains "$ERR" "duplicate" "the refusal names the rule"
contains "$ERR" "record $A" "the refusal lists the existing record"
contains "$ERR" "score" "the refusal gives the score"
expect 0 add --allow-duplicate person first_name=LUKASZ last_name=Wisniewski \
  email=Lukasz.W@Gmail.com birth_date=04.03.1980
B=$OUT
# swapped names, phone in national spelling, transliterated Cyrillic
expect 0 add --allow-duplicate person first_name=Wiśniewski last_name=Łukasz mobile=601234567 \
  birth_date=1980-03-04
C=$OUT
expect 0 add person first_name=Ольга last_name=Волкова mobile="+7 912 345 67 89" birth_date=1975-06-01 \
  country=RU
V=$OUT
expect 65 add person first_name=Olga last_name=Volkova mobile="+79123456789" country=RU
expect 0 add --allow-duplicate person first_name=Olga last_name=Volkova mobile="+79123456789" country=RU
V2=$OUT
# a different person with the same name is not a duplicate
expect 0 add person first_name=Anna last_name=Nowak email=anna1@example.com birth_date=1970-01-01
expect 0 add person first_name=Anna last_name=Nowak email=anna2@example.com birth_date=1991-05-05
N2=$OUT

# --- in batch ---
expect 0 dupes person --json
equals "$(jqget "$OUT" 'length')" "2" "two clusters"
equals "$(jqget "$OUT" '.[0].ids | join(",")')" "$A,$B,$C" "the Łukasz cluster, ids ascending"
equals "$(jqget "$OUT" '.[1].ids | join(",")')" "$V,$V2" "the Volkova cluster"
equals "$(jqget "$OUT" '.[0].ids[0] | type')" "string" "ids are strings"
equals "$(jqget "$OUT" '.[0].score | type')" "number" "score is a number"
equals "$(jqget "$OUT" '[.[].score] == ([.[].score] | sort | reverse)')" "true" "sorted by score"
equals "$(jqget "$OUT" '.[0] | keys | join(",")')" "ids,score" "exactly ids and score"
expect 0 dupes person
contains "$OUT" "$A $B $C" "plain output lists the cluster"
expect 0 dupes person --threshold 0.99 --json
equals "$(jqget "$OUT" '[.[].ids | length] | add // 0 | . < 6')" "true" "a higher threshold finds less"
expect 64 dupes person --threshold 7

# --- explain ---
expect 0 dupes person --explain --json
equals "$(jqget "$OUT" '.[0].pairs | length')" "2" "two links explain a cluster of three"
equals "$(jqget "$OUT" '.[0].pairs[0].fields | map(.field) | index("email") != null')" "true" \
  "every compared field is listed"
equals "$(jqget "$OUT" '.[0].pairs[0].fields[0] | keys | join(",")')" \
  "a,b,contribution,field,method,score,weight" "the shape of a field's explanation"
expect 0 dupes person --explain "$A" "$N2" --json
equals "$(jqget "$OUT" '.fields[] | select(.field == "mobile") | .score')" "null" \
  "a missing value has no score"
expect 0 dupes person --explain
contains "$OUT" "last_name" "plain explanation lists fields"
contains "$OUT" "x3" "plain explanation shows weights"

# --- --not ---
expect 0 dupes person --not "$V" "$V2"
expect 0 dupes person --json
equals "$(jqget "$OUT" 'length')" "1" "a pair declared distinct is not proposed again"
expect 0 dupes person --json
equals "$(jqget "$OUT" '[.[].ids[]] | index("'"$V2"'") == null')" "true" "remembered"
expect 0 dupes person --not "$A" "$B"
expect 0 dupes person --json
equals "$(jqget "$OUT" '[.[] | select(.ids | index("'"$A"'") and index("'"$B"'"))] | length')" "0" \
  "distinct records never share a cluster"
expect 64 dupes person --not "$A"

# --- declared rules ---
new_ws declared
cat >> kartoteka.lua <<'LUA'
field "person.card" { type = "text" }
dedupe "person" {
  threshold = 0.9,
  compare = {
    { field = "card", method = "exact", weight = 5 },
    { field = "last_name", method = "name", weight = 1 },
  },
}
LUA
expect 0 add person first_name=A last_name=Kowalski card=X1
K=$OUT
expect 65 add person first_name=B last_name=Kowalsky card=X1
expect 0 add person first_name=A last_name=Kowalski card=X2
expect 0 dupes person --json
equals "$(jqget "$OUT" 'length')" "0" "the declared rule is used"
cat >> kartoteka.lua <<'LUA'
dedupe "person" { compare = { { field = "nope", method = "name" } } }
LUA
expect 65 dupes person
contains "$ERR" "kartoteka.lua" "a bad declaration names its place"

# --- a generated set with known duplicates ---
if command -v python3 >/dev/null; then
  new_ws generated
  python3 "$SRC/tests/bench/gen_people.py" 150 people.csv truth.tsv --seed 11 --dup 20
  tail -n +2 people.csv | while IFS=, read -r ext first last birth email mobile city street postal country; do
    "$KT" add --allow-duplicate person external_id="$ext" first_name="$first" last_name="$last" \
      birth_date="$birth" email="$email" mobile="$mobile" city="$city" street="$street" \
      postal_code="$postal" country="$country" >/dev/null 2>&1 ||
      "$KT" add --allow-duplicate person external_id="$ext" first_name="$first" last_name="$last" \
        mobile="$mobile" >/dev/null
  done
  expect 0 dupes person --json
  echo "$OUT" >clusters.json
  "$KT" list person --json | jq -r '.[] | [.id, .external_id] | @tsv' >ids.tsv
  RES=$(python3 "$SRC/tests/bench/score_pairs.py" clusters.json ids.tsv truth.tsv)
  echo "generated set: $RES"
  F1=$(printf '%s' "$RES" | sed 's/.* f1 //')
  equals "$(awk -v f="$F1" 'BEGIN { print (f >= 0.9) ? "ok" : "low" }')" "ok" "pairwise F1 >= 0.9"
fi

finish
