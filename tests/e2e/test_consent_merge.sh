#!/usr/bin/env bash
# Consents and merges (issue 23): a merge carries the loser's consents to the winner, the newer
# decision per purpose winning, and marketing_consent follows; the export of the winner lists
# the loser's own consents and access log; erasing the winner erases what the loser's consent
# rows and history held of the person.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

new_ws merge
W=$("$KT" add person first_name=Qqwinna last_name=Zxmerged email=qqw@example.com)
L=$("$KT" add person first_name=Qqwinna last_name=Zxmerged personal_email=qql@example.com \
  mobile="600 300 401" --allow-duplicate)
# the winner: email given in January, sms withdrawn in March; the loser: email withdrawn in
# February (newer than the winner's e-mail), sms given in January (older than the winner's
# withdrawal), profiling given (the winner never said)
KT_NOW=2026-01-10T10:00:00 expect 0 consent give "$W" email --source form --wording v1
KT_NOW=2026-03-10T10:00:00 expect 0 consent withdraw "$W" sms --source call
KT_NOW=2026-02-10T10:00:00 expect 0 consent withdraw "$L" email --source "campaign reply" \
  --note "Qqwinna wrote STOP from qql@example.com"
KT_NOW=2026-01-05T10:00:00 expect 0 consent give "$L" sms --source import
KT_NOW=2026-01-06T10:00:00 expect 0 consent give "$L" profiling --source form --wording p2

# a read of the loser through the server, before the merge
TOKEN=$("$KT" token add shop-sync --role staff)
start_serve http
call "$TOKEN" GET "/person/$L"
status 200 "the loser is read through the API"
kill "$PID"; wait "$PID" 2>/dev/null || true

KT_NOW=2026-04-01T10:00:00 expect 0 merge "$W" "$L"
expect 0 consent show "$W" --json
equals "$(jqget "$OUT" '[.current[] | .purpose + "=" + .state] | join(" ")')" \
  "email=withdrawn sms=withdrawn phone=none profiling=given" \
  "the newer decision per purpose wins: the loser's e-mail withdrawal and profiling, the winner's sms"
equals "$(jqget "$OUT" '.current[0] | [.source, .at] | join(" ")')" \
  "campaign reply 2026-02-10T10:00:00Z" "a carried row keeps how and when it was decided"
contains "$(jqget "$OUT" '.current[0].note')" "carried over from record $L at merge" \
  "the carried row says where it came from"
equals "$(jqget "$OUT" '.current[3] | [.source, .wording] | join(" ")')" "form p2" \
  "the wording's version is kept"
equals "$(jqget "$OUT" '[.history[] | select(.purpose == "sms")] | length')" 1 \
  "an older decision of the loser is not carried"
equals "$(jqget "$OUT" '.marketing_consent')" "null" \
  "marketing_consent follows the carried rows: no longer yes (e-mail and sms withdrawn, phone never said)"
expect 0 get "$W" --json
equals "$(jqget "$OUT" '.marketing_consent')" "null" "and so does the field (the loser's yes is not filled in)"

# the export of the winner lists what the loser's own rows say
expect 0 person export "$W"
equals "$(jqget "$OUT" '.merged_records[0].consents.history | length')" 3 \
  "the export: the loser's consent rows"
equals "$(jqget "$OUT" '.merged_records[0].access_log | map(.route) | join(",")')" \
  "GET /api/v1/person/$L" "the export: the loser's access log"

# erasing the winner erases what the loser's rows held
expect 0 person erase "$W" --reason "asked by letter"
expect 0 consent show "$L" --json
lacks "$OUT" "Qqwinna" "the loser's consent note lost the name"
lacks "$OUT" "qql@example.com" "and the address"
equals "$(jqget "$OUT" '[.history[] | .purpose + "=" + .state] | join(" ")')" \
  "email=withdrawn sms=given profiling=given" "the loser's rows stay as proof"
for s in Qqwinna Zxmerged qqw@example.com qql@example.com 600300401; do
  equals "$(grep -rlaF -- "$s" . || true)" "" "no file of the workspace holds '$s'"
done
finish
