"""unittest collection, as codeflash 0.20.6's `discover_tests_unittest` does it.

Usage: python collect_unittest.py TESTS_ROOT OUT_JSON ONLY_TESTS_JSON

Walks the loaded suites exactly two levels deep (plus one nested level), as
the reference does, and builds each test's path as tests_root + module path
(not resolved). Writes {"tests": [...], "warnings": [...], "sys_path": [...], "reads": {...}} as
JSON (`reads`: what this process read, record_reads.py).

The reference runs the loader in its own process and then hands that process's
`sys.path` to Jedi: the loader inserts the top-level folder (the tests root) and
test modules may edit `sys.path` while they are imported. `sys_path` is that
list: the interpreter's plain `sys.path` (this script's folder, which Python put
first, is taken out before anything runs) as it stands after discovery.
"""

import _codeflash_discover_reads as reads  # first: the hook must see every read (record_reads.py)

import json
import os
import sys
import unittest
from pathlib import Path

# Run as a script, Python put this file's folder first; the reference process has no such entry.
if sys.path and os.path.realpath(sys.path[0]) == os.path.realpath(os.path.dirname(os.path.abspath(__file__))):
    del sys.path[0]

tests_root = Path(sys.argv[1])
out_path = sys.argv[2]
only_tests = [Path(p) for p in json.loads(sys.argv[3])]  # compared unresolved, as the reference does
tests, warnings = [], []


def record(test):
    module_path = tests_root / Path(test.__class__.__module__.replace(".", os.sep)).with_suffix(".py")
    if not module_path.exists() or (only_tests and module_path not in only_tests):
        return
    tests.append({"test_file": str(module_path), "test_class": test.__class__.__qualname__, "test_function": test._testMethodName})


suite = unittest.TestLoader().discover(str(tests_root))
for level_1 in suite._tests:
    for level_2 in level_1._tests:
        if not hasattr(level_2, "_tests"):
            warnings.append(f"Didn't find tests for {level_2}")
            continue
        for test in level_2._tests:
            if not hasattr(test, "_testMethodName") and hasattr(test, "_tests"):
                for nested in test._tests:  # the reference goes one level deeper, no more
                    if not hasattr(nested, "_testMethodName"):
                        warnings.append(f"Didn't find tests for {nested}")
                        continue
                    record(nested)
            else:
                record(test)

sys_path = [entry for entry in sys.path if isinstance(entry, str)]
Path(out_path).write_text(json.dumps({"tests": tests, "warnings": warnings, "sys_path": sys_path, "reads": reads.report()}), encoding="utf-8")
