"""The import filter's fallback, run by the project's interpreter after import_filter_port.py's
source (`python -c <port + this>`): reads {"targets": [...], "files": [...]} on stdin and prints
one answer per file, in order: {"keep": bool} or {"error": "Type: message"} where the reference
would have raised (UnicodeDecodeError, RecursionError, MemoryError...). A fresh interpreter's main
thread, a few frames deep: as shallow as codeflash's own call, so RecursionError strikes no earlier.
"""

import json as _json
import sys as _sys


def _answer(path, targets):
    try:
        return {"keep": should_process(path, targets)}  # noqa: F821 (from the port, prepended)
    except BaseException as error:  # the reference would raise; the caller keeps the file
        return {"error": f"{type(error).__name__}: {error}"}


_request = _json.loads(_sys.stdin.read())
print(_json.dumps([_answer(path, _request["targets"]) for path in _request["files"]]))
