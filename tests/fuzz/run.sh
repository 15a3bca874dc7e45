#!/usr/bin/env bash
# Runs every built libFuzzer target of BUILD_DIR for SECONDS each, seeded from
# tests/fuzz/corpus/<name>/, and fails when any target finds a crash, a leak or a timeout.
#   tests/fuzz/run.sh build/fuzz 30            CI: about 30 s per target
#   tests/fuzz/run.sh build/fuzz 36000 csv     ten hours on one target
# New inputs that reach new code go to $KT_FUZZ_WORK/<name>/ (default: a temp folder, removed
# unless kept with KT_FUZZ_KEEP=1); the seed corpus in the tree is never modified. A crash
# leaves its input in $KT_FUZZ_ARTIFACTS (default BUILD_DIR/fuzz-artifacts): copy it into
# tests/fuzz/corpus/<name>/ and write a unit test for it.
# KT_FUZZ_JOBS=N runs N processes per target (libFuzzer -fork), for long runs on many cores.
set -uo pipefail
BUILD=${1:?usage: run.sh BUILD_DIR SECONDS [TARGET...]}
SECONDS_EACH=${2:?usage: run.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
BIN="$BUILD/tests/fuzz"
ART=${KT_FUZZ_ARTIFACTS:-$BUILD/fuzz-artifacts}
WORK=${KT_FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/kt-fuzz.XXXXXX")}
[ -n "${KT_FUZZ_WORK:-}" ] || [ "${KT_FUZZ_KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
mkdir -p "$ART" "$WORK"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$BIN"/fuzz_*; do [ -x "$f" ] && [ -f "$f" ] && targets+=("$(basename "$f" | sed 's/^fuzz_//')"); done
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "run.sh: no fuzz targets in $BIN (configure with CC=clang -DKT_FUZZ=ON and build)" >&2
  exit 2
fi

failed=()
for t in "${targets[@]}"; do
  exe="$BIN/fuzz_$t"
  if [ ! -x "$exe" ]; then
    echo "run.sh: $exe is not built" >&2
    failed+=("$t(missing)")
    continue
  fi
  seeds="$HERE/corpus/$t"
  mkdir -p "$WORK/$t" "$ART/$t"
  args=(-max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=2048 -max_len=65536
        -print_final_stats=1 -artifact_prefix="$ART/$t/")
  [ -n "${KT_FUZZ_JOBS:-}" ] && args+=(-fork="$KT_FUZZ_JOBS" -ignore_crashes=0)
  log="$WORK/$t.log"
  echo "== fuzz_$t: ${SECONDS_EACH}s"
  # UBSan findings abort (the targets are built with -fno-sanitize-recover); leaks are findings.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$exe" "${args[@]}" "$WORK/$t" \
    $( [ -d "$seeds" ] && echo "$seeds" ) >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  echo "   exit $rc, ${execs:-?} executions, ${cov:-cov ?}, corpus $(ls "$WORK/$t" | wc -l) files"
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20
    echo "   full log: $log (kept)"
    trap - EXIT
  fi
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} — reproducers in $ART/<target>/ (run the target on the file)"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no finding"
