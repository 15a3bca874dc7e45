#!/usr/bin/env bash
# kt serve (issue 18): reports, duplicates and imports over the API, lists sorted by fields,
# PATCH with and without If-Match, and workers picking up a changed kartoteka.lua.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

new_ws routes --example pet-shop
VIEW=$("$KT" token add view --role viewer)
STAFF=$("$KT" token add staff --role staff)
BOSS=$("$KT" token add boss --role manager)
start_serve http --threads 2


# import: multipart, a manager's; staff is refused; a dry run writes nothing
cp "$SRC/examples/data/persons-sample.csv" persons.csv
call "$STAFF" POST /import -F file=@persons.csv -F script=persons;  status 403 "staff importing"
call "$BOSS" POST /import -F file=@persons.csv -F script=nope;      status 404 "an unknown script"
call "$BOSS" POST /import -F file=@persons.csv -F script=../x;      status 400 "a script outside imports/"
call "$BOSS" POST /import -d 'file=x';                              status 400 "not multipart"
call "$BOSS" POST /import -F file=@persons.csv -F script=persons -F on_match=maybe
status 400 "an unknown on_match"
call "$BOSS" POST /import -F file=@persons.csv -F script=persons -F dry_run=1
status 200 "a dry run"
equals "$(jqget "$BODY" .batch)" "null" "a dry run has no batch"
DRY=$(jqget "$BODY" '[.created, .rejected] | map(tostring) | join(" ")')
expect 0 list person --json
equals "$(jqget "$OUT" length)" "0" "a dry run writes nothing"
call "$BOSS" POST /import -F file=@persons.csv -F script=persons.lua
status 200 "an import"
equals "$(jqget "$BODY" '[.created, .rejected] | map(tostring) | join(" ")')" "$DRY" "the same counts as its dry run"
expect 0 import list --json
equals "$(jqget "$OUT" '.[0].source')" "import persons.csv" "the batch names the uploaded file"
ONE=$("$KT" list person --limit 1 --json | jq -r '.[0].id')
expect 0 history "$ONE" --json
equals "$(jqget "$OUT" '.[0].source')" "api:boss import persons.csv" "history names the token and the file"
REJ=$(jqget "$BODY" '.rejected')
equals "$(jqget "$BODY" '.rejects | length')" "$REJ" "every refused row is listed with its reasons"
[ "$REJ" = 0 ] || [ "$(jqget "$BODY" '.rejects[0].reasons | length')" -gt 0 ] && pass || fail "reasons"
ls "${TMPDIR:-/tmp}" | grep -q '^kt-import\.' && fail "the upload was left behind" || pass

# sort by fields pages with offset; after pages the id order
call "$STAFF" GET "/person?sort=last_name,-first_name&limit=3"; status 200 "sorted by fields"
GOT=$(jqget "$BODY" '[.[].last_name] | join(",")')
WANT=$("$KT" list --show-pii person --sort last_name,-first_name --limit 3 --json | jq -r '[.[].last_name] | join(",")')
equals "$GOT" "$WANT" "the order of kt list --sort"
contains "$HEAD" "offset=3&sort=last_name%2C-first_name" "the next page's link keeps the sort"
call "$STAFF" GET "/person?sort=last_name&offset=3&limit=3"; status 200 "the next page"
WANT=$("$KT" list person --sort last_name --json | jq -r '[.[3:6][].id] | join(",")')
equals "$(jqget "$BODY" '[.[].id] | join(",")')" "$WANT" "offset pages the sorted list"
call "$STAFF" GET "/person?sort=nosuchfield";                status 400 "an unknown sort field"
call "$STAFF" GET "/person?sort=last_name&after=3";          status 400 "after with a field sort"

# dupes: the clusters kt dupes finds
call "$VIEW" GET /dupes/person;                              status 200 "dupes"
equals "$BODY" "$("$KT" dupes person --json | jq -c .)" "the clusters of kt dupes --json"
call "$VIEW" GET /dupes/nothing;                             status 404 "an unknown entity"
call "$VIEW" GET "/dupes/person?threshold=2";                status 400 "a bad threshold"

# reports: as kt report --json, parameters from the query
call "$STAFF" GET "/reports/completeness?entity=person";     status 200 "a report"
equals "$BODY" "$("$KT" report completeness --entity person --json | jq -c .)" "the rows of kt report --json"
call "$STAFF" GET "/reports/completeness?nosuch=1";          status 400 "an unknown parameter"
call "$STAFF" GET "/reports/nosuch";                         status 404 "an unknown report"
call "$VIEW" GET "/reports/completeness";                    status 403 "a viewer (personal data)"

# PATCH: without If-Match the last writer wins; a stale one gets 412 and changes nothing
ID=$("$KT" list person --limit 1 --json | jq -r '.[0].id')
call "$STAFF" GET "/person/$ID"; status 200 "read"
ETAG=$(grep -i '^ETag:' <<<"$HEAD" | tr -d '\r' | sed 's/^[^:]*: //')
call "$STAFF" PATCH "/person/$ID" -d '{"city":"Sopot"}';     status 200 "no If-Match: last writer wins"
call "$STAFF" PATCH "/person/$ID" -H "If-Match: $ETAG" -d '{"city":"Gdynia"}'
status 412 "a stale If-Match"
expect 0 get "$ID" --json
equals "$(jqget "$OUT" .city)" "Sopot" "the stale change was not written"

# the new routes are in the OpenAPI document, which a standard validator accepts
call "$VIEW" GET /openapi.json;                              status 200 "openapi.json"
equals "$(jqget "$BODY" '[.paths | keys[] | select(. == "/reports/{name}" or . == "/dupes/{entity}" or . == "/import")] | length')" \
  "3" "reports, dupes and import are described"
equals "$(jqget "$BODY" '.paths["/import"].post.requestBody.content | keys[0]')" "multipart/form-data" \
  "import takes multipart"
if python3 -c 'import openapi_spec_validator' 2>/dev/null; then
  printf '%s' "$BODY" >"$TMP/openapi.json"
  python3 -c 'import json, sys; from openapi_spec_validator import validate_spec; validate_spec(json.load(open(sys.argv[1])))' \
    "$TMP/openapi.json" && pass || fail "the OpenAPI document does not validate"
fi

# a changed kartoteka.lua reaches the workers without a restart
call "$STAFF" POST /person -d '{"first_name":"Ala","last_name":"Kot","email":"ala@example.com","pets":["dog"],"expected_gifts":["book"],"shoe_size":"38"}'
status 422 "no such field yet"
echo 'field "person.shoe_size" { type = "text" }' >>kartoteka.lua
# every worker: a request goes to whichever thread wakes first, so under load one thread can take
# several in a row; a worker that never saw the field keeps the configuration without it below
for _ in $(seq 1 16); do
  call "$STAFF" GET "/fields?entity=person"
  contains "$BODY" '"shoe_size"' "a worker sees the new field"
done
call "$STAFF" POST /person -d '{"first_name":"Ala","last_name":"Kot","email":"ala@example.com","pets":["dog"],"expected_gifts":["book"],"shoe_size":"38"}'
status 201 "the new field is written"
echo 'this is not lua' >>kartoteka.lua
call "$STAFF" GET "/fields?entity=person";                   status 200 "a broken file does not stop the server"
contains "$BODY" '"shoe_size"' "it keeps the configuration it had"
contains "$(cat "$TMP/serve.log")" "does not load" "and says why"
finish
