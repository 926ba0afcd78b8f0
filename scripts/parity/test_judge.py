"""Unit tests of the judge's rules (judge.py): the envelope, the leave-one-out tolerance, and when a
failing verdict draws more reference runs (escalation). Run: python -m unittest scripts/parity/test_judge.py
(scripts/test_all does). Stdlib only; no reference run, no binary."""

import sys
import unittest
from pathlib import Path

sys.path[0:0] = [str(Path(__file__).resolve().parents[1])]
from parity.judge import as_run, escalation_wanted, leave_one_out, n_violations, violations  # noqa: E402

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


if __name__ == "__main__":
    unittest.main()
