#!/usr/bin/env bash
# kt serve under load (issue 18), bounded and on loopback: clients at once doing mixed reads and
# writes; a shared counter is incremented with If-Match and retried on 412. Passes when no
# request got a server error, the counter equals the increments that were answered 200 (no lost
# update), every create answered 201 is stored, and the database passes integrity_check.
# CI runs it short; the issue's run: KT_LOAD_CLIENTS=50 KT_LOAD_SECONDS=60.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
CLIENTS=${KT_LOAD_CLIENTS:-6}
SECONDS_=${KT_LOAD_SECONDS:-4}

new_ws load
cat >>kartoteka.lua <<'LUA'
field "person.visits" { type = "integer" }
LUA
TOKEN=$("$KT" token add load --role staff)
CID=$("$KT" add person first_name=Counter last_name=Shared visits=0)

start_serve http --threads 4 --rate 0
AUTH="Authorization: Bearer $TOKEN"

# client N: writes one status per line to codes.N, one line per counted increment to incs.N,
# one per created record to made.N
client() {
  set +e # a failed request is counted below, not the end of the client
  local n=$1 end=$(($(date +%s) + SECONDS_)) i=0
  : >"$TMP/codes.$n"; : >"$TMP/incs.$n"; : >"$TMP/made.$n"
  while [ "$(date +%s)" -lt "$end" ]; do
    i=$((i + 1))
    case $((RANDOM % 10)) in
    0 | 1 | 2 | 3 | 4)
      local resp etag visits code
      resp=$(curl -s -D - -H "$AUTH" "$API/person/$CID")
      code=$(head -1 <<<"$resp" | cut -d' ' -f2)
      echo "${code:-000}" >>"$TMP/codes.$n"
      [ "$code" = 200 ] || continue
      etag=$(grep -i '^etag:' <<<"$resp" | tr -d '\r' | sed 's/^[^:]*: //')
      visits=$(tail -1 <<<"$resp" | jq -r .visits)
      code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH -H "$AUTH" -H "If-Match: $etag" \
        "$API/person/$CID" -d "{\"visits\": $((visits + 1))}")
      echo "$code" >>"$TMP/codes.$n"
      [ "$code" = 200 ] && echo 1 >>"$TMP/incs.$n"
      ;;
    5 | 6)
      curl -s -o /dev/null -w '%{http_code}\n' -H "$AUTH" "$API/person?limit=20&where=last_name~load" \
        >>"$TMP/codes.$n"
      ;;
    7)
      curl -s -o /dev/null -w '%{http_code}\n' -H "$AUTH" "$API/find?q=shared" >>"$TMP/codes.$n"
      ;;
    *)
      code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$AUTH" \
        "$API/person?allow_duplicate=1" -d "{\"first_name\":\"C$n\",\"last_name\":\"Load$i\"}")
      echo "$code" >>"$TMP/codes.$n"
      [ "$code" = 201 ] && echo 1 >>"$TMP/made.$n"
      ;;
    esac
  done
}

for n in $(seq "$CLIENTS"); do client "$n" & done
wait $(jobs -p | grep -v "^$PID$") || true

CODES=$(cat "$TMP"/codes.*)
TOTAL=$(wc -l <<<"$CODES")
BAD=$(grep -cv -e '^200$' -e '^201$' -e '^412$' <<<"$CODES" || true)
INCS=$(cat "$TMP"/incs.* | wc -l)
MADE=$(cat "$TMP"/made.* | wc -l)
echo "load: $CLIENTS clients, ${SECONDS_} s: $TOTAL requests ($((TOTAL / SECONDS_))/s), $INCS increments, $MADE creates, $(grep -c '^412$' <<<"$CODES" || true) stale"
equals "$BAD" 0 "no request failed (other than 412, retried): $(grep -v -e '^200$' -e '^201$' -e '^412$' <<<"$CODES" | sort | uniq -c | head -3)"
[ "$INCS" -gt 0 ] && pass || fail "no increment went through"
kill -TERM $PID
wait $PID || fail "the server did not stop cleanly"
equals "$("$KT" get "$CID" --json | jq -r .visits)" "$INCS" "the counter lost no update"
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person WHERE last_name LIKE 'Load%'")" "$MADE" \
  "every create answered 201 is stored"
equals "$(sqlite3 kartoteka.db 'PRAGMA integrity_check')" "ok" "integrity_check"
lacks "$(cat "$TMP/serve.log")" " 500 " "no server error in the access log"

finish
