#!/usr/bin/env bash
# Acceptance of the pet-shop import scripts against the ground truth in ../shared/data (when
# present): imports persons.csv and klienci-excel-cp1250.csv into fresh pet-shop workspaces with
# --on-match create and prints, per truth reason, how many rows were rejected (confusion
# counts), then imports sales.csv and deals.csv and compares deals per stage with the truth.
#   tests/bench/accept_import.sh [KT_BINARY] [DATA_DIR]
set -euo pipefail
KT=${1:-${KT_BIN:-$(dirname "$0")/../../build/core/kt}}
DATA=${2:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}
[ -f "$DATA/persons.csv" ] || { echo "no test data in $DATA: skipped"; exit 0; }
TMP=$(mktemp -d /tmp/kt-accept.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

confusion() { # confusion TRUTH REJECTS
  python3 - "$1" "$2" <<'PY'
import csv, collections, sys
truth = list(csv.DictReader(open(sys.argv[1], newline='')))
rejected = {r['row']: r['reasons'] for r in csv.DictReader(open(sys.argv[2], newline=''))}
c = collections.Counter()
wrong = []
for t in truth:
    want = t['expect'] == 'reject'
    got = t['line'] in rejected        # the truth's line is the row's ordinal (header = 1)
    reason = t['reason'] if want else 'ok (kept)'
    c[(reason, got)] += 1
    if want != got:
        wrong.append((t['line'], t['external_id'], reason, rejected.get(t['line'], '')[:100]))
print(f"{'truth reason':<22} {'rows':>6} {'rejected':>9} {'kept':>6}")
for reason in sorted({r for r, _ in c}):
    n_rej, n_kept = c[(reason, True)], c[(reason, False)]
    print(f"{reason:<22} {n_rej + n_kept:>6} {n_rej:>9} {n_kept:>6}")
tp = sum(v for (r, g), v in c.items() if g and r != 'ok (kept)')
fp = c[('ok (kept)', True)]
fn = sum(v for (r, g), v in c.items() if not g and r != 'ok (kept)')
print(f"rejected as the truth says: {tp}; rejected but valid: {fp}; missed: {fn}")
for w in wrong[:20]:
    print("  differs: row %s %s truth=%s got=%s" % w)
PY
}

run_file() { # run_file NAME FILE SCRIPT TRUTH
  local ws="$TMP/$1"
  "$KT" init "$ws" --example pet-shop >/dev/null
  echo "== $1: $(basename "$2") with imports/$3"
  (cd "$ws" && /usr/bin/time -f "%e s, %M KB peak" "$KT" import "$2" --script "imports/$3" \
     --on-match create --rejects "$ws/rejects.csv" --json)
  confusion "$4" "$ws/rejects.csv"
}

run_file persons "$DATA/persons.csv" persons.lua "$DATA/persons.truth.csv"
run_file klienci "$DATA/klienci-excel-cp1250.csv" klienci-excel.lua "$DATA/klienci-excel.truth.csv"

echo "== persons.csv as a user imports it (on_match update: keys, then duplicate detection), twice"
"$KT" init "$TMP/default" --example pet-shop >/dev/null
(cd "$TMP/default" && "$KT" import "$DATA/persons.csv" --script imports/persons.lua --json &&
  "$KT" import "$DATA/persons.csv" --script imports/persons.lua --json)
echo "distinct people in the truth: $(tail -n +2 "$DATA/persons.truth.csv" | cut -d, -f3 | sort -u | wc -l);" \
  "people in the workspace: $(sqlite3 "$TMP/default/kartoteka.db" "SELECT count(*) FROM kt_record WHERE entity = 'person' AND state = 'active'")"

echo "== sales and deals into the persons workspace"
cd "$TMP/persons"
"$KT" import "$DATA/sales.csv" --script imports/sales.lua --rejects "$TMP/sales-rejects.csv" --json
"$KT" import "$DATA/deals.csv" --script imports/deals.lua --rejects "$TMP/deals-rejects.csv" --json
echo "second run of sales (creates nothing):"
"$KT" import "$DATA/sales.csv" --script imports/sales.lua --json
echo "deals per stage (got | truth):"
sqlite3 -csv kartoteka.db "SELECT stage, count(*), printf('%.2f', sum(amount) / 100.0) FROM deal GROUP BY stage ORDER BY stage" > "$TMP/deals.got"
tail -n +2 "$DATA/deals.truth.csv" | tr -d '\r' | sort > "$TMP/deals.want"
paste -d'|' "$TMP/deals.got" "$TMP/deals.want"
if cmp -s "$TMP/deals.got" "$TMP/deals.want"; then echo "deals: equal to the truth"; else echo "deals: DIFFER"; fi
echo "sales revenue per customer vs truth:"
sqlite3 -csv kartoteka.db "SELECT p.external_id, printf('%.2f', sum(s.amount) / 100.0) FROM sale s JOIN person p ON p.id = s.customer GROUP BY p.external_id ORDER BY p.external_id" > "$TMP/rev.got"
tail -n +2 "$DATA/sales.truth.csv" | tr -d '\r' | cut -d, -f1,2 | sort > "$TMP/rev.want"
echo "customers: $(wc -l < "$TMP/rev.got") got, $(wc -l < "$TMP/rev.want") in the truth; differing: $(comm -3 "$TMP/rev.got" "$TMP/rev.want" | wc -l)"
