#!/usr/bin/env python3
"""Judge codeflash-discover against the reference on networkx (the copy installed in the ref venv).

Copies the installed networkx package into <tmp>/proj/networkx (project root <tmp>/proj, tests
root <tmp>/proj/networkx, a pyproject.toml with [tool.codeflash]) and runs
the judge, judge.py (K unpatched reference runs, --runs, default 3; the envelope and
leave-one-out tolerance described there; reference runs cached) for:
  weighted: the functions of networkx/algorithms/shortest_paths/weighted.py (top-level
            functions and methods of top-level classes: common.functions_of);
  all:      no functions (every test file goes through Jedi: ~3 minutes per reference run
            on a 2-core machine, so about 10 minutes with 3 runs and an empty cache).
Prints each case's verdict, then our violations and the tolerance per case and a final line.
Exit status 1 if any case fails, 2 if a run failed.
Usage: python scripts/parity/networkx_gate.py [--cases weighted,all] (--help). Stdlib only.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: import the parity package from scripts/
    sys.path[0] = str(Path(__file__).resolve().parents[1])
from parity.common import add_run_args, copy_project, forward_args, functions_of, judge_command, read_json, scratch, verdict

WEIGHTED = "networkx/algorithms/shortest_paths/weighted.py"


def installed_networkx(ref_python):
    """Folder of the networkx package the ref python imports."""
    out = subprocess.check_output([ref_python, "-c", "import networkx, os; print(os.path.dirname(networkx.__file__))"],
                                  text=True)
    return Path(out.strip())


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", default="weighted,all", help="comma-separated: weighted, all")
    add_run_args(p)
    p.add_argument("--keep", help="keep every run's JSON under this directory")
    args = p.parse_args()

    with scratch("cfd_networkx_") as tmp:
        proj = tmp / "proj"
        proj.mkdir()
        copy_project(installed_networkx(args.ref_python), proj / "networkx")
        (proj / "pyproject.toml").write_text(
            '[tool.codeflash]\nmodule-root = "networkx"\ntests-root = "networkx"\ntest-framework = "pytest"\n')
        functions = functions_of(proj / WEIGHTED)
        # its text is part of the reference cache key (judge.py): keep the format
        (tmp / "weighted_functions.json").write_text(json.dumps(
            [{"file": str(proj / WEIGHTED), "qualified_name": q} for q in functions], indent=1))

        worst = 0
        results = []
        for case in [c.strip() for c in args.cases.split(",") if c.strip()]:
            if case not in ("weighted", "all"):
                sys.exit(f"networkx_gate: unknown case {case!r}")
            summary_file = tmp / f"summary_{case}.json"
            cmd = judge_command("--project-root", str(proj), "--tests-root", str(proj / "networkx"),
                                "--test-framework", "pytest", "--name", "networkx", "--case", case,
                                *forward_args(args), "--json-summary", str(summary_file))
            if case == "weighted":
                print(f"networkx_gate: weighted: {len(functions)} functions of {WEIGHTED}", flush=True)
                cmd += ["--functions-file", str(tmp / "weighted_functions.json")]
            if args.keep:
                cmd += ["--keep", str(Path(args.keep) / case)]
            rc = subprocess.call(cmd)
            worst = max(worst, rc)
            results.append((case, rc, read_json(summary_file) if summary_file.exists() else {}))
        for case, rc, s in results:
            print(f"networkx_gate: {case}: {verdict(rc)}: ours {s.get('violations', '-')} violations, tolerance "
                  f"{s.get('tolerance', '-')} (leave-one-out {s.get('leave_one_out', '-')}); runs agree on "
                  f"{s.get('agree', '-')} entries, union {s.get('union', '-')}; ours {s.get('entries', '-')} entries, "
                  f"tests {s.get('tests', '-')}, ambiguous {s.get('ambiguous', '-')}")
        passed = sum(1 for _, rc, _ in results if rc == 0)
        print(f"networkx_gate: {passed} of {len(results)} cases pass against {args.runs} unpatched reference runs")
        return worst

if __name__ == "__main__":
    sys.exit(main())
