"""codeflash-discover from Python: the `codeflash-discover` binary behind codeflash's own API.

Three entry points, all running the binary bundled in this package (or `$CODEFLASH_DISCOVER_BIN`)
on the caller's interpreter (`sys.executable`, the project's venv, as codeflash runs discovery):

- `ParallelTestDiscovery(...).discover_tests(cfg, discover_only_these_tests, functions_to_optimize)`
  with `ParallelConfig` (mapped to the CLI's flags) and an optional progress callback that
  receives `ProgressInfo` (read from the binary's `--progress-fd` JSON lines while it runs);
- `discover_unit_tests(cfg, discover_only_these_tests, file_to_funcs_to_optimize)`: codeflash
  0.20.6's signature and return value, a drop-in;
- `install()`: swaps the drop-in into codeflash, so that `codeflash --file ...` discovers with it
  (`python -m codeflash_discover.codeflash ...` runs codeflash that way).

Inputs are codeflash's own objects (`TestConfig`, `FunctionToOptimize`); the answer is built from
the binary's JSON into codeflash's own `FunctionCalledInTest`, `TestsInFile`, `CodePosition` and
`TestType`. Where the CLI is deliberately stricter than codeflash (a missing tests root is exit
code 2 for the CLI), this API returns what codeflash returns (an empty map).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Set, Tuple

__all__ = [
    "DiscoveryError",
    "ParallelConfig",
    "ParallelTestDiscovery",
    "ProgressInfo",
    "binary_path",
    "discover_unit_tests",
    "install",
    "uninstall",
]

logger = logging.getLogger("codeflash_discover")

BINARY_ENV = "CODEFLASH_DISCOVER_BIN"
EXIT_USAGE = 2


class DiscoveryError(RuntimeError):
    """The binary stopped the run (its message and exit code)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class ParallelConfig:
    max_workers: Optional[int] = None  # auto-detect if None (cores, bounded by memory and files)
    enable_parallel: bool = True  # False: --sequential (the same answer, one worker)
    chunk_size: int = 1  # files per task: --chunk-size
    timeout_seconds: int = 300  # per-file timeout: --timeout-per-file
    fallback_on_error: bool = True  # False: --no-fallback


@dataclass
class ProgressInfo:
    total_files: int
    completed_files: int
    failed_files: int
    current_phase: str  # "collection", "import_analysis" or "jedi_processing"
    start_time: float
    estimated_remaining: Optional[float] = None


def binary_path() -> Path:
    """The `codeflash-discover` executable: `$CODEFLASH_DISCOVER_BIN`, else the one in this package."""
    override = os.environ.get(BINARY_ENV)
    if override:
        return Path(override)
    bundled = Path(__file__).resolve().parent / "bin" / "codeflash-discover"
    if bundled.is_file():
        return bundled
    raise DiscoveryError(
        f"no codeflash-discover executable: none bundled in {bundled.parent} and ${BINARY_ENV} is not set",
        EXIT_USAGE,
    )


class ParallelTestDiscovery:
    """Discovery through the binary's worker pool. `progress_callback` gets a `ProgressInfo` per event."""

    def __init__(
        self,
        max_workers: Optional[int] = None,
        enable_parallel: bool = True,
        *,
        config: Optional[ParallelConfig] = None,
        progress_callback: Optional[Callable[[ProgressInfo], None]] = None,
    ) -> None:
        self.config = config or ParallelConfig(max_workers=max_workers, enable_parallel=enable_parallel)
        self.progress_callback = progress_callback

    def discover_tests(
        self,
        cfg,
        discover_only_these_tests: Optional[List[Path]] = None,
        functions_to_optimize: Optional[list] = None,
    ) -> Tuple[Dict[str, Set[object]], int, int]:
        """codeflash's `discover_tests_<framework>(cfg, ...)`: (function -> tests, tests, replay tests).

        Like the reference, writes pytest's rootdir into `cfg.tests_project_rootdir`.
        """
        answer, rootdir = self._run(cfg, discover_only_these_tests, functions_to_optimize)
        if answer is None:
            return {}, 0, 0
        if rootdir is not None and cfg.test_framework == "pytest":
            cfg.tests_project_rootdir = Path(rootdir)
        for error in answer.get("errors", []):
            logger.warning("codeflash-discover: %s%s", f"{error['test_file']}: " if error.get("test_file") else "", error["message"])
        return to_codeflash_objects(answer), answer["num_discovered_tests"], answer["num_discovered_replay_tests"]

    def command(self, cfg, discover_only_these_tests, functions_file, output, progress_fd) -> List[str]:
        """The CLI call for these arguments (ParallelConfig mapped to the CLI's flags)."""
        c = self.config
        command = [
            str(binary_path()), "discover",
            "--project-root", str(cfg.project_root_path),
            "--tests-root", str(cfg.tests_root),
            "--test-framework", str(cfg.test_framework),
            "--python", sys.executable,
            "--chunk-size", str(c.chunk_size),
            "--timeout-per-file", str(c.timeout_seconds),
            "--quiet", "--output", output, "--progress-fd", str(progress_fd),
        ]
        if not c.enable_parallel:
            command.append("--sequential")
        elif c.max_workers:
            command += ["--jobs", str(c.max_workers)]
        if not c.fallback_on_error:
            command.append("--no-fallback")
        if functions_file is not None:
            command += ["--functions-file", functions_file]
        for test in discover_only_these_tests or []:
            command += ["--only-tests", str(test)]
        return command

    def _run(self, cfg, discover_only_these_tests, functions_to_optimize):
        """The binary's JSON answer and pytest's rootdir; (None, None) where codeflash answers nothing."""
        with tempfile.TemporaryDirectory(prefix="codeflash-discover-py-") as tmp:
            functions_file = None
            if functions_to_optimize:
                functions_file = os.path.join(tmp, "functions.json")
                with open(functions_file, "w", encoding="utf-8") as f:
                    json.dump([{"file": str(fn.file_path), "qualified_name": fn.qualified_name}
                               for fn in functions_to_optimize], f)
            output = os.path.join(tmp, "answer.json")
            read_end, write_end = os.pipe()
            try:
                command = self.command(cfg, discover_only_these_tests, functions_file, output, write_end)
                # codeflash runs discovery from the project root (its pytest subprocess's cwd).
                process = subprocess.Popen(command, cwd=str(cfg.project_root_path), pass_fds=(write_end,),
                                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.PIPE)
            except BaseException:
                os.close(read_end)
                raise
            finally:
                os.close(write_end)
            reader = StreamReader(read_end, self.progress_callback)
            reader.start()
            try:
                _, stderr = process.communicate()
            except BaseException:  # Ctrl-C: the binary cleans up its workers on SIGTERM
                process.terminate()
                process.wait()
                raise
            finally:
                reader.join()
            message = stderr.decode("utf-8", "replace").strip()
            if process.returncode == EXIT_USAGE and not Path(cfg.tests_root).is_dir():
                # The CLI refuses a missing tests root; codeflash collects nothing from it.
                return None, None
            if process.returncode != 0:
                raise DiscoveryError(message or f"codeflash-discover exited with {process.returncode}", process.returncode)
            with open(output, encoding="utf-8") as f:
                return json.load(f), reader.pytest_rootdir


class StreamReader(threading.Thread):
    """Reads the binary's `--progress-fd` JSON lines: progress for the callback, and pytest's rootdir."""

    def __init__(self, fd: int, callback) -> None:
        super().__init__(daemon=True)
        self.fd, self.callback = fd, callback
        self.pytest_rootdir = None
        self.start_time = time.time()

    def run(self) -> None:
        with os.fdopen(self.fd, "rb") as stream:
            for raw in stream:
                try:
                    event = json.loads(raw)
                except ValueError:
                    continue
                if event.get("event") == "collected":
                    self.pytest_rootdir = event.get("pytest_rootdir")
                elif self.callback is not None:
                    try:
                        self.callback(self.progress_info(event))
                    except Exception:  # a broken callback must not lose the answer
                        logger.exception("codeflash-discover: the progress callback raised")

    def progress_info(self, event) -> ProgressInfo:
        total, done = event.get("total_files") or 0, event.get("completed_files") or 0
        remaining = None
        elapsed = time.time() - self.start_time
        if total and done and event.get("event") == "advance":
            remaining = elapsed / done * (total - done) if done < total else 0.0
        return ProgressInfo(total_files=total, completed_files=done, failed_files=event.get("failed_files") or 0,
                            current_phase=event.get("phase") or "", start_time=self.start_time,
                            estimated_remaining=remaining)


def to_codeflash_objects(answer) -> Dict[str, Set[object]]:
    """The JSON's `function_to_tests` as codeflash's own objects."""
    from codeflash.models.models import CodePosition, FunctionCalledInTest, TestsInFile, TestType

    result: Dict[str, Set[object]] = {}
    for key, entries in answer["function_to_tests"].items():
        result[key] = {
            FunctionCalledInTest(
                tests_in_file=TestsInFile(test_file=Path(e["test_file"]), test_class=e["test_class"],
                                          test_function=e["test_function"], test_type=TestType(e["test_type"])),
                position=CodePosition(line_no=e["line_no"], col_no=e["col_no"]),
            )
            for e in entries
        }
    return result


def discover_unit_tests(cfg, discover_only_these_tests=None, file_to_funcs_to_optimize=None):
    """codeflash 0.20.6's `discover_unit_tests`, answered by codeflash-discover for Python projects.

    Mirrors the reference's routing: other languages go to codeflash's own implementation, an
    unknown framework is a ValueError. `cfg.use_cache` is not consulted: codeflash-discover's own
    cache (README, "Cache") serves only what a fresh run would answer, so every call is exact.
    """
    from codeflash.languages.current import current_language_support

    if current_language_support().test_result_serialization_format != "pickle":
        return _reference_discover_unit_tests()(cfg, discover_only_these_tests, file_to_funcs_to_optimize)
    if cfg.test_framework not in ("pytest", "unittest"):
        raise ValueError(f"Unsupported test framework: {cfg.test_framework}")
    functions = None
    if file_to_funcs_to_optimize:
        functions = [fn for funcs in file_to_funcs_to_optimize.values() for fn in funcs]
    return ParallelTestDiscovery().discover_tests(cfg, discover_only_these_tests, functions)


_ORIGINAL: dict = {}


def _reference_discover_unit_tests():
    """codeflash's own function, whether or not `install()` has replaced it."""
    import codeflash.discovery.discover_unit_tests as reference

    return _ORIGINAL.get("discover_unit_tests", reference.discover_unit_tests)


def install() -> None:
    """Make codeflash call `discover_unit_tests` of this package: in codeflash's defining module and
    in every loaded codeflash module that imported it by name (later imports find it patched)."""
    import codeflash.discovery.discover_unit_tests as reference

    original = _ORIGINAL.setdefault("discover_unit_tests", reference.discover_unit_tests)
    _swap(original, discover_unit_tests)


def uninstall() -> None:
    """Undo `install()`."""
    original = _ORIGINAL.get("discover_unit_tests")
    if original is not None:
        _swap(discover_unit_tests, original)


def _swap(old, new) -> None:
    """Replace the function `old` with `new` wherever a loaded codeflash module holds it."""
    for name, module in list(sys.modules.items()):
        if (name == "codeflash" or name.startswith("codeflash.")) and getattr(module, "discover_unit_tests", None) is old:
            module.discover_unit_tests = new
