#!/usr/bin/env bash
# kt outbox cancel (issue 21, item 9): a cancelled message is never sent and is listed as
# cancelled, by id or by campaign, also after the campaign left kartoteka.lua.
. "$(dirname "$0")/lib.sh"
new_ws cancel --example pet-shop
for n in Ola Ewa Iza; do
  expect 0 add person first_name=$n last_name=Lis email=$n@example.com pets=dog expected_gifts=leash \
    birth_date=1990-03-08 marketing_consent=yes --allow-duplicate
done
expect 0 campaign run birthday --as-of 2027-03-01
expect 0 outbox list --status queued --json
equals "$(jqget "$OUT" length)" "3" "three messages queued"
FIRST=$(jqget "$OUT" '.[0].id')
ACT=$(jqget "$OUT" '.[0].record')

expect 0 outbox cancel "$FIRST"
contains "$OUT" "1 message cancelled" "one cancelled by id"
expect 0 outbox list --status cancelled --json
equals "$(jqget "$OUT" '.[0].id')" "$FIRST" "listed as cancelled"
expect 0 list activity --where "person = $ACT" --where "kind = email" --json
equals "$(jqget "$OUT" '.[0].status')" "cancelled" "its activity is cancelled, no longer planned"
expect 65 outbox cancel "$FIRST"
contains "$ERR" "is cancelled: only a queued or failed message is cancelled" "twice"
expect 66 outbox cancel 999999
expect 64 outbox cancel
contains "$ERR" "needs a message id or --campaign NAME" "nothing is cancelled wholesale by accident"

# the campaign leaves kartoteka.lua: its queue stays visible and cancellable
sed -i '/^campaign "birthday"/,$d' kartoteka.lua
expect 0 outbox cancel --campaign birthday --dry-run
contains "$OUT" "would cancel 2 messages (nothing written)" "dry run counts"
expect 0 outbox list --status queued --json
equals "$(jqget "$OUT" length)" "2" "the dry run changed nothing"
expect 0 outbox cancel --campaign birthday --json
equals "$(jqget "$OUT" .cancelled)" "2" "the campaign's messages are cancelled"
expect 0 outbox deliver --json
equals "$(jqget "$OUT" .sent)" "0" "a cancelled message is never sent"
[ -z "$(ls outbox 2>/dev/null)" ] && pass || fail "no message file was written"
expect 0 outbox list
equals "$(grep -c cancelled <<<"$OUT")" "3" "kt outbox list shows all three as cancelled"
expect 64 outbox list --dry-run
finish
