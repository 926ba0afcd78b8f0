"""The judge's on-disk cache of reference runs (see judge.py's docstring, "Reference cache").

One entry per (input, run index) under ${CFD_REFERENCE_CACHE:-$HOME/.cache/codeflash-discover-parity}.
The key is sha256 over lines: the cache format, the tree digest (every file under the folder that
holds the project and tests roots), the reference Python's version and distributions, the content
of reference_runner.py, the run index and the runner arguments with paths made relative. Paths in
stored outputs are ROOT_MARK. Changing any hashed string empties everyone's cache (CI then reruns
the reference: about 30 minutes), so keep them as they are.
"""

import hashlib
import json
import os
import subprocess
import tempfile
from pathlib import Path

from parity.common import ROOT_MARK, RUNNER, json_escaped, split_spec

SKIP_DIRS = {"__pycache__", ".pytest_cache", ".git"}
CACHE_FORMAT = "1"


class RunFailed(Exception):
    """A run gave no usable answer: the judge stops with exit status 2."""


class ReferenceCache:
    """Reference outputs on disk, one entry per (input, run index); see the docstring."""

    def __init__(self, a):
        self.enabled = not a.no_reference_cache
        self.dir = Path(os.environ.get("CFD_REFERENCE_CACHE")
                        or Path(os.path.expanduser("~")) / ".cache" / "codeflash-discover-parity")
        self.ref_python = a.ref_python
        if a.from_config:
            self.base = os.path.realpath(a.from_config)
        else:
            self.base = os.path.commonpath([os.path.realpath(a.project_root), os.path.realpath(a.tests_root)])
        self._tree = None
        self._env = None

    # paths <-> ROOT_MARK, in JSON text and in arguments
    def _escaped_base(self):
        return json_escaped(self.base)  # as the outputs are written

    def relativize(self, text):
        return text.replace(self._escaped_base(), ROOT_MARK)

    def absolutize(self, text):
        return text.replace(ROOT_MARK, self._escaped_base())

    def _relative_arg(self, arg):
        if "::" in arg:  # FILE::QUALNAME
            file, qual = split_spec(arg)
            return f"{self._relative_arg(file)}::{qual}"
        if os.path.isabs(arg):
            rel = os.path.relpath(os.path.realpath(arg), self.base)
            return ROOT_MARK if rel == "." else f"{ROOT_MARK}/{rel}"
        return arg

    def tree_digest(self):
        if self._tree is None:
            h = hashlib.sha256()
            base = os.fsencode(self.base)  # bytes all the way: any file name, UTF-8 or not
            skip = {os.fsencode(d) for d in SKIP_DIRS}
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames[:] = sorted(d for d in dirnames if d not in skip)
                for name in sorted(filenames):
                    path = os.path.join(dirpath, name)
                    h.update(os.path.relpath(path, base) + b"\0")
                    try:
                        with open(path, "rb") as f:
                            h.update(hashlib.sha256(f.read()).digest())
                    except OSError as e:  # a dangling link, say: its name and the error
                        h.update(f"unreadable: {e.strerror}".encode())
            self._tree = h.hexdigest()
        return self._tree

    def env_digest(self):
        if self._env is None:
            code = ("import sys, importlib.metadata as m\n"
                    "print(sys.version)\n"
                    "print(sys.implementation.cache_tag)\n"
                    "for d in sorted({(x.metadata['Name'] or '').lower() + '==' + x.version for x in m.distributions()}):\n"
                    "    print(d)\n")
            try:
                out = subprocess.run([self.ref_python, "-c", code], stdout=subprocess.PIPE, text=True,
                                     check=True).stdout
            except (OSError, subprocess.CalledProcessError) as e:
                raise RunFailed(f"cannot list the reference python's distributions: {e}") from e
            self._env = hashlib.sha256(out.encode()).hexdigest()
        return self._env

    def key(self, runner_args, index, runner=RUNNER, env_pad=0):
        h = hashlib.sha256()
        parts = [f"format {CACHE_FORMAT}", f"tree {self.tree_digest()}", f"env {self.env_digest()}",
                 f"runner {hashlib.sha256(RUNNER.read_bytes()).hexdigest()}", f"run {index}"]
        if env_pad:  # an escalation run's padded environment (judge.env_pad): its own entry
            parts.append(f"env-pad {env_pad}")
        if runner != RUNNER:  # reference_runner_compat.py (CPython < 3.11) runs RUNNER its own way
            parts.append(f"compat {hashlib.sha256(Path(runner).read_bytes()).hexdigest()}")
        args = list(runner_args)
        for i, arg in enumerate(args):
            if i and args[i - 1] == "--functions-file":  # its content, paths inside relative too
                parts.append("functions-file " + self.relativize(Path(arg).read_text(encoding="utf-8")))
                args[i] = "<FUNCTIONS_FILE>"
            else:
                args[i] = self._relative_arg(arg)
        parts.append("args " + json.dumps(args))
        for part in parts:
            h.update(part.encode("utf-8", "surrogateescape") + b"\n")
        return h.hexdigest()

    def load(self, key):
        path = self.dir / f"{key}.json"
        try:
            return json.loads(self.absolutize(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None

    def store(self, key, data):
        self.dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.dir)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(self.relativize(json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False)) + "\n")
        os.replace(tmp, self.dir / f"{key}.json")
