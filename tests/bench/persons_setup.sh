# Sourced by the import benchmarks. persons_setup NAME ROWS makes a temporary folder (TMP, removed
# at exit) holding FILE, a persons.csv-shaped file of ROWS rows (the first ROWS of
# ../shared/data/persons-200k.csv.gz when present, else generated), counts its rows into N and
# prints where they came from.
persons_setup() {
  local name=$1 rows=$2 here gz
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  gz=${KT_SHARED:-$here/../../../shared}/data/persons-200k.csv.gz
  TMP=$(mktemp -d "/tmp/kt-bench-$name.XXXXXX")
  trap 'rm -rf "$TMP"' EXIT
  FILE=$TMP/persons.csv
  if [ -f "$gz" ]; then
    { zcat "$gz" || true; } | head -n $((rows + 1)) > "$FILE" # zcat stops early: SIGPIPE
  else
    python3 "$here/gen_persons.py" "$rows" > "$FILE"
  fi
  N=$(($(wc -l < "$FILE") - 1))
  echo "file: $N rows, $(du -h "$FILE" | cut -f1) ($([ -f "$gz" ] && echo "$gz" || echo generated))"
}
