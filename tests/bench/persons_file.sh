# Sourced by the import benchmarks: persons_file ROWS OUT writes a persons.csv-shaped file of ROWS
# rows (the first ROWS of ../shared/data/persons-200k.csv.gz when present, else generated) and
# prints where it came from.
persons_file() {
  local rows=$1 out=$2 here gz
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  gz=${KT_SHARED:-$here/../../../shared}/data/persons-200k.csv.gz
  if [ -f "$gz" ]; then
    { zcat "$gz" || true; } | head -n $((rows + 1)) > "$out" # zcat stops early: SIGPIPE
  else
    python3 "$here/gen_persons.py" "$rows" > "$out"
  fi
  echo "file: $(($(wc -l < "$out") - 1)) rows, $(du -h "$out" | cut -f1) ($([ -f "$gz" ] && echo "$gz" || echo generated))"
}
