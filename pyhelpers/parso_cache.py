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
import time

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


def prime(prime_json, worker):
    """Make parso's cache hold exactly the reference's trees before this file. `prime_json`:
    {"trigger": parso's eviction size, "trees": [[path, used recently], ...]}; `worker`: the
    loaded jedi_worker (its Jedi project and grammars). Warm trees the reference lacks are
    dropped, the trees it holds parsed where missing; a tree used recently is stamped now, any
    other as old. Then parso evicts at the reference's size, as in the reference."""
    import json

    import jedi
    import parso.cache

    wanted = {path: recent for path, recent in json.loads(prime_json)["trees"]}
    for trees in parso.cache.parser_cache.values():
        for path in [p for p in trees if p is None or os.fspath(p) not in wanted]:
            del trees[path]
    held = {os.fspath(p) for trees in parso.cache.parser_cache.values() for p in trees}
    grammar = worker.state["project"].get_environment().get_grammar()
    stub_grammar = worker.latest_grammar() or grammar
    for path in wanted:
        if path not in held:
            try:
                (stub_grammar if path.endswith(".pyi") else grammar).parse(
                    path=path, cache=True, diff_cache=jedi.settings.fast_parser, cache_path=jedi.settings.cache_directory)
            except Exception:
                pass  # Jedi parses it again when it needs it, and meets the same problem
    now = time.time()
    for trees in parso.cache.parser_cache.values():
        for path, item in trees.items():
            item.last_used = now if wanted.get(os.fspath(path)) else min(item.change_time, now - RECENT_SECONDS - 1)
    parso.cache._CACHED_SIZE_TRIGGER = json.loads(prime_json)["trigger"]


def trees_after():
    """[[path, used recently], ...] of parso's cache after a primed file, sorted: the reference's
    cache before the next one."""
    import parso.cache

    cutoff = time.time() - RECENT_SECONDS
    return sorted((os.fspath(path), item.last_used > cutoff)
                  for trees in parso.cache.parser_cache.values() for path, item in trees.items() if path is not None)
