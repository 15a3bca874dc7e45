#!/usr/bin/env bash
# kt dupes on N generated people (~10% duplicates, messed up as in ../shared/data): time,
# peak memory and what holds it, and pairwise precision/recall/F1 against the generator's truth.
#   tests/bench/bench_dupes.sh BUILD_DIR [N=1000000] [WORKDIR=/dev/shm/kt-bench-dupes]
# Build BUILD_DIR as Release (cmake -DCMAKE_BUILD_TYPE=Release). Loading goes through the write
# door (bench_load) and takes long for 1M; an existing WORKDIR with the same N is reused.
set -euo pipefail
BUILD=$(cd "${1:?usage: bench_dupes.sh BUILD_DIR [N] [WORKDIR]}" && pwd)
N=${2:-1000000}
WORK=${3:-/dev/shm/kt-bench-dupes}
HERE=$(cd "$(dirname "$0")" && pwd)
KT=$BUILD/core/kt
export KT_PLUGIN_PATH=$BUILD/plugins
bash "$HERE/people_ws.sh" "$BUILD" "$N" "$WORK"
cd "$WORK/ws-$N"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
/usr/bin/time -f "kt dupes person: %e s wall, %U s user, %S s sys, peak RSS %M KB" \
  "$KT" dupes person --json >"$WORK/clusters-$N.json"
echo "clusters: $(jq length "$WORK/clusters-$N.json")"
# how the pairs came about and what holds the memory (prepared values, blocking keys, pairs)
"$KT" dupes person --stats | grep -E '^(blocking keys|blocks|largest|pairs|memory)'
"$KT" list person --json | jq -r '.[] | [.id, .external_id] | @tsv' >"$WORK/ids-$N.tsv"
python3 "$HERE/score_pairs.py" "$WORK/clusters-$N.json" "$WORK/ids-$N.tsv" "$WORK/truth-$N.tsv"
