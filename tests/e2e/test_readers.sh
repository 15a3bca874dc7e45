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
expect 0 list --show-pii person --json
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

# --- vCard export: lines folded at 75 octets, ORG from the person's company, no invented name
new_ws vc
CID=$("$KT" add company name="Acme; Sp. z o.o.")
NOTE=$(python3 -c 'print("Zażółć gęślą jaźń, " * 12, end="")')
expect 0 add person first_name=Józef last_name=Wąsowicz company="$CID" "notes=$NOTE"
expect 0 add person email=anon@example.com
expect 0 export --show-pii person --format vcf --out people.vcf
equals "$(LC_ALL=C awk '{ if (length($0) > 76) n++ } END { print n + 0 }' people.vcf)" 0 "no line over 75 octets (bytes)"
contains "$(cat people.vcf)" 'ORG:Acme\; Sp. z o.o.' "ORG names the company"
lacks "$(cat people.vcf)" "FN:person" "a nameless record gets no invented name"
contains "$(cat people.vcf)" "$(printf 'FN:\r')" "a nameless record has an empty FN"
equals "$(tr -d '\r' < people.vcf | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n //g' | grep '^NOTE:' | cut -c6-)" \
  "$(printf '%s' "$NOTE" | sed 's/,/\\,/g')" "the note unfolds to itself"
equals "$(python3 -c 'import sys
for l in open(sys.argv[1], "rb").read().split(b"\r\n"): l.decode("utf-8")
print("ok")' people.vcf 2>&1)" ok "no UTF-8 character split by a fold"

# --- vCard and JSON readers: a birthday without a year, a line without a colon, \u0000
cat > imports/cards.lua <<'LUA'
return { entity = "person", read = { format = "vcf" }, on_match = "create",
  map = function(r) return { first_name = r["n.given"], last_name = r["n.family"],
                             birth_date = r.bday } end }
LUA
printf 'BEGIN:VCARD\r\nVERSION:4.0\r\nN:Lis;Ola;;;\r\nBDAY:--0203\r\nEND:VCARD\r\n' > nobday.vcf
expect 0 import nobday.vcf --script imports/cards.lua --rejects rej.csv
contains "$OUT" "1 rejected" "a birthday without a year is rejected"
contains "$(cat rej.csv)" "has no year" "with a clear reason"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lis;Ola;;;\r\nEMAIL ola@example.com\r\nEND:VCARD\r\n' > nocolon.vcf
expect 65 import nocolon.vcf --script imports/cards.lua
contains "$ERR" "line 4" "a line without a colon is reported with its line"
cat > imports/json.lua <<'LUA'
return { entity = "person", read = { format = "ndjson" }, on_match = "create",
  map = function(r) return { first_name = r.first_name, last_name = r.last_name } end }
LUA
printf '{"first_name": "Ola", "last_name": "Lis"}\n{"first_name": "Jan\\u0000ek", "last_name": "Kot"}\n' > nul.ndjson
expect 65 import nul.ndjson --script imports/json.lua
contains "$ERR" "line 2" "\\u0000 is refused with its line"

finish
