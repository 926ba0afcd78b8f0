#!/usr/bin/env python3
"""Reference vs ours on one project, in one run: alternating runs, median of N, ratios, peak RSS.

usage: scripts/bench/side_by_side.py --project-root P --tests-root T [--functions-file F]
           [--runs 3] [--jobs 1,2] [--modes cold,warm,cached] [--ours-caches cold,kept]
           [--label NAME] [--markdown FILE] [--json FILE]

Reference modes (codeflash 0.20.6 `discover_unit_tests`, scripts/bench/reference_modes.py):
- cold:   a fresh HOME every run, `use_cache=False` (what the parity gate runs);
- warm:   one HOME kept across runs (parso's pickle cache warm), `use_cache=False`;
- cached: one HOME kept across runs, `use_cache=True` (codeflash's default: its sqlite cache of
          Jedi answers per test file); the HOME is primed by one untimed run for warm and cached.
Ours: `-j N` for each N, with each of our cache states (README, "Cache"):
- cold cache: a fresh HOME every run (every store empty: the first run on a machine);
- kept cache: one HOME kept across runs, primed by one untimed run (a user's repeat run where
              nothing changed, as the reference's warm and cached modes are: kept collection and
              answers are served);
- refresh:    the kept HOME with `--refresh`: parse trees reused, collection and every answer
              recomputed (a run that must do the work: what the speed issue measures).
Each round runs every variant once, in order, so
machine noise spreads over all of them; the table gives each variant's median wall seconds (whole
process: interpreter start, imports, collection, filter, Jedi), its peak RSS and peak PSS (each
summed over the whole process tree, sampled every 50 ms, PSS every 500 ms: the RSS sum counts a page that forked
workers share with their warm parent once per process, the PSS sum once), and the ratio of each reference mode's median to ours.
The answers are judged by the parity gates, not here; the table shows the entry counts.
Stdlib only; Linux (/proc).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[0] = str(HERE.parent)  # scripts/, for the parity package
from parity.common import add_binary_arg, default_ref_python  # noqa: E402

sys.path.insert(0, str(HERE))
from jedi_stage import PeakSampler  # noqa: E402


def timed(cmd, cwd, env):
    """(wall seconds, (peak tree RSS, peak tree PSS) in MiB, stdout) of one command."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    with PeakSampler(proc.pid) as peak:
        out = proc.communicate()[0]
        wall = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"side_by_side: {cmd[:3]}... exit code {proc.returncode}")
    return wall, (peak.tree / 2**20, peak.pss / 2**20), out


def home_env(home):
    env = dict(os.environ, HOME=str(home), XDG_CACHE_HOME=str(Path(home) / ".cache"))
    for var in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(var, None)
    return env


def reference_cmd(args, use_cache):
    cmd = [args.ref_python, "-P", str(HERE / "reference_modes.py"), "--project-root", args.project_root,
           "--tests-root", args.tests_root]
    if args.functions_file:
        cmd += ["--functions-file", args.functions_file]
    return cmd + (["--use-cache"] if use_cache else [])


def ours_cmd(args, jobs, out, refresh=False):
    cmd = [args.binary, "--python", args.python, "--project-root", args.project_root, "--tests-root",
           args.tests_root, "--quiet", "-o", out, "-j", str(jobs)] + (["--refresh"] if refresh else [])
    return cmd + (["--functions-file", args.functions_file] if args.functions_file else [])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--project-root", required=True)
    p.add_argument("--tests-root", required=True)
    p.add_argument("--functions-file")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--jobs", default="1,2")
    p.add_argument("--modes", default="cold,warm,cached")
    p.add_argument("--ours-caches", default="cold,refresh,kept", help="our cache states: cold, refresh, kept")
    p.add_argument("--label", help="the project's name in the table (default: the project root's name)")
    p.add_argument("--markdown", help="append the table to this file")
    p.add_argument("--json", help="append the medians as one JSON line to this file (scripts/bench/plot.py)")
    p.add_argument("--ref-python", default=default_ref_python())
    p.add_argument("--python", help="the interpreter ours runs (default: --ref-python)")
    add_binary_arg(p)
    args = p.parse_args()
    args.python = args.python or args.ref_python
    args.project_root, args.tests_root = os.path.abspath(args.project_root), os.path.abspath(args.tests_root)
    label = args.label or Path(args.project_root).name
    modes = [m for m in args.modes.split(",") if m]
    jobs = [int(j) for j in args.jobs.split(",") if j]
    caches = [c for c in args.ours_caches.split(",") if c]
    ours_variants = [(n, c) for c in caches for n in jobs]
    results = {}

    with tempfile.TemporaryDirectory(prefix="cfd_bench_") as tmp:
        tmp = Path(tmp)
        kept = {}
        for mode in ("warm", "cached"):
            if mode in modes:  # one HOME for the whole benchmark, primed by an untimed run
                kept[mode] = tmp / f"home-{mode}"
                kept[mode].mkdir()
                timed(reference_cmd(args, mode == "cached"), args.project_root, home_env(kept[mode]))
        if "kept" in caches or "refresh" in caches:
            kept["ours"] = tmp / "home-ours"
            kept["ours"].mkdir()
            timed(ours_cmd(args, jobs[0], str(tmp / "prime.json")), args.project_root, home_env(kept["ours"]))
        for round_no in range(args.runs):
            for mode in modes:
                home = kept.get(mode) or Path(tempfile.mkdtemp(dir=tmp))
                wall, rss, out = timed(reference_cmd(args, mode == "cached"), args.project_root, home_env(home))
                answer = json.loads(out.decode().strip().splitlines()[-1])
                results.setdefault(f"reference {mode}", []).append((wall, rss, answer["entries"]))
            for n, cache in ours_variants:
                out = tmp / f"ours-{n}.json"
                home = kept["ours"] if cache in ("kept", "refresh") else Path(tempfile.mkdtemp(dir=tmp))
                wall, rss, _ = timed(ours_cmd(args, n, str(out), cache == "refresh"), args.project_root, home_env(home))
                entries = sum(len(v) for v in json.loads(out.read_text())["function_to_tests"].values())
                results.setdefault(f"ours -j {n}, {cache} cache", []).append((wall, rss, entries))
            print(f"side_by_side: round {round_no + 1} of {args.runs} done", file=sys.stderr, flush=True)

    machine = f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()} (orchestrating)"
    lines = [f"### {label}: {args.runs} rounds, median wall seconds ({machine})", "",
             "| variant | median s | runs (s) | peak tree RSS MiB | peak tree PSS MiB | entries |", "|---|---|---|---|---|---|"]
    medians = {}
    for variant, rows in results.items():
        medians[variant] = statistics.median(r[0] for r in rows)
        runs = ", ".join(f"{r[0]:.1f}" for r in rows)
        lines.append(f"| {variant} | {medians[variant]:.2f} | {runs} | {max(r[1][0] for r in rows):.0f} | "
                     f"{max(r[1][1] for r in rows):.0f} | "
                     f"{sorted({r[2] for r in rows})} |")
    lines += ["", "| ours (ratio: reference median / ours) | " + " | ".join(f"vs reference {m}" for m in modes) + " |",
              "|---|" + "---|" * len(modes)]
    for n, cache in ours_variants:
        ours = medians[f"ours -j {n}, {cache} cache"]
        lines.append(f"| -j {n}, {cache} cache | " + " | ".join(f"{medians[f'reference {m}'] / ours:.2f}x" for m in modes) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as f:
            f.write(text + "\n")
    if args.json:
        with open(args.json, "a", encoding="utf-8") as f:
            f.write(json.dumps({"label": label, "machine": machine, "runs": args.runs, "medians": medians,
                                "peak_rss_mib": {v: max(r[1][0] for r in rows) for v, rows in results.items()},
                                "peak_pss_mib": {v: max(r[1][1] for r in rows) for v, rows in results.items()}}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
