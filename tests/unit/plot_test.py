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
    return load_text(json.dumps(doc))


def load_text(text):
    """The model of a report given as JSON text (which json.dump would not write)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(text)
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

    def assert_segments(self, segs, want):
        self.assertEqual([s[2] for s in segs], [w[2] for w in want], segs)
        for (a0, a1, _), (b0, b1, _) in zip(segs, want):
            self.assertAlmostEqual(a0, b0, places=12)
            self.assertAlmostEqual(a1, b1, places=12)

    def test_a_wait_booked_when_it_ends_goes_back_into_the_tick_before(self):
        # 80 ms of waiting booked in the third tick, which holds 40 ms of it:
        # the other 40 ms were the second tick's unbooked time, not blocked
        segs = tp.tick_segments(0.0, 0.15, self.samples([0.05, 0.1, 0.15], [0.01, 0.0, 0.01],
                                                        [0.0, 0.0, 0.08]))
        self.assert_segments(segs, [(0.0, 0.01, "running"), (0.01, 0.05, "blocked"),
                                    (0.05, 0.09, "ready"), (0.09, 0.10, "blocked"),
                                    (0.10, 0.11, "running"), (0.11, 0.15, "ready")])

    def test_an_excess_fills_the_ticks_before_latest_first(self):
        # 50 ms excess in the third tick: the second tick has 20 ms unbooked,
        # the first 40 ms: 20 ms there, then 30 ms in the first, 10 ms left blocked
        states = tp.tick_states(0.0, self.samples([0.05, 0.1, 0.15], [0.01, 0.03, 0.0],
                                                  [0.0, 0.0, 0.1]))
        want = [(0.0, 0.05, 0.01, 0.03), (0.05, 0.1, 0.03, 0.02), (0.1, 0.15, 0.0, 0.05)]
        for got, w in zip(states, want):
            for a, b in zip(got, w):
                self.assertAlmostEqual(a, b, places=12)

    def test_an_excess_with_no_room_before_moves_forward(self):
        # the first tick's 20 ms excess (ready first) has no tick before it
        states = tp.tick_states(0.0, self.samples([0.05, 0.1], [0.03, 0.0], [0.04, 0.0]))
        self.assertAlmostEqual(states[0][3], 0.02, places=12)
        self.assertAlmostEqual(states[1][3], 0.02, places=12)
        self.assertAlmostEqual(states[1][2], 0.0, places=12)

    def test_the_totals_stay_the_tasks(self):
        import random
        rng = random.Random(13)
        for _ in range(200):
            n = rng.randint(1, 40)
            t = [0.01 * (i + 1) for i in range(n)]
            run = [rng.uniform(0, 0.006) for _ in t]
            ready = [rng.choice((0.0, 0.0, rng.uniform(0, 0.03))) for _ in t]
            if sum(run) + sum(ready) > t[-1]:
                continue
            ss = self.samples(t, run, ready)
            for pixel in (0.0, 0.003, 0.025):
                segs = tp.tick_segments(0.0, t[-1], ss, pixel)
                tot = {}
                for a, b, state in segs:
                    tot[state] = tot.get(state, 0.0) + b - a
                self.assertAlmostEqual(tot.get("running", 0.0), sum(run), places=9)
                self.assertAlmostEqual(tot.get("ready", 0.0), sum(ready), places=9)
                for a, b in zip(segs, segs[1:]):
                    self.assertAlmostEqual(a[1], b[0], places=12)
                    self.assertNotEqual(a[2], b[2])   # adjacent ones of a state merged

    def test_ticks_narrower_than_a_pixel_are_summed_per_pixel(self):
        # 2000 ticks of 1 ms, alternately running and ready, over 200 pixels
        t = [0.001 * (i + 1) for i in range(2000)]
        run = [0.001 if i % 2 else 0.0 for i in range(2000)]
        ready = [0.0 if i % 2 else 0.0005 for i in range(2000)]
        segs = tp.tick_segments(0.0, 2.0, self.samples(t, run, ready), 2.0 / 200)
        for state in ("running", "ready", "blocked"):
            self.assertLessEqual(sum(1 for s in segs if s[2] == state), 201, state)
        tot = {}
        for a, b, state in segs:
            tot[state] = tot.get(state, 0.0) + b - a
        self.assertAlmostEqual(tot["running"], 1.0, places=9)
        self.assertAlmostEqual(tot["ready"], 0.5, places=9)
        self.assertAlmostEqual(tot["blocked"], 0.5, places=9)

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

    def assert_refused(self, doc, where, text=None):
        with self.assertRaises(tp.InputError) as cm:
            load(doc)
        msg = str(cm.exception)
        self.assertIn(where, msg)
        if text:
            self.assertIn(text, msg)
        self.assertEqual(len(msg.splitlines()), 1)

    def samples_doc(self, **change):
        ss = {"scope": "task", "t": [0.5, 1.0], "running_s": [0.2, 0.3], "ready_s": [0.1, 0.1]}
        ss.update(change)
        return report([task(samples=ss)])

    def test_state_samples_as_tribench_reads_them(self):
        load(self.samples_doc())
        at = "workloads[0].modes[0].runs[0].tasks[0].state_samples"
        self.assert_refused(self.samples_doc(running_s=[0.2, -0.001]), f"{at}.running_s[1]",
                            "negative")
        self.assert_refused(self.samples_doc(ready_s=[-1, 0.1]), f"{at}.ready_s[0]", "negative")
        self.assert_refused(self.samples_doc(t=[-0.5, 1.0]), f"{at}.t[0]", "negative")
        self.assert_refused(self.samples_doc(t=[0.5, 0.5]), f"{at}.t[1]", "not rising")
        self.assert_refused(self.samples_doc(blocked_s=[0.0, 0.0]), at, "unknown key")

    def test_run_numbers_must_be_their_place(self):
        doc = report()
        doc["workloads"][0]["modes"][0]["runs"][0]["run"] = 1
        load(doc)
        doc["workloads"][0]["modes"][0]["runs"][0]["run"] = 2
        self.assert_refused(doc, "workloads[0].modes[0].runs[0].run", "place")
        doc = report()
        runs = doc["workloads"][0]["modes"][0]["runs"]
        runs.append(json.loads(json.dumps(runs[0])))
        runs[0]["run"] = runs[1]["run"] = 1
        self.assert_refused(doc, "workloads[0].modes[0].runs[1].run", "place")
        doc = report()
        warm = json.loads(json.dumps(doc["workloads"][0]["modes"][0]["runs"][0]))
        warm["run"] = 0
        doc["workloads"][0]["modes"][0]["warmup_runs"] = [warm]
        self.assert_refused(doc, "workloads[0].modes[0].warmup_runs[0].run", "place")
        warm["run"] = "1"
        self.assert_refused(doc, "workloads[0].modes[0].warmup_runs[0].run")

    def test_nan_and_infinity_are_not_json(self):
        for literal in ("NaN", "Infinity", "-Infinity"):
            text = json.dumps(report()).replace('"running_s": 0.5', f'"running_s": {literal}')
            self.assertIn(literal, text)
            with self.assertRaises(tp.InputError) as cm:
                load_text(text)
            self.assertIn(f"{literal} is not a JSON number", str(cm.exception))
        # a number beyond a double reads as inf in Python: not a finite number
        text = json.dumps(report()).replace('"running_s": 0.5', '"running_s": 1e999')
        with self.assertRaises(tp.InputError) as cm:
            load_text(text)
        self.assertIn("tasks[0].running_s", str(cm.exception))
        self.assertIn("not a finite number", str(cm.exception))

    def test_sample_tasks_is_a_bool(self):
        for bad in (None, 1, "true"):
            doc = report()
            doc["config"]["sample_tasks"] = bad
            self.assert_refused(doc, "config.sample_tasks")
        doc = report()
        doc["config"]["sample_tasks"] = True
        self.assertTrue(load(doc).sample_tasks)
        self.assertFalse(load(report()).sample_tasks)   # absent: a report from before it

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


class Runs(unittest.TestCase):
    def modes(self):
        run = {"wall_s": 1.0, "cpus": [], "samples": None, "tasks": [task()]}
        return [{"mode": m, "jobs": 1, "plan": {"slots": [{"cpuset": "0"}]},
                 "runs": [run] if m == "serial" else []} for m in ("serial", "parallel")]

    def test_an_entry_without_runs_is_none_and_why(self):
        doc = report(modes=self.modes())
        doc["config"]["halt"] = "now"
        r = load(doc)
        picked = tp.pick_runs(r, r.workloads[0], None, [r])
        self.assertEqual([(e.mode, run is None) for e, run in picked],
                         [("serial", False), ("parallel", True)])
        self.assertEqual(tp.no_run_text(picked[1][0], r, [r]),
                         "parallel: no measured run (halted: --halt now)")
        doc["interrupted"] = True
        r = load(doc)
        self.assertEqual(tp.no_run_text(r.workloads[0].entries[1], r, [r]),
                         "parallel: no measured run (interrupted)")

    def test_no_entry_with_runs_is_bad_input(self):
        modes = self.modes()
        modes[0]["runs"] = []
        r = load(report(modes=modes))
        with self.assertRaisesRegex(tp.InputError, "no measured runs"):
            tp.pick_runs(r, r.workloads[0], None, [r])


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
