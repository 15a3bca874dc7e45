#!/usr/bin/env bash
# The same story on both stores: a workspace in kartoteka.db and one in PostgreSQL (a throwaway
# server of pg_cluster.sh) answer kt field add, add (duplicates and unique values refused), get,
# list and history with the same output, byte for byte; the commands not yet made to work on
# PostgreSQL refuse by name, and a URL with a password is refused without repeating it. Skipped (77) when PostgreSQL 15 is not installed.
source "$(dirname "$0")/../e2e/lib.sh"
# a Unix socket path is short: the cluster lives in /tmp, not in the build folder
PGDIR=$(mktemp -d /tmp/ktpg.XXXXXX)
set +e
URL=$(bash "$SRC/tests/pg/pg_cluster.sh" start "$PGDIR")
rc=$?
set -e
if [ "$rc" -eq 77 ]; then
  rm -rf "$PGDIR"
  exit 77
fi
[ "$rc" -eq 0 ] || { echo "FAIL: the PostgreSQL server did not start" >&2; rm -rf "$PGDIR"; exit 1; }
trap 'bash "$SRC/tests/pg/pg_cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true; rm -rf "$PGDIR" "$TMP"' EXIT
export KT_NOW=2026-03-01T10:00:00

# story: the commands both stores must answer alike, each with its exit code
story() {
  local cmds=(
    "field add person.nickname text"
    "field add person.visits integer"
    "field add person.card text --unique"
    "add person first_name=Anna last_name=Nowak email=anna@example.com nickname=Ania visits=3"
    "add person first_name=Jan last_name=Kowalski email=jan@example.com mobile=+48601234567"
    "add person first_name=Zofia last_name=Wójcik birth_date=1990-05-17"
    "add person first_name=Bad email=not-an-email"
    "add person first_name=Ola visits=many"
    "add company name=Acme tax_id=123"
    "add person first_name=Anna last_name=Nowak email=anna@example.com card=7"
    "add person first_name=Ela last_name=Lis card=1"
    "add person first_name=Ela last_name=Lis card=1"
    "get 1"
    "get 2 --json"
    "get 99"
    "list person"
    "list person --json"
    "list company"
    "history 1"
    "history 2 --json"
    "field list person"
  )
  for c in "${cmds[@]}"; do
    # shellcheck disable=SC2086
    set +e
    out=$("$KT" $c 2>&1)
    rc=$?
    set -e
    printf '$ kt %s\n%s\n[exit %d]\n' "$c" "$out" "$rc"
  done
}

new_ws onfile
story >"$TMP/file.out"
cd "$TMP"
expect 0 init "$TMP/onpg" --store "$URL"
[ -f "$TMP/onpg/kartoteka.store" ] && pass || fail "kt init --store writes kartoteka.store"
[ ! -e "$TMP/onpg/kartoteka.db" ] && pass || fail "a PostgreSQL workspace has no kartoteka.db"
equals "$(stat -c %a "$TMP/onpg/kartoteka.store")" "600" "kartoteka.store is the owner's alone"
cd "$TMP/onpg"
story >"$TMP/pg.out"
if diff -u "$TMP/file.out" "$TMP/pg.out" >"$TMP/diff"; then pass; else fail "the stores differ: $(cat "$TMP/diff")"; fi
contains "$(cat "$TMP/pg.out")" "Wójcik" "the story saved records on PostgreSQL"
# the rows are in PostgreSQL, not in some file beside kartoteka.lua
rows=$(psql -Atq "$URL" -c 'SELECT count(*) FROM kt_record')
equals "$rows" "5" "PostgreSQL holds the five records"
contains "$(cat "$TMP/pg.out")" "probably the same person as record 1" "duplicates are found"
contains "$(cat "$TMP/pg.out")" "is already used by record" "a unique field refuses a taken value"

# commands not yet available refuse by name, before touching anything
expect 69 import "$SRC/tests/e2e/data/none.csv"
contains "$ERR" "kt import: not yet available on a PostgreSQL store" "import refuses by name"
expect 69 field remove person.nickname
contains "$ERR" "kt field remove: not yet available on a PostgreSQL store" "a subcommand is named"
expect 69 find Anna
contains "$ERR" "kt find: not yet available on a PostgreSQL store" "find refuses"
expect 69 backup "$TMP/b.db"
contains "$ERR" "not yet available on a PostgreSQL store" "backup refuses"
equals "$(psql -Atq "$URL" -c 'SELECT count(*) FROM kt_record')" "5" "nothing was written by them"

# a password in the URL is refused and not repeated
cd "$TMP"
expect 64 init "$TMP/secret" --store "postgresql://kartoteka:hunter2@localhost/kartoteka"
contains "$ERR" "PGPASSWORD" "the message says where a password goes"
lacks "$ERR" "hunter2" "the password is not repeated"
[ ! -e "$TMP/secret/kartoteka.store" ] && pass || fail "no store file for a refused URL"
expect 64 init "$TMP/notpg" --store "$TMP/x.db"
contains "$ERR" "postgresql://" "--store takes a postgresql:// URL"

# a second kt on the same database finds the schema migrated, the registry there
cd "$TMP/onpg"
expect 0 get 1
contains "$OUT" "nickname: Ania" "a field added on PostgreSQL is read back"
finish
