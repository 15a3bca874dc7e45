#!/usr/bin/env bash
# The web face (issue 19) in a real browser: headless Chromium driven through chromium-driver
# by python3-selenium (tests/e2e/web_browser.py). Skipped (exit 77) only when the browser or
# its driver is not installed; `make test` installs them.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

PY=/usr/bin/python3
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null ||
  ! "$PY" -c 'import selenium' 2>/dev/null; then
  echo "SKIP: chromium, chromium-driver or python3-selenium is not installed"
  exit 77
fi

new_ws web --example pet-shop
PASS=correct-horse-battery
printf '%s\n' "$PASS" | "$KT" user add anna --role owner --password-stdin
printf '%s\n' "$PASS" | "$KT" user add vera --role viewer --password-stdin
# two records of one client, each with a history of its own, and a deal in the funnel
A=$("$KT" add person first_name=Jan last_name=Kowalski email=jan.k@example.com pets=dog \
  expected_gifts=ball city=Gdynia)
B=$("$KT" add person first_name=Jan last_name=Kowalsky email=jan.k@example.com pets=cat \
  expected_gifts=bone --allow-duplicate)
"$KT" set "$B" city=Sopot >/dev/null
DEAL=$("$KT" add deal title="Fish tank" stage=proposal amount=120.50)
"$KT" consent give "$A" email --source "shop form" >/dev/null
mkdir -p "$TMP/data"
printf 'a=%s\nb=%s\ndeal=%s\n' "$A" "$B" "$DEAL" >"$TMP/data/ids.txt"
cat >"$TMP/data/import.csv" <<'CSV'
external_id,first_name,last_name,email,pets,expected_gifts,city
W1,Bożena,Wiśniewska,bozena@example.com,bird,seeds,Toruń
W2,Adam,Nowicki,not-an-e-mail,dog,bone,Łódź
CSV

start_serve http --threads 2
SHOTS=${KT_TEST_TMP:-/tmp}/web-screenshots
rm -rf "$SHOTS"
mkdir -p "$SHOTS"
echo "screenshots: $SHOTS"
if "$PY" "$SRC/tests/e2e/web_browser.py" "http://127.0.0.1:$PORT" "$SHOTS" "$PASS" "$TMP/data"; then
  pass
else
  fail "the browser test failed (screenshots in $SHOTS, server log below)"
  tail -n 40 "$TMP/serve.log" >&2
fi
# what the browser did went through the write door with the user's name
run history "$DEAL" --json
contains "$OUT" '"web:anna"' "history names the web user"
run get "$A" --json
equals "$(jqget "$OUT" .email)" "null" "the browser's erasure reached the database"
finish
