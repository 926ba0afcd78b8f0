#!/usr/bin/env python3
"""Plot side_by_side.py's JSON lines: one group of bars per project, median wall seconds of each
reference mode and each of our variants, the machine in the title.

usage: scripts/bench/plot.py RESULTS.jsonl OUT.png      (needs matplotlib: pip install matplotlib)
"""

import json
import sys
import textwrap


def main():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    variants = []
    for row in rows:
        variants += [v for v in row["medians"] if v not in variants]
    width = 0.8 / len(variants)
    fig, ax = plt.subplots(figsize=(max(6, 2.5 * len(rows)), 4.5))
    for k, variant in enumerate(variants):
        xs = [i + (k - (len(variants) - 1) / 2) * width for i in range(len(rows))]
        ys = [row["medians"].get(variant, float("nan")) for row in rows]  # NaN: not run there, no bar
        bars = ax.bar(xs, ys, width, label=variant, hatch="//" if variant.startswith("reference") else None)
        ax.bar_label(bars, labels=["" if y != y else f"{y:.1f}" for y in ys], fontsize=6)
    ax.set_xticks(range(len(rows)), [textwrap.fill(row["label"], 22) for row in rows], fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("median wall seconds, log scale (lower is better)")
    ax.set_title(f"codeflash 0.20.6 discover_unit_tests vs codeflash-discover\n{rows[0]['machine']}", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
