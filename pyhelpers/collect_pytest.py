"""pytest collection, as codeflash 0.20.6 does it, run by the project's own Python.

Usage: python collect_pytest.py PROJECT_ROOT TESTS_ROOT OUT_JSON

Mirrors `pytest_new_process_discovery.py` (same pytest arguments, same plugin
behaviour) and `custom_addopts` (filtered `addopts`) without writing to any
user file: where codeflash would rewrite `addopts` in the config file pytest
reads, we hand pytest the same filtered value as an ini override instead.
Writes {"exit_code", "pytest_exit_code", "tests": [...], "rootdir", "addopts_overrides", "stdout"} as JSON.
"""

import configparser
import contextlib
import io
import json
import sys
from pathlib import Path

project_root, tests_root, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
# codeflash's collection script puts the project root second on sys.path.
sys.path.insert(1, str(project_root))

# codeflash's BLACKLIST_ADDOPTS: an option starting with one of these is dropped,
# together with the value after it when that value does not start with "-".
BLACKLIST_ADDOPTS = ("--benchmark", "--sugar", "--codespeed", "--cov", "--profile", "--junitxml", "-n")
CONFIG_FILE_NAMES = ["pyproject.toml", "pytest.ini", ".pytest.ini", "tox.ini", "setup.cfg"]


def filter_addopts(args):
    kept, i = [], 0
    while i < len(args):
        if args[i].startswith(BLACKLIST_ADDOPTS):
            i += 1
            if i < len(args) and not args[i].startswith("-"):
                i += 1
        else:
            kept.append(args[i])
            i += 1
    return kept


def closest_config_file(name):
    # codeflash searches upwards from its working directory, which is the project root.
    directory = Path.cwd()
    while directory != directory.parent:
        if (directory / name).exists():
            return directory / name
        directory = directory.parent
    return None


def rewritten_addopts(config_file):
    """The addopts string codeflash would write into config_file, or None if it leaves it alone."""
    if config_file.suffix.lower() not in {".toml", ".ini", ".cfg"}:
        return None
    try:
        content = config_file.read_text(encoding="utf-8")
        if config_file.name == "pyproject.toml":
            import tomllib  # codeflash parses with tomlkit; values read the same

            addopts = tomllib.loads(content).get("tool", {}).get("pytest", {}).get("ini_options", {}).get("addopts", "")
            if addopts == "":
                return None
            if isinstance(addopts, list):
                addopts = " ".join(addopts)
        else:
            parser = configparser.ConfigParser()  # same interpolation rules as codeflash
            parser.read_string(content)
            sections = {section: dict(parser[section]) for section in parser.sections()}
            section = "pytest" if config_file.name in {"pytest.ini", ".pytest.ini", "tox.ini"} else "tool:pytest"
            addopts = sections.get(section, {}).get("addopts", "")
        args = addopts.replace("=", " ").split()
        kept = filter_addopts(args)
        return None if kept == args else " ".join(kept)
    except Exception:  # codeflash logs "Trouble parsing" and leaves the file alone
        return None


def addopts_overrides():
    overrides = {}
    for name in CONFIG_FILE_NAMES:
        config_file = closest_config_file(name)
        if config_file is not None:
            value = rewritten_addopts(config_file)
            if value is not None:
                overrides[str(config_file.resolve())] = value
    return overrides


def install_addopts_override(overrides):
    """Make pytest see the filtered addopts of the one config file it actually reads."""
    if not overrides:
        return
    import _pytest.config as pytest_config

    original = pytest_config.determine_setup

    def determine_setup(*args, **kwargs):
        result = original(*args, **kwargs)
        inipath = result[1]
        value = overrides.get(str(Path(inipath).resolve())) if inipath else None
        if value is None:
            return result
        if "override_ini" in kwargs:  # pytest >= 9 merges -o overrides here
            kwargs["override_ini"] = [*(kwargs["override_ini"] or []), f"addopts={value}"]
            return original(*args, **kwargs)
        result[2]["addopts"] = value  # older pytest: ini values are plain strings
        return result

    pytest_config.determine_setup = determine_setup


result = {"exit_code": -1, "pytest_exit_code": None, "tests": [], "rootdir": None}


class CollectionPlugin:
    def pytest_collection_modifyitems(self, items):
        skip_benchmark = pytest.mark.skip(reason="Skipping benchmark tests")
        for item in items:
            if "benchmark" in item.fixturenames:
                item.add_marker(skip_benchmark)

    def pytest_collection_finish(self, session):
        # codeflash records its exit code here as getattr(config, "exitstatus", 0).
        result["exit_code"] = getattr(session.config, "exitstatus", 0)
        result["rootdir"] = str(session.config.rootdir)
        for item in session.items:
            test_class = item.parent.name if item.cls else None
            result["tests"].append({"test_file": str(item.path), "test_class": test_class, "test_function": item.name})


if __name__ == "__main__":
    import pytest

    overrides = addopts_overrides()
    result["addopts_overrides"] = overrides
    install_addopts_override(overrides)
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured):
            result["pytest_exit_code"] = int(
                pytest.main(
                    [tests_root, "-p", "no:logging", "--collect-only", "-m", "not skip", "-p", "no:codeflash-benchmark"],
                    plugins=[CollectionPlugin()],
                )
            )
    except BaseException as error:  # codeflash: "Failed to collect tests", no tests
        result.update(exit_code=-1, tests=[], rootdir=None, failure=f"{type(error).__name__}: {error}")
    result["stdout"] = captured.getvalue()
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")
