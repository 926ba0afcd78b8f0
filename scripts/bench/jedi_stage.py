#!/usr/bin/env python3
"""Benchmark the Jedi stage: --sequential vs -j N on one project, side by side.

Runs our binary with --stats for each mode, samples the summed RSS of the whole
process tree (orchestrator, workers, Jedi's own subprocesses) every 50 ms, and
prints the Jedi-stage wall seconds, total seconds, peak tree RSS, peak tree PSS and peak RSS
of a single worker. Also checks that every mode printed byte-identical JSON.

usage: scripts/bench/jedi_stage.py --project-root DIR [--tests-root DIR] [--modes sequential,1,2]
                                  [--functions-file F] [--python PY] [--binary BIN]
Stdlib only; Linux (/proc).
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # scripts/, for the parity package
from parity.common import add_binary_arg, default_ref_python


def is_worker(cmdline):
    argv = cmdline.split(b"\0")
    return os.path.basename(argv[0]) == b"codeflash-discover-worker" or (
        len(argv) > 2 and argv[1] == b"-c" and b"_cfd_jedi_worker" in argv[2])


PSS_EVERY = 10  # samples (of 50 ms): PSS is read twice a second, RSS twenty times


def rollup(pid, fields=("Pss",)):
    """{field: bytes} of /proc/PID/smaps_rollup for `fields` ({} where it cannot be read: the
    process ended). Pss is the proportional set size: each page shared by n processes counts 1/n,
    so a sum over a process tree counts shared pages once."""
    found = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                key = line.split(":", 1)[0]
                if key in fields:
                    found[key] = int(line.split()[1]) * 1024
    except OSError:
        pass
    return found


def pss(pid):
    """The process's proportional set size in bytes (`rollup`), 0 where it cannot be read."""
    return rollup(pid).get("Pss", 0)


def process_tree(root_pid):
    """[(pid, cmdline bytes, RSS bytes)] of `root_pid` and its descendants, from one walk of /proc."""
    children, rss, cmd = {}, {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd[int(entry)] = f.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    found, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        found.append((pid, cmd.get(pid, b""), rss.get(pid, 0)))
        stack.extend(children.get(pid, []))
    return found


def tree_rss(root_pid, with_pss=True):
    """(total RSS of root and its descendants, largest single 'worker' RSS, total PSS or 0 without
    `with_pss`), in bytes.

    The RSS sum counts a page shared by a forked child and its warm parent (copy-on-write) once
    per process; the PSS sum counts it once: the memory the tree really holds. Reading PSS walks
    every mapping of every process: samplers ask for it every PSS_EVERY-th sample only."""
    total, worker_max, proportional = 0, 0, 0
    for pid, cmdline, rss in process_tree(root_pid):
        total += rss
        proportional += pss(pid) if with_pss else 0
        # a worker: the embedded one (its own binary) or the subprocess one (python -c <worker_main.py>)
        if is_worker(cmdline):
            worker_max = max(worker_max, rss)
    return total, worker_max, proportional


class PeakSampler:
    """Peaks of `tree_rss` for a running process, sampled on a thread every 50 ms (PSS every
    PSS_EVERY-th sample) while the `with` block runs: `.tree`, `.worker`, `.pss`, in bytes."""

    def __init__(self, pid):
        self.pid, self.tree, self.worker, self.pss = pid, 0, 0, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample)

    def _sample(self):
        count = 0
        while not self._done.is_set():
            tree, worker, proportional = tree_rss(self.pid, count % PSS_EVERY == 0)
            count += 1
            self.tree, self.worker, self.pss = max(self.tree, tree), max(self.worker, worker), max(self.pss, proportional)
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()


def run_mode(args, mode, out_path):
    cmd = [args.binary, "--python", args.python, "--project-root", args.project_root, "--quiet", "--stats", "-o", out_path]
    if args.tests_root:
        cmd += ["--tests-root", args.tests_root]
    if args.functions_file:
        cmd += ["--functions-file", args.functions_file]
    cmd += ["--sequential"] if mode == "sequential" else ["-j", mode]
    proc = subprocess.Popen(cmd, cwd=args.project_root)
    with PeakSampler(proc.pid) as peak:
        started = time.monotonic()
        code = proc.wait()
        wall = time.monotonic() - started
    if code != 0:
        sys.exit(f"{mode}: exit code {code}")
    with open(out_path, "rb") as f:
        raw = f.read()
    result = json.loads(raw)
    stats = result.pop("stats")
    digest = hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest()[:12]
    return {"mode": mode, "wall": wall, "jedi": stats["jedi_seconds"], "workers": stats["workers"],
            "tree_mib": peak.tree / 2**20, "pss_mib": peak.pss / 2**20, "worker_mib": peak.worker / 2**20, "digest": digest,
            "files": stats["test_files_processed"]}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--project-root", required=True)
    p.add_argument("--tests-root")
    p.add_argument("--functions-file")
    p.add_argument("--modes", default="sequential,2")
    p.add_argument("--python", default=default_ref_python())
    add_binary_arg(p)
    args = p.parse_args()
    print(f"machine: {os.cpu_count()} cores; project {args.project_root}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in args.modes.split(","):
            rows.append(run_mode(args, mode, os.path.join(tmp, f"{mode}.json")))
            r = rows[-1]
            print(f"{r['mode']:>10}: jedi stage {r['jedi']:7.1f}s  total {r['wall']:7.1f}s  workers {r['workers']}  "
                  f"files {r['files']}  peak tree RSS {r['tree_mib']:7.0f} MiB  peak tree PSS {r['pss_mib']:7.0f} MiB  peak worker RSS {r['worker_mib']:6.0f} MiB  "
                  f"result {r['digest']}", flush=True)
    base = rows[0]
    for r in rows[1:]:
        print(f"{r['mode']:>10} vs {base['mode']}: jedi stage {base['jedi'] / r['jedi']:.2f}x")
    if len({r["digest"] for r in rows}) != 1:
        sys.exit("results differ between modes")
    print("all modes gave the same result")


if __name__ == "__main__":
    main()
