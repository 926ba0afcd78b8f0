"""Where a run's peak memory sits: each process of the tree at the moment its PSS sum peaked.

Usage: python scripts/bench/peak_by_process.py [--every SECONDS] -- COMMAND [ARG ...]

Runs COMMAND (its output discarded), samples its whole process tree every SECONDS (0.2 by
default) from /proc/PID/smaps_rollup, and prints, for the sample with the largest PSS sum, one line
per process: PSS (shared pages split among the processes that map them), private memory (pages no
other process maps) and RSS, in MiB, largest PSS first. `side_by_side.py` reports the peak sums;
this says which process holds what (README, "Benchmarks": the `-j 1` breakdown). Linux only; a
sampler misses peaks shorter than its period.
"""

import argparse
import os
import subprocess
import sys
import time

FIELDS = ("Rss", "Pss", "Private_Clean", "Private_Dirty")


def children_by_parent():
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone, or not ours to read
        kids.setdefault(parent, []).append(int(name))
    return kids


def tree(pid, kids):
    out = [pid]
    for kid in kids.get(pid, []):
        out += tree(kid, kids)
    return out


def memory_kib(pid):
    found = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                key = line.split(":", 1)[0]
                if key in FIELDS:
                    found[key] = int(line.split()[1])
    except OSError:
        pass  # it ended between the listing and this read
    return found


def command_line(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()[:70]
    except OSError:
        return "?"


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
        rows = [(pid, memory_kib(pid)) for pid in tree(child.pid, children_by_parent())]
        total = sum(m.get("Pss", 0) for _, m in rows)
        if total > peak:
            peak, peak_at = total, time.monotonic() - started
            peak_rows = [(pid, m, command_line(pid)) for pid, m in rows]
        time.sleep(args.every)
    print(f"peak PSS sum {peak / 1024:.0f} MiB at {peak_at:.1f} s of {time.monotonic() - started:.1f} s "
          f"(exit code {child.returncode})")
    print(f"{'PSS':>6} {'private':>8} {'RSS':>6}  MiB, process")
    for pid, m, cmd in sorted(peak_rows, key=lambda row: -row[1].get("Pss", 0)):
        private = m.get("Private_Clean", 0) + m.get("Private_Dirty", 0)
        print(f"{m.get('Pss', 0) / 1024:6.0f} {private / 1024:8.0f} {m.get('Rss', 0) / 1024:6.0f}  {pid} {cmd}")
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
