#!/usr/bin/env bash
# Personal data at rest (issue 9, point 6): whatever kt writes that holds personal data — the
# database, its WAL and shared-memory files, exports, report files — is the owner's alone
# (0600) even under a permissive umask; kt warns when it finds a database others can read; an
# SMTP password is never taken from kartoteka.lua.
. "$(dirname "$0")/lib.sh"

umask 000
mode() { stat -c %a "$1"; }

# --- the database, created under umask 000
expect 0 init "$TMP/shop"
cd "$TMP/shop"
equals "$(mode kartoteka.db)" 600 "kartoteka.db created 0600 under umask 000"
equals "$(mode kartoteka.lua)" "$(mode kartoteka.lua)" "(kartoteka.lua: configuration, no personal data)"
expect 0 add person first_name=Ola last_name=Lis email=ola@example.com city=Kraków
ID=$OUT
lacks "$ERR" "readable by other users" "no warning for a private database"

# --- WAL and shm exist while kt works: a long script keeps them open
echo 'settings { script_time_ms = 600000 }' >>kartoteka.lua
cat >long.lua <<'LUA'
for i = 1, 20000 do kt.save { entity = "person", first_name = "W", last_name = "N" .. i } end
LUA
"$KT" run long.lua >/dev/null 2>"$TMP/long.err" &
pid=$!
seen=0
for _ in $(seq 1 200); do
  if [ -e kartoteka.db-wal ] && [ -e kartoteka.db-shm ]; then
    seen=1
    equals "$(mode kartoteka.db-wal)" 600 "kartoteka.db-wal is 0600"
    equals "$(mode kartoteka.db-shm)" 600 "kartoteka.db-shm is 0600"
    break
  fi
  sleep 0.05
done
wait "$pid" && pass || fail "the long script: $(cat "$TMP/long.err")"
equals "$seen" 1 "the WAL and shm files were seen while kt ran"

# --- exports: new files, and a file that existed with a wider mode before
for fmt in csv json ndjson vcf; do
  expect 0 export --show-pii person --format "$fmt" --out "out.$fmt"
  equals "$(mode "out.$fmt")" 600 "kt export --format $fmt --out: a new file is 0600"
done
touch old.csv
chmod 644 old.csv
expect 0 export --show-pii person --format csv --out old.csv --force
equals "$(mode old.csv)" 600 "kt export --out over an existing 0644 file leaves it 0600"
contains "$(cat old.csv)" "Ola" "the export was written"

# --- report files
run report list
REPORT=$(printf '%s\n' "$OUT" | awk 'NF {print $1; exit}')
if [ -n "$REPORT" ]; then
  expect 0 report "$REPORT" --format csv --out rep.csv
  equals "$(mode rep.csv)" 600 "kt report $REPORT --out: a new file is 0600"
  touch old.svg
  chmod 666 old.svg
  expect 0 report "$REPORT" --format svg --out old.svg --force
  equals "$(mode old.svg)" 600 "kt report --out over an existing 0666 file leaves it 0600"
else
  fail "kt report list names no report to write with --out: $OUT $ERR"
fi

# --- the import rejects file
cat >people.csv <<'CSV'
first_name,last_name,email
Jan,Nowak,jan@example.com
Zła,Osoba,not-an-email
CSV
expect 0 import people.csv --entity person --rejects rejects.csv
if [ -e rejects.csv ]; then
  equals "$(mode rejects.csv)" 600 "the import's rejects file is 0600"
else
  fail "kt import --rejects wrote no rejects file: $OUT $ERR"
fi

# --- a database others can read: kt says so, and still works
chmod 644 kartoteka.db
expect 0 get "$ID"
contains "$ERR" "readable by other users" "warning for a 0644 database"
contains "$ERR" "chmod 600" "the warning says what to do"
chmod 640 kartoteka.db
expect 0 list --show-pii person --limit 1
contains "$ERR" "readable by other users" "warning for a group-readable database"
chmod 600 kartoteka.db
expect 0 list --show-pii person --limit 1
lacks "$ERR" "readable by other users" "no warning once it is 0600 again"

# --- secrets: an SMTP password written into kartoteka.lua is refused, and stored nowhere
expect 0 init "$TMP/sec" --example pet-shop
cd "$TMP/sec"
cat >>kartoteka.lua <<'LUA'
settings { email_channel = "smtp", smtp_url = "smtp://127.0.0.1:9", smtp_from = "shop@example.com",
           smtp_user = "shop", smtp_password = "Sekret-Haslo-42" }
LUA
expect 0 add person first_name=Ewa last_name=Kot email=ewa@example.com pets=dog expected_gifts=book \
  birth_date=1990-12-01 marketing_consent=yes
expect 0 campaign run birthday --as-of 2026-11-24
run outbox deliver
ALL="$OUT $ERR"
expect 0 outbox list --json
contains "$(jqget "$OUT" '.[0].last_error')" "smtp_password in kartoteka.lua is refused" \
  "a password in kartoteka.lua is refused, and the message says what to do instead"
lacks "$ALL $OUT" "Sekret-Haslo-42" "the password is never printed"
lacks "$(cat kartoteka.db* 2>/dev/null | tr -d '\0')" "Sekret-Haslo-42" "the password is not in the database"
# a password file others can read is refused too
sed -i 's/smtp_password = "Sekret-Haslo-42"/smtp_password_file = "pw.txt"/' kartoteka.lua
echo "Sekret-Haslo-42" >pw.txt
chmod 644 pw.txt
run outbox deliver
expect 0 outbox list --json
contains "$(jqget "$OUT" '.[0].last_error')" "0600" "a password file readable by others is refused"
lacks "$(cat kartoteka.db* 2>/dev/null | tr -d '\0')" "Sekret-Haslo-42" "the password is still not in the database"
finish
