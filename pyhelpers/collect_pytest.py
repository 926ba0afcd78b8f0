"""pytest collection, as codeflash 0.20.6 does it, run by the project's own Python.

Usage: python collect_pytest.py PROJECT_ROOT TESTS_ROOT OUT_JSON [CONFIG_SEARCH_DIR [SKIP_FILE [ASSERT_MODE]]]

Mirrors `pytest_new_process_discovery.py` (same pytest arguments, same plugin
behaviour, results written in `pytest_collection_finish`, stdout a real file
descriptor) and `custom_addopts` (filtered `addopts`) without writing to any
user file. codeflash looks for the closest pyproject.toml, pytest.ini,
.pytest.ini, tox.ini and setup.cfg from its working directory (CONFIG_SEARCH_DIR,
default the current folder) and, where filtering changes `addopts`, rewrites the
file for the duration of the collection:
- pyproject.toml through tomlkit, which changes nothing but `addopts`: we hand
  pytest the filtered value as an ini override;
- ini/cfg files through configparser, which rewrites the whole file (keys
  lowercased, comments and formatting dropped): we compute that exact text and
  make pytest parse it in place of the file's (same path, so rootdir, inipath
  and confcutdir are unchanged).
Not the reference's: SKIP_FILE lists (NUL-separated, resolved) the test modules the
import filter rejected before collection; pytest skips them without importing them
(`pytest_ignore_collect`), every other file is collected by pytest's own rules.
Not the reference's either: ASSERT_MODE "plain" (our default) adds `--assert=plain`, so pytest
imports the test modules and conftests without rewriting their asserts (the rewrite is most of
collection's time, and only changes how a failing assert reports); "rewrite" leaves pytest's default,
as the reference runs it.
Writes {"exit_code", "pytest_exit_code", "tests": [...], "rootdir", "undecodable": [...],
"reads": {...}} as JSON (`reads`: what this process read, record_reads.py); `undecodable` lists the collected files whose path (or a test name) is not
valid UTF-8, as {"file": lossy text, "detail": Python's repr of the bytes}:
their tests are left out of `tests`.
"""

import _codeflash_discover_reads as reads  # first: the hook must see every read (record_reads.py)

import configparser
import io
import json
import os
import sys
from pathlib import Path

project_root, tests_root, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
config_search_dir = Path(sys.argv[4]) if len(sys.argv) > 4 else Path.cwd()
skip_paths = set()
if len(sys.argv) > 5:
    with open(sys.argv[5], "rb") as skip_file:
        skip_paths = {os.fsdecode(raw) for raw in skip_file.read().split(b"\0") if raw}
assert_mode = sys.argv[6] if len(sys.argv) > 6 else "rewrite"
# codeflash's collection script puts the project root second on sys.path.
sys.path.insert(1, str(project_root))

# codeflash's BLACKLIST_ADDOPTS: an option starting with one of these is dropped,
# together with the value after it when that value does not start with "-".
BLACKLIST_ADDOPTS = ("--benchmark", "--sugar", "--codespeed", "--cov", "--profile", "--junitxml", "-n")
CONFIG_FILE_NAMES = ["pyproject.toml", "pytest.ini", ".pytest.ini", "tox.ini", "setup.cfg"]
INI_PYTEST_SECTION_FILES = {"pytest.ini", ".pytest.ini", "tox.ini"}


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
    directory = config_search_dir
    while directory != directory.parent:
        if (directory / name).exists():
            return directory / name
        directory = directory.parent
    return None


def rewritten_pyproject_addopts(content):
    """The addopts string codeflash would write into pyproject.toml, or None if it leaves it alone."""
    # codeflash parses with tomlkit; any TOML parser reads these values the same. tomllib is
    # 3.11+; before it, pytest itself depends on tomli (and codeflash on tomlkit).
    try:
        from tomllib import loads
    except ImportError:
        try:
            from tomli import loads
        except ImportError:
            from tomlkit import parse as loads

    addopts = loads(content).get("tool", {}).get("pytest", {}).get("ini_options", {}).get("addopts", "")
    if addopts == "":
        return None
    if isinstance(addopts, list):
        addopts = " ".join(addopts)
    args = addopts.replace("=", " ").split()
    kept = filter_addopts(args)
    return None if kept == args else " ".join(kept)


def rewritten_ini_text(config_file, content):
    """The whole text codeflash's configparser rewrite would leave in an ini/cfg file, or None."""
    parser = configparser.ConfigParser()  # the same parser, interpolation and key handling as codeflash
    parser.read_string(content)
    sections = {section: dict(parser[section]) for section in parser.sections()}
    section = "pytest" if config_file.name in INI_PYTEST_SECTION_FILES else "tool:pytest"
    args = sections.get(section, {}).get("addopts", "").replace("=", " ").split()
    kept = filter_addopts(args)
    if kept == args:
        return None
    parser.set(section, "addopts", " ".join(kept))
    text = io.StringIO()
    parser.write(text)
    return text.getvalue()


def config_rewrites():
    """(pyproject addopts overrides, ini texts), keyed by resolved path, for the files codeflash rewrites."""
    addopts, ini_texts = {}, {}
    for name in CONFIG_FILE_NAMES:
        config_file = closest_config_file(name)
        if config_file is None or config_file.suffix.lower() not in {".toml", ".ini", ".cfg"}:
            continue
        # codeflash reads the file before its try block: a decoding error would stop it; we go on.
        try:
            content = config_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        try:
            if config_file.name == "pyproject.toml":
                value = rewritten_pyproject_addopts(content)
                if value is not None:
                    addopts[str(config_file.resolve())] = value
            else:
                text = rewritten_ini_text(config_file, content)
                if text is not None:
                    ini_texts[str(config_file.resolve())] = text
        except Exception:  # codeflash logs "Trouble parsing" and leaves the file alone
            continue
    return addopts, ini_texts


def install_rewrites(addopts, ini_texts):
    """Make pytest see the config files as codeflash's rewrite leaves them."""
    import _pytest.config as pytest_config
    import _pytest.config.findpaths as findpaths

    if ini_texts:
        import iniconfig

        original_parse = findpaths._parse_ini_config

        def parse_ini_config(path):
            text = ini_texts.get(str(Path(path).resolve()))
            if text is None:
                return original_parse(path)
            try:
                return iniconfig.IniConfig(str(path), data=text)
            except iniconfig.ParseError as exc:
                raise pytest_config.UsageError(str(exc)) from exc

        findpaths._parse_ini_config = parse_ini_config

    if addopts:
        original_setup = pytest_config.determine_setup

        def determine_setup(*args, **kwargs):
            result = original_setup(*args, **kwargs)
            inipath = result[1]
            value = addopts.get(str(Path(inipath).resolve())) if inipath else None
            if value is None:
                return result
            if "override_ini" in kwargs:  # pytest >= 9 merges -o overrides here
                kwargs["override_ini"] = [*(kwargs["override_ini"] or []), f"addopts={value}"]
                return original_setup(*args, **kwargs)
            result[2]["addopts"] = value  # older pytest: ini values are plain strings
            return result

        pytest_config.determine_setup = determine_setup


result = {"exit_code": -1, "pytest_exit_code": None, "tests": [], "rootdir": None, "undecodable": []}


def utf8_or_none(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return text


def write_result():
    Path(out_path).write_text(json.dumps({**result, "reads": reads.report()}), encoding="utf-8")


class CollectionPlugin:
    def pytest_ignore_collect(self, collection_path):
        # Not in the reference: a module the import filter rejected is never imported. None lets
        # pytest's own rules (and other plugins) decide, as without this hook.
        if skip_paths and collection_path.suffix == ".py" and os.path.realpath(collection_path) in skip_paths:
            return True
        return None

    def pytest_collection_modifyitems(self, items):
        skip_benchmark = pytest.mark.skip(reason="Skipping benchmark tests")
        for item in items:
            if "benchmark" in item.fixturenames:
                item.add_marker(skip_benchmark)

    def pytest_collection_finish(self, session):
        # codeflash records its answer here (pytest.main may never return normally after it)
        # with the exit code getattr(config, "exitstatus", 0).
        result["exit_code"] = getattr(session.config, "exitstatus", 0)
        rootdir = str(session.config.rootdir)
        result["rootdir"] = utf8_or_none(rootdir)
        for item in session.items:
            test_class = item.parent.name if item.cls else None
            test = {"test_file": str(item.path), "test_class": test_class, "test_function": item.name}
            if any(value is not None and utf8_or_none(value) is None for value in test.values()):
                raw = os.fsencode(test["test_file"])
                entry = {
                    "file": raw.decode("utf-8", "replace"),
                    "detail": repr(raw) if utf8_or_none(test["test_file"]) is None else ascii(test["test_function"]),
                }
                if entry not in result["undecodable"]:
                    result["undecodable"].append(entry)
                continue
            result["tests"].append(test)
        write_result()


if __name__ == "__main__":
    import pytest

    install_rewrites(*config_rewrites())
    # stdout stays the process's own (a pipe, as in codeflash's subprocess): conftests may ask its fd.
    arguments = [tests_root, "-p", "no:logging", "--collect-only", "-m", "not skip", "-p", "no:codeflash-benchmark"]
    if assert_mode == "plain":  # after addopts (pytest puts them first), so it wins
        arguments.append("--assert=plain")
    try:
        result["pytest_exit_code"] = int(pytest.main(arguments, plugins=[CollectionPlugin()]))
    except Exception as error:  # codeflash: "Failed to collect tests", no tests (other exceptions end the
        # process, as in codeflash's script: what pytest_collection_finish wrote stays)
        result.update(exit_code=-1, tests=[], rootdir=None, undecodable=[], failure=f"{type(error).__name__}: {error}")
    write_result()
