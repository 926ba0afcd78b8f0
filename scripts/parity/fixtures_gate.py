#!/usr/bin/env python3
"""Run the judge (judge.py) over every fixture and every case of fixtures/*/compare_cases.json.

Each case runs on its own fresh copy of the fixture in a temporary directory (the reference
rewrites pytest config files while collecting and imports test modules, which writes
__pycache__; copies keep the repository clean and let cases run in parallel), up to --parallel
(default 2) at a time. Each case is judged against --runs (default 3) unpatched reference runs
(cached, see judge.py). Prints each case's output, then a table with our
violations and the tolerance (the reference's leave-one-out spread) per case, and a final line.
Each case's committed snapshot (tests/snapshots/<fixture>__<case>.snap, written by
tests/fixture_snapshots.rs) is judged as a second answer, the same way (judge.py --snapshot): the
answers `cargo test` checks are answers the reference gives. A case without one fails.
Exit status 1 on any failing case.

Per fixture: pyproject.toml's [tool.codeflash] gives module-root and tests-root (its
test-framework is not used: codeflash 0.20.6 discovers with pytest whatever it says). Project
root as codeflash derives it: the module root if pyproject.toml sits in it, else the module
root's parent (src layout: src/). A case (fixtures/README.md) is {"name", "functions":
["path/from/fixture.py::Qual", ...], "test_framework"?: "pytest"|"unittest" (to both sides;
default pytest), "only_tests"?: [paths from the fixture], "tests_root"?: path from the fixture,
"from_config"?: true (no root flags: ours runs in the fixture copy with no --project-root/
--tests-root, the reference is reference_runner.py --from-config <copy>), "runtime_copies"?:
[[from, to], ...] (copied inside the fixture copy before any run; `to` goes through
os.fsencode, so "\udcff" in the JSON is the byte 0xff: names git cannot carry),
"expect_reference_error"?: exception type, "ours"?: what our binary must do when the reference
raises (required with expect_reference_error): {"exit_code", "errors": [{"file",
"message_contains"}], "files_with_entries": [...], "judge_only_tests": [...]}, file paths from
the fixture; see judge.py}. Cases are read and checked by common.load_cases.

On another CPython (--ref-python .venvs/py3.X/bin/python, made by scripts/setup) both sides run
on that interpreter; pass --no-snapshots there (the snapshots are answers on .venv's 3.11).

Usage: python scripts/parity/fixtures_gate.py [FIXTURE ...] [--case NAME] [--parallel N] (--help).
Stdlib only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a file: import the parity package from scripts/
    sys.path[0] = str(Path(__file__).resolve().parents[1])
from parity.common import FIXTURES, REPO, add_run_args, copy_project, fixture_names, forward_args, judge_command, \
    load_cases, read_json, scratch

SNAPSHOTS = REPO / "tests" / "snapshots"


def apply_runtime_copies(root, copies):
    """Copy each [from, to] inside the fixture copy `root`; `to` through os.fsencode (any bytes)."""
    broot = os.fsencode(root)
    for src, dst in copies:
        source = os.path.join(broot, os.fsencode(src))
        target = os.path.join(broot, os.fsencode(dst))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.isdir(source):
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def absolute_expectation(ours, root):
    """The case's "ours" expectation with its paths (relative to the fixture) made absolute."""
    out = dict(ours)
    if "errors" in out:
        out["errors"] = [dict(e, file=str(root / e["file"])) for e in out["errors"]]
    for field in ("files_with_entries", "judge_only_tests"):
        if field in out:
            out[field] = [str(root / f) for f in out[field]]
    return out


def run_case(fixture, cfg, project_rel, case, args):
    """Copy the fixture, run the judge on the copy; return (summary dict, output)."""
    # The committed snapshot of this case (tests/fixture_snapshots.rs) is judged too: the
    # snapshots cargo test checks must be answers the reference gives.
    snapshot = SNAPSHOTS / f"{fixture.name}__{case['name']}.snap"
    if args.no_snapshots:
        snapshot = None
    elif not snapshot.exists():
        return ({"status": "FAIL", "rc": 1, "fixture": fixture.name, "case": case["name"]},
                f"fixtures_gate: {fixture.name} [{case['name']}]: no snapshot {snapshot.relative_to(REPO)} "
                f"(INSTA_UPDATE=always cargo test --release --test fixture_snapshots, then review it)\n")
    with scratch(f"cfd_fx_{fixture.name}_") as tmp:
        root = tmp / fixture.name
        copy_project(fixture, root, "compare_cases.json")
        apply_runtime_copies(root, case.get("runtime_copies", []))
        if case.get("from_config"):  # as a codeflash user runs it: from the fixture, no root flags
            cmd = judge_command("--from-config", str(root))
        else:
            cmd = judge_command("--project-root", str(root / project_rel),
                                "--tests-root", str(root / case.get("tests_root", cfg["tests-root"])))
        # not the config's test-framework: codeflash 0.20.6 uses pytest whatever it says
        cmd += ["--test-framework", case.get("test_framework", "pytest"), *forward_args(args),
                "--name", fixture.name, "--case", case["name"], "--json-summary", str(tmp / "summary.json")]
        for spec in case.get("functions", []):
            cmd += ["--function", str(root / spec)]
        for t in case.get("only_tests", []):
            cmd += ["--only-tests", str(root / t)]
        if case.get("expect_reference_error"):
            cmd += ["--expect-reference-error", case["expect_reference_error"],
                    "--ours-expect", json.dumps(absolute_expectation(case["ours"], root))]
        if args.logs:
            cmd += ["--keep", str(Path(args.logs) / f"{fixture.name}__{case['name']}")]
        if snapshot is not None:
            cmd += ["--snapshot", str(snapshot), "--snapshot-root", str(root)]
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
        summary = {"status": "error"}
        if (tmp / "summary.json").exists():
            summary = read_json(tmp / "summary.json")
        summary.update(rc=proc.returncode, fixture=fixture.name, case=case["name"],
                       wall_s=round(time.perf_counter() - start, 1))
        return summary, proc.stdout


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("fixtures", nargs="*", help="fixture names (default: all under fixtures/)")
    p.add_argument("--case", action="append", default=[], help="only these case names")
    p.add_argument("--parallel", type=int, default=2)
    add_run_args(p)
    p.add_argument("--logs", help="keep every run's JSON under this directory")
    p.add_argument("--skip-case", action="append", default=[], metavar="FIXTURE:CASE",
                   help="leave this case out, saying so (judged apart, or an open difference the README lists)")
    p.add_argument("--no-snapshots", action="store_true",
                   help="do not judge the committed snapshots (they are answers on .venv's CPython 3.11: "
                        "for the gates on other versions)")
    args = p.parse_args()

    jobs = []
    for name in args.fixtures or fixture_names():
        cfg, project_rel, cases = load_cases(FIXTURES / name)
        for c in cases:
            if args.case and c["name"] not in args.case:
                continue
            if f"{name}:{c['name']}" in args.skip_case:
                print(f"fixtures_gate: {name} [{c['name']}]: NOT JUDGED in this run (--skip-case; scripts/test_all "
                      f"says why: judged apart with more runs, or an open difference the README lists)", flush=True)
                continue
            jobs.append((FIXTURES / name, cfg, project_rel, c))

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.parallel)) as pool:
        futures = [pool.submit(run_case, *job, args) for job in jobs]
        results = []
        for fut in futures:  # print in submission order
            summary, output = fut.result()
            print(output, end="" if output.endswith("\n") else "\n", flush=True)
            results.append(summary)

    # summary table
    print(f"\n{'fixture':<20} {'case':<38} {'status':<6} {'viol':>4} {'tol':>4} {'runs':>4} {'agree':>5} {'union':>5} "
          f"{'tests':>5} {'amb':>3} {'ref s':>6} {'ours s':>6}")
    bad = 0
    for s in results:
        ok = s["rc"] == 0
        bad += not ok
        status = s.get("status", "error") if ok or s.get("status") == "FAIL" else "FAILED"
        print(f"{s['fixture']:<20} {s['case']:<38} {status[:6]:<6} {s.get('violations', '-'):>4} "
              f"{s.get('tolerance', '-'):>4} {s.get('runs', '-'):>4} {s.get('agree', '-'):>5} {s.get('union', '-'):>5} "
              f"{s.get('tests', '-'):>5} {s.get('ambiguous', '-'):>3} {s.get('ref_wall_s', '-'):>6} "
              f"{s.get('ours_wall_s', '-'):>6}")
    version = subprocess.run([args.ref_python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                             capture_output=True, text=True).stdout.strip()
    escalated = sum(1 for s in results if s.get("escalated"))
    print(f"fixtures_gate: Python {version}: {len(results) - bad} of {len(results)} cases pass (ours within the envelope of "
          f"{args.runs} unpatched reference runs{f', more in {escalated} (escalation)' if escalated else ''}, "
          f"violations <= their leave-one-out spread; "
          f"{time.perf_counter() - start:.0f} s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
