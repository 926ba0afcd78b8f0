#!/usr/bin/env python3
"""List the names in test files whose Jedi `goto` returns several definitions.

Usage: <ref-python> -P scripts/parity/jedi_multi_goto.py PROJECT_ROOT TEST_FILE...

Makes the reference's calls in its order (get_names with references, get_names, `.type`
on each, then `goto(follow_imports=True, follow_builtin_imports=False)` on every name with a
full name), with the reference's Jedi project (sys.path + project root + its parent). `-P`
keeps this folder out of sys.path, which the reference hands to Jedi; so goto_order.py is loaded
by path and nothing of the repository enters sys.path.
Prints one line per ambiguous name: file:line:col name -> definitions (sorted, as
pyhelpers/goto_order.py sorts them). A quick check that a fixture exercises the
several-definitions path; not part of the comparison.
"""

import importlib.util
import sys
from pathlib import Path

import jedi

GOTO_ORDER = Path(__file__).resolve().parents[2] / "pyhelpers" / "goto_order.py"


def load_sorted_definitions():
    """pyhelpers/goto_order.py's sort, loaded by path (see the docstring)."""
    spec = importlib.util.spec_from_file_location("goto_order", GOTO_ORDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sorted_definitions


def main():
    sorted_definitions = load_sorted_definitions()
    project_root = Path(sys.argv[1]).resolve()
    sys_path = list(sys.path)
    for p in (str(project_root), str(project_root.parent)):
        if p not in sys_path:
            sys_path.insert(0, p)
    project = jedi.Project(path=project_root, sys_path=sys_path)
    for test_file in sys.argv[2:]:
        script = jedi.Script(path=Path(test_file).resolve(), project=project)
        all_names = script.get_names(all_scopes=True, references=True)
        top = script.get_names(all_scopes=True)
        _ = [n.type for n in top]  # the reference reads .type on these before any goto
        for name in all_names:
            if name.full_name is None:
                continue
            defs = name.goto(follow_imports=True, follow_builtin_imports=False)
            if len(defs) > 1:
                shown = [f"{d.type} {d.full_name} @{d.module_path.name if d.module_path else '?'}:{d.line}:{d.column}"
                         for d in sorted_definitions(defs)]
                print(f"{test_file}:{name.line}:{name.column} {name.name} -> {shown}")


if __name__ == "__main__":
    main()
