"""tribench_plot.timeline: the timeline figure: which task ran on which CPU,
and when, one panel per mode entry, one row per CPU, each task's bar split
into its running / ready / blocked shares or, with --sample-tasks, into those
states per sampling tick; tick_segments() and share_segments() are the pieces
a task's bar is drawn from.
"""

from .common import (entry_label, fmt_s, kind_colour, new_figure, pick_run, pick_workloads,
                     plural, slot_cpus)
from .model import InputError

# Timeline: up to this many usable CPUs, idle ones get a row too.
MAX_IDLE_ROWS = 8
# A CPU busy this share of the run with work that is not the tasks' (/proc/stat
# busy - the tasks' schedstat time; busy is quantised to 10 ms ticks) is named so.
OTHER_WORK_MIN = 0.10
# The resolution of the clocks behind every time (schedstat, CLOCK_MONOTONIC), s.
NS = 1e-9


def tick_segments(start_s, end_s, samples):
    """One task's states per tick, as the timeline draws them: [(x0, x1, state)]
    in seconds from the run's start, state "running", "ready" or "blocked".
    Each interval (start_s..t[0], t[0]..t[1], ...) holds its running share,
    then its ready share, then the rest (blocked): the shares within a tick are
    measured, their order within it is not. A delta beyond its interval (clock
    granularity) is clamped to it; a stretch after the last t up to end_s is
    "unknown"."""
    segs = []
    t0 = start_s
    for t1, run, ready in zip(samples.t, samples.running_s, samples.ready_s):
        span = max(t1 - t0, 0.0)
        r = min(max(run, 0.0), span)
        q = min(max(ready, 0.0), span - r)
        x = t0
        for length, state in ((r, "running"), (q, "ready"), (span - r - q, "blocked")):
            if length > NS:   # below the clocks' nanosecond: rounding, not a state
                segs.append((x, x + length, state))
                x += length
        t0 = max(t0, t1)
    if end_s - t0 > NS:
        segs.append((t0, end_s, "unknown"))
    return segs


def share_segments(task):
    """A task without samples: its wall split into its running, ready and
    blocked shares, in that order (shares of the whole, not a sequence); a
    task whose states are unknown (a tree: states_source cgroup or rusage,
    ready_s and blocked_s null) is one "unknown" segment, never running."""
    if not task.states_known:
        return [(task.start_s, task.end_s, "unknown")]
    wall = task.wall_s
    run_s, ready_s = max(task.running_s, 0.0), max(task.ready_s, 0.0)
    total = run_s + ready_s + max(task.blocked_s, 0.0)
    scale = wall / total if total > 0 else 0.0
    segs, x = [], task.start_s
    for length, state in ((run_s * scale, "running"), (ready_s * scale, "ready"),
                          (wall - (run_s + ready_s) * scale, "blocked")):
        if length > 0:
            segs.append((x, x + length, state))
            x += length
    return segs


def lanes_for(tasks):
    """Greedy lanes: a task goes into the first lane free when it starts."""
    ends, lane_of = [], {}
    for t in sorted(tasks, key=lambda t: (t.start_s, t.id)):
        for i, end in enumerate(ends):
            if end <= t.start_s + 1e-6:
                ends[i] = t.end_s
                lane_of[t.id] = i
                break
        else:
            lane_of[t.id] = len(ends)
            ends.append(t.end_s)
    return lane_of, max(1, len(ends))


def cpu_note(use):
    """What a CPU row says of the CPU's other work over the run: '' when it
    was not busy with anything but the tasks (or cannot tell)."""
    other = use.other if use else None
    if other is None or other < OTHER_WORK_MIN:
        return ""
    return f"other work {other * 100:.0f}%"


def empty_row_text(use):
    """The words on a CPU row without tasks: idle only when /proc/stat says so."""
    if use is None or use.busy is None:
        return "no task (busy unknown)"
    if use.busy >= OTHER_WORK_MIN:
        return f"no task: busy with other work {use.busy * 100:.0f}% of the run"
    return "idle"


STATE_STYLE = {   # state -> (face: None = the kind's colour, alpha, hatch)
    "running": (None, 1.0, None),
    "ready": (None, 0.30, "////"),
    "blocked": ("white", 1.0, None),
    "unknown": ("#f0f0f0", 1.0, "xx"),
}


def draw_segments(ax, segs, y, h, col, prefix, tid):
    """Draw a task's segments; each patch's gid is PREFIX:ID:STATE (tests read them)."""
    from matplotlib.patches import Rectangle

    for x0, x1, state in segs:
        face, alpha, hatch = STATE_STYLE[state]
        ax.add_patch(Rectangle((x0, y), x1 - x0, h, facecolor=face or col, alpha=alpha,
                               lw=0, zorder=2, gid=f"{prefix}:{tid}:{state}"))
        if hatch:
            ax.add_patch(Rectangle((x0, y), x1 - x0, h, fill=False, hatch=hatch, lw=0,
                                   edgecolor="#888888" if state == "unknown" else col,
                                   zorder=3))


def plot_timeline(plt, args, reports):
    from matplotlib.patches import Patch

    report = reports[0]
    workload = pick_workloads(report, args.workload, True)[0]
    all_cpus = report.usable_cpus
    if not workload.entries:
        raise InputError(f"'{report.path}': workload '{workload.name}' has no modes")

    # Lay out every mode first: its CPUs, the lanes within each CPU, its height.
    layouts = []
    for e in workload.entries:
        run = pick_run(e, args.run, report, workload.name, entry_label(e, reports))
        if run.tasks is None:
            raise InputError(f"'{report.path}' has no task records (made with --detail run "
                             "or mode): timeline needs --detail task")
        # Every usable CPU gets a row (an idle core is part of the picture), unless
        # there are too many to read: then only the CPUs this mode used.
        by_cpu = {c: [] for c in all_cpus} if len(all_cpus) <= MAX_IDLE_ROWS else {}
        for t in run.tasks:
            by_cpu.setdefault(t.cpu, []).append(t)
        hidden = len(set(all_cpus) - set(by_cpu))
        rows = []   # (cpu, first lane y, lanes, {task id: lane}, tasks)
        y = 0.0
        for cpu in sorted(by_cpu, key=lambda c: (c is None, c if c is not None else 0)):
            lane_of, n = lanes_for(by_cpu[cpu])
            rows.append((cpu, y, n, lane_of, by_cpu[cpu]))
            y += n + 0.6
        layouts.append((e, run, rows, y - 0.6, hidden))

    fig = new_figure(plt, args)
    # Panel heights follow their lanes, but a crowded mode must not squash the rest.
    heights = [max(2.2, h if h <= 10 else 10 + (h - 10) ** 0.5)
               for h in (lay[3] for lay in layouts)] + [1.1]
    gs = fig.add_gridspec(len(layouts) + 1, 1, height_ratios=heights)
    xmax = max([lay[1].wall_s or 0.0 for lay in layouts] +
               [t.end_s for lay in layouts for t in lay[1].tasks] + [1e-3]) * 1.03
    colour_seen = {}
    axes = []
    drawn = set()   # how states were drawn: "ticks", "shares", "unknown", "leader"
    for i, (e, run, rows, height, hidden) in enumerate(layouts):
        ax = fig.add_subplot(gs[i], sharex=axes[0] if axes else None)
        axes.append(ax)
        ticks, labels = [], []
        for cpu, y0, n, lane_of, tasks in rows:
            use = run.cpus.get(cpu)
            note = cpu_note(use) if tasks else ""
            ticks.append(y0 + n / 2)
            labels.append(("CPU ?" if cpu is None else f"CPU {cpu}") +
                          (f"\n{note}" if note else ""))
            if y0 > 0:
                ax.axhline(y0 - 0.3, color="#bbbbbb", lw=0.8)
            if not tasks:
                text = empty_row_text(use)
                ax.text(xmax * 0.995, y0 + n / 2, text, ha="right", va="center",
                        fontsize=8, style="italic",
                        color="#999999" if text == "idle" else "#b03a2e", gid="cpu-row-note")
            lane_h = 0.8 if n < 12 else 0.9
            for t in tasks:
                col = kind_colour(t.kind, colour_seen)
                yb = y0 + lane_of[t.id] + (1 - lane_h) / 2
                tree = not t.states_known
                if t.samples is not None and t.samples.scope == "task":
                    segs = tick_segments(t.start_s, t.end_s, t.samples)
                    drawn.add("ticks")
                else:
                    segs = share_segments(t)
                    drawn.add("unknown" if tree else "shares")
                draw_segments(ax, segs, yb, lane_h, col, "state", t.id)
                if t.samples is not None and t.samples.scope == "leader":
                    # a tree: the samples are its leader thread's only, drawn
                    # as a strip along the bottom of its (unknown) bar
                    drawn.add("leader")
                    draw_segments(ax, tick_segments(t.start_s, t.end_s, t.samples),
                                  yb + lane_h * 0.62, lane_h * 0.38, col, "leader", t.id)
                ax.add_patch(task_outline(t, yb, lane_h, col))
                if t.wall_s > xmax * 0.045 and n <= 16:
                    text = f"#{t.id}"
                    if tree:
                        text += " tree" + (f": CPU {fmt_s(t.running_s)} in {fmt_s(t.wall_s)}"
                                           if t.running_s is not None and
                                           t.wall_s > xmax * 0.2 else "")
                    text += " failed" if t.failed else ""
                    ax.text(t.start_s + t.wall_s * 0.5, yb + lane_h * (0.3 if tree else 0.5),
                            text, ha="center", va="center", fontsize=7 if n > 4 else 8,
                            color="black", zorder=5,
                            bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none",
                                      alpha=0.7))
        if run.wall_s is not None:
            ax.axvline(run.wall_s, color="black", ls="--", lw=0.9, zorder=1)
        ax.set_ylim(height + 0.2, -0.2)
        ax.set_yticks(ticks, labels)
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0, xmax)
        ax.grid(axis="x", color="#eeeeee", zorder=0)
        how = {"serial": "one task at a time",
               "concurrent": "all tasks at once, time-sliced"}.get(
                   e.mode, f"{e.max_in_flight} at a time")
        ax.set_title(f"{entry_label(e, reports)}: {plural(len(e.slots), 'slot')} on CPU "
                     f"{slot_cpus(e)}, {how} "
                     f"— run {run.number} of {len(e.runs)}, wall {fmt_s(run.wall_s)}"
                     + (", failed" if run.failed else "")
                     + (f", speedup ×{e.speedup:.2f}" if e.speedup is not None else "")
                     + (f" ({hidden} idle CPUs not shown)" if hidden else ""),
                     loc="left", fontsize=10)
        if i < len(layouts) - 1:
            ax.tick_params(axis="x", labelbottom=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[-1].set_xlabel("time since the run started (s); each bar is one task (#id) from its "
                        "start to its end, red outline: failed; dashed line: end of the run")

    # Legend: kinds, then the states as they were drawn.
    lax = fig.add_subplot(gs[-1])
    lax.axis("off")
    kind_handles = [Patch(facecolor=kind_colour(k, colour_seen),
                          edgecolor=kind_colour(k, colour_seen), label=k)
                    for k in dict.fromkeys(workload.kinds.values())]
    grey = "#555555"
    state_handles = [Patch(facecolor=grey, edgecolor=grey, label="running (on the CPU)"),
                     Patch(facecolor="#dddddd", edgecolor=grey, hatch="////",
                           label="ready (runnable, waiting for the CPU)"),
                     Patch(facecolor="white", edgecolor=grey, label="blocked (sleeping, IO)")]
    if "unknown" in drawn or "ticks" in drawn:
        state_handles.append(Patch(facecolor="#f0f0f0", edgecolor="#888888", hatch="xx",
                                   label="states unknown (a process tree: only its CPU "
                                         "time is known)"))
    if "leader" in drawn:
        state_handles.append(Patch(facecolor="white", edgecolor=grey, ls="--",
                                   label="strip along a tree's bar: its leader thread "
                                         "only, per tick"))
    parts = []
    if "ticks" in drawn or "leader" in drawn:
        tick = f"{report.sample_ms:g} ms" if report.sample_ms else "sampling"
        parts.append(f"per {tick} tick: the tick's running, then ready, then blocked share "
                     "(a time slice is ~3 ms: not a per-slice picture)")
    if "shares" in drawn:
        parts.append(("unsampled tasks: " if parts else "fill: ") +
                     "share of the task's wall time in each state (not the order)")
    first = lax.legend(handles=kind_handles, loc="center left", bbox_to_anchor=(0.0, 0.5),
                       ncol=min(len(kind_handles), 2), frameon=False, fontsize=9,
                       title="colour: task kind", title_fontsize=9)
    lax.add_artist(first)
    lax.legend(handles=state_handles, loc="center right", bbox_to_anchor=(1.0, 0.5),
               ncol=3 if len(state_handles) <= 3 else 2, frameon=False, fontsize=8,
               title_fontsize=8, title="\n".join(parts) or None)
    fig.suptitle(args.title or f"tribench timeline — workload '{workload.name}': "
                 f"which task ran on which CPU, and in which state", fontsize=13)
    return fig


def task_outline(t, y, h, col):
    """A task's outline: red and thick when it failed, dashed for a tree."""
    from matplotlib.patches import Rectangle

    return Rectangle((t.start_s, y), t.wall_s, h, fill=False,
                     edgecolor="#d62728" if t.failed else col,
                     lw=2.0 if t.failed else 0.9,
                     ls="--" if not t.states_known else "-", zorder=4,
                     gid=f"task:{t.id}" + (":failed" if t.failed else ""))
