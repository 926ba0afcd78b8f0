"""parso's in-memory cache, as the orchestrator models the reference's across files
(src/jedi/eviction.rs). Loaded only in a forked child: after its answer (`tree_report`), and,
in a child asked to analyse its file from the reference's cache, before it (`prime`) and after
it (`trees_after`). Nothing here runs in the warm process, so its memory, which the picks at
Jedi-ambiguous sites depend on, is the same with or without it.

parso 0.8 evicts, at the insertion that finds 600 trees held (`_CACHED_SIZE_TRIGGER`), every tree
not used in the last 10 minutes; a fresh parse counts as used at its file's mtime. In the
reference's one process such an eviction can drop a tree Jedi still reads: `get_parso_cache_node`
then raises KeyError and the reference skips every later name of that file. Our children keep every
tree (jedi_worker.keep_parse_trees); a file during which the reference evicts is analysed again in
a child primed with the reference's cache.
"""

import os

RECENT_SECONDS = 600  # parso.cache._CACHED_FILE_MINIMUM_SURVIVAL


def tree_report(started):
    """{"read": every file parso holds a tree of, "hits": those used since `started` (the warm
    set's trees this file used: a load of a held tree stamps it)}, sorted."""
    import parso.cache

    read, hits = set(), set()
    for trees in parso.cache.parser_cache.values():
        for path, item in trees.items():
            if path is not None:
                read.add(os.fspath(path))
                if item.last_used >= started:
                    hits.add(os.fspath(path))
    return {"read": sorted(read), "hits": sorted(hits)}


class RunClock:
    """parso.cache's clock in a primed child (it reads only `time.time()`): the model's, the Jedi
    stage's start. parso stamps a hit with the time and a fresh parse with its file's mtime, and
    evicts what is older than the time less 10 minutes; the model (src/jedi/eviction.rs) decides
    with the stage's start. On the real clock, a file modified 9 minutes before the run was recent
    to the model and old to a child primed 2 minutes in: the answer depended on when the child ran
    (measured, networkx all files after a fresh install: 21,314 and 20,489 tests from one build)."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


def prime(prime_json, worker, tree_cache=None):
    """Make parso's cache hold exactly the reference's trees before this file. `prime_json`:
    {"trigger": parso's eviction size, "trees": [[path, used recently], ...]}; `worker`: the
    loaded jedi_worker (its Jedi project and grammars); `tree_cache`: the run's parse-tree store.
    Warm trees the reference lacks are dropped, the trees it holds loaded from the store where
    missing (parsed where the store cannot serve them); a tree used recently is stamped now, any
    other as old. Then parso evicts at the reference's size, as in the reference."""
    import json

    import jedi
    import parso.cache

    request = json.loads(prime_json)
    if request.get("clock_ns") is not None:
        parso.cache.time = RunClock(request["clock_ns"] / 1e9)
    wanted = {path: recent for path, recent in request["trees"]}
    for trees in parso.cache.parser_cache.values():
        for path in [p for p in trees if p is None or os.fspath(p) not in wanted]:
            del trees[path]
    held = {os.fspath(p) for trees in parso.cache.parser_cache.values() for p in trees}
    grammar = worker.state["project"].get_environment().get_grammar()
    stub_grammar = worker.latest_grammar() or grammar
    missing = [(stub_grammar if path.endswith(".pyi") else grammar, path) for path in wanted if path not in held]
    disk = parso.cache._load_from_file_system, parso.cache._save_to_file_system
    if tree_cache:
        fill_store(worker, missing, tree_cache)
        worker.use_tree_cache(tree_cache, store=False)
    try:
        for tree_grammar, path in missing:
            try:
                tree_grammar.parse(
                    path=path, cache=True, diff_cache=jedi.settings.fast_parser, cache_path=jedi.settings.cache_directory)
            except Exception:
                pass  # Jedi parses it again when it needs it, and meets the same problem
    finally:
        parso.cache._load_from_file_system, parso.cache._save_to_file_system = disk
    now = parso.cache.time.time()
    for trees in parso.cache.parser_cache.values():
        for path, item in trees.items():
            item.last_used = now if wanted.get(os.fspath(path)) else min(item.change_time, now - RECENT_SECONDS - 1)
    parso.cache._CACHED_SIZE_TRIGGER = request["trigger"]


def fill_store(worker, trees, tree_cache):
    """Make the tree store hold `trees`, without touching this process: the warm process's own
    fill (jedi_worker.fill_tree_cache: a throw-away child checks the store and parses what it
    lacks; this process only forks and waits). This process then loads every tree, whatever
    the store held: in a first run and in every later one it does the same (fork, wait, load),
    so its memory layout, and Jedi's picks at identity-hashed sites with it, cannot depend on
    the store. Loading instead of parsing: a primed file needs the reference's ~600 trees,
    mostly beyond the warm set, and a chain of such files is analysed one after another;
    unpickling is about ten times faster than parsing (measured: 300 numpy and matplotlib
    modules, 1.6 s against 18.6 s)."""
    worker.fill_tree_cache(trees, tree_cache)


def trees_after():
    """[[path, used recently], ...] of parso's cache after a primed file, sorted: the reference's
    cache before the next one."""
    import parso.cache

    cutoff = parso.cache.time.time() - RECENT_SECONDS
    return sorted((os.fspath(path), item.last_used > cutoff)
                  for trees in parso.cache.parser_cache.values() for path, item in trees.items() if path is not None)
