#!/usr/bin/env python3
"""Recall lost to blocking: the truth pairs `kt dupes --compared` never compared.

usage: blocking_loss.py COMPARED.tsv IDMAP.tsv TRUTH.tsv
  COMPARED.tsv: `kt dupes ENTITY --compared` (record id <TAB> record id per line)
  IDMAP.tsv, TRUTH.tsv: as score_pairs.py
A pair never compared can never be found, so 1 - lost/truth is the recall no scoring can pass."""
import sys
from collections import defaultdict
from itertools import combinations


def main():
    compared = set()
    for line in open(sys.argv[1]):
        a, _, b = line.strip().partition("\t")
        if b:
            compared.add((min(int(a), int(b)), max(int(a), int(b))))
    idmap = dict(l.rstrip("\n").split("\t")[:2] for l in open(sys.argv[2]) if "\t" in l)
    truth = dict(l.rstrip("\n").split("\t")[:2] for l in open(sys.argv[3]) if "\t" in l)
    groups = defaultdict(list)
    for rid, key in idmap.items():
        if key in truth:
            groups[truth[key]].append(int(rid))
    total = lost = 0
    for g in groups.values():
        for a, b in combinations(sorted(g), 2):
            total += 1
            lost += (a, b) not in compared
    ceiling = 1 - lost / total if total else 1.0
    print(f"compared {len(compared)} blocking_lost {lost}/{total} recall_ceiling {ceiling:.4f}")


if __name__ == "__main__":
    main()
