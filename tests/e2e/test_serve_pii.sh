#!/usr/bin/env bash
# Personal data through kt serve (issue 23): a viewer is shown masks on every path (the API's
# list, record, search, find, history and duplicates; the web's lists, cards, search, CSV
# export, today page), and nothing is logged for it; what a role that sees personal data is
# shown is written to the access log (who, role, record, fields, route), one row per request
# and record, which kt access-log reads.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

new_ws servepii
PASS=correct-horse-battery
for u in sam:staff mia:manager vera:viewer; do
  printf '%s\n' "$PASS" | "$KT" user add "${u%%:*}" --role "${u#*:}" --password-stdin
done
VIEWER=$("$KT" token add reader --role viewer)
STAFF=$("$KT" token add shop-sync --role staff)
A=$("$KT" add person first_name=Zofia last_name=Wróblewska email=zofia@example.com \
  mobile="600 700 800" city=Kraków birth_date=1985-06-02)
"$KT" set "$A" email=zofia.w@example.com >/dev/null
B=$("$KT" add person first_name=Zofia last_name=Wróblewska email=zofia.w@example.com \
  city=Kraków --allow-duplicate)
D=$("$KT" add deal title="Fence" person="$A" stage=new)
start_serve http --threads 2
URL=http://127.0.0.1:$PORT
SECRETS="Zofia Wróblewska zofia@example.com zofia.w@example.com 600700800 1985-06-02"
hides() { # hides BODY WHAT: none of the secrets in BODY
  for s in $SECRETS; do lacks "$1" "$s" "$2 hides $s"; done
}

web() { # web USER METHOD PATH [curl args]: USER's cookie jar; status in CODE, body in BODY
  local jar=$TMP/jar.$1 method=$2 path=$3; shift 3
  CODE=$(curl -s --path-as-is -o "$TMP/body" -w '%{http_code}' -b "$jar" -c "$jar" \
    -X "$method" "$@" "$URL$path")
  BODY=$(cat "$TMP/body")
}
login() {
  web "$1" GET /login
  local token=$(awk '$6 == "kt_login" {print $7}' "$TMP/jar.$1")
  web "$1" POST /login --data-urlencode "_login=$token" --data-urlencode "user=$1" \
    --data-urlencode "password=$PASS"
}

# the viewer's API: masks everywhere
for path in "/person" "/person/$A" "/person?q=zofia" "/person?sort=last_name" \
  "/find?q=zofia" "/person/$A/history" "/dupes/person"; do
  call "$VIEWER" GET "$path"
  status 200 "viewer GET $path"
  hides "$BODY" "viewer GET $path"
done
call "$VIEWER" GET "/person/$A"
equals "$(jqget "$BODY" '.first_name + " " + .email + " " + .city')" "*** *** Kraków" \
  "viewer: masked values, others in clear"
call "$VIEWER" GET "/person/$A/history"
equals "$(jqget "$BODY" '[.[] | select(.field == "email") | .old, .new] | map(select(. != null)) | unique | join(",")')" \
  "***" "viewer: history masks old and new values"

# the viewer's web pages: masks everywhere
login vera
for path in "/" "/e/person" "/e/person/$A" "/find?q=zofia" "/e/person?format=csv" "/e/deal" \
  "/e/deal/$D" "/board"; do
  web vera GET "$path"
  status 200 "vera GET $path"
  hides "$BODY" "vera GET $path"
done
curl -s -b "$TMP/jar.vera" -o "$TMP/vera.xlsx" "$URL/e/person?format=xlsx"
hides "$(unzip -p "$TMP/vera.xlsx")" "vera's workbook"
web vera GET "/e/person/$A"
contains "$BODY" "***" "a viewer's card shows masks"
web vera GET /dupes/person
status 403 "the duplicates page is a manager's"

run access-log --json
equals "$(jqget "$OUT" 'length')" "0" "nothing logged for a viewer"

# a role that sees personal data: its reads are logged
call "$STAFF" GET "/person/$A"
status 200 "staff reads a record"
contains "$BODY" "zofia.w@example.com" "staff sees the e-mail"
run access-log "$A" --json
equals "$(jqget "$OUT" 'length')" "1" "one row for the read"
equals "$(jqget "$OUT" '.[0] | [.who, .role, (.record|tostring), .entity, .route] | join(" ")')" \
  "api:shop-sync staff $A person GET /api/v1/person/$A" "who, role, record, entity, route"
equals "$(jqget "$OUT" '.[0].fields | join(",")')" "birth_date,email,first_name,last_name,mobile" \
  "the pii fields shown, not the others (city)"
lacks "$OUT" "zofia" "the log holds no values"
LOG_ENTRY=$(jqget "$OUT" '.[0] | del(.seq)')
run person export "$A"
equals "$(jqget "$OUT" '.access_log[0] | del(.seq)')" "$LOG_ENTRY" \
  "the person export lists the read, in kt access-log's shape"

call "$STAFF" GET "/person?q=zofia"
run access-log --json
equals "$(jqget "$OUT" '[.[] | select(.route == "GET /api/v1/person") | .record] | sort | map(tostring) | join(",")')" \
  "$A,$B" "a search logs each record it served, once (the query string is not kept)"

call "$STAFF" GET "/person/$A/history"
run access-log "$A" --json
equals "$(jqget "$OUT" '.[-1] | .route + " " + (.fields | join(","))')" \
  "GET /api/v1/person/$A/history birth_date,email,first_name,last_name,mobile" "history is a read"

login sam
web sam GET "/e/person/$A"
status 200 "sam opens the card"
contains "$BODY" "zofia.w@example.com" "sam sees the e-mail"
run access-log "$A" --json
equals "$(jqget "$OUT" "[.[] | select(.route == \"GET /e/person/$A\")] | length")" "1" \
  "one row per request and record, however often the page shows it"
equals "$(jqget "$OUT" '.[-1] | .who + " " + .role')" "web:sam staff" "the web user"
contains "$(jqget "$OUT" '.[-1].fields | join(",")')" "email" "the card's fields"
web sam GET "/e/person/$A/edit"
status 200 "sam opens the edit form"
run access-log "$A" --json
equals "$(jqget "$OUT" '.[-1] | .route + " " + (.fields | join(","))')" \
  "GET /e/person/$A/edit birth_date,email,first_name,last_name,mobile" "the form's values are a read"

login mia
web mia GET /dupes/person
status 200 "mia opens the duplicates"
run access-log --json
equals "$(jqget "$OUT" '[.[] | select(.route == "GET /dupes/person" and .who == "web:mia") | .record] | sort | map(tostring) | join(",")')" \
  "$A,$B" "the duplicates page logs both records"

# the table for people
run access-log
contains "$OUT" "web:mia" "the table names who"
contains "$OUT" "GET /dupes/person" "the table names the route"

finish
