#!/usr/bin/env python3
"""Judge codeflash-discover where the reference's parso cache evicts trees Jedi still reads.

parso 0.8 holds parse trees in memory; at the insertion that finds 600 held it drops every tree
not used in the last 10 minutes (a fresh parse counts as used at its file's mtime). The reference
analyses every test file in one process, so its cache grows across files, and an eviction in the
middle of a file makes Jedi's `get_parso_cache_node` raise KeyError for the rest of that file:
the reference skips those names. Ours models that cache across files (src/jedi/eviction.rs) and
analyses such a file again from it. Measured first on networkx with matplotlib installed
(`drawing/tests/test_pylab.py`: 234 entries in every reference run, 486 in one file alone).

The project is generated (700 one-function modules are not a fixture to commit), every file
stamped with one old mtime (so no tree counts as recently used by its mtime, whenever this runs):
- tests/test_first.py calls 350 modules' functions: about 360 trees, no eviction;
- tests/test_second.py calls 350 others: alone it would not evict either, but after test_first
  the cache reaches 600 part-way through, and the reference loses the rest of the file;
- tests/test_third.py calls 20 of test_first's modules again (evicted by then: parsed again, no
  eviction): its whole answer.
A second case, `spared`, is the same project with test_second.py, its 350 modules and
pkg/__init__.py left with a fresh mtime (as after a checkout or an install minutes before the run):
the cache still reaches 600 inside test_second.py, but an eviction there drops only old trees it
never reads, so the reference keeps the whole file (ours: its answer from the warm set, no second
analysis; src/jedi/eviction.rs, `spares_what_it_reads`). A file `recent.txt` names the fresh files,
so the reference cache (keyed by content, not mtimes) keeps the two cases apart.
Judged against --runs unpatched reference runs (judge.py; reference runs cached) with no functions
(every file through Jedi). Usage: python scripts/parity/eviction_gate.py [--runs K] (--help).
Stdlib only.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: import the parity package from scripts/
    sys.path[0] = str(Path(__file__).resolve().parents[1])
from parity.common import add_run_args, forward_args, judge_command, read_json, scratch, verdict

MODULES = 700
OLD = 1_600_000_000  # 2020-09-13: an mtime no run is within 10 minutes of
FILES = {"test_first": range(0, 350), "test_second": range(350, 700), "test_third": range(0, 20)}


def generate(root, spared=False):
    """The project under `root` (project root; module root pkg, tests root tests); with `spared`,
    test_second.py, its modules and pkg/__init__.py keep the mtime of their writing."""
    (root / "pkg").mkdir()
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text('[tool.codeflash]\nmodule-root = "pkg"\ntests-root = "tests"\n')
    (root / "pkg" / "__init__.py").write_text("")
    for i in range(MODULES):
        (root / "pkg" / f"m{i:03}.py").write_text(f"def f{i:03}():\n    return {i}\n")
    for name, modules in FILES.items():
        lines = [f"from pkg.m{i:03} import f{i:03}" for i in modules]
        lines += ["", "", f"def test_calls_{name[5:]}():"]
        lines += [f"    assert f{i:03}() == {i}" for i in modules]
        (root / "tests" / f"{name}.py").write_text("\n".join(lines) + "\n")
    fresh = set()
    if spared:
        fresh = {"tests/test_second.py", "pkg/__init__.py", *(f"pkg/m{i:03}.py" for i in FILES["test_second"])}
        (root / "recent.txt").write_text("".join(f"{name}\n" for name in sorted(fresh)))
    for directory, _, files in os.walk(root):
        for name in files:
            if os.path.relpath(os.path.join(directory, name), root) not in fresh:
                os.utime(os.path.join(directory, name), (OLD, OLD))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_args(p)
    p.add_argument("--keep", help="keep every run's JSON under this directory")
    args = p.parse_args()
    worst = 0
    for case, spared in (("all_tests", False), ("spared", True)):
        with scratch("cfd_eviction_") as tmp:
            proj = tmp / "proj"
            proj.mkdir()
            generate(proj, spared=spared)
            summary_file = tmp / "summary.json"
            cmd = judge_command("--project-root", str(proj), "--tests-root", str(proj / "tests"),
                                "--test-framework", "pytest", "--name", "parso_eviction", "--case", case,
                                *forward_args(args), "--json-summary", str(summary_file))
            if args.keep:
                cmd += ["--keep", os.path.join(args.keep, case)]
            rc = subprocess.call(cmd)
            s = read_json(summary_file) if summary_file.exists() else {}
            print(f"eviction_gate: {case}: {verdict(rc)}: ours {s.get('violations', '-')} violations, "
                  f"tolerance {s.get('tolerance', '-')}; runs agree on {s.get('agree', '-')} entries, "
                  f"union {s.get('union', '-')}; ours {s.get('entries', '-')} entries, tests {s.get('tests', '-')}")
            worst = max(worst, rc)
    return worst


if __name__ == "__main__":
    sys.exit(main())
