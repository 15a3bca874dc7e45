#!/usr/bin/env bash
# A throwaway PostgreSQL server for the pg tests: `start DIR` makes a cluster in DIR/data with
# initdb and starts it listening only on a Unix socket in DIR (no TCP port, no system service);
# `stop DIR` stops it. Exit 77 (ctest's "skipped") when PostgreSQL 15 is not installed or the
# server cannot run as a non-root user. On success, start prints the connection URL:
#   postgresql:///kartoteka?host=DIR
# PostgreSQL refuses to run as root: as root the server runs as KT_PG_USER (default nobody)
# through runuser, in a DIR that user may write.
set -euo pipefail
bin=${KT_PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-} dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: pg_cluster.sh start|stop DIR" >&2
  exit 64
fi
if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "skipped: PostgreSQL 15 is not installed ($bin/initdb; make deps installs it)" >&2
  exit 77
fi
as=()
if [ "$(id -u)" -eq 0 ]; then
  user=${KT_PG_USER:-nobody}
  if ! command -v runuser >/dev/null 2>&1 || ! id "$user" >/dev/null 2>&1; then
    echo "skipped: running as root and cannot switch to a non-root user ($user) for PostgreSQL" >&2
    exit 77
  fi
  as=(runuser -u "$user" --)
fi
case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ ${#as[@]} -eq 0 ] || chown "$user" "$dir"
    chmod 0700 "$dir"
    # a socket path is limited to about 100 bytes: a deep build folder cannot hold it
    if [ ${#dir} -gt 80 ]; then
      echo "pg_cluster.sh: $dir is too long a path for a Unix socket" >&2
      exit 73
    fi
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U kartoteka -A trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 70; }
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c max_connections=40" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 70; }
    "${as[@]}" "$bin/createdb" -h "$dir" -U kartoteka kartoteka
    echo "postgresql:///kartoteka?host=$dir&user=kartoteka"
    ;;
  stop)
    [ -d "$dir/data" ] || exit 0
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *)
    echo "usage: pg_cluster.sh start|stop DIR" >&2
    exit 64
    ;;
esac
