"""Fill the parse-tree store ahead of the Jedi workers, on every usable core (src/jedi/tree_fill.rs).

Run as `python -c <this> <jedi_worker.py source> <the Jedi stage's settings, JSON>` with the
project's interpreter, while collection runs. It lists the warm set exactly as a worker does
(`warm_set` of jedi_worker.py, loaded here as a module), takes the store's fill lock, and parses
what is missing in itself and in forked helpers, one per usable core (at most 8), largest files
first onto the least loaded share. The lock is taken first thing, so a worker's own fill (one
core) waits on it, then finds the trees.

This process is not a worker and nothing here reaches an answer: a stored tree is the pickle of one
fresh parse of one text, whichever process parsed it, and the workers' own Python is unchanged.
"""

import json
import os
import sys
import types
from pathlib import Path

if sys.path and sys.path[0] == "":
    del sys.path[0]  # as in a worker: no script folder
HELPER_SOURCE = sys.argv[1]
CONFIG = json.loads(sys.argv[2])
HELPERS_MAX = 8


def load_helper():
    module = types.ModuleType("_cfd_jedi_worker")
    module.__file__ = "<codeflash-discover>/_cfd_jedi_worker.py"
    sys.modules[module.__name__] = module
    exec(compile(HELPER_SOURCE, module.__file__, "exec"), module.__dict__)
    return module


def shares(trees, count):
    """`trees` in `count` lists of about equal bytes: largest first, onto the least loaded."""
    def size(path):
        try:
            return os.path.getsize(path)
        except OSError:
            return 0

    out, loads = [[] for _ in range(count)], [0] * count
    for nbytes, tree in sorted(((size(tree[1]), tree) for tree in trees), key=lambda pair: pair[0], reverse=True):
        least = loads.index(min(loads))
        out[least].append(tree)
        loads[least] += nbytes
    return out


def parse_share(share):
    """Parse `share`, each tree stored by `use_tree_cache` inside parso's parse. Less than a
    worker's warm-up (`warm_parse_cache`): no used-names table and no closing collection, which
    only this process would keep (a tree is pickled before either), and it ends right after."""
    import gc
    import jedi

    gc.disable()  # only trees are added, and this process ends without collecting
    for grammar, path in share:
        try:
            grammar.parse(path=path, cache=True, diff_cache=jedi.settings.fast_parser,
                          cache_path=jedi.settings.cache_directory)
        except Exception:
            pass  # not stored: the worker that needs it parses it and meets the same problem


def lock_fill(store):
    """The store's fill lock (as jedi_worker.lock_fill), taken before anything is imported, so
    that this process, not a worker's one-core fill, parses; None where it cannot be taken."""
    import fcntl

    try:
        os.makedirs(store, exist_ok=True)
        lock = open(os.path.join(store, "fill.lock"), "a")
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        return lock
    except OSError:
        return None


def main():
    store = CONFIG["tree_cache"]
    lock = lock_fill(store)
    # Below collection and the workers' warm-up, which it runs beside: in a repeat run this process
    # only looks, and in a first run the workers wait for it anyway.
    os.nice(10)
    worker = load_helper()
    import jedi

    root = Path(CONFIG["project_root"])
    environment = jedi.Project(path=root).get_environment()  # as the worker's: this interpreter
    trees = worker.warm_set(root, environment)
    entries = list(worker.cache_entries(trees, store, all_trees=True))
    # A store that has every entry (a repeat run) costs only this look: a damaged entry is left to
    # the worker that meets it (its own check reads every entry).
    if all(entry is None or os.path.exists(entry) for entry in entries):
        return
    missing = [tree for tree, entry in zip(trees, entries) if entry is not None and worker.read_entry(entry) is None]
    worker.use_tree_cache(store, store=True)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    first, *rest = shares(missing, max(1, min(cores, HELPERS_MAX, len(missing))))
    helpers = []
    for share in rest:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                worker.die_with_parent()
                parse_share(share)
                code = 0
            finally:
                os._exit(code)
        helpers.append(pid)
    parse_share(first)
    for pid in helpers:
        os.waitpid(pid, 0)  # a helper that failed leaves misses: the workers parse those
    del lock


if __name__ == "__main__":
    main()
    # Without the interpreter's teardown, which would free every tree one by one: seconds of a
    # core that the workers' warm-up needs (networkx: 2 to 4 s of CPU).
    os._exit(0)
