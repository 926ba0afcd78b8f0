#!/usr/bin/env python3
"""Where the reference's time goes, file by file: runs scripts/bench/reference_modes.py (the
reference, codeflash 0.20.6 `discover_unit_tests`) with a timestamp written at each `jedi.Script`
it makes, i.e. at the start of each test file's Jedi pass. Nothing Jedi computes changes: the
wrapper only records the time and calls the original.

usage: REF_PYTHON scripts/bench/reference_per_file.py OUT.tsv [reference_modes.py's arguments]
Run as reference_modes.py is (HOME, XDG_CACHE_HOME and cwd set by the caller). OUT.tsv gets one
line per test file, `seconds<TAB>path`, in the reference's order: the time from its Script to the
next one (the last file's to the end of the run). The first line's start minus the run's start is
the collection and the filter; reference_modes.py's JSON line goes to stdout as usual.
Compare with ours: `CODEFLASH_DISCOVER_LOG=codeflash_discover=debug` logs `done: PATH seconds=`;
`scripts/bench/per_file_compare.py OUT.tsv OURS.log` reads both and sets them side by side.
"""

import os
import runpy
import sys
import time

import jedi


def main():
    out = sys.argv[1]
    starts = [("start", time.time())]
    original = jedi.Script.__init__

    def timed(self, *args, **kwargs):
        starts.append((os.fspath(kwargs.get("path") or (args[1] if len(args) > 1 else "?")), time.time()))
        original(self, *args, **kwargs)

    jedi.Script.__init__ = timed
    sys.argv = [os.path.join(os.path.dirname(__file__), "reference_modes.py")] + sys.argv[2:]
    try:
        runpy.run_path(sys.argv[0], run_name="__main__")
    finally:
        starts.append(("end", time.time()))
        with open(out, "w", encoding="utf-8") as f:
            f.write(f"{starts[1][1] - starts[0][1]:.3f}\tcollection and filter\n" if len(starts) > 2 else "")
            for (path, start), (_, following) in zip(starts[1:-1], starts[2:]):
                f.write(f"{following - start:.3f}\t{path}\n")


if __name__ == "__main__":
    main()
