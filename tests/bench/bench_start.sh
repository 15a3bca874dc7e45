#!/usr/bin/env bash
# kt get's start: one record read by a fresh kt process against the sqlite3 command line reading
# the same row of the same database, interleaved in one run (N repetitions each, median and
# 90th percentile of the wall time; peak memory from /usr/bin/time -v). Two workspaces: a plain
# one, and the pet-shop example (which loads the phone plugin, libphonenumber and ICU with it).
# Also the shared libraries kt links, and the CPU time (user + sys) of each process, which a
# loaded machine disturbs less than the wall time. KT_OTHER=/path/to/another/kt runs that kt
# too, on the same workspaces in the same run (before/after a change).
#   tests/bench/bench_start.sh KT [N=300] [WORKDIR=/tmp/kt-bench-start]
set -euo pipefail
KT=$(realpath "${1:?usage: bench_start.sh KT [N] [WORKDIR]}")
N=${2:-300}
WORK=${3:-/tmp/kt-bench-start}
export KT_PLUGIN_PATH=${KT_PLUGIN_PATH:-$(dirname "$KT")/../plugins}
command -v sqlite3 >/dev/null || { echo "bench_start: needs the sqlite3 command" >&2; exit 69; }
rm -rf "$WORK"
mkdir -p "$WORK"
"$KT" init "$WORK/plain" >/dev/null
"$KT" init "$WORK/shop" --example pet-shop >/dev/null
for ws in plain shop; do
  extra=(); [ $ws = shop ] && extra=(pets=dog expected_gifts=bone)
  (cd "$WORK/$ws" && for i in $(seq 1 50); do
     "$KT" add person first_name="Anna$i" last_name="Nowak$i" email="a$i@example.com" \
       "${extra[@]}" --allow-duplicate >/dev/null
   done)
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
echo "kt links $(ldd "$KT" | wc -l) shared libraries (ldd lines):"
ldd "$KT" | awk '{print "  " $1}' | sort | paste -sd' '
if [ -n "${KT_OTHER:-}" ]; then
  echo "KT_OTHER links $(ldd "$KT_OTHER" | wc -l) shared libraries (ldd lines)"
fi
python3 - "$KT" "$WORK" "$N" "${KT_OTHER:-}" <<'PY'
import os, resource, statistics, subprocess, sys, time
kt, work, n, other = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def runs(ws):
    db = os.path.join(work, ws, "kartoteka.db")
    r = {"kt get": ([kt, "-C", os.path.join(work, ws), "get", "25"], None)}
    if other:
        r["other"] = ([other, "-C", os.path.join(work, ws), "get", "25"], None)
    r["sqlite3"] = (["sqlite3", db, "SELECT * FROM person WHERE id = 25"], None)
    return r
cpu = {}
def once(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter_ns()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = (time.perf_counter_ns() - t) / 1e6
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.setdefault(cmd[0], []).append(1000 * (after.ru_utime - before.ru_utime +
                                              after.ru_stime - before.ru_stime))
    return wall
def peak_kb(cmd):
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, check=True)
    for line in r.stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.split()[-1])
    return 0
for ws in ("plain", "shop"):
    cmds = runs(ws)
    for c, _ in cmds.values():
        once(c)  # page cache warm for both
    times = {k: [] for k in cmds}
    cpu.clear()
    for _ in range(n):  # interleaved: the machine's load falls on both alike
        for k, (c, _) in cmds.items():
            times[k].append(once(c))
    med = {k: statistics.median(v) for k, v in times.items()}
    mcpu = {k: statistics.median(cpu[cmds[k][0][0]]) for k in cmds}
    for k, v in times.items():
        v.sort()
        print(f"{ws:5} {k:8} median {med[k]:6.2f} ms  p90 {v[int(len(v) * 0.9)]:6.2f} ms  "
              f"cpu {mcpu[k]:5.2f} ms  peak RSS {peak_kb(cmds[k][0]):6d} KB")
    for k in cmds:
        if k != "sqlite3":
            print(f"{ws:5} ratio {k} / sqlite3 (medians): wall {med[k] / med['sqlite3']:.2f}x, "
                  f"cpu {mcpu[k] / max(mcpu['sqlite3'], 0.01):.2f}x")
PY
