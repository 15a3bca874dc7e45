#!/usr/bin/env bash
# kt outbox retry (issue 21): failed messages are tried again now, not at their back-off time,
# one by id or a campaign's, also after the campaign left kartoteka.lua.
. "$(dirname "$0")/lib.sh"
new_ws outbox --example pet-shop
cat >>kartoteka.lua <<'LUA'
settings { email_channel = "smtp", smtp_url = "smtp://127.0.0.1:9", smtp_from = "shop@example.com",
           smtp_tls = "none" }
LUA
expect 0 add person first_name=Ola last_name=Lis email=ola@example.com pets=dog expected_gifts=leash \
  birth_date=1990-03-08 marketing_consent=yes
expect 0 campaign run birthday --as-of 2027-03-01
expect 74 outbox deliver
expect 0 outbox list --status failed --json
MSG=$(jqget "$OUT" '.[0].id')
[ "$(jqget "$OUT" '.[0].next_attempt')" != null ] && pass || fail "a failed message waits for its next attempt"
expect 0 outbox deliver --json
equals "$(jqget "$OUT" .waiting)" "1" "deliver leaves it waiting"

# The channel is fixed; the campaign is gone from kartoteka.lua: its queue stays visible.
sed -i 's/email_channel = "smtp"/email_channel = "file"/' kartoteka.lua
sed -i '/^campaign "birthday"/,$d' kartoteka.lua
expect 0 campaign list --json
equals "$(jqget "$OUT" length)" "0" "the campaign is no longer declared"
expect 0 outbox list --json
equals "$(jqget "$OUT" '.[0].campaign + " " + .[0].status')" "birthday failed" "its message is still listed"
expect 66 outbox retry 999999
contains "$ERR" "no message 999999" "an unknown id"
expect 0 outbox retry --campaign other
contains "$OUT" "no failed message to retry" "another campaign's messages are left alone"
expect 0 outbox retry --campaign birthday --json
equals "$(jqget "$OUT" .sent)" "1" "retried now and sent, without waiting for its back-off"
expect 0 outbox list --json
equals "$(jqget "$OUT" '.[0].status')" "sent" "the message is sent"
expect 65 outbox retry "$MSG"
contains "$ERR" "is sent: only a failed message is retried" "a sent message is never sent again"
expect 64 outbox retry --campain birthday
contains "$ERR" "did you mean --campaign?" "a misspelled option"
finish
