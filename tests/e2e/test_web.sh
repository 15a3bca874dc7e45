#!/usr/bin/env bash
# The web face (issue 19) with curl: login, sessions and CSRF for forms, what each role is
# offered and refused, the write door's errors at their fields, escaping, the language setting
# (Persian pages right to left), and the headers every page carries.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

new_ws web --example pet-shop
PASS=correct-horse-battery
for u in anna:owner sam:staff vera:viewer; do
  printf '%s\n' "$PASS" | "$KT" user add "${u%%:*}" --role "${u#*:}" --password-stdin
done
ZOE=$("$KT" add person first_name=Zoë last_name=Nowak email=zoe@example.com pets=dog \
  expected_gifts=ball 'notes=<script>alert(1)</script> =HYPERLINK("http://x")')
EVIL=$("$KT" add person first_name=Evil 'last_name==HYPERLINK("http://x","y")' \
  email=evil@example.com pets=dog expected_gifts=x birth_date=1985-06-02)
start_serve http --threads 2
URL=http://127.0.0.1:$PORT

# web USER METHOD PATH [curl args]: with USER's cookie jar; status in CODE, body in BODY
web() {
  local jar=$TMP/jar.$1 method=$2 path=$3; shift 3
  CODE=$(curl -s --path-as-is -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' -b "$jar" -c "$jar" \
    -X "$method" "$@" "$URL$path")
  BODY=$(cat "$TMP/body")
  HEAD=$(cat "$TMP/head")
}
status() { if [ "$CODE" = "$1" ]; then pass; else fail "$2: HTTP $CODE, expected $1: ${BODY:0:300}"; fi; }
csrf() { awk '$6 == "kt_csrf" {print $7}' "$TMP/jar.$1"; }
# login USER PASSWORD [JAR]: the login page first (its own CSRF token), then the form
login() {
  local jar=${3:-$1} token
  web "$jar" GET /login
  token=$(awk '$6 == "kt_login" {print $7}' "$TMP/jar.$jar")
  web "$jar" POST /login --data-urlencode "_login=$token" --data-urlencode "user=$1" \
    --data-urlencode "password=$2"
}

web nobody GET /;                    status 303 "no session: to the login page"
contains "$HEAD" "Location: /login" "the login page"
web nobody GET /login;               status 200 "the login page"
contains "$BODY" 'name="user"' "the user input"
contains "$BODY" 'name="password" type="password"' "the password input"
contains "$HEAD" "script-src 'self'" "CSP: our scripts only"
lacks "$HEAD" "unsafe-inline" "no inline script or style"
contains "$HEAD" "frame-ancestors 'none'" "no framing"
contains "$HEAD" "X-Content-Type-Options: nosniff" "nosniff"
# login CSRF: the form carries a token of its own, matched with a cookie of the login page
contains "$BODY" 'name="_login"' "the login form's own token"
contains "$HEAD" "kt_login=" "the login page's cookie"
web intruder POST /login --data-urlencode user=anna --data-urlencode "password=$PASS"
status 403 "a login without the login page's token"
lacks "$HEAD" "kt_session=" "no session for a forged login"
web intruder GET /login
web intruder POST /login --data-urlencode _login=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef \
  --data-urlencode user=anna --data-urlencode "password=$PASS"
status 403 "a login with another token than the cookie's"
login anna wrong nobody
status 401 "a wrong password"
contains "$BODY" 'value="anna"' "the name typed is kept"
web nobody GET /static/../kartoteka.db; status 404 "a path with .."
for u in anna sam vera; do
  login "$u" "$PASS"
  status 303 "$u logs in"
done
contains "$HEAD" "HttpOnly; SameSite=Lax" "the session cookie"
web anna GET /
status 200 "Today"
contains "$BODY" "Log out (anna, owner)" "who is logged in"

# CSRF: a form without the session's token, or with another, changes nothing
web sam POST /e/person/new --data-urlencode first_name=Eve --data-urlencode last_name=Forged
status 403 "a form without its CSRF token"
web sam POST /e/person/new --data-urlencode "_csrf=$(csrf anna)" --data-urlencode first_name=Eve
status 403 "a form with another session's token"
run list person --where "last_name=Forged" --json
equals "$OUT" "[]" "nothing was saved"

# the write door's errors at their fields, with the typed values kept
web sam POST /e/person/new --data-urlencode "_csrf=$(csrf sam)" --data-urlencode first_name=Ola \
  --data-urlencode 'last_name=Kot"<b>' --data-urlencode pets=cat --data-urlencode pets=fish \
  --data-urlencode email=ola@example.com
status 422 "a missing mandatory field"
contains "$BODY" 'id="err-expected_gifts"' "the error at its field"
contains "$BODY" 'aria-describedby="err-expected_gifts"' "the input points at its error"
contains "$BODY" 'value="Kot&quot;&lt;b&gt;"' "the typed value kept, escaped"
contains "$BODY" 'name="pets" value="fish" checked' "the checked pets kept"
web sam POST /e/person/new --data-urlencode "_csrf=$(csrf sam)" --data-urlencode first_name=Ola \
  --data-urlencode last_name=Kot --data-urlencode pets=cat --data-urlencode expected_gifts=yarn \
  --data-urlencode email=ola@example.com
status 303 "saved"
OLA=$(grep -i '^Location:' <<<"$HEAD" | tr -d '\r' | sed 's|.*/||')
run history "$OLA" --json
contains "$OUT" '"source":"web:sam"' "history names the web user"

# a probable duplicate: the candidates with their scores; staff may only open them
web sam POST /e/person/new --data-urlencode "_csrf=$(csrf sam)" --data-urlencode first_name=Zoe \
  --data-urlencode last_name=Nowak --data-urlencode pets=dog --data-urlencode expected_gifts=x \
  --data-urlencode email=zoe@example.com
status 409 "a probable duplicate"
contains "$BODY" "href=\"/e/person/$ZOE\"" "the candidate, to open"
lacks "$BODY" 'id="save-anyway"' "staff may not save a duplicate anyway"
web anna POST /e/person/new --data-urlencode "_csrf=$(csrf anna)" --data-urlencode first_name=Zoe \
  --data-urlencode last_name=Nowak --data-urlencode pets=dog --data-urlencode expected_gifts=x \
  --data-urlencode email=zoe@example.com
status 409 "a probable duplicate for the owner"
contains "$BODY" 'id="save-anyway"' "the owner may save it anyway"
web anna POST /e/person/new --data-urlencode "_csrf=$(csrf anna)" --data-urlencode first_name=Zoe \
  --data-urlencode last_name=Nowak --data-urlencode pets=dog --data-urlencode expected_gifts=x \
  --data-urlencode email=zoe@example.com --data-urlencode _allow_duplicate=1
status 303 "saved anyway"

# two people editing one client: the second save, from a form opened before the first, is
# refused with everything typed kept
web sam GET "/e/person/$OLA/edit"
VERSION=$(grep -o 'name="_version" value="[0-9]*"' <<<"$BODY" | grep -o '[0-9]*"$' | tr -d '"')
[ -n "$VERSION" ] && pass || fail "the edit form carries the record's version"
"$KT" set "$OLA" city=Gdańsk >/dev/null
web sam POST "/e/person/$OLA/edit" --data-urlencode "_csrf=$(csrf sam)" \
  --data-urlencode "_version=$VERSION" --data-urlencode first_name=Ola \
  --data-urlencode last_name=Kot --data-urlencode pets=cat --data-urlencode expected_gifts=yarn \
  --data-urlencode email=ola@example.com --data-urlencode city=Toruń
status 422 "a stale edit"
contains "$BODY" "Someone changed this record" "the stale edit is explained"
contains "$BODY" 'value="Toruń"' "what was typed is kept"
equals "$("$KT" get "$OLA" --json | jq -r .city)" "Gdańsk" "the other change stands"

# the hostile note reads as text on the card
web anna GET "/e/person/$ZOE"
contains "$BODY" '&lt;script&gt;alert(1)&lt;/script&gt; =HYPERLINK(&quot;http://x&quot;)' \
  "the note escaped"
lacks "$BODY" '<script>alert' "no script from a record"

# roles: what a role may not do is neither offered nor allowed
web vera GET "/e/person/$ZOE"
status 200 "a viewer reads"
lacks "$BODY" 'id="edit"' "no edit for a viewer"
contains "$BODY" '<dd id="email">***</dd>' "pii masked for a viewer"
lacks "$BODY" "zoe@example.com" "the e-mail nowhere"
web vera POST "/e/person/$ZOE/edit" --data-urlencode "_csrf=$(csrf vera)" --data-urlencode city=X
status 403 "a viewer cannot change"
web vera GET /settings;              status 403 "settings are the owner's"
web sam GET /import;                 status 403 "import is a manager's"
web sam POST "/e/person/$ZOE/merge" --data-urlencode "_csrf=$(csrf sam)" --data-urlencode "other=$OLA"
status 403 "staff cannot merge"
web sam GET "/e/person/$ZOE"
lacks "$BODY" 'id="merge"' "no merge offered to staff"
contains "$BODY" 'id="edit"' "staff edits"

# English dates and amounts: the month named, thousands grouped
web sam GET "/e/person/$EVIL"
contains "$BODY" "2 Jun 1985" "a date as English readers write it"
DEAL=$("$KT" add deal title=Aquarium stage=proposal amount=1234567.50)
web sam GET "/e/deal/$DEAL"
contains "$BODY" "1,234,567.50" "an amount with its thousands grouped"

# a phone input shows the country its number is read in: the record's, else the workspace's
web sam GET /e/person/new
contains "$BODY" '<span class="country" id="mobile-country" title="country">PL</span>' \
  "the workspace's country beside a phone"
IRA=$("$KT" add person first_name=Ira last_name=Sadeghi country=IR email=ira@example.com pets=cat \
  expected_gifts=x)
web sam GET "/e/person/$IRA/edit"
contains "$BODY" 'id="mobile-country" title="country">IR</span>' "the record's country beside a phone"

# an upload left by a dry run never run is removed after a day, at the next upload
mkdir -p imports/uploads
printf 'x\n' >imports/uploads/0123456789abcdef01234567.csv
printf 'x\n' >imports/uploads/0123456789abcdef01234567.csv.rejects.csv
touch -d '2 days ago' imports/uploads/0123456789abcdef01234567.csv \
  imports/uploads/0123456789abcdef01234567.csv.rejects.csv
printf 'x\n' >imports/uploads/fedcba9876543210fedcba98.csv
printf 'first_name,last_name\nUla,Upload\n' >"$TMP/up.csv"
web anna POST /import -F "_csrf=$(csrf anna)" -F "file=@$TMP/up.csv" -F script=persons.lua \
  -F action=dry
status 200 "a dry run"
[ ! -e imports/uploads/0123456789abcdef01234567.csv ] && pass || fail "a stale upload is removed"
[ ! -e imports/uploads/0123456789abcdef01234567.csv.rejects.csv ] && pass \
  || fail "a stale upload's rejects are removed"
[ -e imports/uploads/fedcba9876543210fedcba98.csv ] && pass || fail "a fresh upload is kept"

# a field added in Settings, or by `kt field add` while kt serve runs, is seen by every worker
# thread: many requests at once (both threads answer some) all show it
# every_form_has NAME WHAT: 12 requests at once, every new-person form holds input NAME
every_form_has() {
  local i pids=()
  for i in $(seq 12); do
    curl -s -b "$TMP/jar.sam" -o "$TMP/form.$i" "$URL/e/person/new" &
    pids+=($!)
  done
  wait "${pids[@]}"
  local missing=0
  for i in $(seq 12); do grep -q "name=\"$1\"" "$TMP/form.$i" || missing=$((missing + 1)); done
  equals "$missing" 0 "$2: forms without it"
}
every_form_has city "before any change"
web anna POST /settings/field --data-urlencode "_csrf=$(csrf anna)" --data-urlencode entity=person \
  --data-urlencode name=shoe_size --data-urlencode type=integer --data-urlencode label="Shoe size"
status 200 "a field added in Settings"
every_form_has shoe_size "a field added in Settings, seen by every thread"
"$KT" field add person.hat_size integer >/dev/null || fail "kt field add"
every_form_has hat_size "a field added by kt field add, seen by every thread"

# lists, search and the board
web sam GET "/e/person?where=city%20~%20x&sort=-last_name"
status 200 "a filtered, sorted list"
web sam GET "/e/person?where=nosuchfield%3D1"
contains "$BODY" 'role="alert"' "a bad filter is said, not a crash"
web sam GET "/find?q=zoe"
contains "$BODY" "href=\"/e/person/$ZOE\"" "search without diacritics"

# the list exported as shown: CSV, a formula neutralised, personal data masked for a viewer
web sam GET "/e/person?format=csv&where=first_name%3DEvil"
status 200 "the list as CSV"
contains "$HEAD" "Content-Disposition: attachment; filename=\"person.csv\"" "a download"
WANT=$(cat <<'CSV'
,Evil,"'=HYPERLINK(""http://x"",""y"")",
CSV
)
contains "$BODY" "$WANT" "the formula neutralised"
equals "$(wc -l <<<"$BODY")" 2 "a header and the one row the filter keeps"
web vera GET "/e/person?format=csv&where=first_name%3DEvil"
contains "$BODY" "***" "masked for a viewer"
lacks "$BODY" "evil@example.com" "no e-mail for a viewer"

# the same list as XLSX: the same columns and masking, a date as a date cell, a formula-looking
# text as a string cell, never a formula
# xlsx_cells FILE: each cell of the sheet as "REF TYPE STYLE VALUE" (shared strings resolved)
xlsx_cells() {
  python3 - "$1" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
ns = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
import xml.etree.ElementTree as ET
shared = [''.join(t.text or '' for t in si.iter(ns + 't'))
          for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(ns + 'si')] \
    if 'xl/sharedStrings.xml' in z.namelist() else []
for c in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter(ns + 'c'):
    if c.find(ns + 'f') is not None:
        print(c.get('r'), 'FORMULA')
    v = c.find(ns + 'v')
    t = c.get('t', 'n')
    val = shared[int(v.text)] if t == 's' else (v.text if v is not None else '')
    print(c.get('r'), t, c.get('s', '0'), val)
PY
}
curl -s -b "$TMP/jar.sam" -o "$TMP/evil.xlsx" -D "$TMP/head" "$URL/e/person?format=xlsx&where=first_name%3DEvil"
contains "$(cat "$TMP/head")" 'filename="person.xlsx"' "the list as XLSX"
CELLS=$(xlsx_cells "$TMP/evil.xlsx" 2>&1)
contains "$CELLS" " s 0 Evil" "a name as a string cell"
contains "$CELLS" ' s 0 =HYPERLINK("http://x","y")' "the formula-looking name is a string cell"
lacks "$CELLS" "FORMULA" "no formula in the workbook"
contains "$CELLS" "evil@example.com" "the e-mail for staff"
grep -Eq '^[A-Z]+2 n [1-9][0-9]* 31200$' <<<"$CELLS" && pass \
  || fail "the birth date is a date cell (serial 31200 is 1985-06-02): $CELLS"
curl -s -b "$TMP/jar.vera" -o "$TMP/vera.xlsx" "$URL/e/person?format=xlsx&where=first_name%3DEvil"
CELLS=$(xlsx_cells "$TMP/vera.xlsx" 2>&1)
contains "$CELLS" " s 0 ***" "masked for a viewer in the workbook"
lacks "$CELLS" "evil@example.com" "no e-mail for a viewer in the workbook"
web sam GET /e/person
contains "$BODY" 'id="export-xlsx"' "the list offers XLSX"

# a report: its page, its chart, its downloads
web vera GET /reports/funnel
status 200 "the funnel"
contains "$BODY" 'src="/reports/funnel.svg"' "its chart"
web vera GET /reports/funnel.svg
contains "$HEAD" "Content-Type: image/svg+xml" "the chart is an SVG image"
web vera GET /reports/funnel.json
status 200 "the funnel as JSON"
jq -e 'type == "array"' <<<"$BODY" >/dev/null && pass || fail "the funnel's JSON: $BODY"
web vera GET /reports/funnel.csv
contains "$HEAD" 'filename="funnel.csv"' "the funnel as CSV"

# logout ends the session
web sam POST /logout --data-urlencode "_csrf=$(csrf sam)"
status 303 "logout"
web sam GET /;                       status 303 "logged out: back to the login page"

# the workspace's language: Polish words, labels and dates; Persian pages run right to left
kill -TERM "$PID"; wait "$PID" || true
sed -i 's/^settings {/settings {\n  language = "pl",/' kartoteka.lua
start_serve http
URL=http://127.0.0.1:$PORT
login anna "$PASS"
web anna GET "/e/person/$EVIL"
contains "$BODY" '<html lang="pl" dir="ltr">' "a Polish page"
contains "$BODY" "Wyloguj" "the interface's words in Polish"
contains "$BODY" "Data urodzenia" "the registry's label in Polish"
contains "$BODY" "02.06.1985" "a date as Poles write it"
kill -TERM "$PID"; wait "$PID" || true
sed -i 's/language = "pl"/language = "fa"/' kartoteka.lua
start_serve http
URL=http://127.0.0.1:$PORT
login anna "$PASS"
web anna GET /
contains "$BODY" '<html lang="fa" dir="rtl">' "Persian runs right to left"
contains "$BODY" "خروج" "Persian words"
finish
