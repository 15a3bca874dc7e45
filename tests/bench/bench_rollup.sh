#!/usr/bin/env bash
# kt report abcxyz on N sale lines (gen_sales.py: N/40 customers, 24 months) three ways in one
# run: from the rollup (kt_sale_month, what kt does now), from the raw lines (the same report
# with the rollup marked unbuilt: what kt did before), and one SQL statement over the raw lines
# in the sqlite3 command line (the baseline of issue 22). Median wall time of R runs each, the
# peak RSS of one, the CPU time (user + sys), the ratios against the baseline, and the time kt check --rebuild takes to make
# the rollup. The three matrices must agree (customers and revenue per pair), else exit 1.
#   tests/bench/bench_rollup.sh KT [N=1000000] [R=3] [WORKDIR=/tmp/kt-bench-rollup]
set -euo pipefail
KT=$(realpath "${1:?usage: bench_rollup.sh KT [N] [R] [WORKDIR]}")
N=${2:-1000000}
R=${3:-3}
WORK=${4:-/tmp/kt-bench-rollup}
HERE=$(cd "$(dirname "$0")" && pwd)
export KT_PLUGIN_PATH=${KT_PLUGIN_PATH:-$(dirname "$KT")/../plugins}
command -v sqlite3 >/dev/null || { echo "bench_rollup: needs the sqlite3 command" >&2; exit 69; }
WS=$WORK/ws-$N
if [ ! -f "$WS/kartoteka.db" ]; then
  rm -rf "$WS"; mkdir -p "$WORK"
  "$KT" init "$WS" --example pet-shop >/dev/null
  python3 "$HERE/gen_sales.py" "$WS/kartoteka.db" "$N"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
python3 - "$KT" "$WS" "$R" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
kt, ws, r = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = os.path.join(ws, "kartoteka.db")
# the whole matrix in one statement: ABC by cumulative revenue before the customer, XYZ by the
# coefficient of variation over the months from the first to the last one holding a sale
SQL = """
WITH lines AS (SELECT s.customer AS customer, substr(s.date, 1, 7) AS month, s.amount AS amount
  FROM sale s JOIN kt_record r ON r.id = s.id AND r.state = 'active'
  WHERE s.customer IS NOT NULL AND s.date IS NOT NULL AND s.amount IS NOT NULL),
cm AS (SELECT customer, month, sum(amount) AS m FROM lines GROUP BY customer, month),
span AS (SELECT (substr(max(month), 1, 4) * 12 + substr(max(month), 6, 2))
              - (substr(min(month), 1, 4) * 12 + substr(min(month), 6, 2)) + 1 AS n FROM cm),
c AS (SELECT customer, sum(m) AS s, sum(m * m) AS q FROM cm GROUP BY customer),
ranked AS (SELECT customer, s, q, coalesce(sum(s) OVER (ORDER BY s DESC, customer
  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before, sum(s) OVER () AS total FROM c),
cls AS (SELECT CASE WHEN total > 0 AND before * 5 < total * 4 THEN 'A'
                    WHEN total > 0 AND before * 20 < total * 19 THEN 'B' ELSE 'C' END
            || CASE WHEN s <= 0 THEN 'Z' WHEN n * q - s * s <= (s * s) / 100 THEN 'X'
                    WHEN n * q - s * s <= (s * s) / 16 THEN 'Y' ELSE 'Z' END AS pair, s
  FROM ranked, span)
SELECT pair, count(*), sum(s) FROM cls GROUP BY pair ORDER BY pair;"""
def built(v):
    subprocess.run(["sqlite3", db, "UPDATE kt_rollup SET built = %d" % v], check=True)
def timed(cmd):
    """wall seconds, CPU seconds (user + sys, which a loaded machine disturbs less), stdout"""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, stdout=subprocess.PIPE, check=True, text=True).stdout
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, out
def peak_mib(cmd):
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, check=True)
    for line in p.stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.split()[-1]) / 1024
    return 0.0
lines = subprocess.run(["sqlite3", db, "SELECT count(*) FROM sale"], stdout=subprocess.PIPE,
                       text=True, check=True).stdout.strip()
built(0)
t, cpu, out = timed([kt, "-C", ws, "check", "deal", "--rebuild"])
print("%s sale lines; kt check --rebuild: %.2f s, CPU %.2f s (%s)" %
      (lines, t, cpu, out.splitlines()[0]))
report = [kt, "-C", ws, "report", "abcxyz", "--format", "json"]
ways = {"rollup": (report, 1), "raw lines": (report, 0), "one SQL": (["sqlite3", db, SQL], 1)}
res = {}
for name, (cmd, b) in ways.items():
    built(b)
    times, cpus, out = [], [], None
    for _ in range(r):
        t, cpu, out = timed(cmd)
        times.append(t)
        cpus.append(cpu)
    res[name] = (statistics.median(times), statistics.median(cpus), peak_mib(cmd), out)
built(1)
def matrix(name, out):
    if name == "one SQL":
        return {p: (int(c), int(s)) for p, c, s in (l.split("|") for l in out.split())}
    return {x["pair"]: (x["customers"], round(x["revenue"] * 100))
            for x in json.loads(out) if x["customers"]}
base, base_cpu = res["one SQL"][0], res["one SQL"][1]
print("%-10s %9s %8s %10s %9s %9s" % ("abcxyz", "median s", "CPU s", "peak MiB", "vs SQL",
                                      "CPU vs"))
for name, (t, cpu, peak, _) in res.items():
    print("%-10s %9.3f %8.3f %10.1f %8.2fx %8.2fx" % (name, t, cpu, peak, t / base,
                                                    cpu / base_cpu))
m = {name: matrix(name, out) for name, (_, _, _, out) in res.items()}
same = m["rollup"] == m["raw lines"] == m["one SQL"]
print("matrices agree:", "yes" if same else "NO", m["rollup"])
sys.exit(0 if same else 1)
PY
