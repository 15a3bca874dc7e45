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

bash "$HERE/reports_vs_truth.sh" "$KT" "$DATA"
