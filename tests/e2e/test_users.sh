#!/usr/bin/env bash
# Users and tokens from the command line (issue 18): kt user add|list|passwd|role|disable|enable,
# kt token add|list|revoke; passwords and tokens never kept in clear; every change recorded.
source "$(dirname "$0")/lib.sh"

new_ws users

# a password comes from stdin (one line) or a terminal; without either, a usage error
OUT=$(printf 'correct horse\n' | "$KT" user add anna --role staff --password-stdin 2>&1) \
  && pass || fail "user add: $OUT"
expect 64 user add bob --role staff </dev/null
contains "$ERR" "--password-stdin" "no terminal names the way out"
expect 64 user add bob --role boss --password-stdin </dev/null
contains "$ERR" "owner, manager, staff or viewer" "a wrong role names the four"
expect 64 user add bob --password-stdin </dev/null
expect 64 user add "Bob Smith" --role staff --password-stdin </dev/null
set +e
printf 'short\n' | "$KT" user add bob --role viewer --password-stdin 2>"$TMP/e"; RC=$?
set -e
equals "$RC" 65 "a password under 8 characters is bad data"
printf 'another secret\n' | "$KT" user add anna --role viewer --password-stdin 2>"$TMP/e" \
  && fail "a taken name was added again" || contains "$(cat "$TMP/e")" "already a user 'anna'" "taken name"
printf 'manager pass\n' | "$KT" user add mia --role manager --password-stdin

run user list --json
equals "$(jqget "$OUT" 'map(.name + ":" + .role + ":" + .state) | join(",")')" \
  "anna:staff:active,mia:manager:active" "user list --json"
run user list
contains "$OUT" "anna" "plain list"

expect 0 user role anna manager
expect 0 user disable mia
run user list --json
equals "$(jqget "$OUT" '.[] | select(.name=="anna") | .role')" "manager" "role changed"
equals "$(jqget "$OUT" '.[] | select(.name=="mia") | .state')" "disabled" "disabled"
expect 0 user enable mia
expect 66 user role nobody viewer
expect 66 user disable nobody
printf 'battery staple\n' | "$KT" user passwd anna --password-stdin && pass || fail "passwd"
set +e
printf 'battery staple\n' | "$KT" user passwd nobody --password-stdin 2>/dev/null; RC=$?
set -e
equals "$RC" 66 "passwd of nobody"

# tokens: shown once, only a hash kept
run token add shop-sync --role staff --expires 2027-01-31
equals "$RC" 0 "token add"
TOKEN=$OUT
[[ "$TOKEN" =~ ^kt_[A-Za-z0-9_-]{43}$ ]] && pass || fail "token shape: $TOKEN"
run token add shop-sync --role staff
equals "$RC" 73 "a taken token name"
expect 64 token add phone --role staff --expires tomorrow
expect 64 token add phone
run token add phone --role viewer --json
equals "$(jqget "$OUT" '.name + ":" + .role + ":" + (.expires|tostring)')" "phone:viewer:null" "token add --json"
[[ "$(jqget "$OUT" .token)" =~ ^kt_ ]] && pass || fail "token in --json"
run token list --json
equals "$(jqget "$OUT" 'map(.name + ":" + .state + ":" + (.expires // "-")) | join(",")')" \
  "phone:active:-,shop-sync:active:2027-01-31" "token list --json"
lacks "$OUT" "$TOKEN" "the list never shows a token"
KT_NOW=2027-02-01T00:00:00 run token list --json
equals "$(jqget "$OUT" '.[] | select(.name=="shop-sync") | .state')" "expired" "expired after its last day"
expect 0 token revoke phone
run token list --json
equals "$(jqget "$OUT" '.[] | select(.name=="phone") | .state')" "revoked" "revoked"
expect 66 token revoke nothing

# nothing secret in the database; every change is recorded with its source
DB=kartoteka.db
equals "$(sqlite3 "$DB" "SELECT count(*) FROM kt_user WHERE password LIKE '\$argon2id\$%'")" 2 "argon2id"
equals "$(sqlite3 "$DB" "SELECT count(*) FROM kt_token WHERE hash = '$TOKEN'")" 0 "token not stored"
if grep -qa -e "battery staple" -e "correct horse" -e "$TOKEN" "$DB" "$DB-wal" 2>/dev/null; then
  fail "a password or token in clear in the database"
else pass; fi
equals "$(sqlite3 "$DB" "SELECT group_concat(action || ' ' || subject || ' ' || source, '; ') FROM kt_auth_change")" \
  "user.add anna cli; user.add mia cli; user.role anna cli; user.disable mia cli; user.enable mia cli; user.passwd anna cli; token.add shop-sync cli; token.add phone cli; token.revoke phone cli" \
  "the changes are recorded"

finish
