#!/usr/bin/env bash
# Blocking without blind spots (issue 20): records sharing a common name are compared (large
# blocks walked with a sorted window, not skipped), an exact copy is refused on entry however
# many records share its keys, kt dupes --stats says how the pairs came about, and --between
# links two imports.
source "$(dirname "$0")/lib.sh"

# --- the issue's reproduction: 32 sites of one charity, one block of 32 ---
new_ws b
expect 0 add company name="Abraham Lincoln Center Donoghue" legal_address="707 E. 37th St."
D=$OUT
for s in $(seq 1 31); do
  expect 0 add --allow-duplicate company name="Abraham Lincoln Center Site$s"
done
S1=$(jqget "$("$KT" list company --where 'name=Abraham Lincoln Center Site1' --json)" '.[0].id')
expect 0 dupes company
contains "$ERR" "among 32 company records" "every company read"
lacks "$ERR" "(0 candidate pairs compared" "a block of 32 is compared, not skipped"
expect 0 dupes company --stats --json
equals "$(jqget "$OUT" '.pairs_compared > 0')" "true" "pairs compared"
equals "$(jqget "$OUT" '.largest_block')" "32" "the largest block"
equals "$(jqget "$OUT" '.blocks_windowed > 0')" "true" "the large block walked with a window"
equals "$(jqget "$OUT" '.records')" "32" "records in the stats"
equals "$(jqget "$OUT" '.memory.values > 0 and .memory.keys > 0')" "true" "what holds the memory"
expect 0 dupes company --compared
contains "$OUT" "$D	$S1" "the original and its sorted neighbour were compared"
expect 0 dupes company --stats
contains "$OUT" "largest block    32 records" "plain stats"
contains "$OUT" "walked with a window" "plain stats say what was windowed"
expect 65 add company name="Abraham Lincoln Center Donoghue" legal_address="707 E. 37th St."
contains "$ERR" "record $D" "the exact duplicate is refused on entry"
expect 64 dupes company --stats --compared
expect 64 dupes company --stats --explain

# --- an exact copy whose every key is in a large block (one name, one city, 20 people) ---
new_ws people
for s in $(seq 1 20); do
  expect 0 add --allow-duplicate person first_name=Anna last_name=Nowak city=Kraków \
    street="Długa $s"
done
N7=$(jqget "$("$KT" list person --where 'street=Długa 7' --json)" '.[0].id')
expect 0 dupes person --stats --json
equals "$(jqget "$OUT" '.largest_block')" "20" "every key in a block of 20"
expect 65 add person first_name=ANNA last_name=nowak city=Kraków street="Długa 7."
contains "$ERR" "record $N7" "the exact copy (case and punctuation aside) is found on entry"
expect 0 add --allow-duplicate person first_name=Anna last_name=Nowak city=Kraków street="Długa 7"
COPY=$OUT
expect 0 dupes person --compared
contains "$OUT" "$N7	$COPY" "kt dupes compares the copy inside a block of 21"
# an import matches the exact copy the same way (and creates the new one)
cat >people.lua <<'LUA'
local clean = kt.text.clean
return {
  entity = "person",
  read = { format = "csv" },
  map = function(row)
    return { first_name = clean(row.first), last_name = clean(row.last), city = clean(row.city),
             street = clean(row.street) }
  end,
}
LUA
printf 'first,last,city,street\nAnna,Nowak,Kraków,Długa 7\nAnna,Nowak,Kraków,Długa 77\n' >copy.csv
expect 0 import copy.csv --script people.lua --json
equals "$(jqget "$OUT" '[.created, .skipped] | join(" ")')" "1 1" "the imported copy matched"

# --- --between: only pairs across two imports ---
new_ws link
cat >link.lua <<'LUA'
local clean = kt.text.clean
return {
  entity = "person",
  read = { format = "csv" },
  map = function(row)
    return { external_id = clean(row.id), first_name = clean(row.first),
             last_name = clean(row.last), birth_date = clean(row.born) }
  end,
}
LUA
printf 'id,first,last,born\na1,Jan,Kowalski,1980-02-03\na2,Ewa,Lis,1975-05-05\na3,Olga,Mak,1990-01-01\n' >a.csv
printf 'id,first,last,born\nb1,Jan,Kowalsky,1980-02-03\nb2,Piotr,Zieliński,1966-06-06\nb3,Piotr,Zielinski,1966-06-06\n' >b.csv
expect 0 import a.csv --script link.lua --no-dedupe --json
expect 0 import b.csv --script link.lua --no-dedupe --json
expect 0 add person first_name=Jan last_name=Kowalski birth_date=1980-02-03 --allow-duplicate
expect 0 import list --json
A=$(jqget "$OUT" '[.[] | .batch] | sort | .[0]')
B=$(jqget "$OUT" '[.[] | .batch] | sort | .[1]')
id_of() { jqget "$("$KT" list person --where "external_id=$1" --json)" '.[0].id'; }
expect 0 dupes person --json
equals "$(jqget "$OUT" 'length')" "2" "without --between: Kowalski thrice and Zieliński twice"
expect 0 dupes person --between "$A" "$B" --json
equals "$(jqget "$OUT" '[.[] | .ids | join(",")] | join(" ")')" "$(id_of a1),$(id_of b1)" \
  "only the pair across the imports (not the one inside b, nor the record added by hand)"
expect 0 dupes person --between "$A" "$B" --stats --json
equals "$(jqget "$OUT" '.between | map(tostring) | join(",")')" "$A,$B" "stats name the imports"
equals "$(jqget "$OUT" '.records')" "6" "the two imports' records only"
expect 0 dupes person --between "$A" "$B" --compared --json
equals "$(jqget "$OUT" "[.[] | select(. == [\"$(id_of b2)\", \"$(id_of b3)\"])] | length")" "0" \
  "no pair inside one import is compared"
expect 64 dupes person --between "$A"
expect 64 dupes person --between "$A" "$A"
expect 66 dupes person --between "$A" 999
contains "$ERR" "no import batch 999" "an unknown batch is named"

finish
