"""The Jedi stage for one test file: our port of the per-file loop of
codeflash 0.20.6's `process_test_files`.

Runs inside the embedded interpreter (worker processes, or the main process
with --sequential). `init(config_json)` once, then `process_file(request_json)`
per file; both take and return JSON text. A file's answer is the ordered list
of "adds" the reference would make (duplicates included: its counts include
them), so the Rust side can merge files in any order and stay exact.

Everything Jedi is asked, and the order of asking, follows the reference:
`goto` results depend on earlier calls on the same Script.
"""

import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

import jedi

from _cfd_goto_order import definition_sort_key, patch_jedi_class_mro, patch_jedi_value_sets

# The reference's regexes, verbatim in meaning.
PYTEST_PARAMETRIZED = re.compile(r"[\[\]]")
UNITTEST_NUMBERED = re.compile(r"^test_\w+_\d+(?:_\w+)*")
UNITTEST_NUMBERED_SUFFIX = re.compile(r"_\d+(?:_\w+)*$")
FUNCTION_NAME = re.compile(r"([^.]+)\.([a-zA-Z0-9_]+)$")
REPLAY_TEST = 4

state = {}


def init(config_json):
    config = json.loads(config_json)
    patch_jedi_class_mro()  # content-based order where jedi walks several possible bases
    patch_jedi_value_sets()  # ... and wherever it walks a set of inferred values
    project_root = Path(config["project_root"])
    if config.get("cache_dir"):
        jedi.settings.cache_directory = config["cache_dir"]  # parso's disk cache is not multi-writer safe
    sys_path = list(sys.path)
    # The reference puts the project root, then its parent, in front.
    if str(project_root) not in sys_path:
        sys_path.insert(0, str(project_root))
    if str(project_root.parent) not in sys_path:
        sys_path.insert(0, str(project_root.parent))
    state["project_root"] = project_root
    state["framework"] = config["test_framework"]
    state["functions_by_name"] = config["functions_by_name"]  # function_name -> [map key, ...]
    state["project"] = jedi.Project(path=project_root, sys_path=sys_path)
    environment = state["project"].get_environment()
    return json.dumps({
        "python": sys.version.split()[0], "executable": sys.executable, "prefix": sys.prefix,
        "jedi": jedi.__version__, "jedi_environment": type(environment).__name__, "sys_path": sys_path,
    })


def module_name_from_file_path(file_path, project_root):
    relative = Path(file_path).resolve().relative_to(project_root.resolve())  # ValueError outside the root
    return relative.with_suffix("").as_posix().replace("/", ".")


def pytest_test_functions(tests, top_level_functions):
    found = set()  # (function_name, test_class, parameters, test_type), a set as in the reference
    for test in tests:
        name = test["test_function"]
        if "[" in name:
            # Quirk kept: parameters are the text up to the next bracket of either kind.
            parts = PYTEST_PARAMETRIZED.split(name)
            if parts[0] in top_level_functions:
                found.add((parts[0], test["test_class"], parts[1], test["test_type"]))
        elif name in top_level_functions:
            found.add((name, test["test_class"], None, test["test_type"]))
        elif UNITTEST_NUMBERED.match(name):
            base_name = UNITTEST_NUMBERED_SUFFIX.sub("", name)
            if base_name in top_level_functions:
                # Quirk kept: the whole name becomes the "parameters".
                found.add((base_name, test["test_class"], name, test["test_type"]))
    return found


def unittest_test_functions(tests, top_level_classes, all_defs):
    found = set()
    names_to_search = [test["test_function"] for test in tests]
    first_type = tests[0]["test_type"]  # the reference uses functions[0].test_type for all
    suites = {test["test_class"] for test in tests}
    for class_name in suites & top_level_classes.keys():
        for definition in all_defs:
            if definition.type == "function" and definition.full_name is not None and f".{class_name}." in definition.full_name:
                for wanted in names_to_search:
                    parts = wanted.split("_")
                    if len(parts) > 1 and parts[-1].isdigit() and "_".join(parts[:-1]) == definition.name:
                        found.add((definition.name, class_name, parts[-1], first_type))
                    elif wanted == definition.name:
                        found.add((definition.name, class_name, None, first_type))
    return found


def scoped_test_name(test_function):
    function_name, _, parameters, _ = test_function
    if parameters is None:
        return function_name
    return f"{function_name}[{parameters}]" if state["framework"] == "pytest" else f"{function_name}_{parameters}"


def process_file(request_json):
    request = json.loads(request_json)
    test_file, tests = request["path"], request["tests"]
    project_root = state["project_root"]
    adds, ambiguous = [], []
    try:
        script = jedi.Script(path=test_file, project=state["project"])
        all_names = script.get_names(all_scopes=True, references=True)
        all_names_top = script.get_names(all_scopes=True)
        all_defs = [name for name in all_names if name.is_definition()]
        # Two passes reading .type, as the reference does (goto depends on it).
        top_level_functions = {name.name: name for name in all_names_top if name.type == "function"}
        top_level_classes = {name.name: name for name in all_names_top if name.type == "class"}
    except Exception as error:  # the reference skips the file silently
        return json.dumps({"adds": [], "ambiguous": [], "error": f"jedi could not analyze the file: {type(error).__name__}: {error}"})

    if state["framework"] == "pytest":
        test_functions = pytest_test_functions(tests, top_level_functions)
    else:
        test_functions = unittest_test_functions(tests, top_level_classes, all_defs)

    by_scope = defaultdict(list)
    for test_function in test_functions:
        by_scope[test_function[0]].append(test_function)

    relevant = []
    for name in all_names:
        if name.full_name is None:
            continue
        match = FUNCTION_NAME.search(name.full_name)
        if match and match.group(1) in by_scope:
            relevant.append((name, match.group(1)))

    functions_by_name = state["functions_by_name"]
    for name, scope in relevant:
        try:
            definitions = name.goto(follow_imports=True, follow_builtin_imports=False)
            # Our deterministic rule (see goto_order.py); the reference takes a run-dependent first.
            keys = [definition_sort_key(d) for d in definitions]
            order = sorted(range(len(definitions)), key=keys.__getitem__)
            definitions = [definitions[i] for i in order]
        except Exception:
            continue
        if len(definitions) > 1:
            ambiguous.append({
                "line_no": name.line, "col_no": name.column, "name": name.name,
                "candidates": [f"{keys[i][0]}:{keys[i][1]}:{keys[i][2]} {keys[i][3]}" for i in order],
            })
        try:
            if not definitions or definitions[0].type != "function":
                # Fallback by name when Jedi cannot resolve (e.g. pytest fixtures).
                if functions_by_name and name.name:
                    for map_key in functions_by_name.get(name.name, []):
                        for test_function in by_scope[scope]:
                            adds.append([map_key, test_function[1], scoped_test_name(test_function), test_function[3], name.line, name.column])
                continue
            definition = definitions[0]
            if (
                str(definition.module_path).startswith(str(project_root) + os.sep)
                and definition.module_name != name.module_name
                and definition.full_name is not None
            ):
                qualified = definition.full_name.replace(definition.module_name + ".", "", 1)
                map_key = f"{module_name_from_file_path(definition.module_path, project_root)}.{qualified}"
                for test_function in by_scope[scope]:
                    adds.append([map_key, test_function[1], scoped_test_name(test_function), test_function[3], name.line, name.column])
        except Exception:
            continue
    return json.dumps({"adds": adds, "ambiguous": ambiguous, "error": None})
