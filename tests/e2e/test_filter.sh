#!/usr/bin/env bash
# The filter language of --where (issue 21): blanks around operators, quoted values, today,
# today-7, this_month, is null, is not null, in (...), ~ (contains, folded), joined by and.
. "$(dirname "$0")/lib.sh"
new_ws filters
export KT_TODAY=2026-12-07
expect 0 add person first_name=Łukasz last_name=Żółkiewski external_id=C1 email=l@example.pl city=Kraków birth_date=2026-11-30
L=$OUT
expect 0 add person first_name=Anna last_name="O'Brien" external_id=C2 city=Gdańsk birth_date=2026-12-07
A=$OUT
expect 0 add person first_name=Ivan last_name=Volkov external_id="C 3" city=Москва birth_date=2025-12-07
I=$OUT
ids() { awk 'NR > 1 || $1 ~ /^[0-9]+$/ { if ($1 ~ /^[0-9]+$/) print $1 }' <<<"$OUT" | sort -n | tr '\n' ' '; }

expect 0 list --show-pii person --where "external_id = 'C1'"
equals "$(ids)" "$L " "blanks around = and a quoted value"
expect 0 list --show-pii person --where "external_id = \"C 3\""
equals "$(ids)" "$I " "a double-quoted value keeps its blank"
expect 0 list --show-pii person --where "last_name = 'O''Brien'"
equals "$(ids)" "$A " "a doubled quote inside quotes is one quote"
expect 0 list --show-pii person --where "birth_date<=today"
equals "$(ids)" "$L $A $I " "today"
expect 0 list --show-pii person --where "birth_date <= today-7"
equals "$(ids)" "$L $I " "today-7 (KT_TODAY=2026-12-07)"
expect 0 list --show-pii person --where "birth_date = today"
equals "$(ids)" "$A " "= today"
expect 0 list --show-pii person --where "birth_date = this_month"
equals "$(ids)" "$A " "this_month"
expect 0 list --show-pii person --where "birth_date >= this_year"
equals "$(ids)" "$L $A " "this_year"
expect 0 list --show-pii person --where "email is null"
equals "$(ids)" "$A $I " "is null"
expect 0 list --show-pii person --where "email is not null"
equals "$(ids)" "$L " "is not null"
expect 0 list --show-pii person --where "city in ('Kraków', Москва)"
equals "$(ids)" "$L $I " "in (...)"
expect 0 list --show-pii person --where "last_name ~ zolk"
equals "$(ids)" "$L " "~ contains, folded"
expect 0 list --show-pii person --where "city ~ 'gdan' and birth_date = today"
equals "$(ids)" "$A " "two conditions joined by and"
expect 0 list --show-pii person --where "city != Kraków AND email is null" --where "id in ($I)"
equals "$(ids)" "$I " "AND in capitals, and two --where"
expect 0 list --show-pii person --where "city = Nowy and Stary"
equals "$(ids)" "" "and inside a plain value is part of it"

# --- refusals say what to write
expect 64 list person --where "external id = C1"
contains "$ERR" "names have no spaces" "a name with a blank is explained"
expect 64 list person --where "email is nothing"
contains "$ERR" "is null" "is without null"
expect 64 list person --where "city in ('Kraków'"
contains "$ERR" "closing )" "unclosed list"
expect 64 list person --where "city = 'Kraków"
contains "$ERR" "not closed" "unclosed quote"
# Values are bound parameters, never SQL text.
expect 0 list --show-pii person --where "city = 'x'' OR 1=1 --'"
equals "$(ids)" "" "a value is never SQL"
expect 0 export --show-pii person --where "birth_date < this_month and email is null" --format json
contains "$OUT" "Volkov" "export takes the same filters"
finish
