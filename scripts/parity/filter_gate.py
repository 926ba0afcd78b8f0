#!/usr/bin/env python3
"""Compare codeflash-discover's native import filter with codeflash 0.20.6.

For every .py file under the given folders, build several target sets (from
the names the file imports, calls, defines and spells in strings, plus module
prefixes, dotted Class.method names and random names; seeded, reproducible)
and compare, case by case, codeflash's own `analyze_imports_in_test_file`
with `codeflash-discover filter --detail`. Files are processed in chunks: each
target set of a chunk is run over every file of the chunk, one binary
invocation per (chunk, target set).

Run with a Python that has codeflash 0.20.6 installed, e.g.
    .venv/bin/python scripts/parity/filter_gate.py \
        "$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')" fixtures/filter_corpus

Agreement rules (ours in --detail form):
  reference True / False        <-> keep / drop (native or via fallback:)
  reference UnicodeDecodeError,
  other OSError                 <-> error: ... (we keep and report)
  reference RecursionError,
  MemoryError                   <-> fallback:... (any; the reference crashed)
With --trace, the visit order is compared instead: the instrumented reference
analyzer (tracer.py) logs every visit_* call (method, line, column) and must
match `filter --trace` event for event, for each file and target set.
With --port, pyhelpers/import_filter_port.py is also run on every case and must
give the reference's answer (or raise the same exception type).

On another CPython (run with .venvs/py3.X/bin/python), ours gets that interpreter too (`--python`),
so both sides use its grammar: scripts/test_all runs the 3.9 and 3.13 references over the fixtures
and the newest standard library (syntax 3.9 lacks, and PEP 701 f-strings).

Prints each mismatch and `filter_gate: N cases, M mismatches`;
exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import ast
import functools
import importlib.util
import json
import random
import re
import subprocess
import sys
import time
import types
from pathlib import Path

if __package__ in (None, ""):  # run as a file: import the parity package from scripts/
    sys.path[0] = str(Path(__file__).resolve().parents[1])
from parity import tracer
from parity.common import REPO, add_binary_arg
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Hand-written fixtures name their intended targets: "# ... Target: a.b".
TARGET_NOTE = re.compile(r"Target: ([A-Za-z_.][\w.]*)")


def load_reference():
    from codeflash.discovery import discover_unit_tests as dut

    # The reference re-parses the file for every target set; parsing is
    # pure, so memoise the last parse (the tree is never modified).
    real_ast = dut.ast

    class CachedAst(types.ModuleType):
        def __getattr__(self, name):
            return getattr(real_ast, name)

    @functools.lru_cache(maxsize=4)
    def cached_parse(source, filename="<unknown>"):
        return real_ast.parse(source, filename=filename)

    proxy = CachedAst("ast")
    proxy.parse = cached_parse
    dut.ast = proxy
    return dut.analyze_imports_in_test_file


def load_port():
    spec = importlib.util.spec_from_file_location(
        "import_filter_port", REPO / "pyhelpers" / "import_filter_port.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.should_process


def outcome(fn, path, targets):
    """True/False, or the exception's type name."""
    try:
        return bool(fn(path, targets))
    except (RecursionError, MemoryError, UnicodeDecodeError, OSError, ValueError) as exc:
        return type(exc).__name__


def harvest(path: Path) -> dict[str, list[str]]:
    """Names a file uses, grouped by where they come from."""
    names: dict[str, set[str]] = {
        "imported": set(), "qualified": set(), "prefix": set(), "called": set(),
        "defined": set(), "methods": set(), "attrs": set(), "strings": set(),
        "wildcard": set(),
    }
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {k: [] for k in names}
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        words = sorted(set(IDENT.findall(text)))[:300]
        names["called"].update(words)
        return {k: sorted(v) for k, v in names.items()}
    wildcard_mods = []
    try:
        nodes = list(ast.walk(tree))
    except RecursionError:
        nodes = []
    for node in nodes:
        if isinstance(node, ast.Import):
            for a in node.names:
                names["imported"].add(a.asname or a.name)
                names["qualified"].add(a.name)
                parts = a.name.split(".")
                for i in range(1, len(parts)):
                    names["prefix"].add(".".join(parts[:i]))
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                if a.name == "*":
                    wildcard_mods.append(node.module)
                    continue
                names["imported"].add(a.name)
                names["qualified"].add(f"{node.module}.{a.name}")
                names["methods"].add(f"{a.name}.some_method")
                names["prefix"].add(node.module)
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                names["called"].add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                names["attrs"].add(node.func.attr)
                if isinstance(node.func.value, ast.Name):
                    names["qualified"].add(f"{node.func.value.id}.{node.func.attr}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names["defined"].add(node.name)
        elif isinstance(node, ast.ClassDef):
            names["defined"].add(node.name)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names["methods"].add(f"{node.name}.{item.name}")
        elif isinstance(node, ast.Attribute):
            names["attrs"].add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for w in IDENT.findall(node.value)[:5]:
                names["strings"].add(w)
    for mod in wildcard_mods:
        for called in list(names["called"])[:5]:
            names["wildcard"].add(f"{mod}.{called}")
        names["wildcard"].add(f"{mod}.sub.thing")
    return {k: sorted(v) for k, v in names.items()}


RANDOM_NAMES = ["zz_not_there", "os", "os.path", "os.path.join", "sys", "json.loads",
                "unittest.TestCase.assertEqual", "TestCase.setUp", "importlib",
                "networkx.shortest_path", "a.b", "Class.method", "main", "test", "self",
                "__import__", "import_module", "mock.patch", "pytest.raises", "print"]


def target_sets(rng: random.Random, pool: dict[str, list[str]], count: int) -> list[list[str]]:
    kinds = [k for k, v in pool.items() if v]
    sets = []
    for _ in range(count):
        chosen = set()
        for _ in range(rng.choice((1, 1, 2, 3))):
            if kinds and rng.random() < 0.85:
                kind = rng.choice(kinds)
                chosen.add(rng.choice(pool[kind]))
            else:
                chosen.add(rng.choice(RANDOM_NAMES))
        sets.append(sorted(chosen))
    return sets


def run_ours(binary: str, trace: bool, targets: list[str], files: list[str]) -> subprocess.Popen:
    # The fallback port runs in this interpreter, the reference's: same version, same grammar.
    cmd = [binary, "filter", "--trace" if trace else "--detail", "--python", sys.executable]
    for t in targets:
        cmd += ["--target", t]
    cmd += ["--", *files]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def agrees(ref, ours: str) -> bool:
    if ours.startswith("fallback:"):
        if ref in ("RecursionError", "MemoryError"):
            return True
        ours = ours[len("fallback:"):]
    if ref is True:
        return ours == "keep"
    if ref is False:
        return ours == "drop"
    if ref in ("RecursionError", "MemoryError"):
        return False  # the reference crashed: we must have asked the fallback
    return ours.startswith("error:")


def collect(paths: list[str]) -> list[Path]:
    files = []
    for p in paths:
        path = Path(p)
        if path.is_file():
            files.append(path)
        else:
            files.extend(sorted(f for f in path.rglob("*.py") if f.is_file()))
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", help="folders or .py files")
    add_binary_arg(ap)
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--sets", type=int, default=8, help="target sets per chunk")
    ap.add_argument("--chunk", type=int, default=40, help="files per chunk")
    ap.add_argument("--port", action="store_true", help="also check the Python port")
    ap.add_argument("--trace", action="store_true", help="compare visit order instead")
    ap.add_argument("--max-files", type=int, default=0)
    args = ap.parse_args()

    analyze = load_reference()
    port = load_port() if args.port else None
    rng = random.Random(args.seed)
    files = collect(args.paths)
    if args.max_files:
        files = files[: args.max_files]
    cases = mismatches = fallbacks = ref_crashes = port_mismatches = 0
    t0 = time.time()
    for start in range(0, len(files), args.chunk):
        chunk = files[start : start + args.chunk]
        pools = [harvest(f) for f in chunk]
        sets = []
        for i in range(args.sets):
            sets.extend(target_sets(rng, pools[(start + i * 7) % len(chunk)], 1))
        # one set of names drawn across the whole chunk
        merged = {k: sorted({n for p in pools for n in p[k]}) for k in pools[0]}
        sets.extend(target_sets(rng, merged, 2))
        for f in chunk:
            try:
                head = f.read_bytes()[:400].decode("utf-8", "replace")
            except OSError:
                continue
            for note in TARGET_NOTE.findall(head)[:1]:
                if [note] not in sets:
                    sets.append([note])
        strs = [str(f) for f in chunk]
        procs = [run_ours(args.binary, args.trace, s, strs) for s in sets]
        ours_maps = []
        for targets, proc in zip(sets, procs):
            out, err = proc.communicate()
            if proc.returncode != 0:
                print(f"binary failed (rc {proc.returncode}) for {targets}: {err.strip()}")
                return 2
            ours_maps.append(json.loads(out))
        # File-major, so the memoised parse is reused for every target set.
        for f in strs:
            for targets, ours_map in zip(sets, ours_maps):
                if args.trace:
                    ours = ours_map[f]
                    if ours["outcome"] == "NeedsPythonFallback" or not ours["outcome"] in ("Keep", "Drop"):
                        continue
                    ref_events = tracer.trace(f, targets)["events"]
                    if ref_events is None:  # the reference raised: nothing to compare
                        continue
                    cases += 1
                    if ref_events != ours["events"]:
                        mismatches += 1
                        first = next((i for i, (a, b) in enumerate(zip(ref_events, ours["events"])) if a != b),
                                     min(len(ref_events), len(ours["events"])))
                        print(f"TRACE MISMATCH {f} targets={targets} at event {first}: "
                              f"ref={ref_events[first:first + 3]} ours={ours['events'][first:first + 3]}", flush=True)
                    continue
                ref = outcome(analyze, f, set(targets))
                ours = ours_map.get(f, "<missing>")
                cases += 1
                fallbacks += ours.startswith("fallback:")
                ref_crashes += ref in ("RecursionError", "MemoryError")
                if not agrees(ref, ours):
                    mismatches += 1
                    print(f"MISMATCH {f} targets={targets} ref={ref} ours={ours}", flush=True)
                if port is not None:
                    got = outcome(port, f, targets)
                    if got != ref:
                        port_mismatches += 1
                        mismatches += 1
                        print(f"PORT MISMATCH {f} targets={targets} ref={ref} port={got}", flush=True)
        print(f"... {start + len(chunk)}/{len(files)} files, {cases} cases, "
              f"{mismatches} mismatches", file=sys.stderr, flush=True)
    took = time.time() - t0
    print(
        f"({len(files)} files, {fallbacks} cases answered by the fallback, "
        f"{ref_crashes} where the reference raised RecursionError/MemoryError, "
        f"port checked: {port is not None}, {port_mismatches} port mismatches, {took:.1f}s)"
    )
    version = "%d.%d.%d" % sys.version_info[:3]
    print(f"filter_gate: Python {version}: {cases} cases, {mismatches} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
