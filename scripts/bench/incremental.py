#!/usr/bin/env python3
"""The cache issue's three timings, side by side with codeflash's own cached repeat run, in one run.

usage: scripts/bench/incremental.py --project-root P --tests-root T --functions-file F
           --move-from FILE --move NAME [--runs 3] [--markdown FILE]

Per round (median of N):
- nothing changed: codeflash 0.20.6 `discover_unit_tests(use_cache=True)` (its sqlite cache, HOME
  kept and primed) against ours with a kept cache (HOME kept and primed);
- one source module under test edited: function NAME moved out of FILE into a new module of the
  same package (FILE imports it back), so the right answer changes (its key names the new module).
  Ours with the kept cache (`--stats`: how many answers were kept and computed) must equal ours
  recomputing everything (`--refresh`, same HOME); codeflash's cached run after the same edit
  is shown against a fresh codeflash run (its cache keys on test files only: the stale answer);
- a cold run (fresh HOME) with the cache against one with `--no-cache` (what the stores cost).
The project copy is edited in place and put back after every round. Stdlib only; Linux.
"""

import argparse
import ast
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "parity"))
from common import add_binary_arg, default_ref_python  # noqa: E402
from side_by_side import home_env, timed  # noqa: E402


def move_function(source, name):
    """The edit: NAME's definition (with its decorators) goes to a sibling module `_moved_<name>`,
    which the source imports back at its end. Returns {path: new text}."""
    text = source.read_text(encoding="utf-8")
    node = next(n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name == name)
    lines = text.splitlines(keepends=True)
    start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
    body = "".join(lines[start:node.end_lineno])
    module = f"_moved_{name}"
    rest = "".join(lines[:start] + lines[node.end_lineno:])
    package = source.stem
    moved = f"import networkx as nx\nfrom .{package} import _weight_function, _dijkstra  # noqa\n\n\n{body}"
    return {source: rest + f"\n\nfrom .{module} import {name}  # noqa: E402\n", source.with_name(module + ".py"): moved}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--project-root", required=True)
    p.add_argument("--tests-root", required=True)
    p.add_argument("--functions-file", required=True)
    p.add_argument("--move-from", required=True)
    p.add_argument("--move", required=True)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--markdown")
    p.add_argument("--ref-python", default=default_ref_python())
    p.add_argument("--python")
    add_binary_arg(p)
    a = p.parse_args()
    a.python = a.python or a.ref_python
    root, tests = os.path.abspath(a.project_root), os.path.abspath(a.tests_root)
    source = Path(a.move_from).resolve()
    original = source.read_text(encoding="utf-8")
    edit = move_function(source, a.move)

    def reference(home, use_cache):
        cmd = [a.ref_python, "-P", str(HERE / "reference_modes.py"), "--project-root", root, "--tests-root", tests,
               "--functions-file", a.functions_file] + (["--use-cache"] if use_cache else [])
        wall, _, out = timed(cmd, root, home_env(home))
        return wall, json.loads(out.decode().strip().splitlines()[-1])

    def ours(home, out, *extra):
        cmd = [a.binary, "--python", a.python, "--project-root", root, "--tests-root", tests, "--quiet", "-o", str(out),
               "-j", str(a.jobs), "--functions-file", a.functions_file, "--stats", *extra]
        wall, _, _ = timed(cmd, root, home_env(home))
        data = json.loads(out.read_text())
        stats = data.pop("stats")
        return wall, data, stats

    def restore():
        source.write_text(original, encoding="utf-8")
        for path in edit:
            if path != source:
                path.unlink(missing_ok=True)

    rows = {}
    stale = None
    with tempfile.TemporaryDirectory(prefix="cfd_incr_") as tmp:
        tmp = Path(tmp)
        ref_home, our_home = tmp / "home-ref", tmp / "home-ours"
        ref_home.mkdir()
        our_home.mkdir()
        try:
            for round_no in range(a.runs):
                restore()
                reference(ref_home, True)  # primes (or re-primes after the last round's edit)
                ours(our_home, tmp / "prime.json")
                wall, _ = reference(ref_home, True)
                rows.setdefault("codeflash cached repeat run, nothing changed", []).append(wall)
                wall, _, stats = ours(our_home, tmp / "kept.json")
                assert stats["jedi_cache_misses"] == 0 and stats["collect_cache"] == "hit", stats
                rows.setdefault("ours, kept cache, nothing changed", []).append(wall)

                for path, text in edit.items():
                    # A new text every round: the store keeps earlier rounds' edited states too.
                    path.write_text(text + (f"\n# round {round_no}\n" if path != source else ""), encoding="utf-8")
                wall, kept, stats = ours(our_home, tmp / "edited.json")
                rows.setdefault("ours, kept cache, one module edited", []).append(wall)
                rows.setdefault("  (answers kept / computed)", []).append(f"{stats['jedi_cache_hits']} / {stats['jedi_cache_misses']}")
                wall, computed, _ = ours(our_home, tmp / "refresh.json", "--refresh")
                rows.setdefault("ours, --refresh (everything computed), one module edited", []).append(wall)
                if kept != computed:
                    sys.exit("incremental: after the edit, the kept answer differs from the computed one")
                wall, cached = reference(ref_home, True)
                rows.setdefault("codeflash cached repeat run, one module edited", []).append(wall)
                if stale is None:
                    _, fresh = reference(tmp / f"home-fresh-{round_no}", False)
                    ours_keys = sorted(kept["function_to_tests"])
                    stale = {"codeflash cached": cached["keys"], "codeflash fresh": fresh["keys"], "ours": ours_keys}
                restore()

                for variant, extra in (("ours, cold run (fresh HOME), cache on", ()), ("ours, cold run (fresh HOME), --no-cache", ("--no-cache",))):
                    home = Path(tempfile.mkdtemp(dir=tmp))
                    wall, _, _ = ours(home, tmp / "cold.json", *extra)
                    rows.setdefault(variant, []).append(wall)
                print(f"incremental: round {round_no + 1} of {a.runs} done", file=sys.stderr, flush=True)
        finally:
            restore()

    machine = f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()} (orchestrating)"
    lines = [f"### Incremental runs: {Path(root).name}, {a.runs} rounds, median wall seconds ({machine})", "",
             f"Edit: `{a.move}` moved out of `{source.name}` into a new module of its package.", "",
             "| run | median s | runs |", "|---|---|---|"]
    medians = {}
    for name, values in rows.items():
        if isinstance(values[0], str):
            lines.append(f"| {name} | | {', '.join(values)} |")
            continue
        medians[name] = statistics.median(values)
        lines.append(f"| {name} | {medians[name]:.2f} | {', '.join(f'{v:.2f}' for v in values)} |")
    nothing = medians["codeflash cached repeat run, nothing changed"] / medians["ours, kept cache, nothing changed"]
    cold = medians["ours, cold run (fresh HOME), cache on"] / medians["ours, cold run (fresh HOME), --no-cache"]
    lines += ["", f"- nothing changed: ours {nothing:.1f}x faster than codeflash's cached repeat run",
              f"- cold run with the cache / without it: {cold:.3f}"]
    if stale:
        moved = [k for k in stale["codeflash fresh"] if a.move in k and k not in stale["codeflash cached"]]
        lines += [f"- after the edit, codeflash's cached run answers keys {[k for k in stale['codeflash cached'] if k.endswith('.' + a.move)]}; "
                  f"a fresh codeflash run answers {[k for k in stale['codeflash fresh'] if k.endswith('.' + a.move)]} "
                  f"(stale: {bool(moved)}); ours (kept cache) {[k for k in stale['ours'] if k.endswith('.' + a.move)]}"]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.markdown:
        with open(a.markdown, "a", encoding="utf-8") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
