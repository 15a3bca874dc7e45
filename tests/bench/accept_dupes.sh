#!/usr/bin/env bash
# Accuracy of kt dupes on the data with ground truth (../shared/data beside the repository): pairwise precision,
# recall and F1 of the clusters with the default threshold.
#   tests/bench/accept_dupes.sh BUILD_DIR [DATA=../shared/data] [WORKDIR=/tmp/kt-accept-dupes]
# persons.csv: every row the truth marks ok is loaded (through the write door, duplicates
# allowed); rows the truth rejects are left out of the score. FEBRL: rec_id is the truth;
# given_name, surname, street_number+address_1, suburb, postcode, date_of_birth map onto the
# built-in person fields (built-in rule), and again with soc_sec_id and address_2 as declared
# fields and a declared rule that compares them, and the built-in rule after kt dupes train.
set -euo pipefail
BUILD=$(cd "${1:?usage: accept_dupes.sh BUILD_DIR [DATA] [WORKDIR]}" && pwd)
DATA=${2:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}
WORK=${3:-/tmp/kt-accept-dupes}
HERE=$(cd "$(dirname "$0")" && pwd)
KT=$BUILD/core/kt
LOAD=$BUILD/tests/bench/bench_load
export KT_PLUGIN_PATH=$BUILD/plugins
rm -rf "$WORK"
mkdir -p "$WORK"

score() { # score NAME WS TRUTH [kt dupes options]
  local name=$1 ws=$2 truth=$3
  shift 3
  (cd "$ws" && "$KT" dupes person --json "$@" >"$WORK/$name.json" &&
    "$KT" list person --json | jq -r '.[] | [.id, .external_id] | @tsv' >"$WORK/$name.ids")
  printf '%-28s ' "$name"
  python3 "$HERE/score_pairs.py" "$WORK/$name.json" "$WORK/$name.ids" "$truth"
}

if [ -f "$DATA/persons.csv" ]; then
  "$KT" init "$WORK/persons" >/dev/null
  "$LOAD" "$WORK/persons" "$DATA/persons.csv" external_id=external_id first_name=first_name \
    last_name=last_name gender=gender birth_date=birth_date email=email mobile=mobile city=city \
    street=street postal_code=postal_code country=country notes=notes >/dev/null
  awk -F, 'NR > 1 && $4 == "ok" { print $2 "\t" $3 }' "$DATA/persons.truth.csv" >"$WORK/persons.truth"
  score persons.csv "$WORK/persons" "$WORK/persons.truth"
fi

for ds in dataset1 dataset2; do
  f=$DATA/febrl/$ds.csv
  [ -f "$f" ] || continue
  for variant in builtin declared trained; do
    ws=$WORK/febrl-$ds-$variant
    "$KT" init "$ws" >/dev/null
    maps=(external_id=rec_id first_name=given_name last_name=surname
      street=street_number+address_1 city=suburb postal_code=postcode birth_date=date_of_birth)
    if [ $variant = declared ]; then
      cat >>"$ws/kartoteka.lua" <<'LUA'
field "person.soc_sec_id" { type = "text" }
field "person.address_2" { type = "text" }
dedupe "person" {
  compare = {
    { field = "soc_sec_id",  method = "name",  weight = 4 },
    { field = "last_name",   method = "name",  weight = 3 },
    { field = "first_name",  method = "name",  weight = 2 },
    { field = "birth_date",  method = "date",  weight = 3 },
    { field = "street",      method = "text",  weight = 1 },
    { field = "address_2",   method = "text",  weight = 0.5 },
    { field = "city",        method = "name",  weight = 0.5 },
    { field = "postal_code", method = "exact", weight = 0.5 },
  },
}
LUA
      maps+=(soc_sec_id=soc_sec_id address_2=address_2)
    fi
    "$LOAD" "$ws" "$f" "${maps[@]}" >/dev/null
    # trained: the built-in rule's fields, weights learned by kt dupes train (issue 20)
    [ $variant = trained ] && (cd "$ws" && "$KT" dupes train person >/dev/null 2>&1)
    (cd "$ws" && "$KT" list person --json | jq -r '.[] | .external_id' |
      awk '{ split($1, a, "-"); print $1 "\t" a[2] }') >"$WORK/febrl-$ds.truth"
    score "febrl-$ds-$variant" "$ws" "$WORK/febrl-$ds.truth"
    score "febrl-$ds-$variant@0.65" "$ws" "$WORK/febrl-$ds.truth" --threshold 0.65
  done
done
