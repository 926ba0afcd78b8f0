#!/usr/bin/env python3
"""The reference (codeflash 0.20.6 `discover_unit_tests`) as a user's repeated runs see it, for the
benchmarks: HOME (parso's pickle cache, codeflash's sqlite test cache) is the caller's to keep or
throw away, and `--use-cache` is codeflash's own default (`TestConfig.use_cache=True`).

usage: REF_PYTHON -P scripts/bench/reference_modes.py --project-root P --tests-root T
           [--functions-file F] [--use-cache]
Run with HOME and XDG_CACHE_HOME set by the caller and cwd = the project root. Prints one JSON line:
{"discover_seconds", "num_discovered_tests", "entries", "keys"} (`keys`: the functions found, sorted). The parity gate's runner
(scripts/parity/reference_runner.py) is the one that judges answers; this one only times them.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--project-root", required=True)
    p.add_argument("--tests-root", required=True)
    p.add_argument("--functions-file")
    p.add_argument("--use-cache", action="store_true")
    args = p.parse_args()

    from codeflash.discovery.discover_unit_tests import discover_unit_tests
    from codeflash.models.function_types import FunctionParent, FunctionToOptimize
    from codeflash.verification.verification_utils import TestConfig

    file_to_funcs = {}
    if args.functions_file:
        for item in json.loads(Path(args.functions_file).read_text(encoding="utf-8")):
            *parents, name = item["qualified_name"].split(".")
            file = Path(os.path.abspath(item["file"]))
            file_to_funcs.setdefault(file, []).append(FunctionToOptimize(
                function_name=name, file_path=file, parents=[FunctionParent(x, "ClassDef") for x in parents]))
    tests_root = Path(args.tests_root).resolve()
    cfg = TestConfig(tests_root=tests_root, project_root_path=Path(args.project_root).resolve(),
                     tests_project_rootdir=tests_root.parent, use_cache=args.use_cache)
    saved_stdout = os.dup(1)
    os.dup2(2, 1)  # codeflash logs to stdout
    start = time.perf_counter()
    function_to_tests, num_tests, _ = discover_unit_tests(cfg, file_to_funcs_to_optimize=file_to_funcs or None)
    seconds = time.perf_counter() - start
    os.dup2(saved_stdout, 1)
    entries = sum(len(v) for v in function_to_tests.values())
    print(json.dumps({"discover_seconds": seconds, "num_discovered_tests": num_tests, "entries": entries,
                      "keys": sorted(function_to_tests)}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
