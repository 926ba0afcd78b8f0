#!/usr/bin/env python3
"""The reference's import analyzer, instrumented: every visit_* call it makes, in order.

codeflash 0.20.6's `ImportAnalyzer`, subclassed so that each of its six visit_* methods logs
[method name, node line, node column] before running. Our `codeflash-discover filter --trace`
must print the same events, file by file and target set by target set.

  module  trace(path, targets) -> {"outcome": "found" | "walked" | exception type name,
                                   "events": [[method, line, col], ...], or None on an exception}
          (filter_gate.py --trace imports it)
  CLI     python scripts/parity/tracer.py TARGETS_JSON FILE...
          prints one JSON object {FILE: trace(FILE, TARGETS)} (tests/import_filter_reference.rs)

Run with a Python that has codeflash 0.20.6. Stdlib otherwise; imports nothing from the repository.
"""

import ast
import functools
import json
import sys

VISITS = ("visit_Import", "visit_ImportFrom", "visit_Assign", "visit_Attribute", "visit_Call", "visit_Name")
_events = []  # the current trace's events: one trace at a time


def _logged(original, name):
    def method(self, node):
        _events.append([name, node.lineno, node.col_offset])
        return original(self, node)

    return method


@functools.lru_cache(maxsize=None)
def traced_analyzer():
    """The logging subclass of the reference's ImportAnalyzer (built once)."""
    from codeflash.discovery.discover_unit_tests import ImportAnalyzer

    # _fast_generic_visit looks visit_* up in type(self).__dict__: the subclass must define all
    # six itself (inherited ones would be missed).
    return type("Traced", (ImportAnalyzer,), {name: _logged(ImportAnalyzer.__dict__[name], name) for name in VISITS})


@functools.lru_cache(maxsize=4)
def _parse(path):
    """Parsing is pure: the gate traces one file with several target sets, so keep the last trees."""
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read())


def trace(path, targets):
    """One file, one target set; see the module docstring. Errors (unreadable file, syntax, recursion)
    give their exception's type name as the outcome and no events."""
    _events.clear()
    try:
        analyzer = traced_analyzer()(set(targets))
        analyzer.visit(_parse(path))
    except Exception as exc:
        return {"outcome": type(exc).__name__, "events": None}
    return {"outcome": "found" if analyzer.found_any_target_function else "walked", "events": list(_events)}


def main(argv):
    if len(argv) < 1:
        sys.exit("usage: tracer.py TARGETS_JSON FILE...")
    targets = json.loads(argv[0])
    print(json.dumps({path: trace(path, targets) for path in argv[1:]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
