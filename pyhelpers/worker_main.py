"""The Jedi worker as a plain subprocess of the project's interpreter: the same line protocol
and the same per-file fork as the embedded worker (src/jedi/embedded/), for interpreters that no
embedded worker was built for (no shared libpython, such as Debian's /usr/bin/python3.X, or a
build scripts/setup did not see). Run as `python -c <this> <jedi_worker.py source> <parso_cache.py
source> [--no-fork]`.

Mirrors the embedded worker, where it matters for the answer:
- sys.path and sys.argv are made what an embedded interpreter has (no script folder, argv ['']);
- the helper is loaded as the module `_cfd_jedi_worker` from `<codeflash-discover>/...`;
- after warm-up, one throw-away fork, then each file in a child forked from the warm state;
  between two forks the parent only reads a line, forks and waits, the same steps each time;
- parso_cache.py is loaded in a child only (after its answer; before it for a primed file).
`--no-fork` (the pool's fallback after repeated crashes): files in this process, in order.
"""

import json
import os
import signal
import sys
import time
import types

if sys.path and sys.path[0] == "":
    del sys.path[0]
HELPER_SOURCE = sys.argv[1]
PARSO_CACHE_SOURCE = sys.argv[2]
NO_FORK = "--no-fork" in sys.argv[3:]
sys.argv[:] = [""]

FAULT_ENV = "CODEFLASH_DISCOVER_FAULT"
FAULT_STATE_ENV = "CODEFLASH_DISCOVER_FAULT_STATE"


def load_helper(name="_cfd_jedi_worker", source=None):
    module = types.ModuleType(name)
    module.__file__ = f"<codeflash-discover>/{name}.py"
    sys.modules[module.__name__] = module
    exec(compile(HELPER_SOURCE if source is None else source, module.__file__, "exec"), module.__dict__)
    return module


def faults_for(path):
    """Test-only fault injection, as src/process/fault.rs reads it."""
    rules = [rule.split(":", 1) for rule in os.environ.get(FAULT_ENV, "").split(";") if ":" in rule]
    return [kind for kind, needle in rules if needle and needle in path]


def maybe_fail_process(path):
    for kind in faults_for(path):
        if kind == "abort":
            os.abort()
        elif kind == "segv":
            os.kill(os.getpid(), signal.SIGSEGV)
        elif kind == "exit":
            os._exit(17)
        elif kind == "hang":
            while True:
                time.sleep(3600)
        elif kind == "abort-once" and os.environ.get(FAULT_STATE_ENV):
            marker = os.path.join(os.environ[FAULT_STATE_ENV], "abort-once-" + path.replace("/", "_"))
            try:
                os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
            except OSError:
                continue
            os.abort()


def process(helper, task):
    """One file's outcome as JSON text; a Python exception is the file's error, never a crash."""
    import traceback

    path = task["path"]
    try:
        if "raise" in faults_for(path):
            raise RuntimeError(f"injected fault for {path}")
        return helper.process_file(json.dumps(task))
    except Exception as error:
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        return json.dumps({"adds": [], "ambiguous": [], "error": f"Python raised: {text}"})


def process_in_child(helper, task, started, tree_cache):
    """`process` in a forked child, from the reference's parso cache where the task says so
    (`prime`), then with what parso held (parso_cache.tree_report; after a primed file, the cache
    it leaves): for the orchestrator's model of the reference's cache (src/jedi/eviction.rs)."""
    cache = None
    if task.get("prime") is not None:
        try:
            cache = load_helper("_cfd_parso_cache", PARSO_CACHE_SOURCE)
            cache.prime(json.dumps(task["prime"]), helper, tree_cache)
        except Exception as error:
            return json.dumps({"adds": [], "ambiguous": [], "error": f"could not prime parso's cache: {error!r}"})
    answer = process(helper, task)
    try:
        cache = cache or load_helper("_cfd_parso_cache", PARSO_CACHE_SOURCE)
        outcome = json.loads(answer)
        outcome.update(cache.tree_report(started))
        if task.get("prime") is not None:
            outcome["trees_after"] = cache.trees_after()
        return json.dumps(outcome)
    except Exception:
        return answer


def die_with_parent(parent):
    """The child dies with the worker, even a SIGKILLed one (Linux: prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except Exception:  # not Linux, or no ctypes: the pool's kill still applies
        pass
    if os.getppid() != parent:  # the worker died before prctl took effect
        os._exit(1)


def process_forked(helper, task, tree_cache=None):
    """(outcome JSON, None) from a child forked for the file, or (None, how the child died)."""
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    started = time.time()  # trees used after this are the file's cache hits (tree_report)
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            die_with_parent(parent)
            maybe_fail_process(task["path"])
            answer = process_in_child(helper, task, started, tree_cache).encode()
            with os.fdopen(write_fd, "wb") as out:
                out.write(answer)
        except BaseException:
            os._exit(3)
        os._exit(0)
    os.close(write_fd)
    chunks = []
    while True:
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        return None, f"killed by signal {number} ({signal.Signals(number).name})"
    if os.WEXITSTATUS(status) != 0:
        return None, f"exited with code {os.WEXITSTATUS(status)}"
    return b"".join(chunks).decode(), None


def send(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main():
    try:
        # Ctrl-C belongs to the orchestrator, as in the embedded worker.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        first = sys.stdin.readline()
        if not first:
            return
        config = json.loads(first)["init"]
        helper = load_helper()
        ready = json.loads(helper.init(json.dumps(config)))
    except Exception as error:
        send(json.dumps({"fatal": {"message": f"could not initialize Jedi: {type(error).__name__}: {error}"}}))
        raise
    warm_trees = None
    if not NO_FORK:
        # The throw-away fork's trees are the warm set: what every child holds before its file.
        thrown, _ = process_forked(helper, {"path": "", "tests": []})
        try:
            warm_trees = json.loads(thrown)["read"]
        except Exception:
            pass
    send(json.dumps({"ready": {"python": ready["python"], "warm_trees": warm_trees}}))
    del warm_trees
    for line in sys.stdin:
        task = json.loads(line)["task"]
        for index, file_task in enumerate(task["files"]):
            if NO_FORK:
                answer, died = process(helper, file_task), None
            else:
                answer, died = process_forked(helper, file_task, config.get("tree_cache"))
            if died is None:
                send('{"done": {"id": %d, "index": %d, "outcome": %s}}' % (task["id"], index, answer))
            else:
                send(json.dumps({"crashed": {"id": task["id"], "index": index, "status": died}}))


main()
