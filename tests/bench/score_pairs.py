#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of `kt dupes --json` clusters against a truth.

usage: score_pairs.py CLUSTERS.json IDMAP.tsv TRUTH.tsv [--errors N]
  IDMAP.tsv: record id <TAB> item key (e.g. external_id or FEBRL rec_id)
  TRUTH.tsv: item key <TAB> entity (items sharing an entity are one person)
Only records whose key is in the truth count (rows the truth rejects are left out)."""
import json
import sys
from collections import defaultdict
from itertools import combinations


def main():
    clusters = json.load(open(sys.argv[1]))
    idmap = dict(l.rstrip("\n").split("\t")[:2] for l in open(sys.argv[2]) if "\t" in l)
    truth = dict(l.rstrip("\n").split("\t")[:2] for l in open(sys.argv[3]) if "\t" in l)
    show = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--errors" else 0
    ent = {}
    for rid, key in idmap.items():
        if key in truth:
            ent[rid] = truth[key]
    groups = defaultdict(list)
    for rid, e in ent.items():
        groups[e].append(rid)
    true_pairs = sum(len(g) * (len(g) - 1) // 2 for g in groups.values())
    pred = tp = 0
    fps = []
    found = set()
    for c in clusters:
        ids = [i for i in c["ids"] if i in ent]
        for a, b in combinations(ids, 2):
            pred += 1
            if ent[a] == ent[b]:
                tp += 1
                found.add((min(a, b, key=int), max(a, b, key=int)))
            elif len(fps) < show:
                fps.append((a, b, c["score"]))
    p = tp / pred if pred else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"records {len(ent)} true_pairs {true_pairs} predicted {pred} tp {tp} "
          f"precision {p:.4f} recall {r:.4f} f1 {f1:.4f}")
    if show:
        for a, b, s in fps:
            print(f"FP {a} {b} {s}")
        missed = []
        for g in groups.values():
            for a, b in combinations(sorted(g, key=int), 2):
                if (a, b) not in found:
                    missed.append((a, b))
        for a, b in missed[:show]:
            print(f"FN {a} {b}")


if __name__ == "__main__":
    main()
