# Starting kt serve for the end-to-end tests: source after lib.sh.
# start_serve SCHEME [ARGS...]: kt serve on a free loopback port with ARGS, its stderr in
# $TMP/serve.log; sets PID, PORT and API (SCHEME://127.0.0.1:PORT/api/v1); stopped at exit.
start_serve() {
  local scheme=$1
  shift
  "$KT" serve --listen 127.0.0.1:0 "$@" 2>"$TMP/serve.log" &
  PID=$!
  trap 'kill $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT
  PORT=
  for _ in $(seq 300); do
    PORT=$(grep -o "$scheme://127.0.0.1:[0-9]*" "$TMP/serve.log" | head -1 | sed 's/.*://') || true
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  if [ -z "$PORT" ]; then
    fail "the server did not start: $(cat "$TMP/serve.log")"
    finish
    exit 1
  fi
  pass
  API=$scheme://127.0.0.1:$PORT/api/v1
}

# call TOKEN METHOD PATH [curl args...]: the status in $CODE, the body in $BODY, headers in $HEAD
call() {
  local token=$1 method=$2 path=$3; shift 3
  local auth=()
  [ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
  CODE=$(curl -s --path-as-is -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' -X "$method" \
    "${auth[@]}" "$@" "$API$path")
  BODY=$(cat "$TMP/body")
  HEAD=$(cat "$TMP/head")
}
status() { # status WANT WHAT
  if [ "$CODE" = "$1" ]; then pass; else fail "$2: HTTP $CODE, expected $1: ${BODY:0:500}"; fi
}
