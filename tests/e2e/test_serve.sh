#!/usr/bin/env bash
# kt serve (issue 18): the HTTP JSON API on a free loopback port, driven with curl. Credentials,
# roles enforced by the core, versions, the write door's failures, hostile input, a clean stop.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

new_ws serve
VIEWER=$("$KT" token add reader --role viewer)
STAFF=$("$KT" token add shop-sync --role staff)
MANAGER=$("$KT" token add boss --role manager)
OLD=$("$KT" token add old --role staff --expires 2020-01-01)
GONE=$("$KT" token add gone --role staff)
"$KT" token revoke gone

start_serve http --threads 3


# credentials: none, wrong, expired, revoked -> 401
call "" GET /person;                    status 401 "no credentials"
contains "$HEAD" "WWW-Authenticate: Bearer" "401 says how to authenticate"
call "kt_not-a-real-token" GET /person;  status 401 "a wrong token"
call "$OLD" GET /person;                status 401 "an expired token"
call "$GONE" GET /person;               status 401 "a revoked token"
call "$STAFF" GET /person;              status 200 "a good token"
equals "$BODY" "[]" "no people yet"
contains "$HEAD" "X-Content-Type-Options: nosniff" "nosniff"
contains "$HEAD" "frame-ancestors 'none'" "no framing"

# staff creates: 201, the record as kt get --json shows it, its version as the ETag
call "$STAFF" POST /person -d '{"first_name":"Anna","last_name":"Nowak","email":"anna@example.com","city":"Kraków"}'
status 201 "staff creating"
ID=$(jqget "$BODY" .id)
contains "$HEAD" "Location: /api/v1/person/$ID" "Location"
equals "$BODY" "$("$KT" get "$ID" --json)" "the same JSON as kt get --json"
ETAG=$(grep -i '^ETag:' <<<"$HEAD" | tr -d '\r' | sed 's/^[^:]*: //')
[ -n "$ETAG" ] && pass || fail "no ETag"
run history "$ID" --json
equals "$(jqget "$OUT" '.[0].source')" "api:shop-sync" "history names the token"

# a viewer reads (personal data masked) but cannot write
call "$VIEWER" GET "/person/$ID";       status 200 "viewer reading"
equals "$(jqget "$BODY" '.email + " " + .city')" "*** Kraków" "pii masked for a viewer"
call "$VIEWER" POST /person -d '{"first_name":"Eve","last_name":"X"}'
status 403 "viewer writing"
call "$VIEWER" PATCH "/person/$ID" -d '{"city":"Gdańsk"}'
status 403 "viewer changing"
call "$STAFF" POST "/person/$ID/archive"
status 403 "staff archiving"
equals "$("$KT" list person --json | jq length)" 1 "nothing written by refused requests"

# validation: 422 with every failure; a probable duplicate: 409 with the candidate
call "$STAFF" POST /person -d '{"first_name":"Bad","email":"no-at-sign","country":"Poland","shoe":"42"}'
status 422 "validation"
equals "$(jqget "$BODY" '[.error.failures[] | .field + ":" + .rule] | sort | join(",")')" \
  "country:max_length,country:pattern,email:email,shoe:unknown field" \
  "every failure, with field and rule"
call "$STAFF" POST /person -d '{"first_name":"Anna","last_name":"Nowak","email":"anna@example.com"}'
status 409 "a probable duplicate"
equals "$(jqget "$BODY" '.error.candidates[0].id')" "$ID" "the candidate"
call "$STAFF" POST '/person?allow_duplicate=1' -d '{"first_name":"Anna","last_name":"Nowak","email":"anna@example.com"}'
status 201 "allow_duplicate=1 saves anyway"

# versions: If-Match current -> 200 and a new version; stale -> 412, nothing changed
call "$STAFF" PATCH "/person/$ID" -H "If-Match: $ETAG" -d '{"city":"Gdańsk"}'
status 200 "PATCH with the current version"
NEW=$(grep -i '^ETag:' <<<"$HEAD" | tr -d '\r' | sed 's/^[^:]*: //')
[ "$NEW" != "$ETAG" ] && pass || fail "the version did not change"
call "$STAFF" PATCH "/person/$ID" -H "If-Match: $ETAG" -d '{"city":"Poznań"}'
status 412 "stale If-Match"
equals "$("$KT" get "$ID" --json | jq -r .city)" "Gdańsk" "a stale PATCH changes nothing"
call "$STAFF" PATCH "/person/$ID" -d '{"email":"not an email"}'
status 422 "PATCH through the write door"

# manager archives and restores; history through the API
call "$MANAGER" POST "/person/$ID/archive"; status 200 "manager archiving"
equals "$(jqget "$BODY" .state)" "archived" "archived"
call "$MANAGER" POST "/person/$ID/restore"; status 200 "manager restoring"
call "$VIEWER" GET "/person/$ID/history"; status 200 "history"
equals "$(jqget "$BODY" '[.[] | select(.action=="archive")][0].source')" "api:boss" "history names who archived"
equals "$(jqget "$BODY" '[.[] | select(.field=="email")][0].new')" "***" "history masks pii for a viewer"

# merging is a manager's: staff get 403; the reply is kt merge --json's
DUP=$(jq -r '.id' <<<"$(curl -s -X POST -H "Authorization: Bearer $STAFF" "$API/person?allow_duplicate=1" \
  -d '{"first_name":"Anna","last_name":"Nowak","email":"anna.n@example.com"}')")
call "$STAFF" POST /merge -d "{\"winner\":\"$ID\",\"losers\":[\"$DUP\"]}"
status 403 "staff merging"
equals "$("$KT" get "$DUP" --json | jq -r .state)" "active" "a refused merge changes nothing"
call "$MANAGER" POST /merge -d '{"winner":"'"$ID"'"}'
status 400 "a merge without losers"
call "$MANAGER" POST /merge -d "{\"winner\":\"$ID\",\"losers\":[\"$DUP\"]}"
status 200 "manager merging"
equals "$(jqget "$BODY" '.winner + ">" + (.merged | join(",")) + ":" + .record.id')" "$ID>$DUP:$ID" \
  "the same shape as kt merge --json"
equals "$("$KT" get "$DUP" --json | jq -r .state)" "merged" "merged"
run history "$DUP" --json
equals "$(jqget "$OUT" '[.[] | select(.action=="merge")][0].source')" "api:boss merge" \
  "history names who merged"
call "$MANAGER" POST "/person/$DUP/restore"
status 409 "a merged record cannot be restored"

# hostile paths and queries
call "$STAFF" GET "/person/../../../etc/passwd";  status 400 "a path with .."
lacks "$BODY" "root:" "nothing outside the API"
call "$STAFF" GET "/../kartoteka.db";             status 400 "a path climbing out of the API"
CODE=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $STAFF" \
  "http://127.0.0.1:$PORT/../kartoteka.db")
equals "$CODE" 404 "outside the API there is nothing"
call "$STAFF" GET /person -G --data-urlencode "where=last_name=x' OR '1'='1"
status 200 "SQL in a where value is a value"
equals "$BODY" "[]" "SQL in where matches nothing"
call "$STAFF" GET /person -G --data-urlencode "where=last_name) OR 1=1 --=x"
status 400 "SQL in a where name is refused"
lacks "$BODY" "SELECT" "no SQL in the reply"
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM person')" 3 "the table is intact"
call "$STAFF" GET /nothing;                       status 404 "an unknown entity"
call "$STAFF" GET /person/999999;                 status 404 "an unknown record"
call "$STAFF" GET /person/abc;                    status 404 "not an id"
call "$STAFF" POST /person -d '{not json';        status 400 "a body that is not JSON"
head -c 2000000 /dev/zero | tr '\0' 'a' >"$TMP/big"
call "$STAFF" POST /person --data-binary @"$TMP/big"
status 413 "an oversized body"

# a hostile note is stored and read back byte for byte
printf '%s\n\t%s' "'; DROP TABLE person; -- <script>alert(\"x\")</script> \\ \" %00 %s" \
  "ی ي ک ك Ёжик 👍 ‮rtl‬ 
 end" >"$TMP/note"
jq -n --rawfile n "$TMP/note" '{first_name: "Hostile", last_name: "Note", notes: $n}' >"$TMP/hostile.json"
call "$STAFF" POST /person --data-binary @"$TMP/hostile.json"
status 201 "a hostile note is saved"
HID=$(jqget "$BODY" .id)
call "$STAFF" GET "/person/$HID"
printf '%s' "$BODY" | jq -j .notes >"$TMP/back"
cmp -s "$TMP/note" "$TMP/back" && pass || fail "the note changed on its way: $(od -c "$TMP/back" | head -5)"

# paging: limit and a cursor
call "$STAFF" GET '/person?limit=2'
equals "$(jqget "$BODY" length)" 2 "limit"
contains "$HEAD" 'rel="next"' "a Link to the next page"
LAST=$(jqget "$BODY" '.[1].id')
call "$STAFF" GET "/person?limit=2&after=$LAST"
equals "$(jqget "$BODY" '.[0].id')" "$HID" "after continues past the cursor"
call "$STAFF" GET '/person?limit=0';               status 400 "a bad limit"
call "$STAFF" GET /find -G --data-urlencode "q=nowak"
status 200 "find"
equals "$(jqget "$BODY" 'map(.last_name) | unique | join(",")')" "Nowak" "find finds"
call "$VIEWER" GET '/fields?entity=deal'
equals "$(jqget "$BODY" '.[0].entity')" "deal" "fields"

# the OpenAPI document is made from the registry: options, required fields, routes
call "$VIEWER" GET /openapi.json
status 200 "openapi.json"
equals "$(jqget "$BODY" .openapi)" "3.0.3" "OpenAPI 3"
equals "$(jqget "$BODY" '.components.schemas.person.properties.gender.enum | map(tostring) | join(",")')" \
  "F,M,X,null" "options as an enum"
equals "$(jqget "$BODY" '.components.schemas.deal_input.required | index("title") != null')" "true" \
  "required fields of an input"
equals "$(jqget "$BODY" '.paths["/person/{id}"].patch.parameters | map(.name) | join(",")')" \
  "id,If-Match" "PATCH takes If-Match"
equals "$(jqget "$BODY" '. as $d | [.. | objects | select(has("$ref")) | .["$ref"]
  | ltrimstr("#/components/schemas/")] | unique - ($d.components.schemas | keys) | length')" \
  "0" "every \$ref resolves"

# the access log: one line per request, never a token or a value
LOG=$(cat "$TMP/serve.log")
contains "$LOG" "api:shop-sync POST /api/v1/person 201" "an access line"
lacks "$LOG" "$STAFF" "no token in the log"
lacks "$LOG" "anna@example.com" "no value in the log"
lacks "$LOG" "DROP TABLE" "no note in the log"

# SIGTERM: requests in flight finish, the database closes cleanly
for i in 1 2 3 4 5 6; do
  curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $STAFF" \
    "$API/person?allow_duplicate=1" -d "{\"first_name\":\"Late\",\"last_name\":\"Writer$i\"}" \
    >"$TMP/late.$i" &
done
kill -TERM $PID
set +e
wait $PID
RC=$?
wait
set -e
equals "$RC" 0 "SIGTERM ends the server with 0"
contains "$(cat "$TMP/serve.log")" "stopped; the database is closed" "a clean stop"
equals "$(sqlite3 kartoteka.db 'PRAGMA integrity_check')" "ok" "integrity after the stop"
SAVED=$(cat "$TMP"/late.* | grep -c '^201$' || true)
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person WHERE first_name = 'Late'")" "$SAVED" \
  "every request answered 201 is stored, no other"
lacks "$(cat "$TMP"/late.*)" "500" "no server error while stopping"
[ ! -s kartoteka.db-wal ] && pass || fail "the WAL was not checkpointed: the database was not closed"

# a rate per caller: a runaway program gets 429, others are not slowed
start_serve http --threads 2 --rate 0.5
CODES=""
for i in $(seq 8); do
  call "$STAFF" GET /person
  CODES="$CODES $CODE"
done
contains "$CODES" "429" "a caller over its rate gets 429"
contains "$CODES" "200" "within its burst it is served"
call "$STAFF" GET /person
contains "$HEAD" "Retry-After" "429 says when to retry"
call "$VIEWER" GET /person
status 200 "another caller is not limited by the first"
kill -TERM $PID
wait $PID && pass || fail "stop"

finish
