"""Check an installed wheel from inside the venv it went into: the console script, both Python
entry points, against the reference (codeflash 0.20.6's own `discover_unit_tests`, use_cache=False,
in this same process) on fixtures/pytest_basics with functions and --only-tests.

Run by scripts/test_all as `<fresh venv>/bin/python scripts/wheel_check.py` once the wheel is
installed there (codeflash importable in that venv). Prints one line; exit status 1 on a difference.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "pytest_basics"
FUNCTIONS = [("calc/core.py", "add"), ("calc/core.py", "Calculator.reset")]
ONLY_TESTS = ["tests/test_core.py", "tests/test_fixtures.py"]


def main():
    import codeflash_discover
    from codeflash.discovery.discover_unit_tests import discover_unit_tests as reference
    from codeflash.discovery.functions_to_optimize import FunctionToOptimize
    from codeflash.models.models import FunctionParent
    from codeflash.verification.verification_utils import TestConfig

    assert not os.environ.get(codeflash_discover.BINARY_ENV), "check the bundled binary, not an override"
    binary = codeflash_discover.binary_path()
    venv_bin = Path(sys.executable).parent
    os.chdir(FIXTURE)

    def config():
        cfg = TestConfig(tests_root=FIXTURE / "tests", project_root_path=FIXTURE, tests_project_rootdir=FIXTURE.parent)
        cfg.use_cache = False
        return cfg

    by_file = {}
    for file, qualified in FUNCTIONS:
        *parents, name = qualified.split(".")
        by_file.setdefault(FIXTURE / file, []).append(FunctionToOptimize(
            function_name=name, file_path=FIXTURE / file, parents=[FunctionParent(name=p, type="ClassDef") for p in parents]))
    only = [FIXTURE / t for t in ONLY_TESTS]
    functions = [fn for fns in by_file.values() for fn in fns]

    expected_cfg = config()
    expected = reference(expected_cfg, only, by_file)
    problems = []

    # 1. The console script on PATH (the wheel's entry point, exec'ing the bundled binary).
    help_run = subprocess.run([str(venv_bin / "codeflash-discover"), "--help"], capture_output=True, text=True)
    if help_run.returncode != 0 or "codeflash" not in help_run.stdout:
        problems.append(f"codeflash-discover --help: exit {help_run.returncode}: {help_run.stderr.strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        functions_file = Path(tmp) / "functions.json"
        functions_file.write_text(json.dumps([{"file": str(FIXTURE / f), "qualified_name": q} for f, q in FUNCTIONS]))
        output = Path(tmp) / "out.json"
        command = [str(venv_bin / "codeflash-discover"), "--python", sys.executable, "-q", "--stats", "-o", str(output),
                   "--functions-file", str(functions_file), *[a for t in ONLY_TESTS for a in ("--only-tests", t)]]
        cli = subprocess.run(command, capture_output=True, text=True)
        if cli.returncode != 0:
            problems.append(f"CLI: exit {cli.returncode}: {cli.stderr.strip()}")
        else:
            answer = json.loads(output.read_text())
            # The wheel's embedded worker serves the interpreter it was built for (this venv's base).
            if answer["stats"]["worker"] != "embedded":
                problems.append(f"CLI: ran the {answer['stats']['worker']} worker, not the wheel's embedded one")
            got = (codeflash_discover.to_codeflash_objects(answer), answer["num_discovered_tests"], answer["num_discovered_replay_tests"])
            if got != expected:
                problems.append("CLI: the answer differs from the reference's")

    # 2. ParallelTestDiscovery, with a progress callback.
    events = []
    cfg = config()
    got = codeflash_discover.ParallelTestDiscovery(progress_callback=events.append).discover_tests(cfg, only, functions)
    if got != expected:
        problems.append("ParallelTestDiscovery: the answer differs from the reference's")
    if cfg.tests_project_rootdir != expected_cfg.tests_project_rootdir:
        problems.append(f"ParallelTestDiscovery: tests_project_rootdir {cfg.tests_project_rootdir} != {expected_cfg.tests_project_rootdir}")
    last = events[-1] if events else None
    if not last or last.current_phase != "jedi_processing" or last.completed_files != last.total_files:
        problems.append(f"progress callback: the last update is {last}")

    # 3. The drop-in, swapped into codeflash.
    codeflash_discover.install()
    import codeflash.discovery.discover_unit_tests as module
    cfg = config()
    got = module.discover_unit_tests(cfg, only, by_file)
    codeflash_discover.uninstall()
    if module.discover_unit_tests is not reference:
        problems.append("uninstall() left the drop-in in place")
    if got != expected:
        problems.append("discover_unit_tests (drop-in): the answer differs from the reference's")

    version = ".".join(map(str, sys.version_info[:3]))
    entries = sum(len(v) for v in expected[0].values())
    if problems:
        print(f"wheel_check: Python {version} ({binary}): FAILED\n  " + "\n  ".join(problems))
        sys.exit(1)
    print(f"wheel_check: Python {version}: console script, CLI, ParallelTestDiscovery and the drop-in "
          f"give the reference's answer ({len(expected[0])} functions, {entries} entries, {expected[1]} tests); "
          f"{len(events)} progress updates")


if __name__ == "__main__":
    main()
