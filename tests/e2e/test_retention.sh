#!/usr/bin/env bash
# Retention (issue 23): `retention "person" { after = "36 months since last activity", action =
# "anonymise" }` in kartoteka.lua, applied by kt due; kt due --dry-run lists exactly the people a
# hand count says are due, and changes nothing.
. "$(dirname "$0")/lib.sh"

new_ws shop
cat >>kartoteka.lua <<'LUA'
retention "person" { after = "36 months since last activity", action = "anonymise" }
LUA
NOW=2031-01-01T09:00 # the cut-off: 2028-01-01; everyone was created in the run's real today
SILENT=$("$KT" add person first_name=Silent last_name=Nobody email=silent@example.org)
OLD_SALE=$("$KT" add person first_name=Old last_name=Buyer email=old@example.org city=Łódź)
expect 0 add sale customer="$OLD_SALE" date=2027-06-01 amount=10.00
RECENT=$("$KT" add person first_name=Recent last_name=Caller email=recent@example.org)
expect 0 add activity kind=call person="$RECENT" at=2029-05-01T10:00
PLANNED=$("$KT" add person first_name=Planned last_name=Task)
expect 0 add task title="Call back" person="$PLANNED" due=2028-03-01
EDGE=$("$KT" add person first_name=Edge last_name=Day)
expect 0 add activity kind=meeting person="$EDGE" at=2028-01-01T08:00
DONE=$("$KT" add person first_name=Done last_name=Before)
expect 0 person anonymise "$DONE"
LOSER=$("$KT" add person first_name=Silent last_name=Nobody mobile=+48601234599 --allow-duplicate)
expect 0 merge "$SILENT" "$LOSER"
expect 0 add company name="Quiet Ltd"

# by hand: Silent (nothing since creation) and Old (a sale in 2027) are before 2028-01-01; Recent,
# Planned and Edge (on the cut-off day) are not; Done was anonymised already; the loser goes
# with Silent
WANT=$(printf '%s\n' "$SILENT" "$OLD_SALE" | sort -n | tr '\n' ' ')
expect 0 due --dry-run --now $NOW --json
equals "$(jqget "$OUT" '[.retention[].id] | sort_by(tonumber) | join(" ")') " "$WANT" \
  "the dry run lists exactly the people due"
equals "$(jqget "$OUT" '[.retention[] | .action + ":" + (.done | tostring)] | unique | join(" ")')" \
  "anonymise:false" "a dry run does nothing"
expect 0 due --dry-run --now $NOW
contains "$OUT" "person $SILENT would be anonymised (last activity" "the dry run's text"
expect 0 get "$SILENT" --json
equals "$(jqget "$OUT" .first_name)" "Silent" "the dry run changed nothing"

expect 0 due --now $NOW --json
equals "$(jqget "$OUT" '[.retention[].id] | sort_by(tonumber) | join(" ")') " "$WANT" \
  "kt due anonymises the same people"
expect 0 get "$OLD_SALE" --json
equals "$(jqget "$OUT" '[.first_name, .email] | map(. == null) | all')" true "names and e-mail gone"
equals "$(jqget "$OUT" .city)" "Łódź" "the city stays for statistics"
expect 0 history "$OLD_SALE" --json
contains "$OUT" "retention: 36 months since last activity" "the history says why"
for s in silent@example.org old@example.org Buyer; do
  equals "$(grep -rlaF -- "$s" . || true)" "" "no file of the workspace holds '$s' after retention"
done
expect 0 find Silent --json
equals "$(jqget "$OUT" length)" 0 "search no longer finds an anonymised person"
expect 0 get "$RECENT" --json
equals "$(jqget "$OUT" .first_name)" "Recent" "a recent client is left alone"
expect 0 due --dry-run --now $NOW --json
equals "$(jqget "$OUT" '.retention | length')" 0 "nobody is due twice"

# a declaration kt cannot read is refused with its place
cat >>kartoteka.lua <<'LUA'
retention "person" { after = "three years", action = "erase" }
LUA
expect 65 due --dry-run --now $NOW
contains "$ERR" 'needs after = "N days|months|years since last activity"' "a bad period"
finish
