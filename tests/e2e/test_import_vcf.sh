#!/usr/bin/env bash
# kt import contacts.vcf without a script (issue 16): the standard properties land on person and
# company fields, ORG becomes a linked company, a second run creates nothing, a card without a
# name (or with the placeholder an old export wrote) is rejected with its line; the vCard export
# names the company, folds long lines and never invents a name.
. "$(dirname "$0")/lib.sh"
export KT_TODAY=2025-06-01

new_ws shop
printf '%s\r\n' \
  'BEGIN:VCARD' 'VERSION:3.0' 'N:Kowalska;Łucja;;;' 'FN:Łucja Kowalska' \
  'TEL;TYPE=CELL:+48 601 234 567' 'TEL;TYPE=WORK,VOICE:+48 22 123 45 67' 'TEL;TYPE=HOME:+48 22 765 43 21' \
  'EMAIL;TYPE=INTERNET,WORK:lucja@firma.pl' 'EMAIL;TYPE=HOME:lucja@dom.pl' 'BDAY:1980-07-01' \
  'ADR;TYPE=WORK:;;ul. Długa 5;Kraków;;30-001;PL' 'ORG:Firma Sp. z o.o.;Sprzedaż' 'TITLE:Kierownik' \
  'NOTE:Lubi kawę\, bez cukru' 'UID:urn:uuid:1234' 'END:VCARD' \
  'BEGIN:VCARD' 'VERSION:4.0' 'FN:Иван Волков' 'EMAIL:ivan@example.ru' 'ORG:Firma Sp. z o.o.' 'END:VCARD' \
  'BEGIN:VCARD' 'VERSION:4.0' 'EMAIL:noname@example.com' 'END:VCARD' \
  'BEGIN:VCARD' 'VERSION:4.0' 'FN:person 42' 'EMAIL:p42@example.com' 'END:VCARD' \
  'BEGIN:VCARD' 'VERSION:4.0' 'KIND:org' 'FN:Hurtownia Zoo' 'ORG:Hurtownia Zoo' 'TEL:+48 12 000 00 00' \
  'URL:https://zoo.example.pl' 'UID:ZOO-1' 'END:VCARD' > contacts.vcf

expect 0 import contacts.vcf --rejects rejects.csv --json
equals "$(jqget "$OUT" '[.rows,.created,.rejected] | join(" ")')" "5 3 2" "two people, a company card, two nameless"
contains "$(cat rejects.csv)" "23,3,the card has neither N nor FN" "a card without a name, with its line"
contains "$(cat rejects.csv)" "placeholder" "the placeholder of a nameless record is no name"
expect 0 list --show-pii person --where external_id=urn:uuid:1234 --json
equals "$(jqget "$OUT" '.[0] | [.first_name, .last_name, .mobile, .work_phone, .email, .personal_email,
  .birth_date, .street, .city, .postal_code, .country, .job_title] | join("|")')" \
  "Łucja|Kowalska|+48601234567|+48221234567|lucja@firma.pl|lucja@dom.pl|1980-07-01|ul. Długa 5|Kraków|30-001|PL|Kierownik" \
  "N, TEL by type, EMAIL by type, BDAY, ADR, TITLE, UID"
notes=$(jqget "$OUT" '.[0].notes')
contains "$notes" "Lubi kawę, bez cukru" "NOTE"
contains "$notes" "+48 22 765 43 21" "a third phone is kept in the notes, not lost"
company=$(jqget "$OUT" '.[0].company')
expect 0 get "$company" --json
equals "$(jqget "$OUT" .name)" "Firma Sp. z o.o." "ORG is the person's company"
expect 0 list --show-pii person --where last_name=Волков --json
equals "$(jqget "$OUT" '.[0] | [.first_name, (.company|tostring)] | join("|")')" "Иван|$company" \
  "FN split into names; the same company, not a second one"
expect 0 list company --where external_id=ZOO-1 --json
equals "$(jqget "$OUT" '.[0] | [.name, .work_phone, .website] | join("|")')" \
  "Hurtownia Zoo|+48120000000|https://zoo.example.pl" "a KIND:org card is a company"
equals "$(jqget "$("$KT" list company --json)" length)" 2 "two companies"

expect 0 import contacts.vcf --json
equals "$(jqget "$OUT" '[.created,.rejected] | join(" ")')" "0 2" "a second run creates nothing"

# the export: ORG, folding, no invented name
expect 0 add person --allow-duplicate email=bez.imienia@example.com
long=$(printf 'ż%.0s' $(seq 1 100))
expect 0 set "$(jqget "$("$KT" list person --where last_name=Волков --json)" '.[0].id')" notes="$long"
expect 0 export --show-pii person --format vcf --out out.vcf
python3 - out.vcf <<'PY' || fail "vCard export"
import sys
data = open(sys.argv[1], "rb").read()
for line in data.split(b"\r\n"):
    assert len(line) <= 75, line
    line.decode("utf-8")  # folding never splits a character
text = data.decode("utf-8").replace("\r\n ", "")
assert "ORG:Firma Sp. z o.o.\r\n" in text, text
assert "FN:\r\n" in text, "a nameless record gets an empty FN"
assert "person " not in text
assert "NOTE:" + "ż" * 100 in text
PY
pass
new_ws back
expect 0 import "$TMP/shop/out.vcf" --json
equals "$(jqget "$OUT" '[.created,.rejected] | join(" ")')" "2 1" "read back: two people; the nameless one refused"
equals "$(jqget "$("$KT" list company --json)" '[.[].name] | join("|")')" "Firma Sp. z o.o." "and their company, once"
finish
