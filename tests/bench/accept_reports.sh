#!/usr/bin/env bash
# Acceptance of the report layer (issue 8) on the shared test data: loads sales.csv and
# deals.csv into a fresh pet-shop workspace with `kt import`, then compares every customer's
# revenue, ABC class, CV and XYZ class with sales.truth.csv and the funnel with deals.truth.csv.
# Prints each mismatch and the figures; exits 1 on any mismatch.
# Usage: tests/bench/accept_reports.sh [KT_BINARY] [DATA_DIR]   (not a ctest test)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
KT=$(realpath "${1:-$HERE/../../build/core/kt}")
DATA=${2:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}
[ -f "$DATA/sales.csv" ] || { echo "no $DATA/sales.csv: nothing to check"; exit 0; }
command -v jq >/dev/null || { echo "jq is needed"; exit 2; }
WS=$(mktemp -d /tmp/kt-accept-reports.XXXXXX)
trap 'rm -rf "$WS"' EXIT
"$KT" init "$WS/shop" --example pet-shop >/dev/null
cd "$WS/shop"

# Customers first, as stubs the shop's rules accept (persons.csv rejects some people on
# purpose; the truth covers every customer of sales.csv), then deals and sales referring to
# them by external id.
{ echo external_id; tail -n +2 "$DATA/sales.csv" | cut -d, -f1; tail -n +2 "$DATA/deals.csv" | cut -d, -f2; } |
  tr -d '\r' | awk 'NR == 1 || !seen[$0]++' > "$WS/customers.csv"
start=$(date +%s.%N)
for f in "$WS/customers.csv:customers" "$DATA/deals.csv:deals" "$DATA/sales.csv:sales"; do
  "$KT" import "${f%%:*}" --script "$HERE/accept_reports/${f##*:}.lua" 2>/dev/null | tail -n 1
done
echo "loaded in $(echo "$(date +%s.%N) - $start" | bc) s"

mismatches=0
t0=$(date +%s.%N)
"$KT" report funnel --format json > "$WS/funnel.json"
"$KT" report abc --format json > "$WS/abc.json"
"$KT" report xyz --format json > "$WS/xyz.json"
"$KT" report funnel --format svg --out "$WS/funnel.svg"
echo "reports run in $(echo "$(date +%s.%N) - $t0" | bc) s"

# funnel: count and amount per stage, to the cent (amounts compared as printed text)
jq -r '.[] | "\(.stage),\(.count)"' "$WS/funnel.json" > "$WS/funnel.counts"
got_amounts=$(grep -o '"stage": "[a-z]*", "count": [0-9]*, "amount": [0-9.]*' "$WS/funnel.json" |
  sed 's/"stage": "\([a-z]*\)", "count": \([0-9]*\), "amount": \([0-9.]*\)/\1,\2,\3/')
while IFS=, read -r stage count amount; do
  [ "$stage" = stage ] && continue
  amount=${amount%$'\r'}
  got=$(printf '%s\n' "$got_amounts" | grep "^$stage," || true)
  if [ "$got" != "$stage,$count,$amount" ]; then
    echo "MISMATCH funnel $stage: got '${got:-nothing}', truth '$stage,$count,$amount'"
    mismatches=$((mismatches + 1))
  fi
done < "$DATA/deals.truth.csv"
echo "funnel:"; printf '  %s\n' $got_amounts

# abc / xyz per customer, matched by external id
jq -r '.[] | [.external_id, (.revenue|tostring), .class] | @csv' "$WS/abc.json" | tr -d '"' | sort > "$WS/abc.got"
jq -r '.[] | [.external_id, (.cv * 10000 | round / 10000 | tostring), .class] | @csv' "$WS/xyz.json" | tr -d '"' | sort > "$WS/xyz.got"
# revenue as printed in the JSON (two decimals) for an exact comparison
grep -o '"revenue": [-0-9.]*, "share": [-0-9.e]*, "class": "[ABC]", "customer": "[^"]*", "external_id": "[^"]*"' "$WS/abc.json" |
  sed 's/"revenue": \([-0-9.]*\),.*"class": "\([ABC]\)".*"external_id": "\([^"]*\)"/\3,\1,\2/' | sort > "$WS/abc.exact"
tail -n +2 "$DATA/sales.truth.csv" | tr -d '\r' | sort > "$WS/truth"
joined=$(join -t, -a1 -e MISSING -o 1.1,1.2,1.3,1.4,1.5,2.2,2.3 "$WS/truth" "$WS/abc.exact")
abc_bad=$(printf '%s\n' "$joined" | awk -F, '$2 != $6 || $3 != $7' || true)
joined=$(join -t, -a1 -e MISSING -o 1.1,1.4,1.5,2.2,2.3 "$WS/truth" "$WS/xyz.got")
xyz_bad=$(printf '%s\n' "$joined" | awk -F, '$3 != $5 || ($4 != "MISSING" && ($2 - $4 > 0.00011 || $4 - $2 > 0.00011))' || true)
if [ -n "$abc_bad" ]; then
  printf 'MISMATCH abc (id,truth revenue,abc,cv,xyz,got revenue,abc): %s\n' $abc_bad | head -n 20
  mismatches=$((mismatches + $(printf '%s\n' "$abc_bad" | wc -l)))
fi
if [ -n "$xyz_bad" ]; then
  printf 'MISMATCH xyz (id,truth cv,xyz,got cv,xyz): %s\n' $xyz_bad | head -n 20
  mismatches=$((mismatches + $(printf '%s\n' "$xyz_bad" | wc -l)))
fi
customers=$(wc -l < "$WS/truth")
echo "customers in the truth: $customers; abc rows: $(wc -l < "$WS/abc.got"); xyz rows: $(wc -l < "$WS/xyz.got")"
echo "ABC classes: $(cut -d, -f3 "$WS/abc.got" | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')(truth: $(cut -d, -f3 "$WS/truth" | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}'))"
echo "XYZ classes: $(cut -d, -f3 "$WS/xyz.got" | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')(truth: $(cut -d, -f5 "$WS/truth" | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}'))"
if command -v xmllint >/dev/null; then
  xmllint --noout "$WS/funnel.svg" && echo "funnel.svg: well-formed XML" || mismatches=$((mismatches + 1))
fi
for s in new qualified proposal negotiation won lost; do
  grep -q ">$s</tspan>" "$WS/funnel.svg" || { echo "MISMATCH funnel.svg lacks stage $s"; mismatches=$((mismatches + 1)); }
done
echo "mismatches: $mismatches"
[ "$mismatches" -eq 0 ]
