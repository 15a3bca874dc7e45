#!/usr/bin/env bash
# make bench: every benchmark, each printing its own figures against a baseline measured in the
# same run, and at the end one table of issue 22's rows (table.py reads their logs): each row's
# figure, its baseline, the ratio, the peak memory and the target. BUILD is the build folder.
# Sizes: KT_BENCH_N people (200 000 by default; 1 000 000 is the issue's size) for the import,
# the campaign, find, dupes and the API; KT_BENCH_SALES sale lines for abcxyz (1 000 000;
# 10 000 000 the issue's optional row). The people are generated once per size and reused.
#   tests/bench/run.sh [BUILD]          KT_BENCH_N=1000000 make bench
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
N=${KT_BENCH_N:-200000}
SALES=${KT_BENCH_SALES:-1000000}
LOGS=$BUILD/bench-logs
PEOPLE=${PEOPLE_WORK:-/dev/shm/kt-bench-dupes}
mkdir -p "$LOGS"
# step NAME TITLE CMD...: runs CMD, its output on the terminal and in LOGS/NAME.log; one that
# fails is said so and the rest still run (its row of the table says it is not in the log)
FAILED=0
step() {
  local name=$1 title=$2; shift 2
  echo "== $title"
  "$@" 2>&1 | tee "$LOGS/$name.log" || { echo "== $name failed"; FAILED=1; }
}
step start "kt get's start against the sqlite3 command line reading the same row" \
  bash "$HERE/bench_start.sh" "$BUILD/core/kt" 300
step host "the script budget's cost (sandboxed vs plain Lua)" "$BUILD/tests/bench/bench_host"
step phone "phone numbers normalised per second: libphonenumber against the 1.x rules" \
  "$BUILD/tests/bench/bench_phone"
step read "readers: rows/s and peak memory, flat in the file's size" "$BUILD/tests/bench/bench_read"
step import "import of $N persons against sqlite3 .import" \
  bash "$HERE/bench_import.sh" "$BUILD/core/kt" "$N"
step import_floor "the import's floor: read + Lua map, and the storage alone, against sqlite3 .import" \
  bash "$HERE/bench_import_floor.sh" "$BUILD/core/kt" "$N"
step accept_import "acceptance: the shipped import scripts on the shared data, against the truth" \
  bash "$HERE/accept_import.sh" "$BUILD/core/kt"
step campaign "kt campaign run birthday --dry-run against a SELECT on month/day, $N people" \
  bash "$HERE/bench_campaign.sh" "$BUILD" "$N"
step dupes "kt dupes on $N generated people" bash "$HERE/bench_dupes.sh" "$BUILD" "$N" "$PEOPLE"
step serve "the API (kt serve) against in-process reads on $N generated people" \
  bash "$HERE/bench_serve.sh" "$BUILD" "$N"
step rollup "kt report abcxyz on $SALES sale lines: rollup, raw lines, one SQL statement" \
  bash "$HERE/bench_rollup.sh" "$BUILD/core/kt" "$SALES"
bash "$HERE/people_ws.sh" "$BUILD" "$N" "$PEOPLE" >/dev/null || FAILED=1
step find "kt_find in one process against FTS5's own ranking, $N generated people" \
  env KT_PLUGIN_PATH="$BUILD/plugins" /usr/bin/time -f "peak RSS %M KB" \
  "$BUILD/tests/bench/bench_find" "$PEOPLE/ws-$N"
echo "== issue 22's table: $N people, $SALES sale lines (logs in $LOGS)"
python3 "$HERE/table.py" "$LOGS" "$N" "$SALES"
exit $FAILED
