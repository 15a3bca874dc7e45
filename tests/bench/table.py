"""Issue 22's table from the logs of one `make bench` run (tests/bench/run.sh): each row's
figure, its baseline measured in the same run, the ratio, the peak memory and the target. It
only reads what the benchmarks printed; a row whose log lacks its figures says so.
  python3 tests/bench/table.py LOGS_DIR PEOPLE SALE_LINES"""
import os
import re
import sys

logs, people, sales = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def log(name):
    path = os.path.join(logs, name + ".log")
    return open(path, encoding="utf-8", errors="replace").read() if os.path.exists(path) else ""


def grab(text, pattern, *groups):
    m = re.search(pattern, text, re.M)
    return tuple(float(m.group(g)) for g in groups) if m else None


def human(n):
    return f"{n // 1000000} M" if n % 1000000 == 0 else f"{n // 1000} k"


rows = []  # (measure, figure, baseline, ratio, peak, target)
c = log("campaign")
kt = grab(c, r"^kt campaign run birthday --dry-run\s+([\d.]+)\s+([\d.]+)", 1, 2)
scan = grab(c, r"^sqlite3 SELECT on month/day \(scan\)\s+([\d.]+)", 1)
rows.append((f"kt campaign run birthday --dry-run, {human(people)} people",
             kt and f"{kt[0]:.3f} s", scan and f"SELECT on month/day: {scan[0]:.3f} s",
             kt and scan and f"{kt[0] / scan[0]:.1f}x", kt and f"{kt[1]:.0f} MiB", "<= 0.5 s at 1 M"))
r = log("rollup")
rep = grab(r, r"^rollup\s+([\d.]+)\s+[\d.]+\s+([\d.]+)", 1, 2)
sql = grab(r, r"^one SQL\s+([\d.]+)", 1)
rows.append((f"kt report abcxyz, {human(sales)} sale lines", rep and f"{rep[0]:.3f} s",
             sql and f"one SQL statement: {sql[0]:.3f} s", rep and sql and f"{rep[0] / sql[0]:.1f}x",
             rep and f"{rep[1]:.0f} MiB", "<= 0.5 s at 1 M, <= 5 s at 10 M"))
i = log("import")
imp = grab(i, r"^kt import\s*:\s*([\d.]+) s wall.*peak (\d+) MB", 1, 2)
sq = grab(i, r"^sqlite3 import:\s*([\d.]+) s wall", 1)
rows.append((f"kt import {human(people)} persons, shipped script", imp and f"{imp[0]:.2f} s",
             sq and f"sqlite3 .import: {sq[0]:.2f} s", imp and sq and f"{imp[0] / sq[0]:.1f}x",
             imp and f"{imp[1]:.0f} MiB", "<= 10x at 200 k; <= 12x, <= 150 MiB at 1 M"))
f = log("find")
peak = grab(f, r"^peak RSS (\d+) KB", 1)
for part in ("last names", "short prefixes"):
    block = f.split(f"-- {part}", 1)[1] if f"-- {part}" in f else ""
    find = grab(block, r"^kt_find.*?p50\s+([\d.]+) ms\s+p99\s+([\d.]+) ms", 1, 2)
    fts = grab(block, r"^baseline: FTS5.*?p50\s+([\d.]+) ms\s+p99\s+([\d.]+) ms", 1, 2)
    rows.append((f"kt.find p50 / p99, {part}, {human(people)} people",
                 find and f"{find[0]:.2f} / {find[1]:.2f} ms",
                 fts and f"FTS5 ORDER BY rank LIMIT 50: {fts[0]:.2f} / {fts[1]:.2f} ms",
                 find and fts and f"{find[0] / fts[0]:.1f}x / {find[1] / fts[1]:.1f}x",
                 peak and f"{peak[0] / 1024:.0f} MiB", "<= 0.5 / 5 ms"))
s = log("start")
for ws in ("plain", "shop"):
    k = grab(s, rf"^{ws}\s+kt get\s+median\s+([\d.]+) ms.*cpu\s+([\d.]+) ms\s+peak RSS\s+(\d+)", 1, 2, 3)
    q = grab(s, rf"^{ws}\s+sqlite3\s+median\s+([\d.]+) ms.*cpu\s+([\d.]+) ms", 1, 2)
    rows.append((f"kt get cold start, {ws} workspace (wall; CPU)",
                 k and f"{k[0]:.1f} ms; {k[1]:.1f} ms", q and f"sqlite3 CLI: {q[0]:.1f} ms; {q[1]:.1f} ms",
                 k and q and f"{k[0] / q[0]:.1f}x; {k[1] / q[1]:.1f}x", k and f"{k[2] / 1024:.0f} MiB",
                 "<= 10 ms"))
d = log("dupes")
dup = grab(d, r"^kt dupes person: ([\d.]+) s wall.*peak RSS (\d+) KB", 1, 2)
rows.append((f"kt dupes person, {human(people)} people", dup and f"{dup[0]:.1f} s", "(none)", "",
             dup and f"{dup[1] / 1024:.0f} MiB", "<= 15 s, <= 400 MiB at 1 M"))

head = ("measure", "kt", "baseline, same run", "ratio", "peak", "target")
table = [head] + [tuple(x if x is not None else "(not in log)" for x in row) for row in rows]
width = [max(len(r[i]) for r in table) for i in range(len(head))]
for n, row in enumerate(table):
    print("| " + " | ".join(v.ljust(width[i]) for i, v in enumerate(row)) + " |")
    if n == 0:
        print("|" + "|".join("-" * (w + 2) for w in width) + "|")
