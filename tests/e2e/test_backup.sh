#!/usr/bin/env bash
# kt backup and kt restore (issue 16): a backup taken while an import runs is a whole database
# (integrity_check ok) holding the state before the import or after it, never a part; restore
# checks what it is given and does not overwrite records without --force.
. "$(dirname "$0")/lib.sh"

new_ws shop
for i in 1 2 3; do "$KT" add person first_name=Ola last_name="Lis$i" email="o$i@example.com" \
  --allow-duplicate >/dev/null; done
BEFORE=3
ROWS=30000
python3 - "$ROWS" <<'PY'
import json, sys
with open("many.ndjson", "w") as f:
    for i in range(int(sys.argv[1])):
        f.write(json.dumps({"entity": "person", "first_name": "Jan", "last_name": f"Nowak{i}",
                            "external_id": f"N{i}", "notes": "x" * 200}) + "\n")
PY
AFTER=$((BEFORE + ROWS))

"$KT" import many.ndjson --no-dedupe > import.out 2>&1 &
IMPORT=$!
# wait until the import holds its transaction (its batch row says running), then back up
for _ in $(seq 1 200); do
  [ "$(sqlite3 kartoteka.db "SELECT count(*) FROM kt_batch WHERE status = 'running'" 2>/dev/null)" = 1 ] && break
  sleep 0.05
done
n=0
while kill -0 "$IMPORT" 2>/dev/null && [ $n -lt 5 ]; do
  n=$((n + 1))
  expect 0 backup "$TMP/during$n.db"
done
wait "$IMPORT" || fail "the import failed: $(cat import.out)"
[ $n -ge 1 ] || fail "the import ended before a backup could be taken"
for f in "$TMP"/during*.db; do
  equals "$(sqlite3 "$f" 'PRAGMA integrity_check')" ok "$f passes integrity_check"
  got=$(sqlite3 "$f" 'SELECT count(*) FROM kt_record')
  if [ "$got" = "$BEFORE" ] || [ "$got" = "$AFTER" ]; then pass; else
    fail "$f holds $got records: neither before ($BEFORE) nor after ($AFTER)"; fi
  equals "$(stat -c %a "$f")" 600 "a backup is private"
done
expect 0 backup "$TMP/after.db" --json
equals "$(jqget "$OUT" .records)" "$AFTER" "a backup after the import holds it"
expect 73 backup "$TMP/after.db"
contains "$ERR" "--force" "an existing file is replaced only with --force"
expect 0 backup "$TMP/after.db" --force
expect 73 backup kartoteka.db
equals "$(sqlite3 kartoteka.db 'PRAGMA integrity_check')" ok "the database was not touched"
expect 73 backup kartoteka.db-wal --force

# restore into a fresh workspace
new_ws copy
expect 0 restore "$TMP/during1.db"
got=$("$KT" list person --limit 100000 --json | jq length)
if [ "$got" = "$BEFORE" ] || [ "$got" = "$AFTER" ]; then pass; else fail "restored $got persons"; fi
equals "$(sqlite3 kartoteka.db 'PRAGMA integrity_check')" ok "the restored database is whole"
if [ "$(sqlite3 kartoteka.db 'SELECT uid FROM kt_workspace_uid')" != \
     "$(sqlite3 "$TMP/during1.db" 'SELECT uid FROM kt_workspace_uid')" ]; then pass; else
  fail "a restored copy keeps the original's uid: their later records would share export keys"; fi
expect 73 restore "$TMP/after.db"
contains "$ERR" "--force" "a workspace with records is not overwritten without --force"
expect 0 restore "$TMP/after.db" --force
equals "$("$KT" list person --limit 100000 --json | jq length)" "$AFTER" "restored with --force"
expect 0 add person first_name=Ewa last_name=Nowa email=ewa@example.com
# not a database, a database that is not Kartoteka's, a damaged one
echo "not a database" > "$TMP/text.db"
expect 65 restore "$TMP/text.db" --force
contains "$ERR" "not a Kartoteka database" "a text file is refused"
sqlite3 "$TMP/other.db" 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'
expect 65 restore "$TMP/other.db" --force
contains "$ERR" "not a Kartoteka one" "another program's database is refused"
cp "$TMP/after.db" "$TMP/damaged.db"
python3 - "$TMP/damaged.db" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(4096 * 5)
    f.write(b"\xff" * 4096 * 20)
PY
expect 65 restore "$TMP/damaged.db" --force
expect 66 restore "$TMP/missing.db"
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person WHERE first_name = 'Ewa'")" 1 \
  "refused restores leave the workspace as it was"
# kt restore ID still brings an archived record back
id=$(jqget "$("$KT" list person --where first_name=Ewa --json)" '.[0].id')
expect 0 archive "$id"
expect 0 restore "$id"
equals "$(jqget "$("$KT" get "$id" --json)" .state)" active "kt restore ID"
finish
