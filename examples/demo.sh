#!/usr/bin/env bash
# The main job: a pet shop's client base, start to finish, on an embedded SQLite workspace.
# Usage: examples/demo.sh KT_BINARY DEMO_DIR
set -euo pipefail
KT=$(realpath "$1")
DIR=$2
HERE=$(cd "$(dirname "$0")" && pwd)
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ kt %s\n' "$*"; "$KT" "$@"; }
try() { printf '$ kt %s\n' "$*"; "$KT" "$@" || printf '(exit %d)\n' "$?"; }

rm -rf "$DIR"
step "A workspace for a pet shop: fields declared in kartoteka.lua"
show init "$DIR" --example pet-shop
cd "$DIR"
sed -n '/The shop.s own mandatory fields/,/^rule "person.reachable"/p' kartoteka.lua | head -n 18
show field list person

step "Clients typed in by hand: the write door checks every save"
show add person first_name=Łukasz last_name=Żółkiewski email=lukasz@example.pl mobile="600 100 200" \
  pets=dog,cat expected_gifts="a squeaky toy" birth_date=1985-06-02 marketing_consent=yes
show add person first_name=Мария last_name=Волкова country=RU mobile="8 (977) 292-01-15" \
  pets=fish expected_gifts="чай" marketing_consent=yes
try add person first_name=Jan pets=lizard birth_date=31.02.1990 email=jan@
show find lukasz
show find volkova
show find "+7 977 292 01 15"

step "A client's messy export imported: every row's fate, rejects with their reasons"
show import "$HERE/data/persons-sample.csv" --script imports/persons.lua --rejects rejects.csv
printf '$ head -n 6 rejects.csv\n'
head -n 6 rejects.csv
show import list
printf '(running the same import again creates nothing; --force replaces the old rejects file)\n'
show import "$HERE/data/persons-sample.csv" --script imports/persons.lua --rejects rejects.csv --force

step "Duplicates found across spellings, scripts and swapped names"
show dupes person
first=$("$KT" dupes person --json | jq -r '.[0].ids | join(" ")')
show dupes person --explain $first
show merge $first
show history ${first%% *}

step "A campaign: birthday offers a week ahead, with the gifts each client expects"
show campaign list
show campaign run birthday --as-of 2026-05-26 --dry-run
show campaign run birthday --as-of 2026-05-26
show outbox list
show campaign run birthday --as-of 2026-05-26
printf '(the second run reached nobody: a client gets one offer a year)\n'

step "Reports"
show report completeness --format table | head -n 12
show report funnel

step "Data quality"
try check person
step "The shop's own tests of its rules"
show test
step "Serving a team: the HTTP JSON API on the same base"
printf '$ kt token add shop-sync --role staff\n'
TOKEN=$("$KT" token add shop-sync --role staff | grep -o 'kt_[A-Za-z0-9_-]*' | head -n 1)
printf '(a bearer token, printed once; only its hash is kept)\n$ kt serve --listen 127.0.0.1:0 &\n'
LOG=$(mktemp)
"$KT" serve --listen 127.0.0.1:0 2>"$LOG" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$LOG"' EXIT
URL=
for _ in $(seq 100); do
  URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$LOG" | head -n 1) || true
  [ -n "$URL" ] && break
  sleep 0.1
done
if [ -n "$URL" ] && [ -n "$TOKEN" ] && command -v curl >/dev/null; then
  printf '$ curl -H "Authorization: Bearer kt_…" %s/api/v1/find?q=lukasz\n' "$URL"
  curl -s -H "Authorization: Bearer $TOKEN" "$URL/api/v1/find?q=lukasz"
  printf '\n'
else
  printf '(the server did not start here: %s)\n' "$(cat "$LOG")"
fi
kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true

printf '\nThe demo workspace is in %s: try `cd %s && %s list person`.\n' "$DIR" "$DIR" "$KT"
printf 'A team shares it with `cd %s && %s serve` (see README, "Serving a team").\n' "$DIR" "$KT"

# The web face: a demo user (the password is printed because this is a demo) and how to open it.
DEMO_PASSWORD=kartoteka-demo
printf '%s\n' "$DEMO_PASSWORD" | "$KT" user add demo --role owner --password-stdin >/dev/null
printf '\nOpen it in a browser:  cd %s && %s serve --listen 127.0.0.1:8080\n' "$DIR" "$KT"
printf 'then go to http://127.0.0.1:8080/ and log in as "demo", password "%s" (role owner).\n' \
  "$DEMO_PASSWORD"
