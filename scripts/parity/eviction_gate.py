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


def generate(root):
    """The project under `root` (project root; module root pkg, tests root tests)."""
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
    for directory, _, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(directory, name), (OLD, OLD))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_args(p)
    p.add_argument("--keep", help="keep every run's JSON under this directory")
    args = p.parse_args()
    with scratch("cfd_eviction_") as tmp:
        proj = tmp / "proj"
        proj.mkdir()
        generate(proj)
        summary_file = tmp / "summary.json"
        cmd = judge_command("--project-root", str(proj), "--tests-root", str(proj / "tests"),
                            "--test-framework", "pytest", "--name", "parso_eviction", "--case", "all_tests",
                            *forward_args(args), "--json-summary", str(summary_file))
        if args.keep:
            cmd += ["--keep", args.keep]
        rc = subprocess.call(cmd)
        s = read_json(summary_file) if summary_file.exists() else {}
        print(f"eviction_gate: {verdict(rc)}: ours {s.get('violations', '-')} violations, tolerance {s.get('tolerance', '-')}; "
              f"runs agree on {s.get('agree', '-')} entries, union {s.get('union', '-')}; ours {s.get('entries', '-')} entries, "
              f"tests {s.get('tests', '-')}")
        return rc


if __name__ == "__main__":
    sys.exit(main())
