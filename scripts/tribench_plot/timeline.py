"""tribench_plot.timeline: the timeline figure: which task ran on which CPU,
and when, one panel per mode entry, one row per CPU, each task's bar split
into its running / ready / blocked shares or, with --sample-tasks, into those
states per sampling tick (a wait put back where it was: tick_states()), one
collection per task and state; tick_segments() and share_segments() are the
pieces a task's bar is drawn from.
"""

from .common import (entry_label, fmt_s, kind_colour, new_figure, no_run_text, pick_runs,
                     pick_workloads, plural, slot_cpus)
from .model import InputError

# Timeline: up to this many usable CPUs, idle ones get a row too.
MAX_IDLE_ROWS = 8
# A CPU busy this share of the run with work that is not the tasks' (/proc/stat
# busy - the tasks' schedstat time; busy is quantised to 10 ms ticks) is named so.
OTHER_WORK_MIN = 0.10
# The resolution of the clocks behind every time (schedstat, CLOCK_MONOTONIC), s.
NS = 1e-9


def tick_states(start_s, samples):
    """A task's sampled intervals as the timeline draws them: [(t0, t1, running,
    ready)] in seconds, t0 = start_s then each t[i-1], t1 = t[i].

    The kernel counts a wait for a CPU (schedstat field 2, run_delay) when the
    wait ENDS, and running time when it next updates the task: one interval's
    running + ready can exceed it by a whole wait, while the intervals where
    the wait really was show it as unbooked time (which would read blocked).
    So a wait is counted when it ends: the figure puts it back into the ticks
    before. An interval's excess (running + ready - its length > 0), taken
    from its ready first, then its running, goes into the unbooked remainder
    (length - running - ready) of the intervals before it, latest first, in
    the state it was booked as; what finds no room before (should not happen)
    moves into the next interval, and what is left after the last is cut.
    The totals stay the task's (the sums of the samples), bar that cut.
    Negative deltas (model.py refuses them) count as 0."""
    t = samples.t
    t0s = [start_s] + t[:-1]
    spans = [max(b - a, 0.0) for a, b in zip(t0s, t)]
    run = [max(v, 0.0) for v in samples.running_s]
    ready = [max(v, 0.0) for v in samples.ready_s]
    room = []              # intervals with unbooked time, latest last
    carry_r = carry_q = 0.0
    for i, span in enumerate(spans):
        run[i] += carry_r
        ready[i] += carry_q
        carry_r = carry_q = 0.0
        excess = run[i] + ready[i] - span
        if excess <= 0:
            if -excess > NS:
                room.append(i)
            continue
        q = min(excess, ready[i])
        r = excess - q
        ready[i] -= q
        run[i] -= r
        while (q > 0 or r > 0) and room:
            j = room[-1]
            gap = spans[j] - run[j] - ready[j]
            put = min(q, gap)
            ready[j] += put
            q -= put
            gap -= put
            put = min(r, gap)
            run[j] += put
            r -= put
            gap -= put
            if gap <= NS:
                room.pop()
        carry_r, carry_q = r, q
    return [(a, a + s, r, q) for a, s, r, q in zip(t0s, spans, run, ready)]


def tick_segments(start_s, end_s, samples, pixel_s=0.0):
    """One task's states per tick, as the timeline draws them: [(x0, x1, state)]
    in seconds from the run's start, state "running", "ready" or "blocked";
    adjacent segments of one state merged.

    The intervals are tick_states()'s (a wait put back where it was). Each
    holds its running share, then its ready share, then the rest (blocked):
    the shares within a tick are measured, their order within it is not.
    Ticks narrower than PIXEL_S (the seconds one pixel spans; 0: none) are
    summed into bins at least a pixel wide, drawn the same way, so that a bar
    never holds more segments of a state than it has pixels (plus one). A
    stretch after the last t up to end_s is "unknown"."""
    segs = []

    def add(x0, x1, state):
        if x1 - x0 <= NS:   # below the clocks' nanosecond: rounding, not a state
            return
        if segs and segs[-1][2] == state and abs(segs[-1][1] - x0) <= NS:
            segs[-1] = (segs[-1][0], x1, state)
        else:
            segs.append((x0, x1, state))

    def bin_out(b0, b1, r, q):
        span = b1 - b0
        r = min(r, span)
        q = min(q, span - r)
        add(b0, b0 + r, "running")
        add(b0 + r, b0 + r + q, "ready")
        add(b0 + r + q, b1, "blocked")

    b0 = None
    br = bq = 0.0
    last = start_s
    for t0, t1, r, q in tick_states(start_s, samples):
        if b0 is None:
            b0 = t0
        br += r
        bq += q
        last = t1
        if t1 - b0 >= pixel_s:
            bin_out(b0, t1, br, bq)
            b0, br, bq = None, 0.0, 0.0
    if b0 is not None:
        bin_out(b0, last, br, bq)
    add(max(last, start_s), end_s, "unknown")
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
    """Draw a task's segments: one collection per state (matplotlib's
    broken_barh), its gid PREFIX:ID:STATE (tests read its paths' extents), and
    a second one, without gid, for the state's hatch."""
    by_state = {}
    for x0, x1, state in segs:
        by_state.setdefault(state, []).append((x0, x1 - x0))
    for state, ranges in by_state.items():
        face, alpha, hatch = STATE_STYLE[state]
        ax.broken_barh(ranges, (y, h), facecolors=face or col, alpha=alpha, lw=0,
                       zorder=2, gid=f"{prefix}:{tid}:{state}")
        if hatch:
            ax.broken_barh(ranges, (y, h), facecolors="none", hatch=hatch, lw=0,
                           edgecolors="#888888" if state == "unknown" else col, zorder=3)


def plot_timeline(plt, args, reports):
    from matplotlib.patches import Patch

    report = reports[0]
    workload = pick_workloads(report, args.workload, True)[0]
    all_cpus = report.usable_cpus
    if not workload.entries:
        raise InputError(f"'{report.path}': workload '{workload.name}' has no modes")

    # Lay out every mode first: its CPUs, the lanes within each CPU, its height.
    layouts = []
    for e, run in pick_runs(report, workload, args.run, reports):
        if run is None:   # halted or interrupted before a measured run: a marked panel
            layouts.append((e, None, [], 0.0, 0))
            continue
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
    heights = [max(2.2, h if h <= 10 else 10 + (h - 10) ** 0.5) if lay[1] else 0.8
               for h, lay in ((lay[3], lay) for lay in layouts)] + [1.1]
    gs = fig.add_gridspec(len(layouts) + 1, 1, height_ratios=heights)
    drawn_runs = [lay[1] for lay in layouts if lay[1] is not None]
    xmax = max([run.wall_s or 0.0 for run in drawn_runs] +
               [t.end_s for run in drawn_runs for t in run.tasks] + [1e-3]) * 1.03
    # The seconds one pixel of the figure's width spans: no axes is wider, so
    # bins this wide never number more than a bar's pixels (tick_segments).
    pixel_s = xmax / max(args.size[0], 1)
    colour_seen = {}
    axes = []
    drawn = set()   # how states were drawn: "ticks", "shares", "unknown", "leader"
    binned = False  # whether some task's ticks were summed per pixel
    for i, (e, run, rows, height, hidden) in enumerate(layouts):
        ax = fig.add_subplot(gs[i], sharex=axes[0] if axes else None)
        axes.append(ax)
        if run is None:
            no_run_panel(ax, no_run_text(e, report, reports), i < len(layouts) - 1)
            continue
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
                if t.samples is not None and len(t.samples.t) > t.wall_s / pixel_s + 1:
                    binned = True
                if t.samples is not None and t.samples.scope == "task":
                    segs = tick_segments(t.start_s, t.end_s, t.samples, pixel_s)
                    drawn.add("ticks")
                else:
                    segs = share_segments(t)
                    drawn.add("unknown" if tree else "shares")
                draw_segments(ax, segs, yb, lane_h, col, "state", t.id)
                if t.samples is not None and t.samples.scope == "leader":
                    # a tree: the samples are its leader thread's only, drawn
                    # as a strip along the bottom of its (unknown) bar
                    drawn.add("leader")
                    draw_segments(ax, tick_segments(t.start_s, t.end_s, t.samples, pixel_s),
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
        parts.append(f"per {tick} tick: its running, then ready, then blocked share\n"
                     "(a time slice is ~3 ms: not a per-slice picture);\n"
                     "a wait is counted when it ends: the figure puts it back into the "
                     "ticks before" + (";\nticks narrower than a pixel are summed per pixel"
                                       if binned else ""))
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


def no_run_panel(ax, text, above):
    """The panel of a mode entry without a measured run: its title says so
    (TEXT), nothing else drawn; ABOVE: not the last panel (no x labels)."""
    ax.set_title(text, loc="left", fontsize=10, color="#b03a2e")
    ax.text(0.5, 0.5, "nothing to draw", transform=ax.transAxes, ha="center", va="center",
            fontsize=9, style="italic", color="#999999", gid="no-run")
    ax.set_yticks([])
    if above:
        ax.tick_params(axis="x", labelbottom=False)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def task_outline(t, y, h, col):
    """A task's outline: red and thick when it failed, dashed for a tree."""
    from matplotlib.patches import Rectangle

    return Rectangle((t.start_s, y), t.wall_s, h, fill=False,
                     edgecolor="#d62728" if t.failed else col,
                     lw=2.0 if t.failed else 0.9,
                     ls="--" if not t.states_known else "-", zorder=4,
                     gid=f"task:{t.id}" + (":failed" if t.failed else ""))
