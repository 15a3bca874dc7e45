#!/usr/bin/env python3
"""Writes N sale lines and their customers straight into a workspace's database (a fresh
pet-shop workspace made by `kt init --example pet-shop`), for the report benchmarks: C = N/40
customers (at least 1) whose revenue is skewed as real shops' is (a few buy most), over the 24
months 2023-01..2024-12, some buying every month, some now and then; 1 line in 100 archived.
The rollup is not touched: run `kt check --rebuild` afterwards (bench_rollup.sh does).

usage: gen_sales.py DB N [--seed S]"""
import argparse
import random
import sqlite3

p = argparse.ArgumentParser()
p.add_argument("db")
p.add_argument("n", type=int)
p.add_argument("--seed", type=int, default=7)
a = p.parse_args()
rnd = random.Random(a.seed)
db = sqlite3.connect(a.db)
db.execute("PRAGMA synchronous = OFF")
now = "2025-01-01T00:00:00Z"
customers = max(1, a.n // 40)
first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM kt_record").fetchone()[0]
db.execute("BEGIN")
db.executemany("INSERT INTO kt_record(id, entity, state, created_at, updated_at) "
               "VALUES (?, 'person', 'active', ?, ?)",
               ((first + i, now, now) for i in range(customers)))
db.executemany("INSERT INTO person(id, first_name, last_name, external_id, pets, expected_gifts) "
               "VALUES (?, 'Client', ?, ?, '[\"none\"]', '-')",
               ((first + i, "C%07d" % i, "C%07d" % i) for i in range(customers)))
# each customer: a weight (Pareto: a few big buyers) and a habit (steady or now and then)
weight = [rnd.paretovariate(1.2) for _ in range(customers)]
steady = [rnd.random() < 0.4 for _ in range(customers)]
total = sum(weight)
cum, acc = [], 0.0
for w in weight:
    acc += w
    cum.append(acc / total)


def pick():
    import bisect
    return min(bisect.bisect_left(cum, rnd.random()), customers - 1)


def lines():
    sid = first + customers
    for i in range(a.n):
        c = pick()
        if steady[c]:
            month = rnd.randrange(24)
            amount = int(weight[c] * 1000) + rnd.randrange(100)
        else:
            month = min(int(rnd.expovariate(0.25)), 23)
            amount = rnd.randrange(100, 50000)
        y, m = 2023 + month // 12, month % 12 + 1
        yield sid + i, first + c, "%04d-%02d-%02d" % (y, m, rnd.randrange(1, 29)), amount


batch = []
for sid, cust, date, amount in lines():
    batch.append((sid, cust, date, amount))
    if len(batch) == 100000:
        db.executemany("INSERT INTO kt_record(id, entity, state, created_at, updated_at) "
                       "VALUES (?, 'sale', ?, ?, ?)",
                       ((b[0], 'archived' if b[0] % 100 == 0 else 'active', now, now) for b in batch))
        db.executemany("INSERT INTO sale(id, customer, date, amount, product) "
                       "VALUES (?, ?, ?, ?, 'food')", batch)
        batch = []
if batch:
    db.executemany("INSERT INTO kt_record(id, entity, state, created_at, updated_at) "
                   "VALUES (?, 'sale', ?, ?, ?)",
                   ((b[0], 'archived' if b[0] % 100 == 0 else 'active', now, now) for b in batch))
    db.executemany("INSERT INTO sale(id, customer, date, amount, product) "
                   "VALUES (?, ?, ?, ?, 'food')", batch)
db.execute("UPDATE kt_rollup SET built = 0 WHERE name = 'sale_month'")
db.commit()
print("%d sale lines, %d customers" % (a.n, customers))
