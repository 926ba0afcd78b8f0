#!/usr/bin/env python3
"""reference_runner.py for CPython 3.9 and 3.10, which have no `python -P`.

The runner re-executes itself as `python -P reference_runner.py ...`; here the same re-exec runs
without `-P`, and the child (reference_runner.py's own `child()`) takes the script folder out of
sys.path before codeflash is imported, which is what `-P` was for. reference_runner.py itself
stays byte-identical: its content keys the reference cache (refcache.py adds this file's content
to the key of the runs it makes). Usage: exactly as reference_runner.py. Stdlib only.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

RUNNER = Path(__file__).resolve().with_name("reference_runner.py")


def call_without_safe_path(cmd, **kwargs):
    """subprocess.call for the runner's re-exec: `python -P script ...` -> `python script ...`."""
    if len(cmd) > 1 and cmd[1] == "-P":
        cmd = [cmd[0], *cmd[2:]]
    return subprocess_call(cmd, **kwargs)


if __name__ == "__main__":
    spec = importlib.util.spec_from_file_location("reference_runner", RUNNER)
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    subprocess_call = subprocess.call
    runner.subprocess = type(sys)("subprocess_without_safe_path")
    runner.subprocess.call = call_without_safe_path
    sys.exit(runner.main())
