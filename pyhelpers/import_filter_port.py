"""Python port of codeflash 0.20.6's test-file import filter.

`should_process(path, targets)` answers what
`codeflash.discovery.discover_unit_tests.analyze_imports_in_test_file` answers,
written independently from its specification. The Rust filter
(`src/import_filter/`) asks this port when a file is nested so deeply that the
reference may fail with RecursionError or MemoryError; the port then fails or
answers exactly as the reference would at the same Python stack depth.

Like the reference it raises UnicodeDecodeError for non-UTF-8 files and lets
RecursionError / MemoryError out; the caller decides what to do with them.
"""

from __future__ import annotations

import ast


class _State:
    """The analyzer's mutable state, named as in the reference."""

    def __init__(self, targets: set[str]) -> None:
        self.targets = targets
        self.found = False
        self.imported_modules: set[str] = set()
        self.has_dynamic_imports = False
        self.wildcard_modules: set[str] = set()
        self.alias_mapping: dict[str, str] = {}
        self.instance_mapping: dict[str, str] = {}
        # method name -> roots, from "root.method" targets
        self.dot_methods: dict[str, set[str]] = {}
        for name in targets:
            if "." in name:
                root, method = name.rsplit(".", 1)
                self.dot_methods.setdefault(method, set()).add(root)


class _Walker(ast.NodeVisitor):
    """Replays the reference's traversal.

    The method layout mirrors the reference on purpose, because the Python
    stack depth (and so where RecursionError strikes) depends on it: a
    `visit_X` for the six handled types, `generic_visit` delegating to an
    explicit-stack walk that calls handled children at once and defers the
    others to a LIFO stack, `Attribute` recursing through the base class's
    `generic_visit`.
    """

    def __init__(self, state: _State) -> None:
        self.s = state

    # -- generic traversal --------------------------------------------------
    def generic_visit(self, node: ast.AST) -> None:
        if self.s.found:
            return
        self._walk(node)

    def _walk(self, node: ast.AST) -> None:
        if self.s.found:
            return
        handlers = type(self).__dict__
        pending = [node]
        while pending:
            current = pending.pop()
            for field in current._fields:
                value = getattr(current, field, None)
                children = value if isinstance(value, list) else [value]
                for child in children:
                    if self.s.found:
                        return
                    if not isinstance(child, ast.AST):
                        continue
                    handler = handlers.get("visit_" + type(child).__name__)
                    if handler is None:
                        pending.append(child)
                    else:
                        handler(self, child)

    # -- the six handled node types -----------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        s = self.s
        if s.found:
            return
        for alias in node.names:
            bound = alias.asname or alias.name
            s.imported_modules.add(bound)
            if alias.name == "importlib":
                s.has_dynamic_imports = True
            if bound in s.targets or any(t.startswith(bound + ".") for t in s.targets):
                s.found = True
                return

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        s = self.s
        if s.found or not node.module:
            return
        module = node.module
        for alias in node.names:
            if alias.name == "*":
                s.wildcard_modules.add(module)
                continue
            bound = alias.asname or alias.name
            s.imported_modules.add(bound)
            if alias.asname:
                s.alias_mapping[bound] = alias.name
            if module == "importlib" and alias.name == "import_module":
                s.has_dynamic_imports = True
            if alias.name in s.targets or f"{module}.{alias.name}" in s.targets:
                s.found = True
                return
            if not alias.asname and any(
                "." in t and t.split(".", 1)[0] == alias.name for t in s.targets
            ):
                s.found = True
                return

    def visit_Assign(self, node: ast.Assign) -> None:
        s = self.s
        if s.found:
            return
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
            if call.func.id in s.imported_modules:
                cls = s.alias_mapping.get(call.func.id, call.func.id)
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        s.instance_mapping[target.id] = cls
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        s = self.s
        if s.found:
            return
        owner = node.value.id if isinstance(node.value, ast.Name) else None
        if owner is not None and owner in s.imported_modules:
            if node.attr in s.targets:
                s.found = True
                return
            roots = s.dot_methods.get(node.attr)
            if roots and (s.alias_mapping.get(owner, owner) in roots or owner in roots):
                s.found = True
                return
        if owner is not None and owner in s.instance_mapping:
            roots = s.dot_methods.get(node.attr)
            if roots and s.instance_mapping[owner] in roots:
                s.found = True
                return
        if s.has_dynamic_imports and node.attr in s.targets:
            s.found = True
            return
        ast.NodeVisitor.generic_visit(self, node)

    def visit_Call(self, node: ast.Call) -> None:
        s = self.s
        if s.found:
            return
        if isinstance(node.func, ast.Name) and node.func.id == "__import__":
            s.has_dynamic_imports = True
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        s = self.s
        if s.found:
            return
        if node.id == "__import__":
            s.has_dynamic_imports = True
        if node.id in s.targets:
            s.found = True
            return
        for module in s.wildcard_modules:
            for t in s.targets:
                if t.startswith(module + ".") and t.endswith("." + node.id):
                    s.found = True
                    return
        self.generic_visit(node)


def should_process(path: str, targets: list[str]) -> bool:
    """True when the file may use a target (or cannot be parsed)."""
    wanted = set(targets)
    try:
        # Text mode, strict UTF-8, universal newlines: as the reference reads.
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        tree = ast.parse(source, filename=path)
        state = _State(wanted)
        _Walker(state).visit(tree)
    except (SyntaxError, FileNotFoundError):
        return True
    if state.found:
        return True
    # With dynamic imports, any target spelled anywhere in the text counts.
    return state.has_dynamic_imports and any(t in source for t in wanted)
