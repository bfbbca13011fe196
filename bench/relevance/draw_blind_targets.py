#!/usr/bin/env python3
"""Draws the targets of the blind relevance set (bench/relevance/blind_queries.tsv).

125 datasets of the 2022 data.go.kr list: 5 per category (16 categories) and the rest at random,
shuffled, each given one of five query styles in turn. The writer of the queries saw only this
output (bench/relevance/BLIND.md). Usage: draw_blind_targets.py LIST.csv [SEED COUNT] > targets.tsv
(another seed draws another set: the development set bench/relevance/dev_queries.tsv used
seed 18 and count 100).
"""
import collections
import csv
import random
import sys

STYLES = ["paraphrase", "particles", "partial", "english", "typo"]


def main(path, seed=20261206, count=125):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    rng = random.Random(seed)
    by_category = collections.defaultdict(list)
    for r in rows:
        by_category[r["분류체계"].split(" - ")[0].strip()].append(r)
    picked = []
    for c in sorted(by_category):
        picked += rng.sample(by_category[c], min(5, len(by_category[c])))
    rest = [r for r in rows if r not in picked]
    picked += rng.sample(rest, count - len(picked))
    rng.shuffle(picked)
    out = sys.stdout
    out.write("n\tstyle\t목록키\t목록명\t기관명\t분류체계\t목록설명\n")
    for i, r in enumerate(picked):
        desc = " ".join(r["목록설명"].split())[:400]
        out.write(f"{i + 1}\t{STYLES[i % 5]}\t{r['목록키']}\t{r['목록명']}\t{r['기관명']}\t"
                  f"{r['분류체계']}\t{desc}\n")


if __name__ == "__main__":
    if len(sys.argv) == 4:
        main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    else:
        main(sys.argv[1])
