#!/usr/bin/env bash
# A workspace of N generated people (gen_people.py, ~10% duplicates), loaded through the write
# door (bench_load), for the benchmarks that need a big base; an existing one is reused.
#   tests/bench/people_ws.sh BUILD_DIR N WORKDIR   (makes WORKDIR/ws-N, people-N.csv, truth-N.tsv)
set -euo pipefail
BUILD=$(cd "${1:?usage: people_ws.sh BUILD_DIR N WORKDIR}" && pwd)
N=${2:?}
WORK=${3:?}
HERE=$(cd "$(dirname "$0")" && pwd)
export KT_PLUGIN_PATH=$BUILD/plugins
POOL=$(cd "$HERE/../../.." && pwd)/shared/data/persons-200k.csv.gz
mkdir -p "$WORK"
if [ ! -f "$WORK/ws-$N/kartoteka.db" ]; then
  START=$(date +%s)
  python3 "$HERE/gen_people.py" "$N" "$WORK/people-$N.csv" "$WORK/truth-$N.tsv" --seed 7 \
    ${POOL:+$([ -f "$POOL" ] && echo --pool "$POOL")}
  rm -rf "$WORK/ws-$N"
  "$BUILD/core/kt" init "$WORK/ws-$N" >/dev/null
  printf 'settings { country = "PL" }\n' >"$WORK/ws-$N/kartoteka.lua"
  "$BUILD/tests/bench/bench_load" "$WORK/ws-$N" "$WORK/people-$N.csv"
  echo "generated and loaded $N people in $(($(date +%s) - START)) s"
fi
