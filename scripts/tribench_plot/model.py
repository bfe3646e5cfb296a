"""tribench_plot.model: a tribench report read once, checked value by value,
into a small model (Report, Workload, Entry, Run, Task, CpuUse, Samples,
StateSamples, Fit); the figures read only the model.

A value of the wrong type, or one tribench's reader refuses (negative or
unknown state_samples values or keys, a run number not its place, NaN,
Infinity), is the report's fault (InputError, exit 2, naming
where it is); anything failing after that is a bug of tribench-plot (an
internal error, exit 3).
"""

import json
import math
from dataclasses import dataclass

PROG = "tribench-plot"
SCHEMA_VERSION = 1
MODE_ORDER = ("serial", "concurrent", "parallel")


class InputError(Exception):
    """Bad input from the user: one line on stderr, exit 2."""


@dataclass
class StateSamples:
    """A task's states per sampling tick (--sample-tasks): intervals start_s..t[0],
    t[0]..t[1], ..., seconds from the run's start; running_s and ready_s per
    interval from the leader thread's schedstat; scope "task" or "leader"."""
    scope: str
    t: list
    running_s: list
    ready_s: list


@dataclass
class Task:
    id: int
    kind: str
    cpu: object            # the CPU row it is drawn on: its slot's first CPU, or None
    start_s: float
    end_s: float
    running_s: object      # None when unknown
    ready_s: object        # None for a tree (states_source cgroup or rusage)
    blocked_s: object
    states_source: object
    failed: bool
    samples: object        # StateSamples or None

    @property
    def wall_s(self):
        return max(self.end_s - self.start_s, 0.0)

    @property
    def states_known(self):
        """Whether running/ready/blocked are the task's own (one thread, schedstat)."""
        return self.running_s is not None and self.ready_s is not None and \
            self.blocked_s is not None


@dataclass
class CpuUse:
    cpu: int
    busy: object           # /proc/stat share over the run, or None
    task_busy: object      # the tasks' schedstat running time on it ÷ wall, or None

    @property
    def other(self):
        """Share of the run this CPU was busy with work that was not the tasks'
        (busy - task_busy, tick-quantised), or None when either is unknown."""
        if self.busy is None or self.task_busy is None:
            return None
        return max(self.busy - self.task_busy, 0.0)


@dataclass
class Samples:
    period_s: object
    cpus: list
    t: list
    busy: list             # per t, per cpu (None: no tick)
    task_busy: list


@dataclass
class Run:
    number: int            # counting from 1
    wall_s: object
    failed: bool
    cpus: dict             # cpu -> CpuUse
    samples: object        # Samples or None (--detail mode)
    tasks: object          # [Task] or None (--detail run or mode); not-started ones left out


@dataclass
class Entry:
    """A mode entry: a mode run with one --jobs size by one executor."""
    mode: str
    jobs: int
    executor: str
    slots: list            # the slots' cpusets, taskset syntax
    max_in_flight: object
    speedup: object
    efficiency: object
    wall: dict             # summary.wall_s: median, min, max (None when unknown)
    failed_runs: object
    runs: list

    @property
    def key(self):
        return (self.mode, self.jobs, self.executor)


@dataclass
class Fit:
    executor: str
    serial_fraction: object
    se: object


@dataclass
class Workload:
    name: str
    kinds: dict            # task id -> kind
    entries: list          # serial, concurrent, parallel, others; by jobs within a mode
    fits: list


@dataclass
class Report:
    path: str
    workloads: list
    usable_cpus: list
    runs: object           # config.runs
    sample_ms: object      # config.sample_ms
    sample_tasks: bool
    halt: object = None    # config.halt: "never", "soon", "now"; None when absent
    interrupted: bool = False


class Reader:
    """Checks one report's values as the model takes them: each getter returns
    the value or raises InputError naming the report and the place."""

    def __init__(self, path):
        self.path = path

    def bad(self, where, what):
        raise InputError(f"'{self.path}' is not a usable tribench report ({where}: {what})")

    def value(self, d, key, where, types, null, required):
        if key not in d:
            if required:
                self.bad(where, f"no '{key}'")
            return None
        v = d[key]
        if v is None:
            if not null:
                self.bad(f"{where}.{key}", "null")
            return None
        if isinstance(v, bool) and bool not in types or not isinstance(v, types):
            self.bad(f"{where}.{key}", f"unexpected {json.dumps(v)[:40]}")
        if isinstance(v, float) and not math.isfinite(v):
            self.bad(f"{where}.{key}", "not a finite number")
        return v

    def num(self, d, key, where, null=True, required=False):
        v = self.value(d, key, where, (int, float), null, required)
        return None if v is None else float(v)

    def integer(self, d, key, where, null=True, required=False):
        v = self.value(d, key, where, (int,), null, required)
        return v

    def text(self, d, key, where, null=True, required=False):
        return self.value(d, key, where, (str,), null, required)

    def obj(self, d, key, where, null=True, required=False):
        return self.value(d, key, where, (dict,), null, required)

    def array(self, d, key, where, null=True, required=False):
        return self.value(d, key, where, (list,), null, required)

    def nums(self, items, where, null=False):
        out = []
        for i, v in enumerate(items):
            if v is None and null:
                out.append(None)
            elif isinstance(v, (int, float)) and not isinstance(v, bool) and \
                    math.isfinite(v):
                out.append(float(v))
            else:
                self.bad(f"{where}[{i}]", f"not a number: {json.dumps(v)[:40]}")
        return out

    def cpus(self, text, where):
        try:
            return cpu_list(text)
        except ValueError:
            self.bad(where, f"not a CPU list: {json.dumps(text)[:40]}")


def load_report(path):
    """Read and check one report (a tribench report of schema version 1) into
    a Report. Errors: InputError (exit 2) naming the file and what is wrong."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise InputError(f"cannot read '{path}': {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise InputError(f"'{path}' is not a tribench report (not UTF-8 text)") from None
    def refuse(name):   # NaN, Infinity, -Infinity: Python's json takes them, JSON does not
        raise ValueError(f"{name} is not a JSON number")
    try:
        doc = json.loads(text, parse_constant=refuse)
    except (ValueError, RecursionError) as e:
        raise InputError(f"'{path}' is not a tribench report (not JSON: "
                         f"{str(e).splitlines()[0] if str(e) else type(e).__name__})") from None
    if not isinstance(doc, dict) or "schema_version" not in doc or \
            not isinstance(doc.get("workloads"), list) or \
            not isinstance(doc.get("tool"), dict) or doc["tool"].get("name") != "tribench":
        raise InputError(f"'{path}' is not a tribench report")
    if doc["schema_version"] != SCHEMA_VERSION:
        raise InputError(f"'{path}' has schema_version {json.dumps(doc['schema_version'])}; "
                         f"{PROG} reads version {SCHEMA_VERSION}")
    if not doc["workloads"]:
        raise InputError(f"'{path}' has no workloads")
    return read_report(Reader(path), doc)


def read_report(rd, doc):
    """The model of a parsed report document (see load_report)."""
    host = rd.obj(doc, "host", "host") or {}
    topo = rd.obj(host, "topology", "host") or {}
    usable = rd.array(topo, "usable_pus", "host.topology") or []
    usable = [int(c) for c in rd.nums(usable, "host.topology.usable_pus")]
    config = rd.obj(doc, "config", "config") or {}
    sample_ms = rd.num(config, "sample_ms", "config")
    workloads = []
    for wi, w in enumerate(doc["workloads"]):
        where = f"workloads[{wi}]"
        if not isinstance(w, dict):
            rd.bad(where, "not an object")
        workloads.append(read_workload(rd, w, where))
    names = [w.name for w in workloads]
    if len(set(names)) < len(names):
        rd.bad("workloads", "two workloads of one name")
    cpus = set(usable)
    if not cpus:
        # a report without the topology's list: what the runs and plans name
        for w in workloads:
            for e in w.entries:
                for r in e.runs:
                    cpus.update(r.cpus)
                for s in e.slots:
                    cpus.update(cpu_list(s))
    halt = rd.text(config, "halt", "config")
    if halt not in (None, "never", "soon", "now"):
        rd.bad("config.halt", f"unexpected {json.dumps(halt)[:40]}")
    # config.sample_tasks: a bool, absent in reports from before it (false)
    return Report(path=rd.path, workloads=workloads, usable_cpus=sorted(cpus),
                  runs=rd.integer(config, "runs", "config"), sample_ms=sample_ms,
                  sample_tasks=bool(rd.value(config, "sample_tasks", "config",
                                             (bool,), False, False)),
                  halt=halt,
                  interrupted=bool(rd.value(doc, "interrupted", "report", (bool,), True,
                                            False)))


def read_workload(rd, w, where):
    name = rd.text(w, "name", where, null=False, required=True)
    kinds = {}
    for ti, t in enumerate(rd.array(w, "tasks", where, null=False, required=True)):
        if not isinstance(t, dict):
            rd.bad(f"{where}.tasks[{ti}]", "not an object")
        kinds[rd.integer(t, "id", f"{where}.tasks[{ti}]", null=False, required=True)] = \
            rd.text(t, "kind", f"{where}.tasks[{ti}]", null=False, required=True)
    entries = []
    for mi, m in enumerate(rd.array(w, "modes", where, null=False, required=True)):
        if not isinstance(m, dict):
            rd.bad(f"{where}.modes[{mi}]", "not an object")
        entries.append(read_entry(rd, m, f"{where}.modes[{mi}]", kinds))
    fits = []
    for ai, a in enumerate(rd.array(w, "amdahl", where) or []):
        aw = f"{where}.amdahl[{ai}]"
        if not isinstance(a, dict):
            rd.bad(aw, "not an object")
        fits.append(Fit(executor=rd.text(a, "executor", aw) or "process",
                        serial_fraction=rd.num(a, "serial_fraction", aw),
                        se=rd.num(a, "serial_fraction_se", aw)))

    def order(e):
        return (MODE_ORDER.index(e.mode) if e.mode in MODE_ORDER else 99, e.jobs, e.executor)
    return Workload(name=name, kinds=kinds, entries=sorted(entries, key=order), fits=fits)


def read_entry(rd, m, where, kinds):
    mode = rd.text(m, "mode", where, null=False, required=True)
    plan = rd.obj(m, "plan", where) or {}
    slots = []
    for si, s in enumerate(rd.array(plan, "slots", f"{where}.plan") or []):
        sw = f"{where}.plan.slots[{si}]"
        if not isinstance(s, dict):
            rd.bad(sw, "not an object")
        cpuset = rd.text(s, "cpuset", sw, null=False, required=True)
        rd.cpus(cpuset, f"{sw}.cpuset")
        slots.append(cpuset)
    # a report from before --jobs sweeps has neither jobs nor executor: its
    # slots, and "process"
    jobs = rd.integer(m, "jobs", where)
    summ = rd.obj(m, "summary", where) or {}
    wall = rd.obj(summ, "wall_s", f"{where}.summary") or {}
    # warmup runs are checked as tribench's reader checks them, then left out
    read_runs(rd, m, "warmup_runs", where, kinds)
    runs = read_runs(rd, m, "runs", where, kinds)
    return Entry(mode=mode, jobs=len(slots) if jobs is None else jobs,
                 executor=rd.text(m, "executor", where) or "process",
                 slots=slots, max_in_flight=rd.integer(plan, "max_in_flight", f"{where}.plan"),
                 speedup=rd.num(summ, "speedup", f"{where}.summary"),
                 efficiency=rd.num(summ, "efficiency", f"{where}.summary"),
                 wall={k: rd.num(wall, k, f"{where}.summary.wall_s")
                       for k in ("median", "min", "max")},
                 failed_runs=rd.integer(summ, "failed_runs", f"{where}.summary"),
                 runs=runs)


def read_runs(rd, m, key, where, kinds):
    """The runs of a mode entry's list KEY (runs or warmup_runs), absent: []."""
    runs = []
    for ri, r in enumerate(rd.array(m, key, where) or []):
        if not isinstance(r, dict):
            rd.bad(f"{where}.{key}[{ri}]", "not an object")
        runs.append(read_run(rd, r, f"{where}.{key}[{ri}]", ri + 1, kinds))
    return runs


def read_run(rd, r, where, number, kinds):
    """A run; its "run", when present, must be NUMBER (its place in its list,
    counting from 1), as tribench's reader has it."""
    n = rd.value(r, "run", where, (int, float), False, False)
    if n is not None and n != number:
        rd.bad(f"{where}.run", f"{n} is not {number}, its place in the list counted from 1")
    cpus = {}
    for ci, c in enumerate(rd.array(r, "cpus", where) or []):
        cw = f"{where}.cpus[{ci}]"
        if not isinstance(c, dict):
            rd.bad(cw, "not an object")
        cpu = rd.integer(c, "cpu", cw, null=False, required=True)
        cpus[cpu] = CpuUse(cpu=cpu, busy=rd.num(c, "busy", cw),
                           task_busy=rd.num(c, "task_busy", cw))
    samples = None
    s = rd.obj(r, "samples", where)
    if s is not None:
        sw = f"{where}.samples"
        scpus = [int(c) for c in rd.nums(rd.array(s, "cpus", sw, False, True), f"{sw}.cpus")]
        t = rd.nums(rd.array(s, "t", sw, False, True), f"{sw}.t")
        series = {}
        for key in ("busy", "task_busy"):
            rows = rd.array(s, key, sw, False, True)
            if len(rows) != len(t):
                rd.bad(f"{sw}.{key}", f"{len(rows)} rows for {len(t)} times")
            series[key] = []
            for i, row in enumerate(rows):
                if not isinstance(row, list) or len(row) != len(scpus):
                    rd.bad(f"{sw}.{key}[{i}]", f"not a row of {len(scpus)} values")
                series[key].append(rd.nums(row, f"{sw}.{key}[{i}]", null=True))
        samples = Samples(period_s=rd.num(s, "period_s", sw), cpus=scpus, t=t,
                          busy=series["busy"], task_busy=series["task_busy"])
    tasks = None
    tl = rd.array(r, "tasks", where)
    if tl is not None:
        tasks = []
        for ti, t in enumerate(tl):
            if not isinstance(t, dict):
                rd.bad(f"{where}.tasks[{ti}]", "not an object")
            task = read_task(rd, t, f"{where}.tasks[{ti}]", kinds)
            if task is not None:
                tasks.append(task)
    failed = rd.value(r, "failed", where, (bool,), True, False)
    if failed is None:   # a report from before run.failed: any task failed
        failed = any(t.failed for t in tasks or [])
    return Run(number=number, wall_s=rd.num(r, "wall_s", where), failed=failed,
               cpus=cpus, samples=samples, tasks=tasks)


def read_task(rd, t, where, kinds):
    """A started task's record, or None for one that never started."""
    tid = rd.integer(t, "id", where, null=False, required=True)
    start, end = rd.num(t, "start_s", where), rd.num(t, "end_s", where)
    if start is None or end is None:
        return None
    cpuset = rd.text(t, "cpuset", where)
    cpus = rd.cpus(cpuset, f"{where}.cpuset") if cpuset else []
    seen = rd.nums(rd.array(t, "cpus_seen", where) or [], f"{where}.cpus_seen")
    ex = rd.obj(t, "exit", where) or {}
    status = rd.text(ex, "status", f"{where}.exit")
    code = rd.integer(ex, "exitcode", f"{where}.exit")
    timed_out = rd.value(ex, "timed_out", f"{where}.exit", (bool,), True, False)
    samples = None
    ss = rd.obj(t, "state_samples", where)
    if ss is not None:
        samples = read_state_samples(rd, ss, f"{where}.state_samples")
    return Task(id=tid, kind=kinds.get(tid, "?"),
                cpu=cpus[0] if cpus else (int(seen[0]) if seen else None),
                start_s=start, end_s=end, running_s=rd.num(t, "running_s", where),
                ready_s=rd.num(t, "ready_s", where), blocked_s=rd.num(t, "blocked_s", where),
                states_source=rd.text(t, "states_source", where),
                failed=bool(timed_out) or status not in ("exited", None) or code not in (0, None),
                samples=samples)


STATE_SAMPLE_KEYS = ("scope", "t", "running_s", "ready_s")


def read_state_samples(rd, ss, sw):
    """A task's state_samples, as docs/schema.json ($defs/state_samples) and
    tribench's reader have it: exactly its four keys, scope "task" or
    "leader", three arrays of one length of seconds (finite, 0 or more), t
    strictly rising."""
    for k in ss:
        if k not in STATE_SAMPLE_KEYS:
            rd.bad(sw, f"unknown key {json.dumps(k)[:40]}")
    scope = rd.text(ss, "scope", sw, False, True)
    if scope not in ("task", "leader"):
        rd.bad(f"{sw}.scope", f"unexpected {json.dumps(scope)}")
    arrays = [rd.nums(rd.array(ss, k, sw, False, True), f"{sw}.{k}")
              for k in STATE_SAMPLE_KEYS[1:]]
    if len({len(a) for a in arrays}) != 1:
        rd.bad(sw, "t, running_s and ready_s differ in length")
    for k, a in zip(STATE_SAMPLE_KEYS[1:], arrays):
        i = next((i for i, v in enumerate(a) if v < 0), None)
        if i is not None:
            rd.bad(f"{sw}.{k}[{i}]", f"negative seconds: {a[i]!r}")
    i = next((i for i in range(1, len(arrays[0])) if arrays[0][i] <= arrays[0][i - 1]), None)
    if i is not None:
        rd.bad(f"{sw}.t[{i}]", "not rising")
    return StateSamples(scope, *arrays)


def cpu_list(text):
    """OS CPUs of a taskset-style list: '0,2-3' -> [0, 2, 3]; ValueError if it is not one."""
    cpus = []
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            cpus.extend(range(int(a), int(b) + 1))
        else:
            cpus.append(int(part))
    return cpus
