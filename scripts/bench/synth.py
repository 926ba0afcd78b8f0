#!/usr/bin/env python3
"""A deterministic synthetic project for the benchmarks: N test files over a small package.

usage: scripts/bench/synth.py N DIR    (DIR must not exist; prints the functions file it wrote)

DIR/pyproject.toml ([tool.codeflash] module-root = "synth", tests-root = "tests"), the package
DIR/synth/ (20 modules of 10 functions and one class each), DIR/tests/test_0000.py ... (each
imports from 3 modules and calls what it imported, in plain tests, a test class and a
parametrized test), and DIR/functions.json: the functions of synth/mod_00.py, which about one
test file in seven imports. The same N gives the same bytes. Stdlib only.
"""

import json
import random
import sys
from pathlib import Path

MODULES = 20
FUNCTIONS = 10


def module_source(m):
    lines = [f'"""Synthetic module {m}."""', ""]
    for f in range(FUNCTIONS):
        lines += [f"def f{m:02d}_{f}(x, y=1):", f"    return x * {f + 1} + y - {m}", "", ""]
    lines += [f"class Box{m:02d}:", "    def __init__(self, v):", "        self.v = v", "",
              "    def grow(self, k):", f"        return Box{m:02d}(self.v + k)", "",
              "    def value(self):", "        return self.v", ""]
    return "\n".join(lines)


def test_source(i, rng):
    mods = sorted(rng.sample(range(MODULES), 3))
    lines = ["import pytest", ""]
    for m in mods:
        names = sorted(rng.sample(range(FUNCTIONS), 3))
        lines.append(f"from synth.mod_{m:02d} import Box{m:02d}, " + ", ".join(f"f{m:02d}_{f}" for f in names))
    lines += ["", ""]
    calls = [line.split(" import ")[1].split(", ")[1:] for line in lines if line.startswith("from synth")]
    for t, group in enumerate(calls):
        lines += [f"def test_plain_{i}_{t}():"]
        lines += [f"    assert {name}({t}, 2) is not None" for name in group]
        lines += ["", ""]
    m = mods[0]
    lines += [f"class TestBox{i}:", "    def test_grow(self):", f"        assert Box{m:02d}(1).grow(2).value() == 3", "",
              "    def test_value(self):", f"        assert Box{m:02d}(5).value() == 5", "", "",
              "@pytest.mark.parametrize('x', [1, 2, 3])", f"def test_param_{i}(x):",
              f"    assert {calls[0][0]}(x) is not None", ""]
    return "\n".join(lines)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n, root = int(sys.argv[1]), Path(sys.argv[2])
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.codeflash]\nmodule-root = "synth"\ntests-root = "tests"\n'
                                         'test-framework = "pytest"\n')
    (root / "synth").mkdir()
    (root / "synth" / "__init__.py").write_text("")
    for m in range(MODULES):
        (root / "synth" / f"mod_{m:02d}.py").write_text(module_source(m))
    (root / "tests").mkdir()
    rng = random.Random(20261127)
    for i in range(n):
        (root / "tests" / f"test_{i:04d}.py").write_text(test_source(i, rng))
    target = root / "synth" / "mod_00.py"
    functions = [{"file": str(target), "qualified_name": f"f00_{f}"} for f in range(FUNCTIONS)]
    functions += [{"file": str(target), "qualified_name": f"Box00.{m}"} for m in ("grow", "value")]
    (root / "functions.json").write_text(json.dumps(functions, indent=1))
    print(root / "functions.json")


if __name__ == "__main__":
    main()
