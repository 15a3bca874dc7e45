#!/usr/bin/env bash
# make bench: every benchmark, each printing its figures and its ratio against a baseline
# measured in the same run. BUILD is the build folder (default build). Long: the import and
# dedupe benchmarks generate 200 000 and 1 000 000 people unless ../shared/data is present.
#   tests/bench/run.sh [BUILD] [ROWS_IMPORT=200000] [PEOPLE_DUPES=1000000] [SALE_LINES=1000000]
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
echo "== kt get's start against the sqlite3 command line reading the same row"
bash "$HERE/bench_start.sh" "$BUILD/core/kt" 300
echo "== the script budget's cost (sandboxed vs plain Lua)"
"$BUILD/tests/bench/bench_host"
echo "== phone numbers normalised per second: libphonenumber against the 1.x rules"
"$BUILD/tests/bench/bench_phone"
echo "== readers: rows/s and peak memory, flat in the file's size"
"$BUILD/tests/bench/bench_read"
echo "== import against sqlite3 .import"
bash "$HERE/bench_import.sh" "$BUILD/core/kt" "${2:-200000}"
echo "== the import's floor: read + Lua map, and the storage alone, against sqlite3 .import"
bash "$HERE/bench_import_floor.sh" "$BUILD/core/kt" "${2:-200000}"
echo "== acceptance: the shipped import scripts on the shared data, default flags, against the truth"
bash "$HERE/accept_import.sh" "$BUILD/core/kt"
echo "== kt campaign run birthday --dry-run against a SELECT on month/day, 200 000 and 1 000 000 people"
bash "$HERE/bench_campaign.sh" "$BUILD" 200000
bash "$HERE/bench_campaign.sh" "$BUILD" "${3:-1000000}"
echo "== kt dupes on generated people"
bash "$HERE/bench_dupes.sh" "$BUILD" "${3:-1000000}"
echo "== the API (kt serve) against in-process reads on generated people"
bash "$HERE/bench_serve.sh" "$BUILD" "${3:-1000000}"
echo "== kt report abcxyz from the sales rollup and from the raw lines, against one SQL statement"
bash "$HERE/bench_rollup.sh" "$BUILD/core/kt" "${4:-1000000}"
echo "== kt_find in one process against FTS5's own ranking, on the generated people"
bash "$HERE/people_ws.sh" "$BUILD" "${3:-1000000}" /dev/shm/kt-bench-dupes >/dev/null
KT_PLUGIN_PATH=$BUILD/plugins "$BUILD/tests/bench/bench_find" "/dev/shm/kt-bench-dupes/ws-${3:-1000000}"
