#!/usr/bin/env python3
"""Run the reference (codeflash 0.20.6 `discover_unit_tests`) in-process; print our JSON format.

Run it with the reference venv's python. It re-executes itself once with a fresh temporary
HOME (codeflash writes an sqlite cache under HOME even with use_cache=False), cwd = project
root (codeflash's `custom_addopts` looks for config files from cwd) and `python -P`, so the
reference process has the venv's plain sys.path (no script directory, no cwd): the reference
hands its own `sys.path` to Jedi, and our worker's embedded interpreter has the plain one.

Output (sorted keys): {"function_to_tests": {key: [entry...]}, "num_discovered_tests": N,
"num_discovered_replay_tests": N}; entries as our binary writes them, unique and sorted.
On an exception raised by the reference: {"reference_error": {"type", "message"}} and exit 3.

Options as our binary: --project-root, --tests-root, --test-framework pytest|unittest,
--function FILE::QUALNAME (repeatable), --functions-file F (JSON list of {"file",
"qualified_name"}), --only-tests FILE (repeatable), -o FILE, plus two debugging aids:
--print-sys-path (print to stderr the sys.path the reference sees inside process_test_files) and
--sorted-goto (patch Jedi with pyhelpers/goto_order.py's `make_jedi_deterministic`, the old
determinism rules: sorted `goto` definitions, a content-ordered class MRO walk and ValueSet
iteration). A patched reference is not the reference: the parity gate
(scripts/compare_with_reference) never uses --sorted-goto for its verdict, only for its
--debug-sorted report.

--from-config DIR (instead of --project-root/--tests-root): codeflash as a user runs it from DIR.
The reference process runs with cwd = DIR and takes its roots the way the codeflash CLI does:
codeflash's own `parse_config_file()` (nearest pyproject.toml from DIR, key normalisation, paths
resolved against the pyproject's folder), then `process_pyproject_config`'s derivation:
project root = `project_root_from_module_root(module_root)`, tests root = tests_root resolved,
tests_project_rootdir = `project_root_from_module_root(tests_root)`. A config error is reported as
{"reference_error": ...} (exit 3), like any exception of the reference.
"""

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

CHILD_MARK = "CODEFLASH_DISCOVER_REFERENCE_CHILD"
CALLER_CWD = "CODEFLASH_DISCOVER_REFERENCE_CALLER_CWD"
REPO_ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--project-root")
    p.add_argument("--tests-root")
    p.add_argument("--from-config", metavar="DIR")
    p.add_argument("--test-framework", choices=["pytest", "unittest"], default="pytest")
    p.add_argument("--function", action="append", default=[], metavar="FILE::QUALNAME")
    p.add_argument("--functions-file")
    p.add_argument("--only-tests", action="append", default=[], metavar="FILE")
    p.add_argument("--sorted-goto", action="store_true")
    p.add_argument("--print-sys-path", action="store_true")
    p.add_argument("-o", "--output")
    args = p.parse_args(argv)
    if not args.from_config and not (args.project_root and args.tests_root):
        p.error("give --project-root and --tests-root, or --from-config DIR")
    return args


def absolutize_args(args):
    """Make every path absolute w.r.t. the caller's cwd (the child runs in the project root)."""
    if args.from_config:
        out = ["--from-config", os.path.abspath(args.from_config), "--test-framework", args.test_framework]
    else:
        out = ["--project-root", os.path.abspath(args.project_root), "--tests-root", os.path.abspath(args.tests_root),
               "--test-framework", args.test_framework]
    for spec in args.function:
        file, sep, qual = spec.rpartition("::")
        if not sep:
            sys.exit(f"reference_runner: --function needs FILE::QUALNAME, got {spec!r}")
        out += ["--function", f"{os.path.abspath(file)}::{qual}"]
    if args.functions_file:
        out += ["--functions-file", os.path.abspath(args.functions_file)]
    for t in args.only_tests:
        out += ["--only-tests", os.path.abspath(t)]
    if args.sorted_goto:
        out.append("--sorted-goto")
    if args.print_sys_path:
        out.append("--print-sys-path")
    if args.output:
        out += ["-o", os.path.abspath(args.output)]
    return out


def reexec(args):
    """Parent: run this script again in a clean environment and return its exit code."""
    home = tempfile.mkdtemp(prefix="cfd_refhome_")
    env = dict(os.environ, HOME=home, TMPDIR=home)  # codeflash's temp files too: removed afterwards
    env[CHILD_MARK] = "1"
    env[CALLER_CWD] = os.getcwd()  # relative "file" entries of --functions-file are resolved against it
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME"):
        env.pop(var, None)
    env["XDG_CACHE_HOME"] = os.path.join(home, ".cache")  # jedi/parso caches: one per run
    try:
        cmd = [sys.executable, "-P", os.path.abspath(__file__), *absolutize_args(args)]
        return subprocess.call(cmd, cwd=Path(args.from_config or args.project_root).resolve(), env=env)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def load_functions(args):
    """FILE::QUALNAME specs -> list of (absolute file Path, qualified name), in the given order."""
    specs = []
    for spec in args.function:
        file, _, qual = spec.rpartition("::")
        specs.append((Path(file), qual))
    if args.functions_file:
        for item in json.loads(Path(args.functions_file).read_text(encoding="utf-8")):
            file = os.path.join(os.environ.get(CALLER_CWD, os.getcwd()), item["file"])
            specs.append((Path(os.path.abspath(file)), item["qualified_name"]))
    return specs


def import_goto_order():
    """Import pyhelpers/goto_order.py by path: the repo's pyhelpers/ must not enter sys.path."""
    path = REPO_ROOT / "pyhelpers" / "goto_order.py"
    if not path.exists():
        sys.exit(f"reference_runner: --sorted-goto needs {path}, which is gone (the old determinism patches)")
    spec = importlib.util.spec_from_file_location("goto_order", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def entry_json(fct):
    tif = fct.tests_in_file
    return {
        "col_no": fct.position.col_no,
        "line_no": fct.position.line_no,
        "test_class": tif.test_class,
        "test_file": str(tif.test_file),
        "test_function": tif.test_function,
        "test_type": tif.test_type.value,
    }


def entry_sort_key(e):
    return (e["test_file"], e["test_class"] is not None, e["test_class"] or "", e["test_function"],
            e["test_type"], e["line_no"], e["col_no"])


def child(args):
    """Child: the reference run proper."""
    # `python -P` keeps the script directory out of sys.path; make sure of it anyway.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != here]

    if args.sorted_goto:
        import_goto_order().make_jedi_deterministic()  # the same rules as our workers

    from codeflash.discovery import discover_unit_tests as dut
    from codeflash.models.function_types import FunctionParent, FunctionToOptimize
    from codeflash.verification.verification_utils import TestConfig

    if args.test_framework == "unittest":
        # 0.20.6: TestConfig.test_framework always answers "pytest"; force the unittest strategy.
        TestConfig.test_framework = property(lambda self: "unittest")

    if args.print_sys_path:
        original_process = dut.process_test_files

        def process_test_files(*a, **kw):
            print("reference sys.path in process_test_files:", json.dumps(sys.path), file=sys.stderr)
            return original_process(*a, **kw)

        dut.process_test_files = process_test_files

    file_to_funcs = {}
    for file, qual in load_functions(args):
        *parents, name = qual.split(".")
        fto = FunctionToOptimize(function_name=name, file_path=file,
                                 parents=[FunctionParent(p, "ClassDef") for p in parents])
        file_to_funcs.setdefault(file, []).append(fto)

    if args.from_config:
        try:
            cfg = test_config_from_pyproject()
        except Exception as e:  # codeflash's CLI would stop here: report it as the reference's error
            traceback.print_exc()
            return write_result({"reference_error": {"type": type(e).__name__, "message": str(e)}}, args, 3)
    else:
        tests_root = Path(args.tests_root).resolve()
        cfg = TestConfig(tests_root=tests_root, project_root_path=Path(args.project_root).resolve(),
                         tests_project_rootdir=tests_root.parent, use_cache=False)
    only = [Path(t) for t in args.only_tests] or None

    # codeflash logs (rich) to stdout: keep our stdout for the JSON alone while it runs.
    saved_stdout = os.dup(1)
    os.dup2(2, 1)
    start = time.perf_counter()
    try:
        function_to_tests, num_tests, num_replay = dut.discover_unit_tests(
            cfg, discover_only_these_tests=only, file_to_funcs_to_optimize=file_to_funcs or None)
    except Exception as e:  # the reference itself raised: report it, do not hide it
        traceback.print_exc()
        result = {"reference_error": {"type": type(e).__name__, "message": str(e)}}
        code = 3
    else:
        result = {
            "function_to_tests": {
                key: sorted((entry_json(f) for f in tests), key=entry_sort_key)
                for key, tests in sorted(function_to_tests.items())
            },
            "num_discovered_replay_tests": num_replay,
            "num_discovered_tests": num_tests,
        }
        code = 0
    result["reference_wall_s"] = round(time.perf_counter() - start, 3)
    sys.stdout.flush()
    os.dup2(saved_stdout, 1)

    return write_result(result, args, code)


def write_result(result, args, code):
    text = json.dumps(result, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return code


def test_config_from_pyproject():
    """--from-config: the TestConfig codeflash's CLI builds, from the pyproject found from the cwd."""
    from codeflash.cli_cmds.cli import project_root_from_module_root
    from codeflash.code_utils.config_parser import parse_config_file
    from codeflash.verification.verification_utils import TestConfig

    config, pyproject_file = parse_config_file(None)
    # process_pyproject_config: the config's values, checked and resolved against the cwd.
    module_root, tests_root = config.get("module_root"), config.get("tests_root")
    assert module_root is not None, "--module-root must be specified"
    assert Path(module_root).is_dir(), f"--module-root {module_root} must be a valid directory"
    assert tests_root is not None, "--tests-root must be specified"
    assert Path(tests_root).is_dir(), f"--tests-root {tests_root} must be a valid directory"
    module_root = Path(module_root).resolve()
    tests_root = Path(tests_root).resolve()
    return TestConfig(tests_root=tests_root,
                      project_root_path=project_root_from_module_root(module_root, pyproject_file),
                      tests_project_rootdir=project_root_from_module_root(tests_root, pyproject_file),
                      use_cache=False)


def main():
    args = parse_args(sys.argv[1:])
    if os.environ.get(CHILD_MARK) == "1":
        return child(args)
    return reexec(args)


if __name__ == "__main__":
    sys.exit(main())
