#!/usr/bin/env bash
# Import (issue 5): row fates and reasons, re-runs, dry runs and diffs, batches and undo,
# malformed files, encodings. Fixtures are generated here.
. "$(dirname "$0")/lib.sh"
export KT_TODAY=2025-06-01

new_ws shop --example pet-shop
H='external_id,first_name,last_name,gender,birth_date,email,mobile,city,street,postal_code,country,company,pets,expected_gifts,source,marital_status,marketing_consent,notes'
cat > persons.csv <<CSV
$H
C1,Ola,Lis,F,1990-01-02,ola@example.com,+48 601 234 567,Kraków,,,PL,Acme,"dog,cat",book,radio,single,yes,
C2,Jan,Kot,M,02.03.1980,jan@example.com,,Gdańsk,,,PL,Acme,none,wine,,,,
C3,Ewa,Mak,F,1975-05-05,,8 (912) 345-67-89,Москва,,,RU,,fish,tea,,,,
C4,Bad,Email,F,1980-01-01,bad@@example.com,,,,,PL,,dog,book,,,,
C5,Bad,Phone,F,1980-01-01,,+48 601 23,,,,PL,,dog,book,,,,
C6,NoLast,,F,1980-01-01,nl@example.com,,,,,PL,,dog,book,,,,
C7,No,Pets,F,1980-01-01,np@example.com,,,,,PL,,,book,,,,
C8,No,Gifts,F,1980-01-01,ng@example.com,,,,,PL,,dog,,,,,
C9,Bad,Date,F,1990-02-30,bd@example.com,,,,,PL,,dog,book,,,,
C10,Unknown,Pet,F,1980-01-01,up@example.com,,,,,PL,,"dog,lizard",book,,,,
C11,Bad,Gender,X?,1980-01-01,bg@example.com,,,,,PL,,dog,book,,,,
C12,Future,Born,M,2030-01-01,fb@example.com,,,,,PL,,dog,book,,,,
C13,Ghost,Row,F,1980-01-01,bad@@ghost.example,,,,,PL,Ghost Ltd,dog,book,,,,
CSV
before=$(sqlite3 kartoteka.db .dump)

# --- dry run: the same summary, nothing written
expect 0 import persons.csv --script imports/persons.lua --dry-run --json
equals "$(jqget "$OUT" '[.created,.rejected,.rows] | join(" ")')" "3 10 13" "dry-run summary"
equals "$(jqget "$OUT" .batch)" null "a dry run has no batch"
equals "$(sqlite3 kartoteka.db .dump)" "$before" "dry-run writes nothing"

# --- a real run: fates add up, every reason in the rejects file
expect 0 import persons.csv --script imports/persons.lua --rejects rejects.csv --json
S1=$OUT
B1=$(jqget "$S1" .batch)
equals "$(jqget "$S1" '[.created,.updated,.merged,.skipped,.rejected] | join(" ")')" "3 0 0 0 10" "first run"
equals "$(jqget "$S1" '.created+.updated+.merged+.skipped+.rejected')" "$(jqget "$S1" .rows)" "fates add up to rows"
equals "$(jqget "$S1" 'keys_unsorted | join(",")')" "batch,rows,created,updated,merged,skipped,rejected" "summary keys"
equals "$(stat -c %a rejects.csv)" 600 "rejects file is private"
equals "$(head -1 rejects.csv | cut -d, -f1-4)" "line,row,reasons,external_id" "rejects header"
for pair in "C4:email" "C5:mobile" "C6:last_name" "C7:pets" "C8:expected_gifts" "C9:birth_date" \
            "C10:pets" "C11:gender" "C12:birth_date"; do
  id=${pair%%:*} field=${pair#*:}
  line=$(grep ",$id," rejects.csv || true)
  contains "$line" "$field:" "reject reason for $id"
done
contains "$(grep ',C10,' rejects.csv)" '""lizard"" is not one of' "unknown pet named"
contains "$(grep ',C4,' rejects.csv)" ',bad@@example.com,' "original cells kept"
equals "$(grep -c '^5,5,' rejects.csv)" 1 "line number of a rejected row"
expect 0 list --show-pii person --json
equals "$(jqget "$OUT" 'length')" 3 "three people"
equals "$(jqget "$OUT" '.[] | select(.external_id=="C3") | .mobile')" "+79123456789" "phone normalised"
expect 0 list --show-pii company --json
equals "$(jqget "$OUT" 'length')" 1 "one company for two rows (row-local ref, matched by name)"
equals "$(jqget "$OUT" '[.[] | select(.name=="Ghost Ltd")] | length')" 0 \
  "a rejected row's company, saved before its person failed, is rolled back with the row"
CO=$(jqget "$OUT" '.[0].id')
expect 0 list --show-pii person --where company="$CO" --json
equals "$(jqget "$OUT" 'length')" 2 "both people refer to the company"

# --- the same import again creates nothing
expect 0 import persons.csv --script imports/persons.lua --json
equals "$(jqget "$OUT" '[.created,.skipped,.rejected] | join(" ")')" "0 3 10" "second run creates nothing"

# --- matching by a normalised key: another spelling of the phone, no external id or e-mail
printf '%s\n%s\n' "$H" ',Ewa,Mak,F,1975-05-05,,+7 912 345 67 89,Moskwa,Tverskaya 1,,RU,,fish,tea,,,,' > phone.csv
expect 0 import phone.csv --script imports/persons.lua --on-match merge --json
equals "$(jqget "$OUT" '[.created,.merged] | join(" ")')" "0 1" "matched by phone, merged"
EWA=$(jqget "$("$KT" list person --where external_id=C3 --json)" '.[0].id')
expect 0 get "$EWA" --json
equals "$(jqget "$OUT" '.street + " " + .city')" "Tverskaya 1 Москва" "merge fills empty fields only"
expect 0 import phone.csv --script imports/persons.lua --on-match skip --json
equals "$(jqget "$OUT" '.skipped')" 1 "on-match skip"

# --- an update, shown by --diff, then undone
sed -e 's/,Kraków,/,Wrocław,/' -e 's/,wine,/,tea set,/' persons.csv > changed.csv
expect 0 import changed.csv --script imports/persons.lua --dry-run --diff
contains "$OUT" "update person" "diff names the action"
contains "$OUT" "city: Kraków -> Wrocław" "diff shows old and new"
contains "$OUT" "expected_gifts: wine -> tea set" "diff shows every change"
contains "$OUT" "dry run" "diff ends with the summary"
printf '%s\n%s\n' "$H" 'C20,Nowa,Osoba,F,1999-09-09,nowa@example.com,,,,,PL,,cat,flowers,,,,' > new.csv
expect 0 import new.csv --script imports/persons.lua --dry-run --diff
contains "$OUT" "create person" "diff shows a creation"
contains "$OUT" "+ first_name: Nowa" "diff lists created fields"
expect 0 import changed.csv --script imports/persons.lua --json
B2=$(jqget "$OUT" .batch)
equals "$(jqget "$OUT" .updated)" 2 "two people updated"
OLA=$(jqget "$("$KT" list person --where external_id=C1 --json)" '.[0].id')
equals "$(jqget "$("$KT" get "$OLA" --json)" .city)" "Wrocław" "updated"
expect 0 import undo "$B2"
equals "$(jqget "$("$KT" get "$OLA" --json)" .city)" "Kraków" "undo restores the old value"
JAN=$(jqget "$("$KT" list person --where external_id=C2 --json)" '.[0].id')
equals "$(jqget "$("$KT" get "$JAN" --json)" .expected_gifts)" "wine" "undo restores every field"
expect 0 history "$OLA"
contains "$OUT" "undo batch $B2" "undo is in history"
expect 65 import undo "$B2"
contains "$ERR" "already undone" "a batch is undone once"

# --- undo refuses to overwrite a later change, unless --force
expect 0 import changed.csv --script imports/persons.lua --json
B3=$(jqget "$OUT" .batch)
expect 0 set "$OLA" city=Poznań
expect 65 import undo "$B3"
contains "$ERR" "record $OLA, field city" "conflict names record and field"
equals "$(jqget "$("$KT" get "$OLA" --json)" .city)" "Poznań" "refused undo changes nothing"
expect 0 import undo "$B3" --force
equals "$(jqget "$("$KT" get "$OLA" --json)" .city)" "Kraków" "forced undo"

# --- undo of creations: counts return
N0=$(jqget "$("$KT" list person --json)" length)
expect 0 import new.csv --script imports/persons.lua --json
B4=$(jqget "$OUT" .batch)
equals "$(jqget "$("$KT" list person --json)" length)" "$((N0 + 1))" "one more person"
expect 0 import undo "$B4" --json
equals "$(jqget "$OUT" .archived)" 1 "created record archived"
equals "$(jqget "$("$KT" list person --json)" length)" "$N0" "undo returns the count"
expect 0 import list --json
equals "$(jqget "$OUT" ".[] | select(.batch==\"$B4\") | .status")" undone "list shows undone"
equals "$(jqget "$OUT" ".[] | select(.batch==\"$B1\") | .summary.created")" 3 "list keeps the summary"

# --- a crashed import shows as interrupted
sqlite3 kartoteka.db "INSERT INTO kt_batch(kind, source, started_at, status, summary) VALUES ('import', 'import x.csv', '2025-01-01T00:00:00Z', 'running', '{\"pid\": 2147483646}')"
expect 0 import list
contains "$OUT" "interrupted" "a dead running batch is interrupted"

# --- a malformed file changes nothing and names the line
printf '%s\n%s\n%s\n' "$H" 'C30,Ala,Nowak,F,1990-01-01,ala@example.com,,,,,PL,,dog,book,,,,' \
  'C31,"Broken,Quote,F,1990-01-01,x@example.com,,,,,PL,,dog,book,,,,' > broken.csv
before=$(sqlite3 kartoteka.db .dump)
expect 65 import broken.csv --script imports/persons.lua
contains "$ERR" "line 3" "malformed file: line named"
equals "$(sqlite3 kartoteka.db .dump)" "$before" "malformed file leaves the database as it was"

# --- a script error stops the import, nothing written
printf 'return { entity = "person", map = function(row) return row.nope.x end }\n' > bad.lua
expect 65 import persons.csv --script bad.lua
contains "$ERR" "bad.lua" "script error names the script"
equals "$(sqlite3 kartoteka.db .dump)" "$before" "script error writes nothing"

# --- a row that runs too long stops the import, named by its script and line; nothing written
printf 'return { entity = "person",\n  map = function(row)\n    while true do end\n  end }\n' > loop.lua
expect 65 import persons.csv --script loop.lua
contains "$ERR" "script loop.lua ran longer than" "a stuck row names its script"
contains "$ERR" "loop.lua:3" "and the line it was stopped at"
equals "$(sqlite3 kartoteka.db .dump)" "$before" "a stuck row writes nothing"

# --- cp1250, ';', Polish headers and values
cat > klienci.txt <<'CSV'
Nr klienta;Imię;Nazwisko;Data urodzenia;Telefon komórkowy;E-mail;Miejscowość;Ulica;Kod pocztowy;Zwierzęta;Oczekiwane prezenty;Źródło pozyskania;Zgoda marketingowa
K1;Żaneta;Łężyńska-Ćwik;05.03.1943;531 709 095;zaneta@example.pl;Świeradów-Zdrój;ul. Źródlana 1;50-995;"kot, chomik";wino;strona www;TAK
K2;Grzegorz;Śliwa;17.06.1943;534-690-719;;Łódź;;79-325;smok;herbata;gazeta;NIE
CSV
iconv -f utf-8 -t cp1250 klienci.txt > klienci.csv
expect 0 import klienci.csv --script imports/klienci-excel.lua --rejects kr.csv --json
equals "$(jqget "$OUT" '[.created,.rejected] | join(" ")')" "1 1" "cp1250 import"
expect 0 list --show-pii person --where external_id=K1 --json
equals "$(jqget "$OUT" '.[0] | [.first_name,.last_name,.city,.street] | join("|")')" \
  "Żaneta|Łężyńska-Ćwik|Świeradów-Zdrój|ul. Źródlana 1" "Polish letters intact"
equals "$(jqget "$OUT" '.[0] | [.birth_date,.mobile,.source,.marketing_consent] | join("|")')" \
  "1943-03-05|+48531709095|website|yes" "Polish values translated"
equals "$(jqget "$OUT" '.[0].pets | join(",")')" "cat,hamster" "pets translated"
contains "$(cat kr.csv)" '""smok"" is not one of' "an unknown Polish pet is rejected as written"
contains "$(cat kr.csv)" 'Śliwa' "rejects file in UTF-8 with the original cells"

finish
