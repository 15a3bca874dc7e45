#!/usr/bin/env bash
# Export and import are each other's inverse (issue 16): every entity, references (forward ones
# too), archived and merged records, Polish/Cyrillic/Persian text, a 70 000-character note and
# typed custom fields go through `kt export --all --format ndjson` into a fresh workspace and
# come back record by record; a second import creates nothing; per-entity files in order.
. "$(dirname "$0")/lib.sh"
export KT_TODAY=2025-06-01

EXTRA='
field "person.shoe_size" { type = "integer" }
field "person.vip" { type = "bool" }
field "person.referred_by" { type = "ref", ref = "person" }
field "company.founded" { type = "date" }
'
shop() { # shop NAME: a pet-shop workspace with the extra fields
  new_ws "$1" --example pet-shop
  printf '%s\n' "$EXTRA" >> kartoteka.lua
}

id_of() { "$KT" add "$@" | tail -n 1; }

shop src
LONG=$(head -c 70000 /dev/zero | tr '\0' 'y')
# two companies the duplicate detection would take for one (they collapsed before)
c1=$(id_of company name="Kwiaciarnia Róża" tax_id=5260250274 founded=2001-02-03)
c2=$(id_of --allow-duplicate company name="Kwiaciarnia Róża" tax_id=5260250274)
c3=$(id_of company name="Гастроном Москва")
c4=$(id_of company name="فروشگاه تهران" notes="یادداشت")
p1=$(id_of person first_name=Łukasz last_name=Żółć email=lukasz@example.pl company="$c1" pets=dog,cat \
  expected_gifts="książka" shoe_size=44 vip=true notes="$LONG")
p2=$(id_of person first_name=Анна last_name=Волкова mobile="+48 601 100 200" company="$c3" pets=fish \
  expected_gifts=чай vip=false external_id=R1 shoe_size=9007199254740993)
p3=$(id_of person first_name=مریم last_name=احمدی email=maryam@example.ir company="$c4" pets=none \
  expected_gifts=کتاب country=IR shoe_size=-3)
# two records the source kept apart although they look alike, then merged by hand
p4=$(id_of person first_name=Ola last_name=Lis email=ola@example.pl pets=dog expected_gifts=wino)
p5=$(id_of --allow-duplicate person first_name=Ola last_name=Lis email=ola@example.pl pets=dog \
  expected_gifts=wino mobile="600 700 800")
p6=$(id_of --allow-duplicate person first_name=Ola last_name=Lis email=ola.lis@example.pl pets=cat \
  expected_gifts=kwiaty)
# a reference to a record further on in the file (a later id of the same entity)
expect 0 set "$p1" referred_by="$p6"
expect 0 merge "$p4" "$p5"
d1=$(id_of deal title="Karma na rok" company="$c1" person="$p1" stage=proposal amount=1234.50 external_id=D1)
d2=$(id_of deal title="Сделка" person="$p2" stage=won amount=99)
id_of activity kind=call class="client interest" person="$p1" deal="$d1" at="2025-05-01 10:00" \
  note="dzwonił" >/dev/null
id_of activity kind=meeting company="$c3" note="встреча" >/dev/null
id_of sale customer="$p1" date=2025-05-02 amount=10.00 product=karma >/dev/null
id_of sale customer="$c4" date=2025-05-03 amount=2500.75 product="غذای گربه" >/dev/null
id_of sale customer="$p4" date=2025-05-04 amount=1 >/dev/null
id_of task title="Oddzwonić" person="$p2" deal="$d2" due=2025-06-10 >/dev/null
expect 0 archive "$c2"
expect 0 archive "$p3"
expect 0 archive "$d2"

expect 0 export --show-pii --all --format ndjson --out "$TMP/all.ndjson"
equals "$(wc -l < "$TMP/all.ndjson")" 18 "one line per record, whatever its state"
contains "$(cat "$TMP/all.ndjson")" '"shoe_size":44' "integers stay numbers"
contains "$(cat "$TMP/all.ndjson")" '"vip":true' "bool stays bool"
contains "$(cat "$TMP/all.ndjson")" '"shoe_size":"9007199254740993"' \
  "an integer no double holds is written as its digits, not rounded"
contains "$(cat "$TMP/all.ndjson")" '"pets":["dog","cat"]' "sets stay arrays"
lacks "$(cat "$TMP/all.ndjson")" ':null' "empty fields are left out of the export"
expect 64 export --all --format csv
expect 64 export person --all --where city=Kraków --format ndjson

# the same records as kt get --json shows them: one encoder, one JSON form
expect 0 get "$p1" --json
equals "$(jqget "$OUT" '[.shoe_size, .vip, .pets[1], .gender] | map(tostring) | join(" ")')" \
  "44 true cat null" "kt get --json keeps types and writes empty fields as null"

# a workspace without the fields the records carry says so, and imports nothing
new_ws plain
expect 65 import "$TMP/all.ndjson"
contains "$ERR" "this workspace has no such field" "an unknown field is never dropped in silence"
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_record')" 0 "nothing imported"

shop dst
expect 0 import "$TMP/all.ndjson" --json
equals "$(jqget "$OUT" '[.rows,.created,.rejected] | join(" ")')" "18 18 0" "every record imported"
expect 0 export --show-pii --all --format ndjson --out "$TMP/back.ndjson"

# record by record: the same values and states, every reference at the same logical record
python3 - "$TMP/all.ndjson" "$TMP/back.ndjson" <<'PY' || fail "round trip differs"
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(a) == len(b), (len(a), len(b))
pos_a = {r["id"]: i for i, r in enumerate(a)}
pos_b = {r["id"]: i for i, r in enumerate(b)}
refs = {"company", "person", "deal", "customer", "referred_by", "merged_into"}
for ra, rb in zip(a, b):
    assert set(ra) == set(rb), (ra["id"], set(ra) ^ set(rb))
    for k in ra:
        if k == "id":
            assert pos_a[ra[k]] == pos_b[rb[k]]
        elif k in refs:
            assert pos_a[ra[k]] == pos_b[rb[k]], (k, ra, rb)
        else:
            assert ra[k] == rb[k], (k, ra[k] if k != "notes" else len(ra[k]), rb[k] if k != "notes" else len(rb[k]))
PY
pass
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM company WHERE name = 'Kwiaciarnia Róża'")" 2 \
  "two companies stay two"
equals "$(sqlite3 kartoteka.db "SELECT group_concat(state, ' ') FROM (SELECT state FROM kt_record ORDER BY id)")" \
  "$(sqlite3 "$TMP/src/kartoteka.db" "SELECT group_concat(state, ' ') FROM (SELECT state FROM kt_record ORDER BY id)")" \
  "every state as it was"
w=$(sqlite3 kartoteka.db "SELECT merged_into FROM kt_record WHERE state = 'merged'")
expect 0 get "$w" --json
equals "$(jqget "$OUT" '.email + " " + .mobile')" "ola@example.pl +48600700800" "the merge's winner"
id=$(jqget "$("$KT" list person --where first_name=Łukasz --json)" '.[0].id')
"$KT" get "$id" --json | jq -j .notes > note.txt
equals "$(wc -c < note.txt)" 70000 "the long note whole"

expect 0 import "$TMP/all.ndjson" --json
equals "$(jqget "$OUT" '[.created,.skipped,.rejected] | join(" ")')" "0 18 0" "a second run creates nothing"
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_record')" 18 "still 18 records"

# an export read back into its own workspace changes nothing
cd "$TMP/src"
expect 0 import "$TMP/all.ndjson" --json
equals "$(jqget "$OUT" '[.created,.skipped] | join(" ")')" "0 18" "own export re-imported"

# per entity, in order: the references find what the earlier file brought
expect 0 export --show-pii company --all --format ndjson --out "$TMP/companies.ndjson"
expect 0 export --show-pii person --all --format ndjson --out "$TMP/people.ndjson"
equals "$(wc -l < "$TMP/people.ndjson")" 6 "--all with an entity: every state"
shop per
expect 65 import "$TMP/people.ndjson"
contains "$ERR" "import the file that holds it first" "a reference to a record not imported yet"
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_record')" 0 "and nothing half-imported"
expect 0 import "$TMP/companies.ndjson"
expect 0 import "$TMP/people.ndjson" --json
equals "$(jqget "$OUT" '[.created,.rejected] | join(" ")')" "6 0" "people after their companies"
expect 0 list --show-pii person --where first_name=Анна --json
cid=$(jqget "$OUT" '.[0].company')
expect 0 get "$cid" --json
equals "$(jqget "$OUT" .name)" "Гастроном Москва" "the person's company is the same company"
finish
