#!/usr/bin/env python3
"""Regenerate (or --check) the reference answers committed under tests/expected/.

tests/pool.rs compares our output with an answer that came from the reference, not only our modes
with each other. For each entry of EXPECTED: copy the fixture to a temporary folder, run the
unpatched reference (reference_runner.py, fresh HOME each) --runs times (default 3),
require every run to give the same answer (else refuse: exit 1, nothing written), replace the
copy's absolute root with "<ROOT>" and write the file (keys and entries sorted).

  --check   compare with the committed files instead of writing (exit 1 if one differs or is missing)

Usage: python scripts/parity/refresh_expected.py [--check] [--runs N] [--ref-python PY]
(interpreter for the runs: --ref-python, default $CFD_REF_PYTHON, else .venv/bin/python). Stdlib only.
"""

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: import the parity package from scripts/
    sys.path[0] = str(Path(__file__).resolve().parents[1])
from parity.common import FIXTURES, REPO, ROOT_MARK, RUNNER, copy_project, default_ref_python, json_escaped, \
    run_json, scratch

# (fixture, tests root from the fixture, runner arguments beyond the roots, committed file)
EXPECTED = [
    ("pytest_basics", "tests", [], "tests/expected/pytest_basics_all_tests.reference.json"),
]


def reference_answer(ref_python, fixture, tests_rel, extra, runs):
    """Returns (answer or None, message). The answer has paths masked with ROOT_MARK."""
    with scratch("cfd_expected_") as tmp:
        root = tmp / fixture
        copy_project(FIXTURES / fixture, root)
        answers = []
        for i in range(runs):
            out = tmp / f"run{i}.json"
            cmd = [ref_python, str(RUNNER), "--project-root", str(root), "--tests-root", str(root / tests_rel),
                   *extra, "-o", str(out)]
            data, _, rc, tail = run_json(f"run{i + 1}", cmd, out)  # the runner makes its own fresh HOME
            if rc != 0 or data is None:
                return None, f"reference run {i + 1} failed (rc={rc}):\n{tail}"
            data.pop("reference_wall_s", None)
            text = json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False)
            answers.append(json.loads(text.replace(json_escaped(root), ROOT_MARK)))
        if any(a != answers[0] for a in answers[1:]):
            return None, f"the {runs} reference runs disagree: refusing to write a reference answer"
        return answers[0], f"{runs} reference runs agree"


def render(answer, fixture, tests_rel, extra):
    answer = dict(answer)
    answer["_about"] = (f"codeflash 0.20.6 discover_unit_tests(use_cache=False), unpatched, on fixtures/{fixture} "
                        f"(tests root {tests_rel}{', ' + ' '.join(extra) if extra else ''}); "
                        f"{ROOT_MARK} = the project root. Regenerate with scripts/parity/refresh_expected.py.")
    return json.dumps(answer, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--ref-python", default=default_ref_python())
    a = p.parse_args()
    if a.runs < 2:
        p.error("--runs must be at least 2: one run cannot show that the reference is deterministic here")
    bad = 0
    for fixture, tests_rel, extra, target in EXPECTED:
        answer, msg = reference_answer(a.ref_python, fixture, tests_rel, extra, a.runs)
        if answer is None:
            print(f"refresh_expected: {target}: {msg}")
            bad += 1
            continue
        text = render(answer, fixture, tests_rel, extra)
        path = REPO / target
        if a.check:
            same = path.exists() and path.read_text(encoding="utf-8") == text
            print(f"refresh_expected: {target}: {msg}; {'up to date' if same else 'DIFFERS from the committed file'}")
            bad += not same
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"refresh_expected: {target}: {msg}; written")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
