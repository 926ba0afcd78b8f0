"""Pieces every parity gate (and benchmark) shares.

Paths of the repository and its programs, the reference Python, the argument groups the gates
share (and forward to the judge), running a program that writes JSON, fresh HOMEs, temp folders,
FILE::QUALNAME specs, `functions_of`, and the fixtures' compare cases (fixtures/README.md).
Stdlib only; imported as `parity.common`.
"""

import ast
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PARITY = REPO / "scripts" / "parity"
RUNNER = PARITY / "reference_runner.py"
# The same runner for CPython < 3.11 (no `python -P` there): see its docstring.
COMPAT_RUNNER = PARITY / "reference_runner_compat.py"


def runner_for(ref_python):
    """The reference runner script for this interpreter: RUNNER, or COMPAT_RUNNER before 3.11."""
    out = subprocess.run([ref_python, "-c", "import sys; print(sys.version_info[1])"],
                         stdout=subprocess.PIPE, text=True)
    minor = int(out.stdout.strip() or 11)
    return COMPAT_RUNNER if minor < 11 else RUNNER
JUDGE = PARITY / "judge.py"
DEFAULT_BINARY = REPO / "target" / "release" / "codeflash-discover"
ROOT_MARK = "<ROOT>"  # stands for the project's folder in stored reference answers
CACHE_IGNORE = ("__pycache__", ".pytest_cache")  # never copied with a fixture


def default_ref_python():
    """The reference venv's Python: $CFD_REF_PYTHON, else the repository's .venv (scripts/setup)."""
    return os.environ.get("CFD_REF_PYTHON") or str(REPO / ".venv" / "bin" / "python")


# ---------------------------------------------------------------------------- arguments


def add_binary_arg(p):
    p.add_argument("--binary", default=str(DEFAULT_BINARY), help="our binary (default: target/release)")


def add_run_args(p, runs_help="unpatched reference runs per case (K >= 3, default 3)"):
    """The options a gate takes and forwards to the judge (forward_args)."""
    p.add_argument("--runs", type=int, default=3, help=runs_help)
    p.add_argument("--jobs", "-j", type=int, help="passed to our binary as -j")
    add_binary_arg(p)
    p.add_argument("--ref-python", default=default_ref_python(),
                   help="the reference venv's python (default: $CFD_REF_PYTHON, else .venv/bin/python)")
    p.add_argument("--no-reference-cache", action="store_true", help="run the reference afresh (see judge.py)")
    p.add_argument("--max-runs", type=int,
                   help="violations only at Jedi-ambiguous sites draw more runs, K at a time, up to this many "
                        "(default 3K; K disables it; see judge.py)")
    p.add_argument("--ours-tree-store", metavar="DIR",
                   help="ours keeps its parse trees in DIR across the gate's cases (--cache-dir DIR --refresh: "
                        "collections and answers are still computed, never served), as a user's repeated runs "
                        "do; default: ours starts from an empty store each case (fresh HOME)")


def forward_args(a):
    """add_run_args's options, as the judge's command line wants them."""
    out = ["--runs", str(a.runs), "--binary", a.binary, "--ref-python", a.ref_python]
    if a.jobs:
        out += ["--jobs", str(a.jobs)]
    if a.max_runs:
        out += ["--max-runs", str(a.max_runs)]
    if a.no_reference_cache:
        out.append("--no-reference-cache")
    if a.ours_tree_store:
        out += ["--ours-tree-store", a.ours_tree_store]
    return out


def verdict(rc):
    """A judge exit status in words: 0 pass, 1 FAIL, else ERROR (a run failed)."""
    return "pass" if rc == 0 else "FAIL" if rc == 1 else "ERROR"


def judge_command(*args):
    return [sys.executable, str(JUDGE), *args]


# ---------------------------------------------------------------------------- runs


def read_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def run_json(label, cmd, out_file, env=None, cwd=None):
    """Run cmd (which writes JSON to out_file); return (json or None, wall seconds, rc, stderr tail)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd,
                          errors="replace")
    wall = time.perf_counter() - start
    data = None
    if out_file.exists():
        try:
            data = read_json(out_file)
        except ValueError as e:
            print(f"[{label}] unreadable JSON output: {e}")
    tail = "\n".join((proc.stderr or "").splitlines()[-25:])
    return data, wall, proc.returncode, tail


def fresh_env(home):
    """The environment with HOME (and the caches under it) moved to `home`: nothing left from earlier runs.

    reference_runner.py makes its own (it must stay standalone); this one is for our binary.
    """
    env = dict(os.environ, HOME=home, XDG_CACHE_HOME=os.path.join(home, ".cache"))
    env.pop("XDG_CONFIG_HOME", None)
    return env


@contextlib.contextmanager
def scratch(prefix):
    """A temporary folder (resolved Path), removed afterwards whatever the file names in it (bytes)."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix)).resolve()
    try:
        yield tmp
    finally:
        shutil.rmtree(os.fsencode(tmp), ignore_errors=True)


def copy_project(src, dst, *ignore):
    """Copy a fixture or package to dst, without Python's caches (and the `ignore` patterns)."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(*CACHE_IGNORE, *ignore))


# ---------------------------------------------------------------------------- functions


def json_escaped(path):
    """A path as it appears inside our JSON outputs (written with ensure_ascii=False), for masking."""
    return json.dumps(str(path), ensure_ascii=False)[1:-1]


def split_spec(spec):
    """FILE::QUALNAME -> (FILE, QUALNAME); QUALNAME is "" when there is no "::"."""
    file, _, qual = spec.rpartition("::")
    return file, qual


def functions_of(path):
    """Top-level functions and methods of top-level classes of a file, as qualified names, in order."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.append(node.name)
        elif isinstance(node, ast.ClassDef):
            names += [f"{node.name}.{m.name}" for m in node.body
                      if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return names


# ---------------------------------------------------------------------------- fixture cases

FIXTURES = REPO / "fixtures"
NOT_PROJECTS = {"filter_corpus"}  # someone else's files, not projects
CASE_KEYS = {"name", "functions", "test_framework", "only_tests", "tests_root", "from_config", "runtime_copies",
             "expect_reference_error", "ours"}


def fixture_names():
    """Every fixture with a compare_cases.json, sorted."""
    return sorted(d.name for d in FIXTURES.iterdir()
                  if d.is_dir() and d.name not in NOT_PROJECTS and (d / "compare_cases.json").exists())


def read_codeflash_config(pyproject):
    """[tool.codeflash] as a dict (tomllib when available, else a tiny line parser)."""
    text = pyproject.read_text(encoding="utf-8")
    try:
        import tomllib

        return tomllib.loads(text).get("tool", {}).get("codeflash", {})
    except ImportError:
        section = re.search(r"^\[tool\.codeflash\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
        return dict(re.findall(r'^([\w-]+)\s*=\s*"([^"]*)"', section.group(1), re.M)) if section else {}


def load_cases(fixture):
    """(config, project root relative to the fixture, checked cases) of a fixture folder.

    Project root as codeflash derives it: the module root if pyproject.toml sits in it, else the
    module root's parent (src layout: src/). Exits with a message on a malformed case.
    """
    cfg = read_codeflash_config(fixture / "pyproject.toml")
    module_root = (fixture / cfg["module-root"]).resolve()
    project_root = module_root if module_root == fixture.resolve() else module_root.parent
    cases = read_json(fixture / "compare_cases.json")
    if not any(not c.get("functions") for c in cases):
        sys.exit(f"{fixture.name}: compare_cases.json needs a case with no functions")
    for c in cases:
        where = f"{fixture.name}: case {c.get('name')!r}"
        if set(c) - CASE_KEYS:
            sys.exit(f"{where}: unknown fields {sorted(set(c) - CASE_KEYS)}")
        if c.get("test_framework", "pytest") not in ("pytest", "unittest"):
            sys.exit(f"{where}: test_framework must be pytest or unittest")
        if c.get("from_config") and "tests_root" in c:
            sys.exit(f"{where}: from_config takes its roots from the config, not from tests_root")
        if c.get("expect_reference_error") and "ours" not in c:
            sys.exit(f"{where}: expect_reference_error needs an \"ours\" block (fixtures/README.md)")
        if "ours" in c and not c.get("expect_reference_error"):
            sys.exit(f"{where}: an \"ours\" block only applies with expect_reference_error")
    return cfg, project_root.relative_to(fixture.resolve()), cases
