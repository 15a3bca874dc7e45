#!/usr/bin/env bash
# Merge and unmerge: the winner keeps its values and fills its gaps from the loser, a second
# e-mail and phone find room, conflicts go to history, activities/sales/tasks/deals follow the
# winner, the loser stays readable; unmerge puts everything back unless something conflicts.
source "$(dirname "$0")/lib.sh"

new_ws merge
expect 0 add person first_name=Anna last_name=Nowak email=anna@firma.pl birth_date=1980-03-04 \
  city=Kraków
W=$OUT
expect 0 add --allow-duplicate person first_name=Anna last_name=Nowak email=anna.prywatna@gmail.com \
  mobile=601234567 birth_date=1980-03-04 street="Polna 5" city=Krakow
L=$OUT
expect 0 add activity kind=call person="$L"
ACT=$OUT
expect 0 add sale customer="$L" date=2024-01-02 amount=10
SALE=$OUT
expect 0 add task title="call back" person="$L"
TASK=$OUT
expect 0 add deal title="big one" person="$L"
DEAL=$OUT
expect 0 add activity kind=call person="$W"
OWN=$OUT

expect 0 merge "$W" "$L" --json
equals "$(jqget "$OUT" '.winner')" "$W" "JSON names the winner"
equals "$(jqget "$OUT" '.merged | join(",")')" "$L" "JSON names the losers"
equals "$(jqget "$OUT" '.record.email')" "anna@firma.pl" "the winner's value stays"
equals "$(jqget "$OUT" '.record.personal_email')" "anna.prywatna@gmail.com" "a second e-mail finds room"
equals "$(jqget "$OUT" '.record.mobile')" "+48601234567" "an empty field takes the loser's value"
equals "$(jqget "$OUT" '.record.street')" "Polna 5" "street filled"
equals "$(jqget "$OUT" '.record.city')" "Kraków" "conflict: the winner's city stays"

for r in "$ACT" "$TASK" "$DEAL"; do
  expect 0 get "$r" --json
  equals "$(jqget "$OUT" '.person')" "$W" "record $r follows the winner"
done
expect 0 get "$SALE" --json
equals "$(jqget "$OUT" '.customer')" "$W" "the sale follows the winner"

expect 0 get "$L"
contains "$OUT" "merged into: $W" "the loser says where it went"
contains "$OUT" "anna.prywatna@gmail.com" "the loser keeps its values"
expect 0 get "$L" --json
equals "$(jqget "$OUT" '.state')" "merged" "the loser's state"

expect 0 history "$W"
contains "$OUT" "merge" "the winner's history shows the merge"
contains "$OUT" "Krakow" "the conflicting value is kept in history"
expect 0 history "$ACT"
contains "$OUT" "merge" "the re-pointing is in the activity's history"

expect 0 dupes person --json
equals "$(jqget "$OUT" 'length')" "0" "a merged record is no longer proposed"
expect 65 set "$L" city=X
expect 65 merge "$W" "$L"
expect 64 merge "$W" "$W"

# --- unmerge ---
expect 0 unmerge "$L"
expect 0 get "$L" --json
equals "$(jqget "$OUT" '.state')" "active" "the loser is active again"
equals "$(jqget "$OUT" '.email')" "anna.prywatna@gmail.com" "with its own values"
expect 0 get "$W" --json
equals "$(jqget "$OUT" '.personal_email')" "null" "filled fields are empty again"
equals "$(jqget "$OUT" '.mobile')" "null" "mobile emptied again"
equals "$(jqget "$OUT" '.email')" "anna@firma.pl" "the winner keeps its own values"
for r in "$ACT" "$TASK" "$DEAL"; do
  expect 0 get "$r" --json
  equals "$(jqget "$OUT" '.person')" "$L" "record $r points at the loser again"
done
expect 0 get "$SALE" --json
equals "$(jqget "$OUT" '.customer')" "$L" "the sale goes back"
expect 0 get "$OWN" --json
equals "$(jqget "$OUT" '.person')" "$W" "the winner's own activity stays"
expect 0 history "$L"
contains "$OUT" "unmerge" "history shows the unmerge"
expect 66 unmerge "$L"

# --- unmerge refused on conflict ---
expect 0 merge "$W" "$L"
expect 0 set "$W" mobile=602000000
expect 0 set "$ACT" person="$W" note=moved
expect 65 unmerge "$L"
contains "$ERR" "mobile" "the conflict names the field"
expect 0 get "$L" --json
equals "$(jqget "$OUT" '.state')" "merged" "nothing changed"
expect 0 add person first_name=Other last_name=Person email=other@example.com
OTHER=$OUT
expect 0 set "$TASK" person="$OTHER"
expect 0 set "$W" mobile=
expect 65 unmerge "$L"
contains "$ERR" "$TASK.person" "a re-pointed ref changed since is a conflict too"
lacks "$ERR" "mobile" "a field already back as it was is no conflict"
expect 0 set "$TASK" person="$W"
expect 0 unmerge "$L"

# --- three at once, then one back ---
new_ws many
expect 0 add person first_name=Jan last_name=Kos email=jan@kos.pl
A=$OUT
expect 0 add --allow-duplicate person first_name=Jan last_name=Kos mobile=601111111
B=$OUT
expect 0 add --allow-duplicate person first_name=Jan last_name=Kos work_phone=602222222 mobile=603333333
C=$OUT
expect 0 merge "$A" "$B" "$C"
expect 0 get "$A" --json
equals "$(jqget "$OUT" '.mobile')" "+48601111111" "first loser fills mobile"
equals "$(jqget "$OUT" '.work_phone')" "+48602222222" "second loser fills work phone"
expect 0 unmerge "$C"
expect 0 get "$A" --json
equals "$(jqget "$OUT" '.work_phone')" "null" "unmerge of one loser undoes only its part"
equals "$(jqget "$OUT" '.mobile')" "+48601111111" "the other loser's part stays"

finish
