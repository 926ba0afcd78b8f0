#!/usr/bin/env python3
"""Benchmark: codeflash 0.20.6's import filter vs `codeflash-discover filter`.

Files: every test_*.py under the installed networkx package. Targets: the
qualified names (as codeflash builds them: `func`, `Class.method`) of the
top-level functions and top-level class methods of
networkx/algorithms/shortest_paths/weighted.py.

Times, side by side in one run, the reference's `filter_test_files_by_imports`
(which calls `analyze_imports_in_test_file` on each file) in this process, and
one invocation of our binary over the same files (process start included);
checks both keep the same files; prints the times and the ratio. Median of
--repeat runs after one warm-up each.

    .venv/bin/python scripts/bench/filter.py [--binary PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # scripts/, for the parity package
from parity.common import add_binary_arg, functions_of


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_binary_arg(ap)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import networkx
    from codeflash.discovery.discover_unit_tests import filter_test_files_by_imports

    root = Path(networkx.__file__).parent
    files = sorted(root.rglob("test_*.py"))
    weighted = root / "algorithms" / "shortest_paths" / "weighted.py"
    targets = set(functions_of(weighted))

    cmd = [args.binary, "filter"]
    for t in sorted(targets):
        cmd += ["--target", t]
    cmd += ["--", *map(str, files)]

    def run_reference():
        kept = filter_test_files_by_imports({f: [] for f in files}, targets)
        return {str(f) for f in kept}

    def run_ours():
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        return {f for f, keep in json.loads(out).items() if keep}

    def timed(fn):
        fn()  # warm-up
        times, result = [], None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - t0)
        return statistics.median(times), result

    ref_time, ref_kept = timed(run_reference)
    our_time, our_kept = timed(run_ours)
    print(f"files: {len(files)} networkx test files; targets: {len(targets)} names from {weighted.name}")
    print(f"kept: reference {len(ref_kept)}, ours {len(our_kept)}, identical: {ref_kept == our_kept}")
    print(f"reference filter_test_files_by_imports: {ref_time * 1000:.1f} ms (median of {args.repeat})")
    print(f"codeflash-discover filter:              {our_time * 1000:.1f} ms (median of {args.repeat}, process start included)")
    print(f"speed-up: {ref_time / our_time:.1f}x")
    return 0 if ref_kept == our_kept else 1


if __name__ == "__main__":
    sys.exit(main())
