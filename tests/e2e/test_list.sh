#!/usr/bin/env bash
# kt list, kt find and kt get as a person reads them (issue 21): a header, references by their
# titles, --sort, --columns, --count, --limit/--offset, a company's people, deals and
# activities, tables that fit the terminal and lines without trailing blanks.
. "$(dirname "$0")/lib.sh"
new_ws lists
expect 0 add company name="Acme Sp. z o.o." email=biuro@acme.pl
C=$OUT
expect 0 add person first_name=Anna last_name=Nowak company="$C" email=anna@acme.pl city=Kraków
A=$OUT
expect 0 add person first_name=Jan last_name=Kowalski company="$C" city=Gdańsk
J=$OUT
expect 0 add person first_name=Ewa last_name=Zając city=Łódź
E=$OUT
expect 0 add deal title="Big order" company="$C" person="$A" amount=1000
expect 0 add activity kind=call company="$C" person="$J" note="asked about prices"
trailing() { grep -c ' $' <<<"$1" || true; }

expect 0 list --show-pii person
equals "$(head -1 <<<"$OUT" | awk '{print $1, $2, $3}')" "id first_name last_name" "a header"
equals "$(trailing "$OUT")" "0" "no line of kt list ends in a blank"
expect 0 list --show-pii person --columns first_name,company
contains "$OUT" "Anna        Acme Sp. z o.o." "a reference shows its record's title"
lacks "$OUT" "  $C" "not the bare id"
expect 0 list --show-pii deal
contains "$OUT" "Anna Nowak" "a deal's person by name"
expect 0 list --show-pii person --sort -last_name --columns last_name
equals "$(awk 'NR > 1 {print $2}' <<<"$OUT" | tr '\n' ' ')" "Zając Nowak Kowalski " "--sort descending"
expect 0 list --show-pii person --sort city,last_name --columns city
equals "$(awk 'NR > 1 {print $1}' <<<"$OUT" | tr '\n' ' ')" "$J $A $E " "--sort by two fields"
expect 0 list person --count
equals "$OUT" "3" "--count"
expect 0 list person --count --where "city = Kraków" --json
equals "$(jq -r .count <<<"$OUT")" "1" "--count --json"
expect 0 list --show-pii person --limit 1 --offset 1 --columns first_name
equals "$(awk 'NR > 1 {print $1}' <<<"$OUT")" "$J" "--limit and --offset"
expect 0 list --show-pii person --limit 1 --offset 1 --json
equals "$(jq -r '.[0].id' <<<"$OUT")" "$J" "--offset with --json"
expect 64 list person --columns firstname
contains "$ERR" "did you mean first_name?" "an unknown column"
expect 64 list person --limit lots
contains "$ERR" "--limit must be a whole number" "--limit checks its number"
expect 66 list person --sort nope
contains "$ERR" "has no field 'nope'" "--sort checks its field"

# --- a company's kt get shows its people, deals and activities
expect 0 get "$C"
contains "$OUT" "people: 2" "the company's people"
contains "$OUT" "Kowalski" "a contact listed"
contains "$OUT" "deals: 1" "the company's deals"
contains "$OUT" "Big order" "a deal listed"
contains "$OUT" "activities: 1" "the company's activities"
contains "$OUT" "Jan Kowalski" "the activity's person by name"
equals "$(trailing "$OUT")" "0" "no line of kt get ends in a blank"
expect 0 get "$C" --json
equals "$(jq -r .name <<<"$OUT")" "Acme Sp. z o.o." "kt get --json stays one flat record"

# --- kt find: no padding at the ends of lines
expect 0 find acme
contains "$OUT" "Acme Sp. z o.o." "kt find shows titles"
equals "$(trailing "$OUT")" "0" "no line of kt find ends in a blank"

# --- on a terminal the table fits its width
if command -v script >/dev/null; then
  got=$(NO_COLOR=1 COLUMNS=40 script -qec "stty cols 40 2>/dev/null; $KT list --show-pii person --columns first_name,last_name,email,company,city" /dev/null | tr -d '\r')
  widest=$(LC_ALL=C.UTF-8 bash -c 'w=0; while IFS= read -r l; do [ ${#l} -gt $w ] && w=${#l}; done; echo $w' <<<"$got")
  [ "$widest" -le 40 ] && pass || fail "a table on a 40-column terminal is $widest wide: $got"
  contains "$got" "…" "cut cells end with an ellipsis"
fi
finish
