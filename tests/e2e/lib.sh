# Helpers for end-to-end tests: each test drives the real kt command on temporary workspaces.
# Environment (set by ctest): KT_BIN, KT_SOURCE_DIR, KT_TEST_TMP.
set -euo pipefail
KT=${KT_BIN:?KT_BIN must point at the kt command}
SRC=${KT_SOURCE_DIR:?}
mkdir -p "${KT_TEST_TMP:-/tmp}"
TMP=$(mktemp -d "${KT_TEST_TMP:-/tmp}/e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
unset KT_WORKSPACE
# A workspace some other program left in a parent folder (/tmp/kartoteka.lua) must not be found.
export KT_CEILING_DIRECTORIES=$(dirname "$TMP")
FAILS=0
CHECKS=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { CHECKS=$((CHECKS + 1)); }

# run CMD...: runs kt, keeping stdout in $OUT, stderr in $ERR and the exit code in $RC
run() {
  set +e
  OUT=$("$KT" "$@" 2>"$TMP/.err")
  RC=$?
  set -e
  ERR=$(cat "$TMP/.err")
}

# expect RC CMD...: runs kt and checks the exit code
expect() {
  local want=$1; shift
  run "$@"
  if [ "$RC" -eq "$want" ]; then pass; else fail "kt $* exited $RC, expected $want; stderr: $ERR"; fi
}

# A here-string, not a pipe: grep -q stops reading at the first match, and with pipefail the
# writer's SIGPIPE would turn a found needle into a failure on a loaded machine.
contains() { # contains HAYSTACK NEEDLE WHAT
  if grep -qF -- "$2" <<<"$1"; then pass; else fail "$3: '$2' not in: ${1:0:2000}"; fi
}
lacks() {
  if grep -qF -- "$2" <<<"$1"; then fail "$3: '$2' unexpectedly in: ${1:0:2000}"; else pass; fi
}
equals() { # equals GOT WANT WHAT
  if [ "$1" == "$2" ]; then pass; else fail "$3: got '$1', want '$2'"; fi
}
jqget() { printf '%s' "$1" | jq -r "$2"; }

# new_ws NAME [--example X]: a fresh workspace; cd into it
new_ws() {
  local name=$1; shift
  "$KT" init "$TMP/$name" "$@" >/dev/null
  cd "$TMP/$name"
}

finish() {
  echo "$((CHECKS)) passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}

# start_fake SCRIPT LOG: a fake server of tests/e2e/campaign (python3) writing what it receives
# to LOG; sets PORT once it listens and stops it when the test ends.
start_fake() {
  python3 "$SRC/tests/e2e/campaign/$1" "$TMP/port" "$2" &
  FAKE_PID=$!
  trap 'kill $FAKE_PID 2>/dev/null; rm -rf "$TMP"' EXIT
  for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
  PORT=$(cat "$TMP/port")
}
