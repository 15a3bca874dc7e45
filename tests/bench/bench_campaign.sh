#!/usr/bin/env bash
# `kt campaign run birthday --dry-run` (the pet-shop example's campaign, declared audience) on N
# generated people against the sqlite3 command line selecting the same people by month and day,
# in the same run: wall time (median of 3) and peak memory (/usr/bin/time -v). Also the audience
# alone (the same declaration with an empty action), so the time of the actions shows apart, and
# the first run (cold caches; the indexes are made when the setup first applies kartoteka.lua,
# which is timed there). The people are people_ws.sh's, copied and
# given the pet-shop fields (70% consent yes, 10% no) by SQL: setup, not what is measured.
#   tests/bench/bench_campaign.sh BUILD [N=1000000] [WORKDIR=/dev/shm/kt-bench-campaign]
#   (PEOPLE_WORK: where people_ws.sh keeps its workspaces, default /dev/shm/kt-bench-dupes)
set -euo pipefail
BUILD=$(cd "${1:?usage: bench_campaign.sh BUILD [N] [WORKDIR]}" && pwd)
N=${2:-1000000}
WORK=${3:-/dev/shm/kt-bench-campaign}
PEOPLE=${PEOPLE_WORK:-/dev/shm/kt-bench-dupes}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
KT=$BUILD/core/kt
export KT_PLUGIN_PATH=$BUILD/plugins
command -v sqlite3 >/dev/null || { echo "bench_campaign: needs the sqlite3 command" >&2; exit 69; }
[ -x /usr/bin/time ] || { echo "bench_campaign: needs /usr/bin/time" >&2; exit 69; }
bash "$HERE/people_ws.sh" "$BUILD" "$N" "$PEOPLE"
SHOP=$WORK/shop-$N
DAY=2027-03-01 # birthdays on 8 March
if [ ! -f "$SHOP/ready" ]; then
  rm -rf "$SHOP"
  mkdir -p "$WORK"
  cp -r "$PEOPLE/ws-$N" "$SHOP"
  cp "$SRC/examples/pet-shop/kartoteka.lua" "$SHOP/kartoteka.lua"
  mkdir -p "$SHOP/campaigns/templates"
  cp "$SRC/examples/pet-shop/campaigns/templates/"* "$SHOP/campaigns/templates/"
  cat >>"$SHOP/kartoteka.lua" <<'LUA'
settings { country = "PL" }
-- the birthday campaign's audience with nothing to do: the audience's own cost
campaign "birthday_audience" {
  entity = "person",
  filter = { marketing_consent = "yes" },
  audience = { anniversary = "birth_date", days_ahead = 7,
               also = function(r, day) return r.email ~= nil or r.mobile ~= nil end },
  action = function(r, day) end,
}
LUA
  T0=$(date +%s.%N)
  "$KT" -C "$SHOP" list person --limit 1 >/dev/null # adds the pet-shop fields and the indexes
  echo "kartoteka.lua applied the first time (fields, month-day and address indexes): $(echo "$(date +%s.%N) - $T0" | bc) s"
  sqlite3 "$SHOP/kartoteka.db" "UPDATE person SET marketing_consent = CASE WHEN id % 10 < 7 THEN
    'yes' WHEN id % 10 = 7 THEN 'no' END, pets = json_array(CASE id % 3 WHEN 0 THEN 'dog' WHEN 1
    THEN 'cat' ELSE 'fish' END), expected_gifts = 'gift-' || id || ', bone'"
  touch "$SHOP/ready"
fi
# the same people as the campaign: active, consenting, reachable, born on 8 March
WHERE="r.state = 'active' AND p.marketing_consent = 'yes' AND (p.email IS NOT NULL OR p.mobile IS NOT NULL)"
SCAN="SELECT count(*) FROM person p NOT INDEXED JOIN kt_record r ON r.id = p.id WHERE $WHERE AND strftime('%m-%d', p.birth_date) = '03-08'"
# the same through the month-day index kt makes (kt_md_person_birth_date)
INDEXED="SELECT count(*) FROM person p JOIN kt_record r ON r.id = p.id WHERE $WHERE AND substr(p.birth_date, 6, 5) = '03-08'"
# measure NAME CMD...: median wall time of 3 runs (s) and the largest peak RSS (MiB)
measure() {
  local name=$1; shift
  python3 - "$name" "$@" <<'PY'
import statistics, subprocess, sys, re
name, cmd = sys.argv[1], sys.argv[2:]
times, rss = [], 0
for _ in range(3):
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
    times.append(int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3)))
    rss = max(rss, int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)))
print(f"{name}\t{statistics.median(times):.3f}\t{rss / 1024:.1f}")
PY
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc), $N people"
T0=$(date +%s.%N)
"$KT" -C "$SHOP" campaign run birthday_audience --as-of $DAY --dry-run >/dev/null
echo "first run: $(echo "$(date +%s.%N) - $T0" | bc) s"
SUMMARY=$("$KT" -C "$SHOP" campaign run birthday --as-of $DAY --dry-run 2>/dev/null | tail -1 || true)
WANT=$(sqlite3 "$SHOP/kartoteka.db" "$SCAN")
echo "kt: $SUMMARY"
echo "sqlite3: $WANT people born on 8 March who may be contacted"
case "$SUMMARY" in
  "birthday: $WANT candidate(s)"*) ;;
  *) echo "bench_campaign: kt's candidates differ from the SELECT's $WANT" >&2; exit 70 ;;
esac
{
  measure "kt campaign run birthday --dry-run" "$KT" -C "$SHOP" campaign run birthday --as-of $DAY --dry-run
  measure "  its audience alone (empty action)" "$KT" -C "$SHOP" campaign run birthday_audience --as-of $DAY --dry-run
  measure "sqlite3 SELECT on month/day (scan)" sqlite3 "$SHOP/kartoteka.db" "$SCAN"
  measure "sqlite3 SELECT on month/day (index)" sqlite3 "$SHOP/kartoteka.db" "$INDEXED"
} | awk -F'\t' -v n="$N" '
  { name[NR] = $1; t[NR] = $2; m[NR] = $3 }
  END {
    printf "%-40s %9s %9s %12s\n", "at " n " people", "median s", "peak MiB", "vs SELECT"
    for (i = 1; i <= NR; i++)
      printf "%-40s %9.3f %9.1f %11.1fx\n", name[i], t[i], m[i], (t[3] > 0 ? t[i] / t[3] : 0)
    printf "target: kt campaign run birthday --dry-run <= 0.5 s at 1 000 000 people\n"
  }'
