#!/usr/bin/env python3
"""What one page fault costs on this machine: a copy-on-write fault and a zero-filled one.

usage: python3 scripts/bench/fault_cost.py [MIB]

Each of our file's children is forked from the warm process: its first write to a page of the
shared warm trees (a reference count is enough) copies that page, and each page of fresh memory is
zero-filled at its first touch. `perf stat -e page-faults` counts them over a run; this gives the
price of one. A parent fills MIB MiB (default 200) and forks; the child writes one byte per page
three times: the first pass copies every page, the second (already private) is the loop alone, and
a pass over a fresh mapping zero-fills. Printed: microseconds per page of each kind.
"""

import mmap
import os
import sys
import time

PAGE = mmap.PAGESIZE


def touch(memory, size, value):
    started = time.perf_counter()
    for offset in range(0, size, PAGE):
        memory[offset] = value
    return time.perf_counter() - started


def main():
    size = int(sys.argv[1] if len(sys.argv) > 1 else 200) * 1024 * 1024
    pages = size // PAGE
    shared = mmap.mmap(-1, size)
    touch(shared, size, 1)
    pid = os.fork()
    if pid == 0:
        copying = touch(shared, size, 2)
        loop = touch(shared, size, 3)
        zero_filling = touch(mmap.mmap(-1, size), size, 1)
        print(f"{pages} pages: copy-on-write {(copying - loop) / pages * 1e6:.2f} us a page, "
              f"zero-fill {(zero_filling - loop) / pages * 1e6:.2f} us a page (the loop alone: {loop / pages * 1e6:.2f} us)")
        sys.stdout.flush()
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
