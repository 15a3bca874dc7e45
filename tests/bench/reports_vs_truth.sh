#!/usr/bin/env bash
# Compares `kt report funnel`, `abc` and `xyz` of the workspace in the current folder with the
# truth files (deals.truth.csv, sales.truth.csv): every customer's revenue, ABC class, CV and
# XYZ class, and the funnel's count and amount per stage. Prints each mismatch and the figures;
# exits 1 on any mismatch. Used by accept_reports.sh and accept_import.sh.
#   tests/bench/reports_vs_truth.sh KT_BINARY DATA_DIR
set -euo pipefail
export LC_ALL=C
KT=$1
DATA=$2
command -v jq >/dev/null || { echo "jq is needed"; exit 2; }
WS=$(mktemp -d /tmp/kt-reports-truth.XXXXXX)
trap 'rm -rf "$WS"' EXIT
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
jq -r '.[] | [.id, (.revenue|tostring), .class] | @csv' "$WS/abc.json" | tr -d '"' | sort -t, -k1,1 > "$WS/abc.got"
jq -r '.[] | [.id, (.cv * 10000 | round / 10000 | tostring), .class] | @csv' "$WS/xyz.json" | tr -d '"' | sort -t, -k1,1 > "$WS/xyz.got"
# revenue as printed in the JSON (two decimals) for an exact comparison
grep -o '"id": "[0-9]*", "revenue": [-0-9.]*, "share": [-0-9.e]*, "class": "[ABC]"' "$WS/abc.json" |
  sed 's/"id": "\([0-9]*\)", "revenue": \([-0-9.]*\),.*"class": "\([ABC]\)"/\1,\2,\3/' | sort -t, -k1,1 > "$WS/abc.exact"
# A customer is matched by record: the truth's external id resolved as lookups resolve it — the
# record's own, or an id it also answers to (a second copy of the client absorbed into it).
sqlite3 -csv kartoteka.db "SELECT external_id, id FROM person WHERE external_id IS NOT NULL
  UNION ALL SELECT value, record FROM kt_alias WHERE entity = 'person'" | tr -d '\r' | sort -t, -k1,1 > "$WS/ids"
tail -n +2 "$DATA/sales.truth.csv" | tr -d '\r' | sort -t, -k1,1 |
  join -t, -a1 -e UNKNOWN -o 2.2,1.2,1.3,1.4,1.5,1.1 - "$WS/ids" | sort -t, -k1,1 > "$WS/truth"
joined=$(join -t, -a1 -e MISSING -o 1.6,1.2,1.3,1.4,1.5,2.2,2.3 "$WS/truth" "$WS/abc.exact")
abc_bad=$(printf '%s\n' "$joined" | awk -F, '$2 != $6 || $3 != $7' || true)
joined=$(join -t, -a1 -e MISSING -o 1.6,1.4,1.5,2.2,2.3 "$WS/truth" "$WS/xyz.got")
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
