#!/usr/bin/env bash
# Company duplicates: legal forms compared apart from the name, numbers in names must agree, and
# no cluster grows by chaining through one common word.
source "$(dirname "$0")/lib.sh"

new_ws company

# --- legal forms and numbers, on entry ---
expect 0 add company name="Sikorski Sp. k."
SK=$OUT
expect 0 add company name="Sikorski-Gałka"
SG=$OUT
expect 0 add company name="Firma 1"
F1=$OUT
expect 0 add company name="Firma 2"
F2=$OUT
expect 0 add company name="Apteka 24"
A1=$OUT
expect 65 add company name="Apteka 24 Sp. z o.o."
contains "$ERR" "record $A1" "a missing legal form is no evidence: still the same company"
expect 65 add company name="APTEKA 24 spółka z ograniczoną odpowiedzialnością"
contains "$ERR" "record $A1" "the form written out"
expect 0 add --allow-duplicate company name="Apteka 24 Sp. z o.o."
A2=$OUT
expect 0 add company name="ООО Ромашка"
R1=$OUT
expect 0 add company name="ЗАО Ромашка"
R2=$OUT
expect 65 add company name="Romashka OOO"
contains "$ERR" "record $R1" "the form first or last, transliterated"
lacks "$ERR" "record $R2" "another legal form is another company"
expect 0 add company name="Kowal Sp. j."
expect 0 add company name="Kowal S.A."

# --- in batch ---
expect 0 dupes company --json
equals "$(jqget "$OUT" 'length')" "1" "one cluster"
equals "$(jqget "$OUT" '.[0].ids | join(",")')" "$A1,$A2" "Apteka 24 with and without its form"
expect 0 dupes company --explain "$SK" "$SG" --json
equals "$(jqget "$OUT" '.score < 0.65')" "true" "Sikorski-Gałka is not Sikorski Sp. k."
expect 0 dupes company --explain "$F1" "$F2" --json
equals "$(jqget "$OUT" '.score < 0.1')" "true" "Firma 1 is not Firma 2"

# --- equal names meet however common their words: the whole name is a blocking key ---
new_ws common
for i in $(seq 1 13); do
  expect 0 add --allow-duplicate company name="Palacz Firma$i"
done
expect 0 add --allow-duplicate company name="Palacz Sp. j."
P1=$OUT
expect 0 add --allow-duplicate company name="PALACZ sp.j."
P2=$OUT
expect 0 dupes company --json
equals "$(jqget "$OUT" '[.[] | select(.ids == ["'"$P1"'", "'"$P2"'"])] | length')" "1" \
  "two Palacz Sp. j. beside 13 other Palacz"

# --- no chaining: a record joins a cluster only when at least half of the pairs it would make
# score at least the threshold less 0.15 ---
# The hub's 13 address words are in every other record, which adds 7 words of its own: the hub
# matches each (13 of 20 words, 0.66), the others match no one (13 of 27, under 0.5). Linked one
# by one through the hub, they made one cluster of 11.
new_ws chain
cat >>kartoteka.lua <<'LUA'
dedupe "company" {
  compare = {
    { field = "name",          method = "exact", weight = 0.1 },
    { field = "legal_address", method = "text",  weight = 3 },
  },
}
LUA
HUBWORDS="alfa bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike"
expect 0 add company name=Hub legal_address="$HUBWORDS"
HUB=$OUT
for i in $(seq 1 10); do
  expect 0 add --allow-duplicate company name=Hub \
    legal_address="$HUBWORDS ${i}a ${i}b ${i}c ${i}d ${i}e ${i}f ${i}g"
done
expect 0 dupes company --json
equals "$(jqget "$OUT" 'length')" "1" "one cluster"
equals "$(jqget "$OUT" '.[0].ids | length')" "3" \
  "the hub and one record; a third matching one of the two is in; a fourth matching one of three is not"
equals "$(jqget "$OUT" '.[0].ids[0]')" "$HUB" "around the hub"

finish
