#!/usr/bin/env bash
# The API against in-process reads on N generated people: a record read and a search, ops/s
# and p50/p95, through kt serve (loopback, default threads) and in-process, same run.
#   tests/bench/bench_serve.sh BUILD_DIR [N=$KT_BENCH_PEOPLE or 1000000] [WORKDIR]
# KT_BENCH_PEOPLE=20000 makes a quick run; KT_BENCH_OPS (default 1000) reads per figure, a tenth as many searches.
# The workspace is the one bench_dupes.sh uses (people_ws.sh), made once and reused.
set -euo pipefail
BUILD=$(cd "${1:?usage: bench_serve.sh BUILD_DIR [N] [WORKDIR]}" && pwd)
N=${2:-${KT_BENCH_PEOPLE:-1000000}}
WORK=${3:-/dev/shm/kt-bench-dupes}
HERE=$(cd "$(dirname "$0")" && pwd)
KT=$BUILD/core/kt
export KT_PLUGIN_PATH=$BUILD/plugins
bash "$HERE/people_ws.sh" "$BUILD" "$N" "$WORK"
WS=$WORK/ws-$N
# the end-to-end tests' way to start kt serve on a free loopback port (sets API, stops at exit)
export KT_BIN=$KT KT_SOURCE_DIR=$HERE/../.. KT_TEST_TMP=${TMPDIR:-/tmp}
source "$HERE/../e2e/lib.sh"
source "$HERE/../e2e/serve_lib.sh"
cd "$WS"
NAME=bench-$(date +%s)-$$ # a revoked name stays taken: each run has its own token
TOKEN=$("$KT" token add "$NAME" --role staff --expires "$(date -d tomorrow +%F)")
start_serve http --rate 0
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
"$BUILD/tests/bench/bench_serve" "$WS" "$API" "$TOKEN" "${KT_BENCH_OPS:-1000}" 4
"$KT" token revoke "$NAME" >/dev/null
