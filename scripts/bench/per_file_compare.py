#!/usr/bin/env python3
"""Where ours and the reference differ, file by file: a summary of two timing records.

usage: scripts/bench/per_file_compare.py REFERENCE.tsv OURS.log [--top N]

REFERENCE.tsv comes from scripts/bench/reference_per_file.py (`seconds<TAB>path`, its first line
the collection and the filter). OURS.log is our stderr with `CODEFLASH_DISCOVER_LOG=codeflash_discover=debug`:
each `done: PATH seconds=S` line is one file's time in its worker; a file analysed again from the
reference's parso cache has two (both are counted for that file; the `analysed again` line repeats
the second and is not). Run ours with `-j 1` for per-file times that two workers do not inflate.

Prints the sums over the files both name, the median difference per file, how small files
(reference under 0.5 s) and the rest compare, and the files with the largest differences.
Timings only: answers are compared by the parity gate, not here.
"""

import argparse
import re
import statistics
from collections import defaultdict

ANSI = re.compile(r"\x1b\[[0-9;]*m")
OURS_LINE = re.compile(r"\bdone: (\S+)\s+seconds=([0-9.]+)")


def reference_times(path):
    """{test file: seconds} from reference_per_file.py's TSV (its first line is not a file)."""
    times = defaultdict(float)
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines[1:]:
        seconds, test_file = line.split("\t", 1)
        times[test_file] += float(seconds)
    return times


def our_times(path):
    """{test file: seconds} from our debug log (a file analysed twice counts both runs)."""
    times = defaultdict(float)
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            found = OURS_LINE.search(ANSI.sub("", line))
            if found:
                times[found.group(1)] += float(found.group(2))
    return times


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("reference_tsv")
    p.add_argument("ours_log")
    p.add_argument("--top", type=int, default=10)
    args = p.parse_args()
    reference, ours = reference_times(args.reference_tsv), our_times(args.ours_log)
    both = sorted(set(reference) & set(ours))
    if not both:
        raise SystemExit("no test file is named in both records")
    rows = [(ours[f] - reference[f], reference[f], ours[f], f) for f in both]
    print(f"files in both: {len(both)} (reference only: {len(set(reference) - set(ours))}, ours only: {len(set(ours) - set(reference))})")
    print(f"sum of per-file seconds: reference {sum(r[1] for r in rows):.1f}, ours {sum(r[2] for r in rows):.1f}")
    print(f"median difference per file (ours - reference): {statistics.median(r[0] for r in rows) * 1000:+.0f} ms")
    for label, part in (("reference < 0.5 s", [r for r in rows if r[1] < 0.5]), ("reference >= 0.5 s", [r for r in rows if r[1] >= 0.5])):
        if part:
            print(f"{label}: {len(part)} files, reference {sum(r[1] for r in part):.1f} s, ours {sum(r[2] for r in part):.1f} s")
    rows.sort()
    print("ours faster (seconds: difference, reference, ours):")
    for difference, ref_s, our_s, test_file in rows[: args.top]:
        print(f"  {difference:+8.2f} {ref_s:7.2f} {our_s:7.2f}  {test_file}")
    print("ours slower:")
    for difference, ref_s, our_s, test_file in reversed(rows[-args.top:]):
        print(f"  {difference:+8.2f} {ref_s:7.2f} {our_s:7.2f}  {test_file}")


if __name__ == "__main__":
    main()
