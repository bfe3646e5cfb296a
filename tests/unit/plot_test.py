#!/usr/bin/python3
"""Unit tests of scripts/tribench-plot's helpers (run by tests/e2e/plot.bats).

The script has no .py name: it is imported with SourceFileLoader, which must
not run its main(). Synthetic reports are built here; plot.bats draws real ones.
"""

import contextlib
import importlib.machinery
import importlib.util
import io
import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "tribench-plot")
sys.path.insert(0, HERE)


def load_script():
    loader = importlib.machinery.SourceFileLoader("tribench_plot_script", SCRIPT)
    mod = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(mod)
    return mod


tp = load_script()
import plot_fixtures  # noqa: E402  (beside this file)


def task(tid=0, start=0.0, end=1.0, running=0.5, ready=0.2, blocked=0.3,
         source="schedstat", samples=None, exitcode=0):
    return {"id": tid, "cpuset": "0", "cpus_seen": [0], "start_s": start, "end_s": end,
            "wall_s": None if start is None else end - start, "running_s": running, "ready_s": ready,
            "blocked_s": blocked, "states_source": source,
            "exit": {"status": "exited", "exitcode": exitcode}, "state_samples": samples}


def report(tasks=None, modes=None, workloads=None):
    """A minimal report: one workload, one serial entry, one run."""
    tasks = tasks if tasks is not None else [task()]
    if modes is None:
        modes = [{"mode": "serial", "jobs": 1, "plan": {"slots": [{"cpuset": "0"}]},
                  "summary": {"wall_s": {"median": 1.0, "min": 1.0, "max": 1.0},
                              "speedup": 1.0, "efficiency": 1.0},
                  "runs": [{"wall_s": 1.0, "cpus": [{"cpu": 0, "busy": 0.9, "task_busy": 0.5}],
                            "samples": None, "tasks": tasks}]}]
    return {"schema_version": 1, "tool": {"name": "tribench"},
            "host": {"topology": {"usable_pus": [0, 1]}}, "config": {"sample_ms": 50, "runs": 1},
            "workloads": workloads or [{"name": "w", "tasks": [{"id": t["id"], "kind": "cpu"}
                                                             for t in tasks], "modes": modes}]}


def load(doc):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(doc, f)
    try:
        return tp.load_report(f.name)
    finally:
        os.unlink(f.name)


class TickSegments(unittest.TestCase):
    def samples(self, t, run, ready, scope="task"):
        return tp.StateSamples(scope, t, run, ready)

    def test_each_tick_running_ready_blocked_in_turn(self):
        segs = tp.tick_segments(0.0, 0.1, self.samples([0.05, 0.1], [0.03, 0.0], [0.01, 0.02]))
        want = [(0.0, 0.03, "running"), (0.03, 0.04, "ready"), (0.04, 0.05, "blocked"),
                (0.05, 0.07, "ready"), (0.07, 0.1, "blocked")]
        self.assertEqual(len(segs), len(want))
        for (a0, a1, s), (b0, b1, w) in zip(segs, want):
            self.assertEqual(s, w)
            self.assertAlmostEqual(a0, b0, places=12)
            self.assertAlmostEqual(a1, b1, places=12)

    def test_deltas_beyond_their_interval_are_clamped(self):
        segs = tp.tick_segments(0.0, 0.05, self.samples([0.05], [0.06], [0.01]))
        self.assertEqual([s[2] for s in segs], ["running"])
        self.assertAlmostEqual(segs[0][1], 0.05)

    def test_segments_cover_start_to_end_without_gaps(self):
        segs = tp.tick_segments(0.02, 0.3, self.samples([0.05, 0.1, 0.2, 0.25],
                                                         [0.01, 0.02, 0.0, 0.05],
                                                         [0.0, 0.01, 0.05, 0.0]))
        self.assertAlmostEqual(segs[0][0], 0.02)
        for a, b in zip(segs, segs[1:]):
            self.assertAlmostEqual(a[1], b[0], places=12)
        # samples that stop short of end_s: the rest is unknown, not blocked
        self.assertEqual(segs[-1][2], "unknown")
        self.assertAlmostEqual(segs[-1][1], 0.3)


class ShareSegments(unittest.TestCase):
    def test_shares_fill_the_wall(self):
        t = load(report()).workloads[0].entries[0].runs[0].tasks[0]
        segs = tp.share_segments(t)
        self.assertEqual([s[2] for s in segs], ["running", "ready", "blocked"])
        self.assertAlmostEqual(segs[0][1] - segs[0][0], 0.5)
        self.assertAlmostEqual(segs[-1][1], 1.0)

    def test_a_tree_is_unknown_never_running(self):
        t = load(report([task(ready=None, blocked=None, source="cgroup", running=0.047,
                              end=0.147)])).workloads[0].entries[0].runs[0].tasks[0]
        self.assertFalse(t.states_known)
        self.assertEqual(tp.share_segments(t), [(0.0, 0.147, "unknown")])


class CpuWords(unittest.TestCase):
    def test_other_work(self):
        self.assertEqual(tp.cpu_note(tp.CpuUse(0, 0.95, 0.40)), "other work 55%")
        self.assertEqual(tp.cpu_note(tp.CpuUse(0, 0.45, 0.40)), "")
        self.assertEqual(tp.cpu_note(tp.CpuUse(0, None, 0.40)), "")

    def test_idle_only_when_idle(self):
        self.assertEqual(tp.empty_row_text(tp.CpuUse(1, 0.01, 0.0)), "idle")
        self.assertIn("other work 97%", tp.empty_row_text(tp.CpuUse(1, 0.97, 0.0)))
        self.assertNotEqual(tp.empty_row_text(None), "idle")


class Model(unittest.TestCase):
    def test_reads_once_into_the_model(self):
        r = load(report())
        self.assertEqual(r.usable_cpus, [0, 1])
        self.assertEqual(r.sample_ms, 50.0)
        e = r.workloads[0].entries[0]
        self.assertEqual((e.key, e.runs[0].number, e.runs[0].cpus[0].other), (("serial", 1, "process"), 1, 0.9 - 0.5))

    def test_wrong_types_are_bad_input_naming_the_place(self):
        doc = report()
        doc["workloads"][0]["modes"][0]["runs"][0]["tasks"][0]["running_s"] = "fast"
        with self.assertRaises(tp.InputError) as cm:
            load(doc)
        self.assertIn("workloads[0].modes[0].runs[0].tasks[0].running_s", str(cm.exception))

    def test_state_samples_are_checked(self):
        doc = report([task(samples={"scope": "task", "t": [0.5, 0.4], "running_s": [0, 0],
                                    "ready_s": [0, 0]})])
        with self.assertRaisesRegex(tp.InputError, "not rising"):
            load(doc)
        doc = report([task(samples={"scope": "all", "t": [1.0], "running_s": [0],
                                    "ready_s": [0]})])
        with self.assertRaisesRegex(tp.InputError, "scope"):
            load(doc)

    def test_not_started_tasks_are_left_out_and_failures_seen(self):
        r = load(report([task(0, start=None, end=None), task(1, exitcode=3)]))
        tasks = r.workloads[0].entries[0].runs[0].tasks
        self.assertEqual([(t.id, t.failed) for t in tasks], [(1, True)])

    def test_fixture_samples_follow_the_schema(self):
        doc = plot_fixtures.add_state_samples(report([task(end=1.01)]))
        ss = doc["workloads"][0]["modes"][0]["runs"][0]["tasks"][0]["state_samples"]
        self.assertEqual(ss["t"][-1], 1.01)
        self.assertEqual(len(ss["t"]), 21)
        self.assertAlmostEqual(sum(ss["running_s"]), 0.5, places=6)
        self.assertAlmostEqual(sum(ss["ready_s"]), 0.2, places=6)
        load(doc)


class Entries(unittest.TestCase):
    def test_labels_and_sweeps(self):
        modes = [{"mode": "parallel", "jobs": j, "plan": {"slots": [{"cpuset": "0"}] * j},
                  "runs": []} for j in (2, 1)]
        r = load(report(modes=modes))
        w = r.workloads[0]
        self.assertEqual([tp.entry_label(e, [r]) for e in w.entries], ["parallel/j1", "parallel/j2"])
        self.assertTrue(tp.is_sweep([w]))

    def test_dot_order_best_first(self):
        ws = [tp.Workload(n, {}, [tp.Entry("parallel", 2, "process", [], 2, sp, None,
                                            {"median": None, "min": None, "max": None}, 0, [])],
                          [])
              for n, sp in (("a", 1.2), ("b", None), ("c", 1.9))]
        self.assertEqual([w.name for w in tp.dot_order(ws)], ["c", "a", "b"])

    def test_cpu_lists(self):
        self.assertEqual(tp.cpu_list("0,2-3"), [0, 2, 3])
        self.assertEqual(tp.cpu_ranges([5, 0, 1, 2]), "0-2,5")


class Main(unittest.TestCase):
    def test_an_internal_error_is_exit_3_not_bad_input(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.json")
            with open(path, "w") as f:
                json.dump(report(), f)
            saved = tp.DRAW["speedup"]
            tp.DRAW["speedup"] = lambda plt, args, reports: 1 / 0
            err = io.StringIO()
            try:
                with contextlib.redirect_stderr(err):
                    status = tp.main([path, "-o", os.path.join(d, "x.png"), "--kind", "speedup"])
            finally:
                tp.DRAW["speedup"] = saved
            self.assertEqual(status, 3)
            self.assertIn("internal error", err.getvalue().splitlines()[-1])
            self.assertIn("ZeroDivisionError", err.getvalue())
            self.assertFalse(os.path.exists(os.path.join(d, "x.png")))

    def test_bad_input_is_exit_2(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            self.assertEqual(tp.main(["/nonexistent.json", "-o", "x.png", "--kind", "timeline"]), 2)
        self.assertEqual(len(err.getvalue().splitlines()), 1)


if __name__ == "__main__":
    unittest.main()
