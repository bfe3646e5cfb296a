#!/usr/bin/python3
"""Test fixtures for scripts/tribench-plot, made from real tribench reports.

  plot_fixtures.py samples IN OUT     add state_samples to every started task, as
                                      `tribench run --sample-tasks` records them
  plot_fixtures.py workloads IN OUT N N workloads copied from the first one, named
                                      w0..w(N-1), each entry's walls scaled so
                                      that their speedups differ

The unit tests draw per-tick states from these, where a test needs a given
shape; plot.bats draws them from `tribench run --sample-tasks` itself. The
samples follow the schema
($defs/state_samples): ticks every config.sample_ms from the run's start,
the last at end_s; per interval running and ready deltas that vary from tick
to tick (so that a drawn sequence can be told from a uniform one) and add up
to the task's running_s and ready_s as far as the intervals hold them.
"""

import copy
import json
import sys


def tick_times(start, end, period):
    """Tick ends after START up to END (seconds), the last being END."""
    t, k = [], int(start / period) + 1
    while k * period < end - 1e-9:
        t.append(k * period)
        k += 1
    return t + [end]


def samples_for(task, period, leader=False):
    """state_samples for one task record; None when not started."""
    start, end = task.get("start_s"), task.get("end_s")
    if start is None or end is None:
        return None
    t = tick_times(start, end, period)
    spans = [b - a for a, b in zip([start] + t, t)]
    # weights cycling 1, 3, 2 (running) and 2, 1, 3 (ready): shares vary per tick
    wr = [s * (1, 3, 2)[i % 3] for i, s in enumerate(spans)]
    wq = [s * (2, 1, 3)[i % 3] for i, s in enumerate(spans)]
    if leader:   # a tree's leader thread (sh): it mostly waits for its children
        running, ready = 0.02 * (end - start), 0.01 * (end - start)
    else:
        running, ready = task.get("running_s") or 0.0, task.get("ready_s") or 0.0
    run_s, ready_s = [], []
    for s, a, b in zip(spans, wr, wq):
        r = min(running * a / sum(wr), s) if sum(wr) > 0 else 0.0
        q = min(ready * b / sum(wq), s - r) if sum(wq) > 0 else 0.0
        run_s.append(round(r, 9))
        ready_s.append(round(q, 9))
    return {"scope": "leader" if leader else "task", "t": t, "running_s": run_s,
            "ready_s": ready_s}


def add_state_samples(doc):
    """DOC (a report, modified) as if made with --sample-tasks."""
    doc["config"]["sample_tasks"] = True
    period = doc["config"]["sample_ms"] / 1000.0
    for w in doc["workloads"]:
        for m in w["modes"]:
            for run in (m.get("warmup_runs") or []) + (m.get("runs") or []):
                for t in run.get("tasks") or []:
                    tree = t.get("states_source") not in ("schedstat", None)
                    t["state_samples"] = samples_for(t, period, leader=tree)
    return doc


def many_workloads(doc, n):
    """DOC (modified) with N workloads copied from its first, walls scaled
    per entry so that each workload's speedups differ."""
    first = doc["workloads"][0]
    out = []
    for i in range(n):
        w = copy.deepcopy(first)
        w["name"] = f"w{i}"
        for m in w["modes"]:
            if m["mode"] == "serial":
                continue
            f = 0.5 + 0.1 * ((i * 7) % n)
            s = m.get("summary") or {}
            for k in ("speedup", "efficiency"):
                if s.get(k) is not None:
                    s[k] = s[k] / f
            wall = s.get("wall_s") or {}
            for k in ("mean", "median", "min", "max"):
                if wall.get(k) is not None:
                    wall[k] = wall[k] * f
        out.append(w)
    doc["workloads"] = out
    return doc


if __name__ == "__main__":
    what, src, dst = sys.argv[1:4]
    with open(src, encoding="utf-8") as f:
        report = json.load(f)
    if what == "samples":
        report = add_state_samples(report)
    elif what == "workloads":
        report = many_workloads(report, int(sys.argv[4]))
    else:
        sys.exit(f"plot_fixtures.py: unknown fixture '{what}'")
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(report, f)
