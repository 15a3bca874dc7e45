#!/usr/bin/env bash
# The crash driver (issue 9, point 1): starts a command, kills it with SIGKILL after a random
# delay, then runs a check; N times. What a power cut or an OOM killer does, on demand.
#
#   tests/crash/crash.sh [options] -- COMMAND [ARGS...]
#     --check 'SHELL'   run after every kill; a non-zero exit stops the run and fails it
#     --before 'SHELL'  run before every start (e.g. reset a file); optional
#     --after 'SHELL'   run once after the last kill (e.g. re-run and compare); optional
#     --kills N         kills (default $KT_CRASH_KILLS or 25; 1000 for the long run)
#     --min-ms A --max-ms B   the delay is uniform in [A, B] ms (default 0..2000)
#
# The command runs in its own process group and the whole group is killed, so a shell
# wrapper cannot outlive it. The check sees CRASH_ITER (1..N) and CRASH_OUTCOME ("killed", or
# "finished" when the command ended before its kill: then CRASH_RC holds its exit code) in its
# environment. The summary line counts both outcomes: a run whose every command finished
# before the kill tested nothing, so it fails unless --allow-finished is given.
set -uo pipefail

usage() { sed -n '2,17p' "$0" >&2; exit 64; }
KILLS=${KT_CRASH_KILLS:-25}
MIN_MS=0
MAX_MS=2000
CHECK=""
BEFORE=""
AFTER=""
ALLOW_FINISHED=0
while [ $# -gt 0 ]; do
  case $1 in
    --check) CHECK=$2; shift 2 ;;
    --before) BEFORE=$2; shift 2 ;;
    --after) AFTER=$2; shift 2 ;;
    --kills) KILLS=$2; shift 2 ;;
    --min-ms) MIN_MS=$2; shift 2 ;;
    --max-ms) MAX_MS=$2; shift 2 ;;
    --allow-finished) ALLOW_FINISHED=1; shift ;;
    --) shift; break ;;
    *) usage ;;
  esac
done
[ $# -gt 0 ] && [ -n "$CHECK" ] || usage

killed=0
finished=0
for i in $(seq 1 "$KILLS"); do
  export CRASH_ITER=$i
  if [ -n "$BEFORE" ] && ! bash -c "$BEFORE"; then
    echo "crash: kill $i: the --before command failed" >&2
    exit 1
  fi
  delay=$((MIN_MS + (RANDOM * 32768 + RANDOM) % (MAX_MS - MIN_MS + 1)))
  setsid "$@" >/dev/null 2>"${TMPDIR:-/tmp}/kt-crash.$$.err" &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    export CRASH_OUTCOME=killed CRASH_RC=137
    killed=$((killed + 1))
  else
    wait "$pid"
    export CRASH_RC=$? CRASH_OUTCOME=finished
    finished=$((finished + 1))
  fi
  if ! bash -c "$CHECK"; then
    echo "crash: kill $i (after ${delay} ms, $CRASH_OUTCOME): the check failed" >&2
    echo "crash: the command's stderr: $(head -c 2000 "${TMPDIR:-/tmp}/kt-crash.$$.err")" >&2
    rm -f "${TMPDIR:-/tmp}/kt-crash.$$.err"
    exit 1
  fi
done
rm -f "${TMPDIR:-/tmp}/kt-crash.$$.err"
if [ -n "$AFTER" ] && ! bash -c "$AFTER"; then
  echo "crash: the --after command failed" >&2
  exit 1
fi
echo "crash: $KILLS runs: $killed killed mid-way, $finished finished before their kill; every check passed"
if [ "$killed" -eq 0 ] && [ "$ALLOW_FINISHED" -eq 0 ]; then
  echo "crash: no run was killed mid-way: the delays are too long for this command" >&2
  exit 1
fi
