#!/usr/bin/env bash
# Readers that never corrupt in silence (issue 16) and the reader items of issue 15: encodings
# told apart and reported, notes kept byte for byte, vCard and JSON oddities refused or kept,
# never cut. Fixtures are generated here.
. "$(dirname "$0")/lib.sh"
export KT_TODAY=2025-06-01

# --- trimming is a field's choice: notes keep a leading tab and a trailing CR, names are trimmed
new_ws shop --example pet-shop
H='external_id,first_name,last_name,mobile,pets,expected_gifts,notes'
printf '%s\nT1, Ola ,Lis,600100200,dog,book,"\tleading tab, trailing CR\r"\nT2,Jan,Kot,600100201,cat,book,"  two spaces  "\n' \
  "$H" > notes.csv
expect 0 import notes.csv --script imports/persons.lua
expect 0 list person --json
ALL=$OUT
OUT=$(jqget "$ALL" '.[] | select(.external_id == "T1")')
equals "$(jqget "$OUT" .notes | od -An -tx1 | tr -d ' \n')" \
  "$(printf '\tleading tab, trailing CR\r\n' | od -An -tx1 | tr -d ' \n')" "a note's tab and CR kept"
equals "$(jqget "$OUT" .first_name)" "Ola" "a name is trimmed"
equals "$(jqget "$ALL" '.[] | select(.external_id == "T2") | .notes')" "  two spaces  " "a note's spaces kept"
expect 0 field show person.notes
equals "$(jqget "$OUT" .trim)" false "notes declare trim = false"
expect 0 field show person.first_name
equals "$(jqget "$OUT" .trim)" true "names are trimmed"
expect 0 add company name=" Acme " "notes= x "
CID=$OUT
expect 0 get "$CID" --json
equals "$(jqget "$OUT" '[.name, .notes] | join("|")')" "Acme| x " "company: name trimmed, notes kept"
expect 0 field add person.memo text --no-trim
expect 0 add person first_name=A last_name=B mobile=600100203 pets=dog expected_gifts=x "memo=	m "
expect 0 get "$OUT" --json
equals "$(jqget "$OUT" .memo)" "	m " "a field added with --no-trim keeps white space"
expect 65 field add person.when date --no-trim
contains "$ERR" "trim = false only applies to text fields" "trim = false on a date is refused"

# --- encodings: Western European is cp1252, Polish cp1250, Russian cp1251; the summary says so
new_ws enc
cat > imports/plain.lua <<'LUA'
return { entity = "person", read = { format = "csv" }, on_match = "create",
  map = function(r) return { first_name = r.first_name, last_name = r.last_name } end }
LUA
printf 'first_name,last_name\nHélène,Müller\nFrançois,Lefèvre\nJean-Loïc,Bréhat\n' | iconv -f UTF-8 -t CP1252 > fr.csv
expect 0 import fr.csv --script imports/plain.lua
contains "$OUT" "encoding: CP1252 (detected, " "cp1252 detected and reported"
expect 0 find Lefèvre --json
contains "$OUT" "François" "cp1252 text stored right"
printf 'first_name,last_name\nAgnieszka,Napierała\nŻaneta,Gąsior\nJózef,Świeradowski\n' | iconv -f UTF-8 -t CP1250 > pl.csv
expect 0 import pl.csv --script imports/plain.lua --dry-run
contains "$OUT" "encoding: CP1250 (detected, " "cp1250 detected"
printf 'first_name,last_name\nКира,Рыбакова\nОльга,Иванова\n' | iconv -f UTF-8 -t CP1251 > ru.csv
expect 0 import ru.csv --script imports/plain.lua --dry-run --json
contains "$ERR" "encoding: CP1251 (detected, " "cp1251 detected (stderr with --json)"
equals "$(jqget "$OUT" .created)" 2 "the JSON summary is unchanged"
printf 'first_name,last_name\nJean,Lefèvre\n' | iconv -f UTF-8 -t CP1252 > one.csv
expect 65 import one.csv --script imports/plain.lua
contains "$ERR" "cannot tell the encoding for sure" "an unsure guess stops"
contains "$ERR" 'read = { encoding = ' "and asks for the encoding"
sed 's/format = "csv"/format = "csv", encoding = "cp1252"/' imports/plain.lua > imports/cp1252.lua
expect 0 import one.csv --script imports/cp1252.lua
contains "$OUT" "encoding: CP1252" "a given encoding is used"
lacks "$OUT" "detected" "and not called detected"

finish
