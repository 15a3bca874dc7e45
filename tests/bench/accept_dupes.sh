#!/usr/bin/env bash
# Accuracy of kt dupes on the data with ground truth (../shared/data beside the repository): pairwise precision,
# recall and F1 of the clusters with the default threshold.
#   tests/bench/accept_dupes.sh BUILD_DIR [DATA=../shared/data] [WORKDIR=/tmp/kt-accept-dupes]
# persons.csv: every row the truth marks ok is loaded (through the write door, duplicates
# allowed); rows the truth rejects are left out of the score. FEBRL: rec_id is the truth;
# given_name, surname, street_number+address_1, suburb, postcode, date_of_birth map onto the
# built-in person fields (built-in rule), and again with soc_sec_id and address_2 as declared
# fields and a declared rule that compares them, and the built-in rule after kt dupes train.
# FEBRL 4a and 4b (one true match each) are imported as two batches and linked with
# kt dupes --between. Beside each F1: the truth pairs blocking never compared
# (kt dupes --compared), so 1 - lost/truth is the recall no score passes.
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
    "$KT" dupes person --compared "$@" >"$WORK/$name.compared" &&
    "$KT" list person --json | jq -r '.[] | [.id, .external_id] | @tsv' >"$WORK/$name.ids")
  printf '%-28s %s  %s\n' "$name" \
    "$(python3 "$HERE/score_pairs.py" "$WORK/$name.json" "$WORK/$name.ids" "$truth")" \
    "$(python3 "$HERE/blocking_loss.py" "$WORK/$name.compared" "$WORK/$name.ids" "$truth")"
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

# FEBRL 4a x 4b: two imports (kt import, duplicates not looked for while importing), linked.
if [ -f "$DATA/febrl/dataset4a.csv" ] && [ -f "$DATA/febrl/dataset4b.csv" ]; then
  ws=$WORK/febrl-4ab
  "$KT" init "$ws" >/dev/null
  cat >"$ws/febrl.lua" <<'LUA'
-- FEBRL columns ("rec_id, given_name, ..."; the header has spaces after its commas)
local clean = kt.text.clean
local function col(row, name) return clean(row[name] or row[" " .. name]) end
local days = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
-- YYYYMMDD to YYYY-MM-DD; an impossible date is left out, not the person
local function date(s)
  if not s or not s:match("^%d%d%d%d%d%d%d%d$") then return nil end
  local y, m, d = tonumber(s:sub(1, 4)), tonumber(s:sub(5, 6)), tonumber(s:sub(7, 8))
  if m < 1 or m > 12 or d < 1 or d > days[m] or y < 1900 or y > 2025 then return nil end
  if m == 2 and d == 29 and (y % 4 ~= 0 or (y % 100 == 0 and y % 400 ~= 0)) then return nil end
  return s:sub(1, 4) .. "-" .. s:sub(5, 6) .. "-" .. s:sub(7, 8)
end
return {
  entity = "person",
  read = { format = "csv" },
  map = function(row)
    local number, street = col(row, "street_number"), col(row, "address_1")
    return {
      external_id = col(row, "rec_id"), first_name = col(row, "given_name"),
      last_name = col(row, "surname"), city = col(row, "suburb"),
      postal_code = col(row, "postcode"), birth_date = date(col(row, "date_of_birth")),
      street = street and ((number and number .. " " or "") .. street) or number,
    }
  end,
}
LUA
  for part in a b; do
    (cd "$ws" && "$KT" import "$DATA/febrl/dataset4$part.csv" --script febrl.lua --no-dedupe \
      --rejects "$WORK/febrl-4$part.rejects" --force --json >"$WORK/febrl-4$part.import" 2>&1)
  done
  A=$(cd "$ws" && "$KT" import list --json | jq -r '[.[] | .batch | tonumber] | sort | .[0]')
  B=$(cd "$ws" && "$KT" import list --json | jq -r '[.[] | .batch | tonumber] | sort | .[1]')
  (cd "$ws" && "$KT" list person --json | jq -r '.[] | .external_id' |
    awk '{ split($1, a, "-"); print $1 "\t" a[2] }') >"$WORK/febrl-4ab.truth"
  score "febrl-4a-x-4b" "$ws" "$WORK/febrl-4ab.truth" --between "$A" "$B"
  (cd "$ws" && "$KT" dupes train person >/dev/null 2>&1)
  score "febrl-4a-x-4b-trained" "$ws" "$WORK/febrl-4ab.truth" --between "$A" "$B"
  (cd "$ws" && "$KT" dupes person --between "$A" "$B" --stats)
fi
