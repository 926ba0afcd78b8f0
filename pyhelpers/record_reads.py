"""What a collection process read: the files it opened for reading and the folders it listed
(pytest walking the tests root, the import system looking for modules), through an audit hook
(PEP 578), plus the source of every module it imported. The collection cache keys on them
(src/cache/collection.rs). Imported by the collection helpers before anything else runs;
the hook only records, so collection goes exactly as without it.

`report()` -> {"files": [...], "folders": [...]}, absolute paths; None when one of them is not
valid UTF-8 (the collection is then not kept).
"""

import os
import sys

_files, _folders = set(), set()
_complete = True  # False once a read could not be recorded: the collection is then not kept
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _path(value):
    if isinstance(value, (str, bytes, os.PathLike)):
        try:
            return os.path.abspath(os.fsdecode(value))
        except Exception:
            return None
    return None  # a file descriptor: its path was recorded when it was opened


def _hook(event, args):
    global _complete
    try:
        _record(event, args)
    except Exception:  # an exception here would fail the audited call: never let one out
        _complete = False


def _record(event, args):
    if event == "open":
        path, mode, flags = args
        writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool((flags or 0) & _WRITE_FLAGS)
        path = None if writes else _path(path)
        if path is not None:
            _files.add(path)
    elif event in ("os.listdir", "os.scandir"):
        # A folder listed through a descriptor is left out: that is shutil.rmtree's walk (measured:
        # tempfile's cleanup during collection), which removes what it lists and reads nothing.
        path = _path(args[0] if args[0] is not None else ".")
        if path is not None:
            _folders.add(path)


sys.addaudithook(_hook)


def report():
    files = set(_files)
    for module in list(sys.modules.values()):
        source = getattr(module, "__file__", None)
        if isinstance(source, str):
            files.add(os.path.abspath(source))
    # Compiled bytecode follows its source (recorded above); keying on it would go stale.
    if not _complete:
        return None
    files = sorted(f for f in files if not f.endswith(".pyc"))
    folders = sorted(_folders)
    try:
        for path in files + folders:
            path.encode("utf-8")
    except UnicodeEncodeError:
        return None  # a path the cache cannot name: this collection is not kept
    return {"files": files, "folders": folders}
