#!/usr/bin/env bash
# The review of duplicates over the API and the web (issue 20): GET /dupes/ENTITY/review lists
# what kt dupes review --json lists, POST /dupes/ENTITY/label sets what kt dupes label sets, both
# a merger's (staff and viewers get 403), documented in openapi.json; the web's Review view shows
# the next uncertain pair with its explanation and takes Same / Different / Skip with CSRF.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

new_ws review
A1=$("$KT" add person first_name=Anna last_name=Kowalska birth_date=1980-01-02 email=anna@x.pl)
A2=$("$KT" add --allow-duplicate person first_name=Anna last_name=Kowalska birth_date=1980-01-02 \
  email=anna.k@y.pl)
A3=$("$KT" add --allow-duplicate person first_name=Anne last_name=Kowalsky birth_date=1980-02-01)
J1=$("$KT" add person first_name=Jan last_name=Nowak birth_date=1975-05-05 email=jan@n.pl)
J2=$("$KT" add --allow-duplicate person first_name=Jan last_name=Nowak birth_date=1976-05-05)
STAFF=$("$KT" token add staff --role staff)
BOSS=$("$KT" token add boss --role manager)
PASS=correct-horse-battery
for u in mia:manager sam:staff; do
  printf '%s\n' "$PASS" | "$KT" user add "${u%%:*}" --role "${u#*:}" --password-stdin
done
start_serve http --threads 2

# --- the API ---
call "$BOSS" GET /dupes/person/review;                  status 200 "review"
equals "$BODY" "$("$KT" dupes review person --json | jq -c .)" "what kt dupes review --json lists"
equals "$(jqget "$BODY" '.[0].ids | join(" ")')" "$A1 $A2" "nearest 0.5 first"
call "$BOSS" GET "/dupes/person/review?limit=1";        status 200 "review with a limit"
equals "$(jqget "$BODY" 'length')" "1" "limit"
call "$BOSS" GET "/dupes/person/review?limit=0";        status 400 "a bad limit"
call "$BOSS" GET /dupes/nothing/review;                 status 404 "an unknown entity"
call "$STAFF" GET /dupes/person/review;                 status 403 "staff may not merge, nor review"
call "$STAFF" POST /dupes/person/label -d "{\"a\":$A1,\"b\":$A2,\"label\":\"same\"}"
status 403 "nor label"
call "$BOSS" GET /dupes/person/label;                   status 405 "label is a POST"
call "$BOSS" POST /dupes/person/label -d "{\"a\":$A1,\"b\":$A2,\"label\":\"maybe\"}"
status 400 "an unknown label"
call "$BOSS" POST /dupes/person/label -d "{\"a\":$A1,\"label\":\"same\"}"
status 400 "a pair needs two ids"
call "$BOSS" POST /dupes/company/label -d "{\"a\":$A1,\"b\":$A2,\"label\":\"same\"}"
status 400 "records of another entity"
call "$BOSS" POST /dupes/person/label -d "{\"a\":$A2,\"b\":$A1,\"label\":\"same\"}"
status 200 "label same"
equals "$(jqget "$BODY" '(.ids | join(" ")) + " " + .label')" "$A1 $A2 same" "the pair and its label"
expect 0 dupes review person --json
equals "$(jqget "$OUT" "[.[] | select(.ids == [\"$A1\", \"$A2\"])] | length")" "0" \
  "the API's label is kt dupes label's: the pair is not proposed again"
call "$BOSS" POST /dupes/person/label -d "{\"a\":\"$A1\",\"b\":\"$A3\",\"label\":\"distinct\"}"
status 200 "label distinct, ids as strings"
expect 0 dupes person --explain "$A1" "$A3"
contains "$OUT" "(declared distinct)" "the same decision as --not"
call "$BOSS" GET /dupes/person/review;                  status 200 "review again"
lacks "$(jqget "$BODY" '[.[] | .ids | join(" ")] | join(",")')" "$A1 $A2" "labelled: not proposed again"
call "$BOSS" POST /dupes/person/label -d "{\"a\":$A1,\"b\":$A3,\"label\":\"clear\"}"
status 200 "clear"
expect 0 dupes person --explain "$A1" "$A3"
lacks "$OUT" "declared distinct" "cleared"
call "$BOSS" GET /openapi.json;                         status 200 "openapi.json"
equals "$(jqget "$BODY" '.paths["/dupes/{entity}/review"].get.operationId')" "dupesReview" \
  "the review route documented"
equals "$(jqget "$BODY" '.paths["/dupes/{entity}/label"].post.requestBody.content["application/json"].schema.properties.label.enum | join(",")')" \
  "same,distinct,clear" "the label route documented with its labels"

# --- the web's Review view ---
URL=http://127.0.0.1:$PORT
web() {
  local jar=$TMP/jar.$1 method=$2 path=$3; shift 3
  CODE=$(curl -s --path-as-is -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' -b "$jar" -c "$jar" \
    -X "$method" "$@" "$URL$path")
  BODY=$(cat "$TMP/body")
  HEAD=$(cat "$TMP/head")
}
csrf() { awk '$6 == "kt_csrf" {print $7}' "$TMP/jar.$1"; }
login() {
  local token
  web "$1" GET /login
  token=$(awk '$6 == "kt_login" {print $7}' "$TMP/jar.$1")
  web "$1" POST /login --data-urlencode "_login=$token" --data-urlencode "user=$1" \
    --data-urlencode "password=$2"
}
login mia "$PASS"
login sam "$PASS"
web sam GET /dupes/person/review;                       status 403 "staff: no review page"
web mia GET /dupes/person;                              status 200 "the duplicates page"
contains "$BODY" 'href="/dupes/person/review"' "links to the review"
web mia GET /dupes/person/review;                       status 200 "the review page"
NEXT=$("$KT" dupes review person --json --limit 1 | jq -r '.[0].ids | join(" ")')
FIRST=${NEXT%% *}
SECOND=${NEXT##* }
contains "$BODY" "$FIRST ~ $SECOND:" "the next uncertain pair"
contains "$BODY" "birth_date" "with its explanation field by field"
contains "$BODY" 'value="same"' "a Same button"
contains "$BODY" 'value="distinct"' "a Different button"
contains "$BODY" 'value="skip"' "a Skip button"
web mia POST /dupes/person/review --data "a=$FIRST&b=$SECOND&at=0&do=same"
status 403 "no CSRF token: refused"
TOKEN=$(csrf mia)
web mia POST /dupes/person/review --data "_csrf=$TOKEN&a=$FIRST&b=$SECOND&at=0&do=skip"
status 303 "skip"
contains "$HEAD" "/dupes/person/review?at=1" "to the next pair"
web mia POST /dupes/person/review --data "_csrf=$TOKEN&a=$FIRST&b=$SECOND&at=0&do=distinct"
status 303 "different"
expect 0 dupes person --explain "$FIRST" "$SECOND"
contains "$OUT" "(declared distinct)" "the web's Different is --not's decision"
web mia GET /dupes/person/review;                       status 200 "the review page again"
lacks "$BODY" "$FIRST ~ $SECOND:" "the answered pair is gone"
web mia POST /dupes/person/review --data "_csrf=$TOKEN&a=$J1&b=$J2&at=0&do=same"
status 303 "same"
expect 0 dupes review person --json
equals "$(jqget "$OUT" "[.[] | select(.ids == [\"$J1\", \"$J2\"])] | length")" "0" \
  "the web's Same is a label: the pair is not proposed again"
web mia POST /dupes/person/review --data "_csrf=$TOKEN&a=$J1&b=$J2&at=0&do=clear"
status 400 "the web's answers are same, distinct and skip"

finish
