#!/usr/bin/env bash
# A person's rights through kt serve (issue 23): GET /person/ID/export (the JSON document of kt
# person export, and its HTML page), POST /person/ID/erase with a reason and /anonymise — the
# manager's or owner's (403 for staff and viewers), described in the OpenAPI document; the export
# masks what a viewer may not see and the values it shows in clear are in the access log. The web
# card lists the person's consents and gives a manager an Erase form (reason, confirmation box,
# CSRF token) that erases for real.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

new_ws servepriv
PASS=correct-horse-battery
for u in sam:staff mia:manager; do
  printf '%s\n' "$PASS" | "$KT" user add "${u%%:*}" --role "${u#*:}" --password-stdin
done
VIEWER=$("$KT" token add reader --role viewer)
STAFF=$("$KT" token add shop-sync --role staff)
MANAGER=$("$KT" token add office --role manager)
A=$("$KT" add person first_name=Zxqvia last_name=Wróblewska-Qq email=zxq.api@example.com \
  mobile="600 700 801" city=Kraków birth_date=1985-06-02 gender=F)
B=$("$KT" add person first_name=Webbina last_name=Qqcardowa email=webbina@example.com city=Łódź)
C=$("$KT" add person first_name=Anonka last_name=Qqstat email=anonka@example.com city=Gdańsk \
  birth_date=1990-03-04)
"$KT" consent give "$A" email --source "web form" --wording v2 >/dev/null
"$KT" consent withdraw "$B" sms --source "campaign reply" >/dev/null
"$KT" consent give "$B" email --source "shop counter" >/dev/null
start_serve http --threads 2
URL=http://127.0.0.1:$PORT

# --- the export: the document of kt person export
call "$STAFF" GET "/person/$A/export"
status 200 "staff exports a person"
contains "$HEAD" "application/json" "the export is JSON"
equals "$(jqget "$BODY" '.kartoteka_person_export')" 1 "the export's version"
equals "$(jqget "$BODY" '.record.email')" "zxq.api@example.com" "the record in clear for staff"
equals "$(jqget "$BODY" '.consents.history[0].source')" "web form" "its consents"
"$KT" person export "$A" >"$TMP/cli.json"
equals "$(jqget "$BODY" 'del(.generated_at, .access_log)')" \
  "$(jq -r 'del(.generated_at, .access_log)' "$TMP/cli.json")" "the same document as kt person export"
run access-log "$A" --json
equals "$(jqget "$OUT" "[.[] | select(.route == \"GET /api/v1/person/$A/export\")] | length")" 1 \
  "the export's read of pii is in the access log"
call "$STAFF" GET "/person/$A/export?format=html"
status 200 "the HTML page"
contains "$HEAD" "text/html" "served as HTML"
contains "$BODY" "zxq.api@example.com" "the page holds the values"
lacks "$BODY" "<script" "nothing but escaped text"
call "$STAFF" GET "/person/$A/export?format=xml"
status 400 "an unknown format"
call "$VIEWER" GET "/person/$A/export"
status 200 "a viewer may export"
equals "$(jqget "$BODY" '.record.email + " " + .record.last_name + " " + .record.city')" \
  "*** *** Kraków" "a viewer's export is masked"
lacks "$BODY" "zxq.api@example.com" "no clear e-mail for a viewer"
call "$STAFF" POST "/person/$A/export"
status 405 "export is a GET"
call "$STAFF" GET "/person/999999/export"
status 404 "no such person"

# --- erase and anonymise: the manager's or the owner's
call "$STAFF" POST "/person/$A/erase" -H 'Content-Type: application/json' -d '{"reason": "asked"}'
status 403 "staff may not erase"
call "$VIEWER" POST "/person/$A/erase" -H 'Content-Type: application/json' -d '{"reason": "asked"}'
status 403 "a viewer may not erase"
call "$STAFF" POST "/person/$C/anonymise"
status 403 "staff may not anonymise"
call "$MANAGER" POST "/person/$A/erase"
status 400 "an erasure needs a reason"
call "$MANAGER" POST "/person/$A/erase" -d '{"reason": 5}'
status 400 "the reason is text"
call "$MANAGER" GET "/person/$A/erase"
status 405 "erase is a POST"
call "$MANAGER" POST "/person/$A/erase" -H 'Content-Type: application/json' \
  -d '{"reason": "letter of 2026-12-01"}'
status 200 "the manager erases"
equals "$(jqget "$BODY" '[.id, .action, (.records|tostring)] | join(" ")')" "$A erase 1" \
  "the answer of kt person erase --json"
run get "$A" --json
equals "$(jqget "$OUT" '[.first_name, .email, .mobile] | map(. == null) | all')" true \
  "the values are gone"
run history "$A" --json
equals "$(jqget "$OUT" '[.[] | select(.action == "erase")] | .[0] | .new + " " + .source')" \
  "letter of 2026-12-01 api:office person erase" "who erased and why"
for s in Zxqvia Wróblewska-Qq zxq.api@example.com 600700801; do
  equals "$(grep -rlaF -- "$s" . || true)" "" "no file of the workspace holds '$s'"
done
call "$MANAGER" POST "/person/$C/anonymise"
status 200 "the manager anonymises (no reason needed)"
equals "$(jqget "$BODY" .action)" "anonymise" "anonymised"
run get "$C" --json
equals "$(jqget "$OUT" '[.city, .birth_date, (.email == null)] | map(tostring) | join(" ")')" \
  "Gdańsk 1990-01-01 true" "statistics kept, the rest erased"

# --- the OpenAPI document names them
call "$STAFF" GET /openapi.json
for p in export erase anonymise; do
  equals "$(jqget "$BODY" ".paths[\"/person/{id}/$p\"] | keys | join(\",\")")" \
    "$([ $p = export ] && echo get || echo post)" "openapi: /person/{id}/$p"
done
equals "$(jqget "$BODY" '.paths["/person/{id}/erase"].post.requestBody.required')" true \
  "openapi: erase needs its body"

# --- the web card: consents, and the Erase form for a manager
web() { # web USER METHOD PATH [curl args]
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
csrf() { awk '$6 == "kt_csrf" {print $7}' "$TMP/jar.$1"; }
login sam
web sam GET "/e/person/$B"
status 200 "sam opens the card"
contains "$BODY" 'id="consents"' "the card lists the consents"
contains "$BODY" "shop counter" "a consent's source"
contains "$BODY" "campaign reply" "a withdrawal's source"
contains "$BODY" 'class="withdrawn"' "a withdrawal is marked"
lacks "$BODY" 'id="erase-form"' "staff gets no Erase button"
web sam POST "/e/person/$B/erase" --data-urlencode "_csrf=$(csrf sam)" \
  --data-urlencode reason=x --data-urlencode confirm=yes
status 403 "staff may not erase through the web"
login mia
web mia GET "/e/person/$B"
contains "$BODY" 'id="erase-form"' "a manager gets the Erase form"
contains "$BODY" 'name="reason"' "with a reason"
contains "$BODY" 'name="confirm"' "and a confirmation box"
web mia POST "/e/person/$B/erase" --data-urlencode reason=asked --data-urlencode confirm=yes
status 403 "no CSRF token, no erasure"
web mia POST "/e/person/$B/erase" --data-urlencode "_csrf=$(csrf mia)" --data-urlencode reason=asked
status 400 "not confirmed, not erased"
web mia POST "/e/person/$B/erase" --data-urlencode "_csrf=$(csrf mia)" --data-urlencode confirm=yes
status 400 "no reason, not erased"
run get "$B" --json
equals "$(jqget "$OUT" .email)" "webbina@example.com" "nothing was erased by the refused posts"
web mia POST "/e/person/$B/erase" --data-urlencode "_csrf=$(csrf mia)" \
  --data-urlencode "reason=asked at the counter" --data-urlencode confirm=yes
status 303 "the erasure goes back to the card"
run get "$B" --json
equals "$(jqget "$OUT" '[.first_name, .email] | map(. == null) | all')" true "erased from the web"
run history "$B" --json
equals "$(jqget "$OUT" '[.[] | select(.action == "erase")] | .[0] | .new + " " + .source')" \
  "asked at the counter web:mia person erase" "the web erasure names who and why"
finish
