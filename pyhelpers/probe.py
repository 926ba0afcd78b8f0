"""Report what the target interpreter offers: its version, the libpython it runs on (the shared
library mapped into this process, if any: an executable with Python linked in maps none), and
the versions of jedi, parso and pytest (None where missing), and what the kept caches key on:
the full `sys.version` and `sys.path` (its entries' contents are hashed by the caller)."""

import json
import os
import sys


def mapped_libpython():
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split(None, 5)[-1].strip()
                if "/libpython3" in path and ".so" in path:
                    return os.path.realpath(path)
    except OSError:
        pass
    return None


def version_of(name):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return None


print(json.dumps({
    "version": list(sys.version_info[:3]),
    "implementation": sys.implementation.name,
    "executable": sys.executable,
    "libpython": mapped_libpython(),
    "jedi": version_of("jedi"),
    "parso": version_of("parso"),
    "pytest": version_of("pytest"),
    "build": sys.version,
    "sys_path": [entry for entry in sys.path if entry],  # "" is the caller's folder (-c)
}))
