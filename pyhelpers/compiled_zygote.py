# Jedi's compiled subprocess, started once per worker and forked once per file.
#
# Run by the embedded worker (src/jedi/embedded/zygote.rs) as
#     <the executable Jedi would start> -c <this source> <Jedi's __main__.py> <parso's folder> <version>
# with the environment Jedi would give it, and a socket (one end of a pair) as stdin.
#
# Jedi starts `<executable> <__main__.py> <parso's folder> <version>` in every forked child that
# needs it (a fresh subprocess per file: README, "Parity"). Here the same script runs once, minus
# its last line (`subprocess.Listener().listen()`); then, for each request on the socket (3 pipe
# ends: the listener's stdin, stdout and stderr), a fork of that state puts the pipes on 0, 1 and 2
# and runs that last line. So each listener starts from the state a fresh subprocess reaches
# before it listens, without the start-up (interpreter, site, jedi and parso imports).
#
# What differs from a fresh subprocess, all outside what the listener computes: `sys.orig_argv`,
# `__main__.__loader__`, `_socket`, which this loop imports and each listener drops from
# `sys.modules` again (its objects stay loaded, as every extension module's do), and the collector:
# what the zygote holds is frozen before the first fork (see there).


def _zygote():
    import os
    import signal
    import sys

    main = sys.argv[1]
    namespace = sys.modules["__main__"].__dict__
    del namespace["_zygote"]  # __main__ holds what Jedi's script defines, only
    # As for `python <__main__.py> <parso> <version>`: argv, and the script's folder first on
    # sys.path where `-c` put '' (neither where -P or PYTHONSAFEPATH leave it out).
    sys.argv[:] = sys.argv[1:]
    if sys.path and sys.path[0] == "":
        script = main
        while os.path.islink(script):  # CPython resolves a symlinked script, not its folders
            script = os.path.join(os.path.dirname(script), os.readlink(script))
        sys.path[0] = os.path.dirname(script)
    with open(main, "rb") as f:
        source = f.read().decode("utf-8")
    lines = source.rstrip().splitlines()
    if lines[-1].strip() != "subprocess.Listener().listen()":
        sys.exit("compiled_zygote: Jedi's subprocess script does not end as expected: " + lines[-1])
    namespace["__file__"] = main
    namespace["__cached__"] = None
    exec(compile("\n".join(lines[:-1]) + "\n", main, "exec"), namespace)
    listener = namespace["subprocess"].Listener
    _warm_inference_state(listener)

    import _socket
    import gc

    # Every listener inherits this state: frozen, its collector never walks it again (it did, in
    # each listener's full collections, copying every page it touched). Nothing of it becomes
    # garbage in a listener that a fresh subprocess would free and the listener answers from.
    gc.collect()
    gc.freeze()

    requests = _socket.socket(fileno=0)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the listeners
    os.write(1, b"ready\n")
    while True:
        try:
            nonce, ancillary, _, _ = requests.recvmsg(64, _socket.CMSG_SPACE(12))
        except OSError:
            return
        if not nonce:
            return  # the worker is gone
        fds = [
            int.from_bytes(data[i:i + 4], sys.byteorder)
            for level, kind, data in ancillary
            if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS
            for i in range(0, len(data) - len(data) % 4, 4)
        ]
        pid = os.fork() if len(fds) == 3 else -1
        if pid == 0:
            requests.detach()  # fd 0 is about to become the listener's stdin
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            for fd in os.listdir("/proc/self/fd"):  # close_fds, as Jedi's Popen has it
                if int(fd) > 2:
                    try:
                        os.close(int(fd))
                    except OSError:
                        pass
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            del sys.modules["_socket"]
            del nonce, ancillary, fds, requests, _socket
            listener().listen()  # exits when the file's child closes its end
        for fd in fds:
            os.close(fd)
        try:
            requests.send(nonce[:8] + max(pid, 0).to_bytes(4, "little"))
        except OSError:
            pass


def _warm_inference_state(listener):
    # A fresh listener builds an InferenceState at its first request for one (the first of each
    # file's child), and with it loads parso's grammars (the interpreter's and Jedi's latest): 80
    # to 90 ms a file, which the reference's one long-lived subprocess spends once per run. Built
    # here once, with the listener's own method, and thrown away: each listener then finds the
    # grammars in parso's cache, as the reference's subprocess does from its second file on. The
    # grammars are the same whoever loads them, and nothing of this travels to the file's child.
    # Where this Jedi's Listener has no such method, each listener loads them itself. One line on
    # stderr either way (the worker's debug log; `tests/compiled_zygote.rs` reads it).
    import sys

    try:
        listener()._get_inference_state(None, 0)
    except Exception as error:
        print(f"compiled_zygote: no InferenceState ahead ({type(error).__name__}: {error}); each listener loads parso's grammars", file=sys.stderr, flush=True)
    else:
        print("compiled_zygote: InferenceState built ahead (parso's grammars loaded)", file=sys.stderr, flush=True)


_zygote()
