"""Where a run's peak memory sits: each process of the tree at the moment its PSS sum peaked.

Usage: python scripts/bench/peak_by_process.py [--every SECONDS] -- COMMAND [ARG ...]

Runs COMMAND (its output discarded), samples its whole process tree every SECONDS (0.2 by
default; the tree walk and the /proc/PID/smaps_rollup reader are jedi_stage.py's), and prints, for the sample with the largest PSS sum, one line
per process: PSS (shared pages split among the processes that map them), private memory (pages no
other process maps) and RSS, in MiB, largest PSS first. `side_by_side.py` reports the peak sums;
this says which process holds what (README, "Benchmarks": the `-j 1` breakdown). Linux only; a
sampler misses peaks shorter than its period.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from jedi_stage import process_tree, rollup  # noqa: E402

FIELDS = ("Pss", "Private_Clean", "Private_Dirty")
MIB = 1024 * 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=0.2, help="seconds between samples")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak, peak_at, peak_rows = -1, 0.0, []
    while child.poll() is None:
        rows = [(pid, cmd, rss, rollup(pid, FIELDS)) for pid, cmd, rss in process_tree(child.pid)]
        total = sum(m.get("Pss", 0) for *_, m in rows)
        if total > peak:
            peak, peak_at, peak_rows = total, time.monotonic() - started, rows
        time.sleep(args.every)
    print(f"peak PSS sum {peak / MIB:.0f} MiB at {peak_at:.1f} s of {time.monotonic() - started:.1f} s "
          f"(exit code {child.returncode})")
    print(f"{'PSS':>6} {'private':>8} {'RSS':>6}  MiB, process")
    for pid, cmd, rss, m in sorted(peak_rows, key=lambda row: -row[3].get("Pss", 0)):
        private = m.get("Private_Clean", 0) + m.get("Private_Dirty", 0)
        line = cmd.replace(b"\0", b" ").decode(errors="replace").strip()[:70]
        print(f"{m.get('Pss', 0) / MIB:6.0f} {private / MIB:8.0f} {rss / MIB:6.0f}  {pid} {line}")
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
