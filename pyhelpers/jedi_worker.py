"""The Jedi stage for one test file: our port of the per-file loop of
codeflash 0.20.6's `process_test_files`.

Runs inside the embedded interpreter (worker processes, or the main process
with --sequential). `init(config_json)` once, then `process_file(request_json)`
per file; both take and return JSON text. A file's answer is the ordered list
of "adds" the reference would make (duplicates included: its counts include
them), so the Rust side can merge files in any order and stay exact.

Everything Jedi is asked, and the order of asking, follows the reference:
`goto` results depend on earlier calls on the same Script. Nothing in Jedi is
patched: where `goto` gives several definitions we take `[0]` as the reference
does. Our determinism comes from where this runs (a child forked per file from
one identical warm process, fixed hash seed, address randomisation off), not
from changing Jedi. The warm process holds the parse trees of the warm set,
always loaded from the tree cache (`fill_tree_cache`, `use_tree_cache`). The only reads the reference does not make (the candidates
listed in `ambiguous`) happen after the file's last `goto`, in a child that
exits right after, so they cannot change any answer.
"""

import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

import jedi


# The reference's regexes, verbatim in meaning.
PYTEST_PARAMETRIZED = re.compile(r"[\[\]]")
UNITTEST_NUMBERED = re.compile(r"^test_\w+_\d+(?:_\w+)*")
UNITTEST_NUMBERED_SUFFIX = re.compile(r"_\d+(?:_\w+)*$")
FUNCTION_NAME = re.compile(r"([^.]+)\.([a-zA-Z0-9_]+)$")
REPLAY_TEST = 4

state = {}


def init(config_json):
    config = json.loads(config_json)
    project_root = Path(config["project_root"])
    if config.get("cache_dir"):
        jedi.settings.cache_directory = config["cache_dir"]
    if config.get("no_disk_cache"):
        disable_parso_disk_cache()
    # The reference hands Jedi its own process's sys.path (for the unittest strategy, the one
    # the loader left behind: the caller passes it); then the project root and its parent go first.
    sys_path = list(config["sys_path"]) if config.get("sys_path") is not None else list(sys.path)
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
    keep_parse_trees()
    warmed = 0
    if config.get("warm"):
        trees = warm_set(project_root, environment)
        if config.get("tree_cache"):
            fill_tree_cache(trees, config["tree_cache"])
            use_tree_cache(config["tree_cache"], store=False)
        warmed = warm_parse_cache(trees)
        stop_compiled_subprocess(environment)
    if config.get("no_disk_cache"):
        disable_parso_disk_cache()  # children parse what they need from source (see there)
    return json.dumps({
        "python": sys.version.split()[0], "executable": sys.executable, "prefix": sys.prefix,
        "jedi": jedi.__version__, "jedi_environment": type(environment).__name__, "sys_path": sys_path,
        "warmed": warmed, "compiled": compiled_subprocess_start(environment),
    })


def compiled_subprocess_start(environment):
    """How Jedi starts its compiled subprocess in this environment (as `CompiledSubprocess.
    _get_process` builds it), for the worker's zygote (src/jedi/embedded/zygote.rs); None where
    Jedi runs compiled analysis in its own process."""
    executable = getattr(environment, "_start_executable", None)
    if executable is None:
        return None
    from jedi.inference.compiled import subprocess as compiled_subprocess

    parso_folder = os.path.dirname(os.path.dirname(sys.modules["parso"].__file__))
    version = ".".join(str(x) for x in sys.version_info[:3])
    args = [executable, compiled_subprocess._MAIN_PATH, parso_folder, version]
    return {"args": args, "env": environment._env_vars}


# Standard modules nearly every test file makes Jedi read (stub and source).
WARM_STDLIB = (
    "builtins", "typing", "typing_extensions", "types", "_typeshed", "abc", "collections",
    "collections.abc", "_collections_abc", "functools", "itertools", "os", "sys", "math",
    "random", "enum", "re", "unittest", "dataclasses", "pathlib",
)
# Installed packages that most test files lead Jedi into (pytest's own modules; its imports).
WARM_PACKAGES = ("pytest", "_pytest", "typing_extensions", "pluggy")
SKIP_DIRS = {"__pycache__", "node_modules", "site-packages", "build", "dist"}
WARM_LIMIT_BYTES = 64 * 1024 * 1024


def warm_set(project_root, environment):
    """(grammar, path) of every tree the warm parent holds: the project's own modules and the
    standard stubs and sources Jedi reads for almost every file. The list depends only on the
    project's files and the environment, so the warm state is the same run after run."""
    grammar = environment.get_grammar()
    stub_grammar = latest_grammar()
    paths = project_sources(project_root) + stdlib_sources(stub_grammar is not None) + package_sources()
    return [(stub_grammar if path.endswith(".pyi") else grammar, path) for path in paths]


def warm_parse_cache(trees):
    """Put the warm set into parso's in-memory cache, once, before the first fork.

    Every forked child then shares those trees (copy-on-write) instead of parsing them
    again. Only the cache of parse trees changes, never an answer: a child finds the tree
    it would have parsed from the same source. With `use_tree_cache` on, trees come from
    the tree cache. Nothing else is analysed here: a probe analysis that warmed Jedi's
    own caches cost more than it saved (networkx, 3 files: 22.6 s with it, 10.4 s without).
    """
    import gc

    warmed = 0
    gc.disable()  # the warm-up only adds trees: nothing to collect, and parsing runs ~25% faster
    try:
        for grammar, path in trees:
            try:
                module = grammar.parse(path=path, cache=True, diff_cache=jedi.settings.fast_parser,
                                       cache_path=jedi.settings.cache_directory)
                module.get_used_names()  # computed once per tree and kept on it
                warmed += 1
            except Exception:
                pass  # the child will meet (and report) the same problem itself
    finally:
        gc.enable()
    # Frozen, not collected: a full collection here walked every object of the warm set (1.1 s
    # of a serial step on networkx's), to free next to nothing. Each child freezes again and then
    # collects its empty generations (session.rs, `own_heap`), so its collector's schedule is the
    # same either way; measured, networkx's answers (weighted.py's functions, all files) did not move.
    gc.freeze()
    return warmed


def stop_compiled_subprocess(environment):
    """The warm process must be single-threaded at fork: stop Jedi's compiled subprocess (and
    its reader thread) if anything started it. Each forked child starts its own."""
    subprocess = getattr(environment, "_subprocess", None)
    if subprocess is not None:
        subprocess._kill()


# Bump when what a stored tree holds changes; old entries are then never read.
TREE_CACHE_FORMAT = "1"


def fill_tree_cache(trees, tree_cache):
    """Make the tree cache hold `trees`, without touching this process.

    The warm parent always *loads* its trees (`use_tree_cache(store=False)`): had it parsed
    them, another memory layout would be left behind, and the forked children's answers at
    Jedi-ambiguous sites depend on it (measured on networkx: a parsed and a loaded warm
    state pick differently at test_weighted.py:342). So a throw-away child checks the cache
    and parses (and stores) what it lacks, and this process only forks and waits, whatever
    the cache held. The check is the child's too: read here, it left this process with one
    layout in a run whose cache was empty (stopping at the first missing entry) and another
    in a run whose cache was full (reading every entry), and the primed children forked
    from it answered differently (measured: networkx all files minutes after an install,
    17 entries in 2 primed files between a fresh and a kept HOME). A primed child fills its
    own trees through this function too (parso_cache.fill_store).
    """
    # Only fork and wait here: anything more (even opening a lock file) would leave this
    # process with another layout than a run that found the cache full (measured).
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            die_with_parent()
            # One filler at a time (this run's other workers, other runs): the rest wait here,
            # then find the cache full. Parse (and store) only what is missing: this process
            # is thrown away.
            lock = lock_fill(tree_cache)
            missing = [tree for tree, entry in zip(trees, cache_entries(trees, tree_cache, all_trees=True))
                       if entry is not None and read_entry(entry) is None]
            if missing:
                use_tree_cache(tree_cache, store=True)
                warm_parse_cache(missing)
            del lock
            code = 0
        except BaseException:
            pass
        finally:
            os._exit(code)
    os.waitpid(pid, 0)  # had it failed, loads miss and this process parses those trees


def lock_fill(tree_cache):
    """An exclusive lock on the store's fill.lock (released when the file is closed, or when
    this process dies), or None where it cannot be taken: filling twice is only slower."""
    import fcntl

    try:
        os.makedirs(tree_cache, exist_ok=True)
        lock = open(os.path.join(tree_cache, "fill.lock"), "a")
    except OSError:
        return None
    try:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
    except OSError:
        lock.close()
        return None
    return lock


def cache_entries(trees, tree_cache, all_trees=False):
    """The cache entry of each tree of the warm set that can be parsed (decoded) at all; with
    `all_trees`, one item per tree (None for those)."""
    from parso.utils import python_bytes_to_unicode

    for grammar, path in trees:
        try:
            with open(path, "rb") as f:
                text = python_bytes_to_unicode(f.read())
        except Exception:
            if all_trees:
                yield None
            continue  # parso fails on it too: never cached, never a reason to fill
        yield tree_cache_entry(tree_cache, grammar._hashed, text)


def die_with_parent():
    import ctypes
    import signal

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def use_tree_cache(tree_cache, store):
    """parso's pickle cache, redirected to our content-addressed store.

    parso's own disk cache trusts a file's mtime and writes in place (a reader can meet half
    a pickle: field notes). Here a tree is found by the text it was parsed from, so it
    cannot be served for other content, and is written by an atomic rename.
    Only the warm-up uses it: each forked child still parses from source whatever it
    needs beyond the warm set, so a child's work is the same in a cold run and a warm one.
    """
    import parso.cache
    from parso.utils import python_bytes_to_unicode

    def load(hashed_grammar, path, p_time, cache_path=None):
        loaded = None
        try:
            with open(path, "rb") as f:
                text = python_bytes_to_unicode(f.read())
            loaded = load_tree(tree_cache_entry(tree_cache, hashed_grammar, text))
        except Exception:
            pass  # parso reads it again and meets the same problem
        if loaded is None:
            return None
        node, lines = loaded
        # as a tree parso parsed itself: stamped with the file's mtime
        parso.cache._set_cache_item(hashed_grammar, path, parso.cache._NodeCacheItem(node, lines, p_time))
        return node

    def save(hashed_grammar, path, item, cache_path=None):
        if store:
            store_tree(tree_cache_entry(tree_cache, hashed_grammar, "".join(item.lines)), item.node, item.lines)

    parso.cache._load_from_file_system = load
    parso.cache._save_to_file_system = save


def tree_cache_entry(tree_cache, hashed_grammar, text):
    """The key is the parsed text, the grammar and the parso and Python versions; never the
    path or an mtime, so a stored tree can only be served for the text it was parsed from."""
    import hashlib
    import parso

    digest = hashlib.sha256()
    for part in (TREE_CACHE_FORMAT, parso.__version__, sys.version, hashed_grammar):
        digest.update(part.encode() + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    key = digest.hexdigest()
    return os.path.join(tree_cache, key[:2], key + ".pickle")


def load_tree(entry):
    """The stored (node, lines), or None when absent, corrupt or foreign: such an entry
    costs a parse (and the fill child replaces it), never an error."""
    import gc
    import pickle

    payload = read_entry(entry)
    if payload is None:
        return None
    collecting = gc.isenabled()
    gc.disable()  # as parso loads its pickles: a tree is many small objects
    try:
        node, lines = pickle.loads(payload)
    except Exception:
        return None
    finally:
        if collecting:
            gc.enable()
    if type(node).__name__ != "Module" or not isinstance(lines, list):
        return None
    return node, lines


# An entry is ENTRY_MAGIC, the sha256 of the payload, then the payload (a pickle).
ENTRY_MAGIC = b"codeflash-discover tree\n"


def read_entry(entry):
    """The payload of an intact entry, else None (absent, truncated, altered)."""
    import hashlib

    try:
        with open(entry, "rb") as f:
            data = f.read()
    except OSError:
        return None
    head = len(ENTRY_MAGIC) + 32
    if not data.startswith(ENTRY_MAGIC) or hashlib.sha256(data[head:]).digest() != data[len(ENTRY_MAGIC):head]:
        return None
    return data[head:]


def store_tree(entry, node, lines):
    import hashlib
    import pickle

    try:
        payload = pickle.dumps((node, lines), pickle.HIGHEST_PROTOCOL)
        write_atomically(entry, ENTRY_MAGIC + hashlib.sha256(payload).digest() + payload)
    except Exception:
        pass  # a cache that cannot be written only costs the next run a parse


def write_atomically(path, data):
    """Write to a temporary file in the cache's tmp/ folder, then rename it into place: a reader
    sees the old state or the new, never half a file; concurrent writers write the same bytes.
    A writer killed mid-write leaves only a tmp/ file (removed by `cache clean`)."""
    import tempfile

    root = os.path.dirname(os.path.dirname(path))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.makedirs(os.path.join(root, "tmp"), exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=os.path.join(root, "tmp"))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def package_sources():
    """The top-level .py files of WARM_PACKAGES, found without importing them."""
    import importlib.util

    found = []
    for name in WARM_PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except Exception:
            continue
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            continue
        if spec.submodule_search_locations:
            folder = os.path.dirname(spec.origin)
            found += [os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f.endswith(".py")]
        else:
            found.append(spec.origin)
    return found


def keep_parse_trees():
    """parso drops cached trees not used for 10 minutes once it holds 600: a
    clock-dependent free that would make a child's memory layout, and so Jedi's
    set orders, depend on how long the run has lasted. Trees are kept instead
    (they are the same trees parso would parse again)."""
    import parso.cache

    parso.cache._CACHED_SIZE_TRIGGER = sys.maxsize


def latest_grammar():
    """The grammar Jedi parses stubs with (`InferenceState.latest_grammar`), or None."""
    import inspect
    import parso
    from jedi.inference import InferenceState

    try:
        found = re.search(r"latest_grammar\s*=\s*parso\.load_grammar\(version=['\"]([0-9.]+)['\"]\)",
                          inspect.getsource(InferenceState.__init__))
        return parso.load_grammar(version=found.group(1)) if found else None
    except Exception:
        return None


def project_sources(project_root):
    """The project's modules under its root, sorted: every .py/.pyi but test modules
    (each is parsed by its own child anyway), hidden folders, caches and venvs."""
    found, total = [], 0
    for directory, subdirs, files in os.walk(project_root):
        subdirs[:] = sorted(
            d for d in subdirs
            if not d.startswith(".") and d not in SKIP_DIRS
            and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
        )
        for name in sorted(files):
            if name.endswith((".py", ".pyi")) and not (name.startswith("test_") or name.endswith("_test.py")):
                path = os.path.join(directory, name)
                try:
                    total += os.path.getsize(path)
                except OSError:
                    continue
                if total > WARM_LIMIT_BYTES:
                    return found
                found.append(path)
    return found


def stdlib_sources(with_stubs):
    """Jedi's typeshed stubs and the interpreter's sources of WARM_STDLIB, where they exist."""
    import sysconfig

    typeshed = os.path.join(os.path.dirname(jedi.__file__), "third_party", "typeshed", "stdlib")
    stdlib = sysconfig.get_paths()["stdlib"]
    found = []
    for module in WARM_STDLIB:
        relative = module.replace(".", os.sep)
        candidates = [os.path.join(stdlib, relative + ".py"), os.path.join(stdlib, relative, "__init__.py")]
        if with_stubs:
            candidates += [os.path.join(typeshed, relative + ".pyi"), os.path.join(typeshed, relative, "__init__.pyi")]
        found += [c for c in candidates if os.path.isfile(c)]
    return found


def disable_parso_disk_cache():
    """Forked children neither read nor write parso's pickle cache.

    A child that loaded a tree another child pickled would start from a different
    memory layout than one that parsed it, and Jedi's identity-hashed sets would
    iterate differently. Parsing from source gives content-identical trees (what the
    reference gets on a fresh HOME); parso's in-memory cache still serves repeats.
    """
    import parso.cache

    parso.cache._load_from_file_system = lambda *args, **kwargs: None
    parso.cache._save_to_file_system = lambda *args, **kwargs: None


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
    several = []  # (name, definitions) where goto gave several: described after the loop
    for name, scope in relevant:
        try:
            definitions = name.goto(follow_imports=True, follow_builtin_imports=False)
        except Exception:
            continue
        if len(definitions) > 1:
            several.append((name, definitions))
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
    # Only now, after the file's last goto, read what the reference never reads.
    for name, definitions in several:
        ambiguous.append({
            "line_no": name.line, "col_no": name.column, "name": name.name,
            "candidates": [describe_definition(d) for d in definitions],
        })
    return json.dumps({"adds": adds, "ambiguous": ambiguous, "error": None})


def describe_definition(definition):
    """`path:line:column full_name` of one goto candidate, in Jedi's order (we took the first)."""
    try:
        return f"{definition.module_path or ''}:{definition.line or 0}:{definition.column or 0} {definition.full_name or ''}"
    except Exception as error:
        return f"<unreadable: {type(error).__name__}>"
