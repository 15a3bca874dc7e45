#!/usr/bin/env bash
# Browser sessions on kt serve (issue 18): login with a password gives an HttpOnly, SameSite=Lax
# cookie and a CSRF token; a state-changing request without the token is forbidden; logout and
# disabling end the session; wrong passwords lock the name (429).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

new_ws session
printf 'correct horse\n' | "$KT" user add anna --role staff --password-stdin
printf 'another secret\n' | "$KT" user add bob --role viewer --password-stdin

start_serve http --threads 2
JAR=$TMP/jar

# req METHOD PATH [curl args]: with the cookie jar; status in $CODE, body in $BODY, headers in $HEAD
req() {
  local method=$1 path=$2; shift 2
  CODE=$(curl -s -b "$JAR" -c "$JAR" -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' -X "$method" \
    "$@" "$API$path")
  BODY=$(cat "$TMP/body")
  HEAD=$(cat "$TMP/head")
}

req POST /session -d '{"name":"anna","password":"wrong horse"}'
equals "$CODE" 401 "a wrong password"
req POST /session -d '{"name":"nobody","password":"correct horse"}'
equals "$CODE" 401 "an unknown user"
contains "$BODY" "wrong user name or password" "one message for both"
req POST /session -d '{"name":"anna","password":"correct horse"}'
equals "$CODE" 201 "login"
CSRF=$(jqget "$BODY" .csrf_token)
equals "$(jqget "$BODY" .role)" "staff" "the role"
COOKIE=$(grep -i '^Set-Cookie:' <<<"$HEAD" | tr -d '\r')
contains "$COOKIE" "HttpOnly" "HttpOnly"
contains "$COOKIE" "SameSite=Lax" "SameSite=Lax"
lacks "$COOKIE" "Secure" "not Secure over plain HTTP"
[[ "$(sed 's/.*kt_session=\([^;]*\).*/\1/' <<<"$COOKIE")" =~ ^[A-Za-z0-9_-]{43}$ ]] && pass \
  || fail "the session id is not 256 random bits: $COOKIE"

req GET /person
equals "$CODE" 200 "a read with the cookie"
req POST /person -d '{"first_name":"Forged","last_name":"Request"}'
equals "$CODE" 403 "a state change without the CSRF token (a forged request)"
req POST /person -H "X-CSRF-Token: not-the-token" -d '{"first_name":"Forged","last_name":"Request"}'
equals "$CODE" 403 "a wrong CSRF token"
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person WHERE first_name = 'Forged'")" 0 \
  "nothing written by forged requests"
req POST /person -H "X-CSRF-Token: $CSRF" -d '{"first_name":"Real","last_name":"Change"}'
equals "$CODE" 201 "a change with the CSRF token"
run history "$(jqget "$BODY" .id)" --json
equals "$(jqget "$OUT" '.[0].source')" "web:anna" "history names the user"

# the role is read at every request
"$KT" user role anna viewer
req POST /person -H "X-CSRF-Token: $CSRF" -d '{"first_name":"Now","last_name":"Viewer"}'
equals "$CODE" 403 "a role taken away applies at once"
"$KT" user role anna staff

req DELETE /session -H "X-CSRF-Token: $CSRF"
equals "$CODE" 200 "logout"
req GET /person
equals "$CODE" 401 "the session is gone after logout"

# disabling a user ends their sessions
req POST /session -d '{"name":"anna","password":"correct horse"}'
"$KT" user disable anna
req GET /person
equals "$CODE" 401 "a disabled user's session"
"$KT" user enable anna

# a wrong password 50 times: locked after 5, even the right password then gets 429
CODES=""
for i in $(seq 50); do
  req POST /session -d '{"name":"bob","password":"guess'"$i"'"}'
  CODES="$CODES $CODE"
done
equals "$(tr ' ' '\n' <<<"$CODES" | grep -c 401)" 5 "five wrong passwords are told apart"
equals "$(tr ' ' '\n' <<<"$CODES" | grep -c 429)" 45 "then the name is locked"
req POST /session -d '{"name":"bob","password":"another secret"}'
equals "$CODE" 429 "locked even for the right password"
contains "$HEAD" "Retry-After" "says when to retry"
req POST /session -d '{"name":"anna","password":"correct horse"}'
equals "$CODE" 201 "another user is not locked"

LOG=$(cat "$TMP/serve.log")
lacks "$LOG" "correct horse" "no password in the log"
lacks "$LOG" "$CSRF" "no CSRF token in the log"
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM kt_session WHERE length(hash) = 64")" \
  "$(sqlite3 kartoteka.db "SELECT count(*) FROM kt_session")" "only hashes of sessions are kept"
kill -TERM $PID
wait $PID && pass || fail "the server did not stop cleanly"
finish
