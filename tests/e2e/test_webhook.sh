#!/usr/bin/env bash
# Webhooks (issue 18): a declared event queues the record's JSON in the outbox inside the
# change's transaction; delivery POSTs it signed with HMAC-SHA256, once per event, retried
# like campaign messages. A receiver on loopback checks the body and the signature.
. "$(dirname "$0")/lib.sh"
python3 "$SRC/tests/e2e/webhook/receiver.py" --log "$TMP/posts" --port-file "$TMP/port" \
  --status "$TMP/status" &
RECV=$!
trap 'kill $RECV 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
PORT=$(cat "$TMP/port")
HOOK=http://127.0.0.1:$PORT
unset SHOP_HOOK_SECRET

new_ws hooks
cat >>kartoteka.lua <<LUA
webhook "deal.won" { url = "$HOOK/won", secret_env = "SHOP_HOOK_SECRET" }
webhook "person.created" { url = "$HOOK/people", secret_env = "SHOP_HOOK_SECRET" }
webhook "record.archived" { url = "$HOOK/archived", secret_env = "SHOP_HOOK_SECRET" }
LUA

posts() { if [ -f "$TMP/posts" ]; then wc -l <"$TMP/posts"; else echo 0; fi; }
# verify N SECRET: the N-th post's signature is the HMAC-SHA256 of its body under SECRET
verify() {
  python3 - "$TMP/posts" "$1" "$2" <<'PY'
import hashlib, hmac, json, sys
post = json.loads(open(sys.argv[1]).read().splitlines()[int(sys.argv[2]) - 1])
want = "sha256=" + hmac.new(sys.argv[3].encode(), post["body"].encode(), hashlib.sha256).hexdigest()
print("ok" if hmac.compare_digest(post["headers"].get("x-kartoteka-signature", ""), want) else "bad")
PY
}
post_field() { sed -n "${1}p" "$TMP/posts" | jq -r "$2"; }

# A person: one row for person.created, queued with the record.
expect 0 add person first_name=Ola last_name=Lis email=ola@example.com
P=$OUT
expect 0 outbox list --json
equals "$(jqget "$OUT" 'length')" "1" "creating a person queues one post"
equals "$(jqget "$OUT" '.[0].campaign + " " + .[0].channel + " " + .[0].to')" \
  "webhook:person.created webhook $HOOK/people" "the row names the webhook, its channel and url"
BODY=$(jqget "$OUT" '.[0].body')
expect 0 get "$P" --json
equals "$(jq -S . <<<"$BODY")" "$(jq -S . <<<"$OUT")" "the body is the record as kt get --json shows it"

# A deal: created as new, then won; a later change of a won deal is not won again.
expect 0 add deal title="Big order" stage=new
D=$OUT
expect 0 outbox list --json
equals "$(jqget "$OUT" 'length')" "1" "a new deal that is not won queues nothing"
expect 0 set "$D" amount=100
expect 0 set "$D" stage=won
expect 0 set "$D" amount=250
expect 0 outbox list --json
equals "$(jqget "$OUT" '[.[] | select(.campaign == "webhook:deal.won")] | length')" "1" \
  "deal.won fires once, when the stage becomes won"
equals "$(jqget "$OUT" '[.[] | select(.campaign == "webhook:deal.won")][0].body | fromjson | .amount')" \
  "100.00" "its body is the deal as it was won"

# A change that fails validation queues nothing (the row is in the change's transaction).
expect 65 add person first_name=Bad email=not-an-address
expect 0 outbox list --json
equals "$(jqget "$OUT" 'length')" "2" "a refused save queues no post"

# No secret in the environment: nothing is posted unsigned; the rows fail and wait.
expect 74 outbox deliver
equals "$(posts)" "0" "without its secret nothing is posted"
expect 0 outbox list --status failed --json
contains "$(jqget "$OUT" '.[0].last_error')" "SHOP_HOOK_SECRET" "the failure names the variable"
lacks "$(cat kartoteka.lua)" "s3cret" "the secret is not in kartoteka.lua"

# With the secret: each post is delivered once, signed, with its event and delivery id.
export SHOP_HOOK_SECRET=s3cret-value
expect 0 outbox retry --json
equals "$(jqget "$OUT" .sent)" "2" "both posts are sent"
equals "$(posts)" "2" "the receiver got two posts"
equals "$(verify 1 s3cret-value)" "ok" "the first post's signature checks"
equals "$(verify 2 s3cret-value)" "ok" "the second post's signature checks"
equals "$(verify 1 another-secret)" "bad" "a signature under another secret does not"
equals "$(post_field 1 '.path + " " + .headers["x-kartoteka-event"] + " " + .headers["content-type"]')" \
  "/people person.created application/json" "path, event and content type"
equals "$(post_field 2 '.body | fromjson | .stage')" "won" "the won deal is posted"
lacks "$(cat "$TMP/posts")" "s3cret" "the secret itself never travels"
expect 0 outbox deliver --json
equals "$(jqget "$OUT" .sent)" "0" "a delivered post is never sent again"
equals "$(posts)" "2" "the receiver still has two posts"

# A receiver that fails: the post is retried later, then delivered with the same id.
echo 500 >"$TMP/status"
expect 0 archive "$P"
expect 74 outbox deliver
equals "$(posts)" "3" "the failing receiver was asked once"
expect 0 outbox list --status failed --json
ID=$(jqget "$OUT" '.[0].id')
contains "$(jqget "$OUT" '.[0].last_error')" "HTTP 500" "the failure says what the receiver answered"
[ "$(jqget "$OUT" '.[0].next_attempt')" != null ] && pass || fail "a failed post waits for its next attempt"
expect 0 outbox deliver --json
equals "$(jqget "$OUT" .waiting)" "1" "before its back-off it is not tried again"
echo 200 >"$TMP/status"
expect 0 outbox retry "$ID" --json
equals "$(jqget "$OUT" .sent)" "1" "retried and delivered"
equals "$(post_field 3 '.headers["x-kartoteka-delivery"]')" "$(post_field 4 '.headers["x-kartoteka-delivery"]')" \
  "a retry carries the same delivery id, so a receiver can drop a repeat"
equals "$(post_field 4 '.path + " " + (.body | fromjson | .state)')" "/archived archived" \
  "record.archived posts the archived record"

# A merge posts the winner once, as it is after the merge; a restore is not an archive.
echo "webhook \"person.merged\" { url = \"$HOOK/merged\", secret_env = \"SHOP_HOOK_SECRET\" }" >>kartoteka.lua
expect 0 add person first_name=Jan last_name=Nowak city=Gdansk --allow-duplicate
W=$OUT
expect 0 add person first_name=Janek last_name=Nowak email=jan@example.com --allow-duplicate
L=$OUT
expect 0 restore "$P"
expect 0 merge "$W" "$L"
expect 0 outbox deliver --json
equals "$(jqget "$OUT" .sent)" "3" "two new people and one merge are posted; the restore is not"
equals "$(post_field 7 '.path + " " + (.body | fromjson | .id) + " " + (.body | fromjson | .email)')" \
  "/merged $W jan@example.com" "person.merged posts the winner with what it took over"

# Won again after being lost: a new event, delivered by kt due like campaign mail.
expect 0 set "$D" stage=lost
expect 0 set "$D" stage=won
expect 0 due --json
equals "$(posts)" "8" "kt due delivers the new post"
equals "$(post_field 8 '.path + " " + (.body | fromjson | .stage)')" "/won won" "the deal won again"

# A webhook on an event that cannot happen is refused when the workspace opens.
cp kartoteka.lua kartoteka.lua.good
echo "webhook \"deal.wonn\" { url = \"$HOOK/x\", secret_env = \"S\" }" >>kartoteka.lua
expect 65 list person
contains "$ERR" "deal.wonn" "an unknown event is named"
cp kartoteka.lua.good kartoteka.lua
echo "webhook \"deal.won\" { url = \"$HOOK/x\" }" >>kartoteka.lua
expect 65 list person
contains "$ERR" "secret_env" "a webhook without a secret is refused"
cp kartoteka.lua.good kartoteka.lua
echo "webhook \"deal.won\" { url = \"$HOOK/x\", secret_env = \"S\", secret = \"x\" }" >>kartoteka.lua
expect 65 list person
contains "$ERR" "secret" "an unknown key is refused"
finish
