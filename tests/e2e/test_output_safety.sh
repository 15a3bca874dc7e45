#!/usr/bin/env bash
# Output files cannot destroy the workspace (issue 15, item 1, and the full-disk note): --out
# and --rejects refuse the database, its -wal/-shm/-journal, the lock file, kartoteka.lua and any
# file the command has open, however they are named (./, symbolic or hard link); an existing
# file is replaced only with --force; a write that fails (a full disk) leaves the old file as it
# was and no 0-byte or half file, and a failed import leaves its rejects path alone.
source "$(dirname "$0")/lib.sh"

new_ws shop --example pet-shop
cat >f.csv <<'CSV'
external_id,first_name,last_name,email,mobile,expected_gifts,pets
X1,Ola,Nowak,ola@example.com,48600100200,toys,cat
X2,Bad,Row,not-an-email,,toys,cat
CSV
expect 0 import f.csv --script imports/persons.lua
DB_SUM=$(sha256sum kartoteka.db | cut -d' ' -f1)
LUA_SUM=$(sha256sum kartoteka.lua | cut -d' ' -f1)
people() { "$KT" list person --json | jq length; }
N=$(people)

# the three reproductions of the issue, as written
expect 73 export person --format csv --out kartoteka.db
contains "$ERR" "refusing to write to kartoteka.db" "export over the database: refused, named"
expect 73 import f.csv --script imports/persons.lua --rejects kartoteka.db
expect 73 report funnel --format csv --out kartoteka.db
equals "$(sha256sum kartoteka.db | cut -d' ' -f1)" "$DB_SUM" "the database is untouched"
equals "$(people)" "$N" "and still holds its people"

# other names for the same files, with --force too: still refused
ln -s kartoteka.db link.db
ln kartoteka.db hard.db
mkdir sub
for target in ./kartoteka.db "$PWD/kartoteka.db" sub/../kartoteka.db link.db hard.db \
              kartoteka.db-wal kartoteka.db-shm kartoteka.db-journal kartoteka.db.lock kartoteka.lua; do
  expect 73 export person --format csv --out "$target" --force
  contains "$ERR" "refusing to write to $target" "export --out $target --force refused"
  expect 73 report funnel --format csv --out "$target" --force
  expect 73 import f.csv --script imports/persons.lua --rejects "$target" --force
done
equals "$(sha256sum kartoteka.db | cut -d' ' -f1)" "$DB_SUM" "the database is untouched by every try"
equals "$(sha256sum kartoteka.lua | cut -d' ' -f1)" "$LUA_SUM" "kartoteka.lua is untouched"
ls -A | grep -q '^\.kartoteka\|^\.link\|^\.hard' && fail "a temporary file was left: $(ls -A)" || pass
# from another folder, through -C
rc=0
(cd "$TMP" && "$KT" -C shop export person --format csv --out shop/kartoteka.db --force 2>/dev/null) || rc=$?
equals "$rc" "73" "refused through -C as well"
# a file the command has open: the input of an import
expect 73 import f.csv --script imports/persons.lua --rejects f.csv --force
contains "$(cat f.csv)" "X2,Bad,Row" "the input is untouched"

# an existing file is replaced only with --force
echo "keep me" >old.csv
expect 73 export person --format csv --out old.csv
contains "$ERR" "old.csv already exists (--force replaces it)" "names the file and the flag"
equals "$(cat old.csv)" "keep me" "the existing file is untouched"
expect 73 report funnel --format csv --out old.csv
expect 73 import f.csv --script imports/persons.lua --rejects old.csv
equals "$(cat old.csv)" "keep me" "still untouched"
expect 0 export --show-pii person --format csv --out old.csv --force
contains "$(cat old.csv)" "Ola" "replaced with --force"
expect 0 report funnel --format csv --out new.csv
expect 0 import f.csv --script imports/persons.lua --rejects rej.csv
contains "$(cat rej.csv)" "not-an-email" "rejects written"
expect 0 import f.csv --script imports/persons.lua --rejects rej.csv --force
# a folder is no output
expect 73 export person --format csv --out sub --force

# a failing import (a script that errors) leaves the rejects path as it was
echo "old rejects" >kept.csv
cat >imports/broken.lua <<'LUA'
return { entity = "person", map = function(row) error("boom") end }
LUA
expect 65 import f.csv --script imports/broken.lua --rejects kept.csv --force
equals "$(cat kept.csv)" "old rejects" "a failed import keeps the old rejects file"
expect 65 import f.csv --script imports/broken.lua --rejects none.csv
[ -e none.csv ] && fail "a failed import created its rejects file" || pass

# a full disk (a file size limit: writes fail with EFBIG as on ENOSPC): no 0-byte or half file,
# and the old file stays whole
{ echo "first_name,last_name,email,mobile,expected_gifts,pets"
  for i in $(seq 1 800); do echo "Name$i,Surname$i,p$i@example.com,486001$(printf %05d "$i"),toys,cat"; done
} >many.csv
expect 0 import many.csv --script imports/persons.lua
expect 0 export --show-pii person --format csv --out /dev/null
echo "previous export" >full.csv
set +e
(trap '' XFSZ; ulimit -f 64; "$KT" export --show-pii person --format csv --out full.csv --force) 2>"$TMP/full.err"
rc=$?
(trap '' XFSZ; ulimit -f 64; "$KT" export --show-pii person --format csv --out fresh.csv) 2>>"$TMP/full.err"
rc2=$?
set -e
equals "$rc $rc2" "74 74" "an export on a full disk exits 74"
equals "$(cat full.csv)" "previous export" "the old file is whole"
[ -e fresh.csv ] && fail "a failed export left fresh.csv ($(stat -c %s fresh.csv) bytes)" || pass
ls -A | grep -q '^\.full\|^\.fresh' && fail "a temporary file was left: $(ls -A)" || pass
# the file channel's mbox is a file kt writes too: file_mbox = "kartoteka.db" is refused
cat >>kartoteka.lua <<'LUA'
settings { email_channel = "file", file_mbox = "kartoteka.db" }
campaign "hello" {
  entity = "person",
  audience = function(r, day) return r.email == "ola@example.com" end,
  action = function(r, day) kt.send { channel = "email", to = r.email, text = "hi", subject = "hi" } end,
}
LUA
expect 0 campaign run hello
SUM=$(sha256sum kartoteka.db | cut -d' ' -f1)
expect 74 outbox deliver
run outbox list
contains "$OUT" "file_mbox: refusing to write to" "the delivery names the refusal"
equals "$(sqlite3 kartoteka.db 'PRAGMA integrity_check')" ok "the database is whole"
equals "$(grep -ac 'From kartoteka@localhost' kartoteka.db || true)" 0 "no mail appended to it"

# a device is written as it is: /dev/full says the disk is full
expect 74 export --show-pii person --format csv --out /dev/full
expect 74 report funnel --format csv --out /dev/full
finish
