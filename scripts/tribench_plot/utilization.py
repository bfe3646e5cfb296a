"""tribench_plot.utilization: the utilization figure: per-CPU busy share over
time as a heatmap, one row of panels per mode entry: the machine's view
(/proc/stat) beside the tasks' own (schedstat running time on each CPU).
"""

from .common import (entry_label, fmt_s, new_figure, no_run_text, pick_runs, pick_workloads,
                     plural, slot_cpus)
from .model import InputError


def annotate(run):
    """Whether the heatmap cells are few enough to carry their numbers."""
    s = run.samples
    return len(s.t) <= 24 and len(s.cpus) <= 8


def utilization_panel(ax, run, key, cmap):
    import numpy as np

    s = run.samples
    if not s.t or not s.cpus:
        ax.text(0.5, 0.5, "no samples", ha="center", va="center", transform=ax.transAxes)
        return None
    rows = getattr(s, key)
    data = np.array([[np.nan if v is None else v for v in row] for row in rows]).T
    edges_x = np.array([0.0] + s.t)
    edges_y = np.arange(len(s.cpus) + 1) - 0.5
    grid = len(s.cpus) <= 16 and len(s.t) <= 80
    mesh = ax.pcolormesh(edges_x, edges_y, np.ma.masked_invalid(data), cmap=cmap,
                         vmin=0.0, vmax=1.0, edgecolors="white" if grid else "face",
                         linewidth=0.3 if grid else 0)
    # Label the cells with their percentage where there is room.
    if annotate(run):
        widths = np.diff(edges_x)
        for ci in range(data.shape[0]):
            for ti in range(data.shape[1]):
                v = data[ci, ti]
                if np.isnan(v) or widths[ti] < 0.6 * float(np.median(widths)):
                    continue
                ax.text((edges_x[ti] + edges_x[ti + 1]) / 2, ci, f"{v * 100:.0f}",
                        ha="center", va="center", fontsize=7,
                        color="white" if v > 0.6 else "black")
    ax.set_ylim(len(s.cpus) - 0.5, -0.5)
    avg = {c: getattr(u, key) for c, u in run.cpus.items()}
    if len(s.cpus) <= 16:
        ax.set_yticks(range(len(s.cpus)),
                      [f"CPU {c}" + (f"  {avg[c] * 100:.0f}%" if avg.get(c) is not None else "")
                       for c in s.cpus])
    else:
        step = -(-len(s.cpus) // 8)
        ax.set_yticks(range(0, len(s.cpus), step),
                      [f"CPU {c}" for c in s.cpus[::step]], fontsize=8)
    ax.tick_params(axis="y", length=0)
    return mesh


def plot_utilization(plt, args, reports):
    import copy

    import matplotlib

    report = reports[0]
    workload = pick_workloads(report, args.workload, True)[0]
    if not workload.entries:
        raise InputError(f"'{report.path}': workload '{workload.name}' has no modes")
    metrics = {"both": ["busy", "task_busy"], "busy": ["busy"],
               "task_busy": ["task_busy"]}[args.metric]
    titles = {"busy": "machine view: busy share from /proc/stat (10 ms clock ticks)",
              "task_busy": "tasks' view: their schedstat running time on the CPU"}
    cmap = copy.copy(matplotlib.colormaps["YlOrRd"])
    cmap.set_bad("#d9d9d9")
    cmap.set_over("#5c0010")

    picked = pick_runs(report, workload, args.run, reports)
    runs = [run for _, run in picked if run is not None]
    if any(run.samples is None for run in runs):
        raise InputError(f"'{report.path}' has no samples (made with --detail mode): "
                         "utilization needs --detail task or run")
    fig = new_figure(plt, args)
    axes = fig.subplots(len(picked), len(metrics), sharex=True, squeeze=False)
    xmax = max([run.wall_s or 0.0 for run in runs] +
               [run.samples.t[-1] for run in runs if run.samples.t] + [1e-3])
    mesh = None
    nulls = False
    for r, (e, run) in enumerate(picked):
        for c, key in enumerate(metrics):
            ax = axes[r][c]
            if run is None:   # halted or interrupted before a measured run
                ax.text(0.5, 0.5, "nothing to draw", transform=ax.transAxes, ha="center",
                        va="center", fontsize=9, style="italic", color="#999999",
                        gid="no-run")
                ax.set_yticks([])
                text = no_run_text(e, report, reports)
                ax.set_title(f"{text}\n{titles[key]}" if r == 0 else text, fontsize=9,
                             loc="left", color="#b03a2e")
                if r == len(picked) - 1:
                    ax.set_xlabel("time since the run started (s)")
                continue
            mesh = utilization_panel(ax, run, key, cmap) or mesh
            nulls = nulls or any(v is None for row in getattr(run.samples, key) for v in row)
            if run.wall_s is not None:
                ax.axvline(run.wall_s, color="black", ls="--", lw=0.9)
            ax.set_xlim(0, xmax * 1.02)
            head = f"{entry_label(e, reports)} ({plural(len(e.slots), 'slot')} " \
                   f"on CPU {slot_cpus(e)}), " \
                   f"run {run.number} of {len(e.runs)}, wall {fmt_s(run.wall_s)}"
            ax.set_title(f"{head}\n{titles[key]}" if r == 0 else head, fontsize=9, loc="left")
            if r == len(picked) - 1:
                ax.set_xlabel("time since the run started (s)")
    if mesh is not None:
        cb = fig.colorbar(mesh, ax=axes, shrink=0.8, extend="max", pad=0.01)
        cb.set_label("share of the interval the CPU was busy (%)")
        cb.set_ticks([0, 0.25, 0.5, 0.75, 1.0], labels=["0", "25", "50", "75", "100"])
    period = runs[0].samples.period_s
    note = f"one cell per {fmt_s(period)} sample" if period else "one cell per sample"
    if any(annotate(run) for run in runs):
        note += "; numbers in cells: % busy"
    if all(len(run.samples.cpus) <= 16 for run in runs):
        note += "; % after a CPU: its share over the whole run"
    note += "; dashed line: end of the run"
    if nulls:
        note += "; grey: no clock tick in the interval"
    fig.suptitle(args.title or f"tribench utilization — workload '{workload.name}': "
                 f"how busy each CPU was, over time", fontsize=13)
    fig.supxlabel(note, fontsize=8, color="#555555")
    return fig
