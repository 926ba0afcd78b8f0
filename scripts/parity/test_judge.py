"""Unit tests of the judge's rules (judge.py): the envelope, the leave-one-out tolerance, and when a
failing verdict draws more reference runs (escalation). Run: python -m unittest scripts/parity/test_judge.py
(scripts/test_all does). Stdlib only; no reference run, no binary."""

import sys
import tempfile
import types
import unittest
from pathlib import Path

sys.path[0:0] = [str(Path(__file__).resolve().parents[1])]
from parity.judge import as_run, env_pad, escalation_wanted, leave_one_out, n_violations, violations  # noqa: E402
from parity.refcache import ReferenceCache  # noqa: E402

FILE = "/p/tests/test_a.py"


def entry(key, line, col):
    return {"test_file": FILE, "test_class": None, "test_function": "test_x", "test_type": 1,
            "line_no": line, "col_no": col, "key": key}


def answer(picks, ambiguous=(), tests=1):
    """An answer: picks = [(function key, line, col)]; ambiguous = [(line, col)] from ours' list."""
    f2t = {}
    for key, line, col in picks:
        e = entry(key, line, col)
        f2t.setdefault(e.pop("key"), []).append(e)
    return {"function_to_tests": f2t, "num_discovered_tests": tests, "num_discovered_replay_tests": 0,
            "ambiguous": [{"test_file": FILE, "line_no": line, "col_no": col} for line, col in ambiguous]}


def verdict(ours, runs):
    """(ours, passed, violations) as judge.compare builds it."""
    rs = [as_run(d) for d in runs]
    v = violations(as_run(ours), rs)
    return ours, n_violations(v) <= max(leave_one_out(rs)), v


class Envelope(unittest.TestCase):
    def test_a_pick_no_run_makes_is_a_violation_twice(self):
        runs = [answer([("m.A.run", 18, 22)])] * 3
        ours = answer([("m.B.run", 18, 22)], ambiguous=[(18, 22)])
        _, passed, (missing, extra, counts) = verdict(ours, runs)
        self.assertFalse(passed)
        self.assertEqual((len(missing), len(extra), counts), (1, 1, []))

    def test_a_pick_some_runs_make_is_within_their_spread(self):
        runs = [answer([("m.A.run", 18, 22)]), answer([("m.B.run", 18, 22)]), answer([("m.A.run", 18, 22)])]
        self.assertEqual(leave_one_out([as_run(r) for r in runs]), [0, 2, 0])
        self.assertTrue(verdict(answer([("m.B.run", 18, 22)]), runs)[1])


class Escalation(unittest.TestCase):
    runs = [answer([("m.A.run", 18, 22), ("m.f", 3, 4)])] * 8

    def test_violations_only_at_our_ambiguous_sites_draw_more_runs(self):
        ours = answer([("m.B.run", 18, 22), ("m.f", 3, 4)], ambiguous=[(18, 22)])
        self.assertTrue(escalation_wanted([verdict(ours, self.runs)], self.runs))

    def test_sites_where_the_runs_disagree_count_as_ambiguous(self):
        runs = self.runs[:6] + [answer([("m.C.run", 18, 22), ("m.f", 3, 4)])] * 2
        ours = answer([("m.B.run", 18, 22), ("m.f", 3, 4)])  # no `ambiguous` list (a snapshot, say)
        _, passed, _ = v = verdict(ours, runs)
        self.assertFalse(passed)
        self.assertTrue(escalation_wanted([v], runs))

    def test_a_violation_elsewhere_fails_at_once(self):
        ours = answer([("m.B.run", 18, 22)], ambiguous=[(18, 22)])  # m.f at 3:4 missing: not ambiguous
        self.assertFalse(escalation_wanted([verdict(ours, self.runs)], self.runs))

    def test_a_count_out_of_range_fails_at_once(self):
        ours = answer([("m.B.run", 18, 22), ("m.f", 3, 4)], ambiguous=[(18, 22)], tests=2)
        self.assertFalse(escalation_wanted([verdict(ours, self.runs)], self.runs))

    def test_a_passing_verdict_draws_nothing(self):
        self.assertFalse(escalation_wanted([verdict(self.runs[0], self.runs)], self.runs))


class EscalationEnvironments(unittest.TestCase):
    a = types.SimpleNamespace(runs=8)

    def test_the_first_k_runs_keep_the_judges_environment(self):
        self.assertEqual([env_pad(self.a, i) for i in range(8)], [0] * 8)

    def test_escalation_runs_put_the_variable_in_each_small_object_size_class_in_turn(self):
        pads = [env_pad(self.a, i) for i in range(8, 40)]
        classes = [(33 + p + 15) // 16 for p in pads]  # the value's bytes object, 16-byte classes
        self.assertEqual(len(set(classes)), len(classes))
        self.assertEqual(sorted(c * 16 for c in classes if c * 16 <= 512), list(range(64, 513, 16)))

    def test_a_padded_run_has_its_own_cache_entry_and_a_plain_one_keeps_its_key(self):
        with tempfile.TemporaryDirectory() as root:
            a = types.SimpleNamespace(no_reference_cache=False, ref_python=sys.executable, from_config=None,
                                      project_root=root, tests_root=root)
            cache = ReferenceCache(a)
            args = ["--project-root", root, "--tests-root", root]
            plain = cache.key(args, 8)
            self.assertEqual(cache.key(args, 8, env_pad=0), plain)
            self.assertNotEqual(cache.key(args, 8, env_pad=16), plain)
            self.assertNotEqual(cache.key(args, 8, env_pad=16), cache.key(args, 8, env_pad=32))


if __name__ == "__main__":
    unittest.main()
