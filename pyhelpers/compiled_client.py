# Loaded in a forked child only (src/jedi/embedded/zygote.rs), before its file is analysed.
#
# Jedi starts its compiled subprocess with `_GeneralizedPopen(args, stdin=PIPE, stdout=PIPE,
# stderr=PIPE, env=...)`. When the arguments and environment are the ones the worker's zygote
# (pyhelpers/compiled_zygote.py) was started with, that call is answered by a listener forked from
# the zygote: a process in the state a fresh subprocess reaches before it listens. Otherwise, or
# when the zygote cannot answer, Jedi's own start runs. Everything after the start is Jedi's code.
import io
import os

from jedi.inference.compiled import subprocess as compiled_subprocess


def attach(request, args, env):
    """`request()`: (stdin, stdout, stderr, pid) of a new listener, or None."""
    start = compiled_subprocess._GeneralizedPopen
    expected = tuple(args)

    def generalized_popen(args, **kwargs):
        fds = request() if tuple(args) == expected and kwargs.get("env") == env else None
        return start(args, **kwargs) if fds is None else Listener(*fds)

    compiled_subprocess._GeneralizedPopen = generalized_popen


class Listener:
    """What Jedi uses of the Popen object: the three pipes (buffered, as Popen makes them),
    kill() and wait()."""

    returncode = None

    def __init__(self, stdin, stdout, stderr, pid):
        self.stdin = io.open(stdin, "wb")
        self.stdout = io.open(stdout, "rb")
        self.stderr = io.open(stderr, "rb")
        self.pid = pid

    def kill(self):
        try:
            os.kill(self.pid, 9)
        except OSError:
            pass

    def wait(self, timeout=None):
        return self.returncode  # a child of the zygote, which reaps it

    def poll(self):
        return self.returncode
