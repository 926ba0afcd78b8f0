#!/usr/bin/env python3
"""Judge codeflash-discover against K unpatched runs of the reference (codeflash 0.20.6).

The reference is `discover_unit_tests(..., use_cache=False)` run by scripts/parity/reference_runner.py
with nothing patched (each run in its own process with a fresh HOME). It is not deterministic
(where Jedi's `goto` returns several definitions, their order can follow identity-hashed sets),
so one run is not "the answer". The judge:

  entries   every output is flattened into entries (key, test_file, test_class, test_function,
            test_type, line, col);
  envelope  of K >= 3 runs (--runs, default 3): their intersection (what every run says), their
            union (what some run says) and the range [min, max] of num_discovered_tests and of
            num_discovered_replay_tests;
  violations of an output X against runs R:
            (a) each entry of the intersection of R that X lacks,
            (b) each entry of X found in no run of R (not in the union),
            (c) each count outside [min, max] of R (1 violation per count; the distance is reported);
  tolerance the reference's own leave-one-out spread: max over i of violations(run i against the
            other K-1 runs). Deterministic reference: tolerance 0, so ours must equal it.
  verdict   pass iff violations(ours against all K runs) <= tolerance.

Escalation: our answer is deterministic, so at a site where Jedi's goto is ambiguous ours is one
fixed pick, while K runs can all miss a pick the reference makes less often (measured on
dynamic_imports, CPython 3.9: B.run at test_ambiguous.py 18:22 in about 1 run in 8, and ours
picks it in 5 of 8 venv locations; 8 cached runs all said A.run). So when the verdict fails and
every violation (of ours, and of the snapshot) is an entry at a Jedi-ambiguous site (a position
in that answer's `ambiguous` list, or one where the K runs disagree) and no count is out of range,
K more runs are drawn (run indices K.., cached like the others) and the whole verdict is computed
again over all of them, up to --max-runs (default 3K). Every rule above stands: a pick counts as
the reference's only if an unpatched run makes it. A violation anywhere else fails at once.
Each escalation run adds an unused variable of its own length to the environment (env_pad): the
environment's size moves the reference's picks at those sites as a user's shells do.

--from-config DIR (instead of --project-root/--tests-root): no root flags at all, as a codeflash
user runs it from DIR. Our binary runs with cwd = DIR and no --project-root/--tests-root (it derives
them from the nearest pyproject.toml); the reference is `reference_runner.py --from-config DIR`
(roots derived by codeflash's own config code). The other flags go to both sides as usual.

Runs one after the other on the same tree (the reference rewrites pytest config files while it
collects): the K reference runs, then our binary (fresh HOME too; with --ours-tree-store DIR, ours
keeps its parse trees there across cases, `--cache-dir DIR --refresh`, every answer still computed).
Exit status: 0 pass, 1 fail, 2 when a run fails (or the reference raises unexpectedly).

Reference cache: reference runs are slow and, for a given input, worth reusing (CI reruns). Each
run i of K is stored as its own entry under ${CFD_REFERENCE_CACHE:-$HOME/.cache/codeflash-discover-parity},
keyed by sha256 over: every file under the tree that holds the project and tests roots (their
common folder; with --from-config, DIR itself; __pycache__, .pytest_cache and .git skipped; file
names as bytes, so names that are not UTF-8 are fine), the reference_runner.py arguments
(--from-config or the root flags: the mode is part of the key) with paths made relative to that
folder (and the content of --functions-file, likewise), the reference python's version and its installed distributions (importlib.metadata, computed once per
invocation), the content of reference_runner.py, and the run index i. Paths inside the
stored outputs are relative to that folder, so copies of a project in different temp folders share
entries. Entries are written atomically (temp file + rename). --no-reference-cache disables it.
Configuration outside that folder (a pytest.ini or, with --from-config, a pyproject.toml above it,
environment variables) is not in the key.
The cache is refcache.py.

Cases where the reference raises (--expect-reference-error TYPE): codeflash's discovery dies on
such input, and ours deliberately does not (README, "Deliberate differences"). The case then
states what OUR binary must do, as JSON (--ours-expect, a JSON object or @FILE; paths absolute):
  {"exit_code": 0,                                   our exit status
   "errors": [{"file": F, "message_contains": S}],   each must match one of our `errors` entries
   "files_with_entries": [F, ...],                   each must have at least one entry in ours
   "judge_only_tests": [F, ...]}                     the other test files: judged as above
The reference must raise TYPE (one run: where it raises is deterministic). With
"judge_only_tests", K more reference runs are made with --only-tests set to those files (the
reference's discovery minus the offending files) and ours, restricted to entries whose test file
is one of them, is judged against them with the same envelope and leave-one-out tolerance;
counts are not judged there (ours counts the offending files' tests too).

--snapshot FILE --snapshot-root DIR: also judge a committed snapshot of tests/fixture_snapshots.rs
(its `[FIXTURE]` standing for DIR) exactly as ours is judged, against the same reference runs: the
verdict fails if either fails.

--debug-sorted: also run the reference with our old Jedi determinism patches
(reference_runner.py --sorted-goto) and print how ours differs from it. A debugging aid only:
it never changes the verdict.

Usage: python scripts/parity/judge.py --project-root P --tests-root T [--function F::Q ...] (--help).
Stdlib only.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a file: import the parity package from scripts/
    sys.path[0] = str(Path(__file__).resolve().parents[1])
from parity.common import REPO, RUNNER, add_run_args, runner_for, fresh_env, json_escaped, run_json, scratch, split_spec
from parity.refcache import ReferenceCache, RunFailed

COUNTS = ("num_discovered_tests", "num_discovered_replay_tests")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--project-root")
    p.add_argument("--tests-root")
    p.add_argument("--from-config", metavar="DIR",
                   help="instead of the root flags: both sides run as a codeflash user from DIR (see the docstring)")
    p.add_argument("--test-framework", choices=["pytest", "unittest"], default="pytest")
    p.add_argument("--function", action="append", default=[], metavar="FILE::QUALNAME")
    p.add_argument("--functions-file")
    p.add_argument("--only-tests", action="append", default=[], metavar="FILE")
    add_run_args(p, runs_help="unpatched reference runs (K >= 3, default 3)")
    p.add_argument("--name", help="project label for the summary (default: project root's name)")
    p.add_argument("--case", default="", help="case label for the summary")
    p.add_argument("--expect-reference-error", metavar="TYPE")
    p.add_argument("--ours-expect", metavar="JSON|@FILE",
                   help="with --expect-reference-error: what our binary must do (see the docstring)")
    p.add_argument("--debug-sorted", action="store_true",
                   help="also diff ours against the patched (sorted-goto) reference; never affects the verdict")
    p.add_argument("--json-summary", metavar="FILE", help="also write the summary as JSON here")
    p.add_argument("--keep", metavar="DIR", help="keep every run's JSON output in DIR")
    p.add_argument("--max-lines", type=int, default=40, help="max violation lines printed per section")
    p.add_argument("--snapshot", metavar="FILE",
                   help="also judge this committed insta snapshot (tests/snapshots/*.snap) as a second answer")
    p.add_argument("--snapshot-root", metavar="DIR", help="what [FIXTURE] stands for in --snapshot")
    a = p.parse_args()
    if a.from_config:
        if a.project_root or a.tests_root:
            p.error("--from-config takes no --project-root/--tests-root (the roots come from the config)")
        if not os.path.isdir(a.from_config):
            p.error(f"--from-config {a.from_config}: not a directory")
    elif not (a.project_root and a.tests_root):
        p.error("give --project-root and --tests-root, or --from-config DIR")
    if a.runs < 3:
        p.error("--runs must be at least 3 (the tolerance is each run judged against at least two others)")
    if a.max_runs is not None and a.max_runs < a.runs:
        p.error("--max-runs must be at least --runs")
    if a.expect_reference_error and not a.ours_expect:
        p.error("--expect-reference-error needs --ours-expect: what our binary must do instead")
    if a.ours_expect and not a.expect_reference_error:
        p.error("--ours-expect only applies with --expect-reference-error")
    if bool(a.snapshot) != bool(a.snapshot_root):
        p.error("--snapshot and --snapshot-root go together")
    return a


# ---------------------------------------------------------------------------- runs


def root_args(a):
    """How the roots are given: the root flags, or (reference only) --from-config DIR."""
    if a.from_config:
        return ["--from-config", os.path.abspath(a.from_config)]
    return ["--project-root", os.path.abspath(a.project_root), "--tests-root", os.path.abspath(a.tests_root)]


def common_args(a, only_tests=None):
    """Arguments shared by reference_runner.py and our binary (absolute paths), without the roots."""
    out = ["--test-framework", a.test_framework]
    for spec in a.function:
        file, qual = split_spec(spec)
        out += ["--function", f"{os.path.abspath(file)}::{qual}"]
    if a.functions_file:
        out += ["--functions-file", os.path.abspath(a.functions_file)]
    for t in a.only_tests if only_tests is None else only_tests:
        out += ["--only-tests", os.path.abspath(t)]
    return out


def staged_runner(work):
    """reference_runner.py where its --sorted-goto finds pyhelpers/goto_order.py (../pyhelpers from its folder).

    The runner looks for pyhelpers/ two folders above itself, as it did in scripts/; it stays
    byte-identical (its content keys the reference cache), so --debug-sorted runs a copy of it
    laid out that way in the work folder.
    """
    stage = work / "staged"
    if not stage.exists():
        (stage / "runner").mkdir(parents=True)
        (stage / "pyhelpers").mkdir()
        shutil.copy(RUNNER, stage / "runner" / RUNNER.name)
        shutil.copy(REPO / "pyhelpers" / "goto_order.py", stage / "pyhelpers")
    return stage / "runner" / RUNNER.name


ENV_PAD = "CFD_REFERENCE_ENV_PAD"


def env_pad(a, i):
    """Length of the unused variable ENV_PAD in reference run i's environment (0: not set).

    The first K runs (--runs) run in the judge's own environment. Escalation run i (i >= K) adds
    ENV_PAD, 16 * (i - K + 1) letters long: the reference's pick at a Jedi-ambiguous site follows
    its process's memory layout, and the environment's strings are among the first objects of
    CPython's small-object allocator, one 16-byte size class per length step up to 512 bytes.
    Measured on dynamic_imports, CPython 3.13, test_ambiguous.py 9:13: every run picks B.run
    with the variable 0 to 282 or 306 to 1184 letters long, and A.run with 288 to 300, i.e.
    exactly when its value (a bytes object of 33 + n bytes) falls in the 336-byte class. A
    user's runs differ in these sizes from one shell to the next (PWD, OLDPWD, SSH_CLIENT), so
    runs in one environment alone sample only part of the reference's run-to-run spread; these
    put one more object in each size class in turn.
    """
    return 0 if i < a.runs else 16 * (i - a.runs + 1)


def reference_runs(a, cache, work, name, count, only_tests=None, sorted_goto=False, start=0):
    """Reference runs of index start..count-1, from the cache where possible.

    Returns a list of (data, wall seconds, from_cache); exits the comparison with 2 when a run
    fails without a JSON answer.
    """
    results = []
    runner_args = root_args(a) + common_args(a, only_tests)
    for i in range(start, count):
        label = f"{name}_{i + 1}"
        out = work / f"{label}.json"
        plain_runner = runner_for(a.ref_python)
        pad = env_pad(a, i)
        env = dict(os.environ, **{ENV_PAD: "x" * pad}) if pad else None
        key = cache.key(runner_args, i, plain_runner, env_pad=pad) if cache.enabled and not sorted_goto else None
        data = cache.load(key) if key else None
        if data is not None:
            out.write_text(json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            results.append((data, data.get("reference_wall_s", 0.0), True))
            continue
        runner = [str(staged_runner(work)), "--sorted-goto"] if sorted_goto else [str(plain_runner)]
        cmd = [a.ref_python, runner[0], *runner_args, "-o", str(out), *runner[1:]]
        data, wall, rc, tail = run_json(label, cmd, out, env=env)  # the runner makes its own fresh HOME
        if data is None or (rc != 0 and "reference_error" not in data):
            raise RunFailed(f"reference run {label} failed (rc={rc}): {' '.join(cmd)}\n{tail}")
        if "reference_error" in data and data["reference_error"]["type"] != a.expect_reference_error:
            print(f"[{label}] the reference raised:\n{tail}")
        if key:
            cache.store(key, data)
        results.append((data, wall, False))
    return results


# ---------------------------------------------------------------------------- the judge


def entries(data, files=None):
    """All (key, test_file, test_class, test_function, test_type, line, col), optionally only in `files`."""
    return {
        (key, e["test_file"], e["test_class"], e["test_function"], e["test_type"], e["line_no"], e["col_no"])
        for key, es in data.get("function_to_tests", {}).items() for e in es
        if files is None or os.path.realpath(e["test_file"]) in files
    }


def violations(x, runs, judge_counts=True):
    """x and runs: (entry set, {count name: value}). Returns (missing, extra, count violations)."""
    sets = [r[0] for r in runs]
    inter, union = set.intersection(*sets), set.union(*sets)
    missing = inter - x[0]
    extra = x[0] - union
    counts = []
    if judge_counts:
        for c in COUNTS:
            lo, hi = min(r[1][c] for r in runs), max(r[1][c] for r in runs)
            v = x[1][c]
            if not lo <= v <= hi:
                counts.append((c, v, lo, hi, v - hi if v > hi else v - lo))
    return missing, extra, counts


def n_violations(v):
    return len(v[0]) + len(v[1]) + len(v[2])


def leave_one_out(runs, judge_counts=True):
    """Violations of each run against the others; returns the list of counts."""
    return [n_violations(violations(r, runs[:i] + runs[i + 1:], judge_counts)) for i, r in enumerate(runs)]


def entry_sort(t):
    return (t[0], t[1], t[2] is not None, t[2] or "", t[3], t[4], t[5], t[6])


def fmt_entry(t):
    key, file, cls, func, ttype, line, col = t
    where = f"{cls}::{func}" if cls is not None else func
    return f"{key}: {file}::{where} @ {line}:{col} (type {ttype})"


def print_violations(v, k, max_lines, prefix=""):
    missing, extra, counts = v
    for title, es in ((f"missing (in all {k} reference runs, not in ours)", missing),
                      (f"extra (in ours, in none of the {k} reference runs)", extra)):
        if es:
            print(f"{prefix}{title}: {len(es)}")
            for e in sorted(es, key=entry_sort)[:max_lines]:
                print(f"{prefix}    {fmt_entry(e)}")
            if len(es) > max_lines:
                print(f"{prefix}    ... {len(es) - max_lines} more not shown")
    for c, v_, lo, hi, by in counts:
        print(f"{prefix}count out of range: {c} = {v_}, reference runs [{lo}, {hi}] ({by:+d})")


def as_run(data, files=None):
    return entries(data, files), {c: data.get(c, 0) for c in COUNTS}


def cache_note(results):
    cached = sum(1 for r in results if r[2])
    return f"{cached} of {len(results)} reference runs from cache" if cached else "reference runs fresh"


def judge(a, label, runs_data, ours, summary, files=None, judge_counts=True, what="unpatched runs", who="ours",
          found=None):
    """Print the verdict line for the answer `ours` (named `who`); return whether it passes.
    Its violations (missing, extra, counts) are appended to the list `found` if given."""
    runs = [as_run(d, files) for d in runs_data]
    mine = as_run(ours, files)
    loo = leave_one_out(runs, judge_counts)
    tolerance = max(loo)
    v = violations(mine, runs, judge_counts)
    n = n_violations(v)
    inter, union = set.intersection(*(r[0] for r in runs)), set.union(*(r[0] for r in runs))
    ambiguous = len(ours.get("ambiguous", []))
    passed = n <= tolerance
    if n:
        print(f"== {label}: violations of {who} against the {len(runs)} reference runs")
        print_violations(v, len(runs), a.max_lines, prefix="  ")
    if tolerance:
        print(f"  reference leave-one-out spread per run: {loo}")
    ranges = ", ".join(f"{c.replace('num_discovered_', '')} [{min(r[1][c] for r in runs)}, {max(r[1][c] for r in runs)}]"
                       f" {who} {mine[1][c]}" for c in COUNTS)
    print(f"  {ranges}{'' if judge_counts else ' (counts not judged)'}")
    print(f"judge: {label}: {who} {n} violations (tolerance {tolerance} = reference leave-one-out "
          f"spread; {len(runs)} {what} agree on {len(inter)} entries, union {len(union)}; ambiguous {ambiguous})"
          f"{'' if passed else ' FAIL'}")
    summary.update(violations=n, missing=len(v[0]), extra=len(v[1]), count_violations=len(v[2]),
                   tolerance=tolerance, leave_one_out=loo, runs=len(runs), agree=len(inter), union=len(union),
                   ambiguous=ambiguous, errors=len(ours.get("errors", [])),
                   keys=len({e[0] for e in mine[0]}), entries=len(mine[0]),
                   tests=mine[1]["num_discovered_tests"], replay=mine[1]["num_discovered_replay_tests"])
    if found is not None:
        found.append(v)
    return passed


def site(entry):
    """Where an entry's reference sits: (test file, line, col)."""
    return os.path.realpath(entry[1]), entry[5], entry[6]


def ambiguous_sites(answer, runs_data):
    """Positions where Jedi's goto gave several definitions in `answer` (its `ambiguous` list), or
    where the reference runs disagree (an entry some runs have and others lack)."""
    out = {(os.path.realpath(x["test_file"]), x["line_no"], x["col_no"]) for x in answer.get("ambiguous", [])}
    sets = [entries(d) for d in runs_data]
    return out | {site(e) for e in set.union(*sets) - set.intersection(*sets)}


def escalation_wanted(verdicts, runs_data):
    """True when every failing answer's violations are entries at Jedi-ambiguous sites (no count)."""
    failing = [(answer, v) for answer, passed, v in verdicts if not passed]
    if not failing:
        return False
    for answer, (missing, extra, counts) in failing:
        sites = ambiguous_sites(answer, runs_data)
        if counts or any(site(e) not in sites for e in missing | extra):
            return False
    return True


# ---------------------------------------------------------------------------- main


def main():
    a = parse_args()
    project = a.name or Path(a.from_config or a.project_root).resolve().name
    label = f"{project} [{a.case}]" if a.case else project
    work = Path(tempfile.mkdtemp(prefix="cfd_compare_"))
    summary = {"project": project, "case": a.case, "status": "error"}
    try:
        return compare(a, label, work, summary)
    except RunFailed as e:
        print(f"judge: {label}: {e}")
        return 2
    finally:
        if a.keep:
            Path(a.keep).mkdir(parents=True, exist_ok=True)
            for f in work.glob("*.json"):
                shutil.copy(f, Path(a.keep) / f.name)
        if a.json_summary:
            Path(a.json_summary).write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
        shutil.rmtree(work, ignore_errors=True)


def program_path(p):
    """A program given with a folder made absolute (ours may run in another cwd); a bare name stays (PATH)."""
    return os.path.abspath(p) if os.sep in p else p


def load_snapshot(path, root):
    """A snapshot of tests/fixture_snapshots.rs as an answer: (JSON or None, exit code).

    Its header (between the first two `---` lines) is insta's; then `exit code: N`, `stderr:` and
    its lines when N is not 0, then the JSON or `no output`. `[FIXTURE]` becomes `root`."""
    text = Path(path).read_text(encoding="utf-8")
    _, _, body = text.split("---\n", 2)
    first, _, rest = body.partition("\n")
    rc = int(first.removeprefix("exit code: "))
    start = rest.find("{")
    if start < 0:
        return None, rc
    return json.loads(rest[start:].replace("[FIXTURE]", json_escaped(root))), rc


def snapshots(a):
    """The committed snapshot to judge besides ours (--snapshot): [(name, data, exit code)], or []."""
    if not a.snapshot:
        return []
    return [(f"snapshot {Path(a.snapshot).name}", *load_snapshot(a.snapshot, a.snapshot_root))]


def run_ours(a, work):
    out = work / "ours.json"
    # --from-config: no root flags, cwd = DIR (ours finds the pyproject.toml from there)
    roots = [] if a.from_config else root_args(a)
    cmd = [program_path(a.binary), *roots, *common_args(a), "--python", program_path(a.ref_python),
           "-o", str(out), "--quiet"]
    if a.jobs:
        cmd += ["-j", str(a.jobs)]
    if a.ours_tree_store:  # parse trees kept across cases; every answer still computed (--refresh)
        cmd += ["--cache-dir", os.path.abspath(a.ours_tree_store), "--refresh"]
    with scratch("cfd_ourhome_") as home:
        data, wall, rc, tail = run_json("ours", cmd, out, env=fresh_env(str(home)), cwd=a.from_config)
    return data, wall, rc, tail, cmd


def debug_sorted(a, cache, work, ours, label):
    """Informational only: ours against the reference patched with the old determinism rules."""
    try:
        (data, _, _), = reference_runs(a, cache, work, "debug_sorted_reference", 1, sorted_goto=True)
    except RunFailed as e:
        print(f"  debug-sorted: {e}")
        return
    ref, mine = as_run(data), as_run(ours)
    diff = len(ref[0] ^ mine[0]) + sum(ref[1][c] != mine[1][c] for c in COUNTS)
    print(f"  debug-sorted (not part of the verdict): {label}: {diff} differences against the sorted reference")
    print_violations((ref[0] - mine[0], mine[0] - ref[0], []), 1, a.max_lines, prefix="  debug-sorted   ")


def compare(a, label, work, summary):
    cache = ReferenceCache(a)
    if a.expect_reference_error:
        return compare_expected_error(a, label, work, summary, cache)

    ours, results, count = None, [], a.runs
    while True:
        results += reference_runs(a, cache, work, "reference", count, start=len(results))
        for data, _, _ in results:
            if "reference_error" in data:
                err = data["reference_error"]
                print(f"judge: {label}: the reference raised {err['type']}: {err['message']}")
                return 2
        if ours is None:
            ours, ours_wall, ours_rc, ours_tail, cmd = run_ours(a, work)
            if ours is None or ours_rc != 0:
                print(f"judge: {label}: our binary failed (rc={ours_rc}): {' '.join(cmd)}\n{ours_tail}")
                summary.update(ours_rc=ours_rc)
                return 2
        runs_data = [r[0] for r in results]
        print(f"  time: reference runs {', '.join(f'{r[1]:.1f}' + ('*' if r[2] else '') for r in results)} s "
              f"({cache_note(results)}{'; * = discover time recorded in the cached run' if any(r[2] for r in results) else ''}), "
              f"ours {ours_wall:.1f} s; ours: {len(ours.get('errors', []))} errors")
        found = []
        verdicts = [(ours, judge(a, label, runs_data, ours, summary, found=found), found[-1])]
        for name, data, rc in snapshots(a):
            if data is None or rc != 0:
                print(f"judge: {label}: {name}: exit code {rc}, expected 0 with an answer FAIL")
                verdicts.append((None, False, None))
                continue
            verdicts.append((data, judge(a, label, runs_data, data, {}, who=name, found=found), found[-1]))
        passed = all(v[1] for v in verdicts)
        # Escalation: a pick at a site where Jedi's goto is ambiguous is the reference's if any
        # unpatched run makes it, and a few runs can all miss a minority pick by chance.
        if passed or count >= max_runs(a) or any(v[0] is None for v in verdicts) \
                or not escalation_wanted(verdicts, runs_data):
            break
        count = min(count + a.runs, max_runs(a))
        print(f"judge: {label}: every violation is at a Jedi-ambiguous site: judging again against {count} runs "
              f"(--max-runs {max_runs(a)})")
    if a.debug_sorted:
        debug_sorted(a, cache, work, ours, label)
    ref_walls = [r[1] for r in results]
    summary.update(status="ok" if passed else "FAIL", cached_runs=sum(r[2] for r in results),
                   ref_wall_s=round(max(ref_walls), 2), ours_wall_s=round(ours_wall, 2),
                   snapshot_judged=bool(a.snapshot), escalated=count > a.runs)
    return 0 if passed else 1


def max_runs(a):
    return a.max_runs or 3 * a.runs


def load_expectation(text):
    if text.startswith("@"):
        text = Path(text[1:]).read_text(encoding="utf-8")
    exp = json.loads(text)
    unknown = set(exp) - {"exit_code", "errors", "files_with_entries", "judge_only_tests"}
    if unknown:
        raise SystemExit(f"judge: unknown keys in --ours-expect: {sorted(unknown)}")
    return exp


def expectation_problems(exp, data, rc):
    """How an answer (ours, or a snapshot) falls short of the case's "ours" block."""
    problems = []
    want_rc = exp.get("exit_code", 0)
    if rc != want_rc:
        problems.append(f"exit code is {rc}, expected {want_rc}")
    if data is None:
        return problems + ["no JSON answer"]
    for want in exp.get("errors", []):
        hits = [e for e in data.get("errors", [])
                if e.get("file") and os.path.realpath(e["file"]) == os.path.realpath(want["file"])
                and want.get("message_contains", "") in e.get("message", "")]
        if not hits:
            problems.append(f"no `errors` entry for {want['file']} containing {want.get('message_contains', '')!r}")
    files = {os.path.realpath(e[1]) for e in entries(data)}
    problems += [f"no entry has test file {f}" for f in exp.get("files_with_entries", [])
                 if os.path.realpath(f) not in files]
    return problems


def compare_expected_error(a, label, work, summary, cache):
    """The reference must raise; ours must do what the case says (see the docstring)."""
    exp = load_expectation(a.ours_expect)
    (ref, ref_wall, _), = reference_runs(a, cache, work, "reference_raising", 1)
    err = ref.get("reference_error")
    if not err or err["type"] != a.expect_reference_error:
        got = f"{err['type']}: {err['message']}" if err else "no error"
        print(f"judge: {label}: expected the reference to raise {a.expect_reference_error}, got {got}")
        return 2
    ours, ours_wall, ours_rc, ours_tail, cmd = run_ours(a, work)
    if ours is None:
        print(f"judge: {label}: our binary wrote no JSON (rc={ours_rc}): {' '.join(cmd)}\n{ours_tail}")
        return 2
    everything = [("ours", ours, ours_rc), *snapshots(a)]
    problems = []
    for name, data, rc in everything:
        for problem in expectation_problems(exp, data, rc):
            print(f"  {name}: {problem}")
            problems.append(f"{name}: {problem}")
    text = (f"reference raised {err['type']} as expected; ours exit {ours_rc}, "
            f"{len(exp.get('errors', []))} expected errors, {len(exp.get('files_with_entries', []))} files "
            f"with entries: {'ok' if not problems else f'{len(problems)} problems'}")
    passed = not problems
    summary.update(reference_error=err["type"], ours_rc=ours_rc, ours_problems=problems,
                   ref_wall_s=round(ref_wall, 2), ours_wall_s=round(ours_wall, 2))
    if exp.get("judge_only_tests"):
        only = exp["judge_only_tests"]
        results = reference_runs(a, cache, work, "reference_only_tests", a.runs, only_tests=only)
        for data, _, _ in results:
            if "reference_error" in data:
                e = data["reference_error"]
                print(f"judge: {label}: the reference raised {e['type']} even on "
                      f"judge_only_tests: {e['message']}")
                return 2
        print(f"  {text}; {cache_note(results)}")
        files = {os.path.realpath(f) for f in only}
        for name, data, _ in everything:
            if data is None:
                continue
            passed = judge(a, label, [r[0] for r in results], data, summary if name == "ours" else {},
                           files=files, judge_counts=False, who=name,
                           what=f"unpatched runs on the {len(files)} judge_only_tests files") and passed
    else:
        print(f"judge: {label}: {text}")
    if problems:
        print(f"judge: {label}: FAIL ({'; '.join(problems)})")
    summary.update(status="ok" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
