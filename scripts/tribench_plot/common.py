"""tribench_plot.common: what every figure shares: picking workloads, entries
and runs from the model, naming entries as tribench names them, colours,
units, the figure's size, and writing it (atomically) once drawn.
"""

import os
import tempfile

from .model import InputError, cpu_list

# Task kinds keep their colour in every figure; unknown kinds take the rest.
KIND_COLOURS = {
    "cpu": "#1f77b4",
    "sleep": "#ff7f0e",
    "mix": "#2ca02c",
    "disk": "#9467bd",
    "mem": "#8c564b",
    "cmd": "#7f7f7f",
}
SPARE_COLOURS = ["#17becf", "#bcbd22", "#e377c2", "#d62728"]
MODE_COLOURS = {"serial": "#8c8c8c", "concurrent": "#e6862e", "parallel": "#2f6db5"}
REPORT_COLOURS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3"]


class OutputError(Exception):
    """The figure could not be written: one line on stderr, exit 3."""


def pick_workloads(report, name, default_first):
    """The workloads to draw: NAME, the first one, or all of them."""
    ws = report.workloads
    if name is None:
        return ws[:1] if default_first else ws
    for w in ws:
        if w.name == name:
            return [w]
    have = ", ".join(w.name for w in ws)
    raise InputError(f"no workload '{name}' in '{report.path}' (it has: {have})")


def entry_label(e, reports):
    """The entry's name, as tribench gives it: the mode, then /jN when a report
    in reports holds that mode with other jobs, then /executor likewise."""
    others = [o.key for r in reports for w in r.workloads for o in w.entries
              if o.mode == e.mode]
    label = e.mode
    if any(k[1] != e.jobs for k in others):
        label += f"/j{e.jobs}"
    if any(k[2] != e.executor for k in others):
        label += f"/{e.executor}"
    return label


def pick_run(e, wanted, report, wname, label):
    """Run WANTED (counting from 1), or the run with the median wall time;
    None when the entry has no measured run (a halted or interrupted report).
    Errors: InputError when WANTED is beyond the entry's runs."""
    if not e.runs:
        return None
    if wanted is not None:
        if wanted > len(e.runs):
            raise InputError(f"--run {wanted}: workload '{wname}' mode {label} "
                             f"in '{report.path}' has {plural(len(e.runs), 'run')}")
        return e.runs[wanted - 1]
    order = sorted(e.runs, key=lambda r: (r.wall_s is None, r.wall_s or 0.0))
    return order[(len(order) - 1) // 2]


def pick_runs(report, workload, wanted, reports):
    """[(entry, run or None)] for every entry of WORKLOAD (see pick_run).
    Errors: InputError when no entry has a measured run: nothing to draw."""
    picked = [(e, pick_run(e, wanted, report, workload.name, entry_label(e, reports)))
              for e in workload.entries]
    if all(run is None for _, run in picked):
        raise InputError(f"'{report.path}': workload '{workload.name}' has no measured runs"
                         + no_run_why(report))
    return picked


def no_run_why(report):
    """Why an entry may have no measured run, as the report says: ' (halted:
    --halt now)', ' (interrupted)', or ''."""
    if report.interrupted:
        return " (interrupted)"
    if report.halt not in (None, "never"):
        return f" (halted: --halt {report.halt})"
    return ""


def no_run_text(e, report, reports):
    """The words on the panel of an entry without a measured run."""
    return f"{entry_label(e, reports)}: no measured run{no_run_why(report)}"


def cpu_ranges(cpus):
    """Taskset-style list of OS CPUs: [0, 1, 2, 5] -> '0-2,5'."""
    cpus = sorted(set(cpus))
    parts, i = [], 0
    while i < len(cpus):
        j = i
        while j + 1 < len(cpus) and cpus[j + 1] == cpus[j] + 1:
            j += 1
        parts.append(str(cpus[i]) if i == j else f"{cpus[i]}-{cpus[j]}")
        i = j + 1
    return ",".join(parts)


def slot_cpus(e):
    """The CPUs of an entry's slots, as a short list."""
    return cpu_ranges([c for s in e.slots for c in cpu_list(s)])


def kind_colour(kind, seen):
    if kind in KIND_COLOURS:
        return KIND_COLOURS[kind]
    if kind not in seen:
        seen[kind] = SPARE_COLOURS[len(seen) % len(SPARE_COLOURS)]
    return seen[kind]


def fmt_s(x):
    """Seconds, in a unit that reads well."""
    if x is None:
        return "n/a"
    if x < 1:
        return f"{x * 1000:.0f} ms" if x >= 0.01 else f"{x * 1000:.1f} ms"
    return f"{x:.2f} s"


def plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def new_figure(plt, args):
    w, h = args.size
    return plt.figure(figsize=(w / args.dpi, h / args.dpi), dpi=args.dpi,
                      constrained_layout=True)


# ---- output ---------------------------------------------------------------

def save(fig, args):
    """Write the figure atomically: a temporary file beside it, then rename."""
    out = args.output
    directory = os.path.dirname(os.path.abspath(out))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tribench-plot.", suffix="." + args.format,
                                   dir=directory)
    except OSError as e:
        raise OutputError(f"cannot write '{out}': {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            meta = {"Date": None} if args.format == "svg" else {}
            fig.savefig(f, format=args.format, dpi=args.dpi, metadata=meta)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, out)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(f"cannot write '{out}': {e.strerror or e}") from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def pyplot():
    """matplotlib's pyplot on the Agg backend (no display needed)."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt
