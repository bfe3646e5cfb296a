"""tribench_plot.speedup: the speedup figure: per workload, each mode entry's
speedup over serial and its efficiency against the ideal (bars for a few
workloads, a sorted dot plot for many); for a --jobs sweep, the scaling curve
with Amdahl's law fitted (side by side, or small multiples).
"""

from .common import (MODE_COLOURS, REPORT_COLOURS, entry_label, fmt_s, new_figure,
                     pick_workloads, plural)
from .model import InputError

# Speedup of this many workloads or more: a sorted dot plot instead of bars.
DOT_PLOT_MIN = 5


def serial_of(w, e):
    """The serial entry e's speedup is against: the same executor's, else the first."""
    serials = [s for s in w.entries if s.mode == "serial"]
    return next((s for s in serials if s.executor == e.executor),
                serials[0] if serials else None)


def speedup_range(w, e):
    """(slowest, fastest) run's speedup: median serial wall ÷ the entry's max and
    min wall; (None, None) when unknown."""
    s = serial_of(w, e)
    base = s.wall["median"] if s else None
    if base and e.wall["max"] and e.wall["min"]:
        return base / e.wall["max"], base / e.wall["min"]
    return None, None


def why_no_speedup(w, e):
    """Why an entry has no speedup, in a few words."""
    s = serial_of(w, e)
    if s is None:
        return "no serial"
    if s.wall["median"] is None or e.wall["median"] is None:
        return "no run without failures"
    return "n/a"


def is_sweep(workloads):
    """A --jobs sweep: some workload has two parallel entries of one executor."""
    for w in workloads:
        keys = [e.key for e in w.entries if e.mode == "parallel"]
        if len({k[2] for k in keys}) < len(keys):
            return True
    return False


def plot_speedup(plt, args, reports):
    report = reports[0]
    workloads = pick_workloads(report, args.workload, False)
    if not any(e.mode == "serial" for w in workloads for e in w.entries):
        raise InputError(f"'{report.path}' has no speedups to draw: they need the serial mode "
                         "(tribench --modes serial,...)")
    if is_sweep(workloads):
        return plot_scaling(plt, args, report, workloads)
    if len(workloads) >= DOT_PLOT_MIN:
        return plot_speedup_dots(plt, args, report, workloads)
    return plot_speedup_bars(plt, args, report, workloads)


def plot_speedup_bars(plt, args, report, workloads):
    """A few workloads: a column of bars (speedup above, efficiency below) each."""
    fig = new_figure(plt, args)
    axes = fig.subplots(2, len(workloads), sharey="row", squeeze=False)
    width = 0.62
    top_s, top_e = 1.0, 1.0
    labelled = []
    for col, w in enumerate(workloads):
        serial_med = (serial_of(w, w.entries[0]).wall["median"]
                      if w.entries and serial_of(w, w.entries[0]) else None)
        ax_s, ax_e = axes[0][col], axes[1][col]
        bars_s, bars_e = [], []
        labelled.append((ax_s, bars_s))
        labelled.append((ax_e, bars_e))
        for x, e in enumerate(w.entries):
            slots = len(e.slots) or 1
            colour = MODE_COLOURS.get(e.mode, "#777777")
            sp, eff = e.speedup, e.efficiency
            if sp is None:
                for ax in (ax_s, ax_e):
                    ax.text(x, 0.05, f"n/a\n({why_no_speedup(w, e)})", ha="center",
                            va="bottom", fontsize=8, color="#777777")
            else:
                lo, hi = speedup_range(w, e)
                ax_s.bar(x, sp, width, color=colour, zorder=2)
                if lo is not None:
                    ax_s.errorbar(x + width * 0.3, sp,
                                  yerr=[[max(sp - lo, 0)], [max(hi - sp, 0)]],
                                  fmt="none", ecolor="black", elinewidth=1, capsize=3, zorder=3)
                bars_s.append((x, sp, f"×{sp:.2f}", colour))
                top_s = max(top_s, sp, hi or 0)
                if eff is not None:
                    ax_e.bar(x, eff * 100, width, color=colour, zorder=2)
                    bars_e.append((x, eff * 100, f"{eff * 100:.0f}%", colour))
                    top_e = max(top_e, eff)
            # The ideal: speedup = slots (each slot a CPU's worth of work).
            ax_s.plot([x - width / 2 - 0.06, x + width / 2 + 0.06], [slots, slots],
                      color="black", lw=2.2, zorder=5, solid_capstyle="butt")
            ax_s.text(x + width / 2 + 0.08, slots, f"ideal\n×{slots}", ha="left",
                      va="center", fontsize=7, color="black", zorder=5)
            top_s = max(top_s, slots)
        ax_e.axhline(100, color="black", lw=1.6, zorder=5)
        labels = [f"{entry_label(e, [report])}\n{plural(len(e.slots), 'slot')}"
                  for e in w.entries]
        for ax in (ax_s, ax_e):
            ax.set_xticks(range(len(w.entries)), labels, fontsize=9)
            ax.set_xlim(-0.6, len(w.entries) - 0.4)
            ax.grid(axis="y", color="#eeeeee", zorder=0)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        ax_s.set_title(f"workload '{w.name}'"
                       + (f" — serial median {fmt_s(serial_med)}" if serial_med else ""),
                       fontsize=10)
        ax_s.tick_params(axis="x", labelbottom=False)
    axes[0][0].set_ylabel("speedup over serial\n(median serial wall ÷ median wall)")
    axes[1][0].set_ylabel("efficiency (speedup ÷ slots, %)\nline: ideal 100%")
    axes[0][0].set_ylim(0, top_s * 1.15)
    axes[1][0].set_ylim(0, top_e * 100 * 1.15)
    # Values inside their bars (white, at mid-height), or just above a bar too short.
    for ax, bars in labelled:
        ymax = ax.get_ylim()[1]
        for x, v, text, colour in bars:
            inside = v > 0.09 * ymax
            ax.text(x - width * 0.12, v / 2 if inside else v, text, ha="center",
                    va="center" if inside else "bottom", fontsize=9, zorder=6,
                    color="white" if inside else "black",
                    fontweight="bold" if inside else "normal",
                    bbox=dict(boxstyle="square,pad=0.15", fc=colour, ec="none")
                    if inside else None)
    fig.suptitle(args.title or "tribench speedup — how much faster each mode ran than serial",
                 fontsize=13)
    fig.supxlabel("black bar: the ideal speedup, one per slot; whiskers: speedup of the "
                  "slowest and fastest run" +
                  (f"; medians of {report.runs} measured runs" if report.runs else ""),
                  fontsize=8, color="#555555")
    return fig


def dot_order(workloads):
    """Workloads for the dot plot, best speedup first (those with none last)."""
    def best(w):
        sps = [e.speedup for e in w.entries if e.mode != "serial" and e.speedup is not None]
        return (not sps, -max(sps) if sps else 0.0, w.name)
    return sorted(workloads, key=best)


def plot_speedup_dots(plt, args, report, workloads):
    """Many workloads: a sorted dot plot, one row per workload (best speedup at
    the top), one dot per mode entry with its slowest..fastest run as a line
    and its ideal (speedup = slots) as a bar; efficiency beside it."""
    from matplotlib.lines import Line2D

    order = dot_order(workloads)
    keys = list(dict.fromkeys(e.key for w in order for e in w.entries if e.mode != "serial"))
    names = {}
    for w in order:
        for e in w.entries:
            names.setdefault(e.key, entry_label(e, [report]))
    fig = new_figure(plt, args)
    # matplotlib 3.6 lays out no figure legend: the legend gets a row of its own
    gs = fig.add_gridspec(2, 2, height_ratios=[1, 12], width_ratios=[3, 2])
    ax_s = fig.add_subplot(gs[1, 0])
    ax_e = fig.add_subplot(gs[1, 1], sharey=ax_s)
    lax = fig.add_subplot(gs[0, :])
    lax.axis("off")
    step = 0.7 / max(len(keys), 1)
    markers = "oDs^v<>"
    top = 1.0
    for row, w in enumerate(order):
        for e in w.entries:
            if e.mode == "serial":
                continue
            k = keys.index(e.key)
            y = row - 0.35 + step * (k + 0.5)
            colour = MODE_COLOURS.get(e.mode, REPORT_COLOURS[k % len(REPORT_COLOURS)])
            marker = markers[k % len(markers)]
            slots = len(e.slots) or 1
            ax_s.plot([slots], [y], marker="|", ms=9, mew=2, color="black", ls="none",
                      zorder=2)
            top = max(top, slots)
            if e.speedup is None:
                ax_s.text(0.02, y, f"{names[e.key]}: n/a ({why_no_speedup(w, e)})",
                          fontsize=7, va="center", color="#777777",
                          transform=ax_s.get_yaxis_transform())
                continue
            lo, hi = speedup_range(w, e)
            if lo is not None:
                ax_s.plot([lo, hi], [y, y], color=colour, lw=1.2, zorder=3)
            ax_s.plot([e.speedup], [y], marker=marker, color=colour, ls="none", ms=6,
                      zorder=4, gid=f"speedup:{w.name}:{names[e.key]}")
            ax_s.annotate(f"×{e.speedup:.2f}", (max(e.speedup, hi or 0), y),
                          textcoords="offset points", xytext=(5, 0), va="center",
                          fontsize=7)
            top = max(top, e.speedup, hi or 0)
            if e.efficiency is not None:
                ax_e.plot([e.efficiency * 100], [y], marker=marker, color=colour, ls="none",
                          ms=6, zorder=4)
                ax_e.annotate(f"{e.efficiency * 100:.0f}%", (e.efficiency * 100, y),
                              textcoords="offset points", xytext=(5, 0), va="center",
                              fontsize=7)
        if row:
            for ax in (ax_s, ax_e):
                ax.axhline(row - 0.5, color="#dddddd", lw=0.8, zorder=1)
    labels = []
    for w in order:
        s = serial_of(w, w.entries[0]) if w.entries else None
        med = s.wall["median"] if s else None
        labels.append(f"{w.name}" + (f"\nserial {fmt_s(med)}" if med else ""))
    ax_s.set_yticks(range(len(order)), labels, fontsize=8)
    ax_s.set_ylim(len(order) - 0.5, -0.5)
    ax_s.tick_params(axis="y", length=0)
    ax_s.axvline(1, color="#888888", ls=":", lw=1, zorder=1)
    ax_s.set_xlim(0, top * 1.18)
    ax_s.set_xlabel("speedup over serial (median serial wall ÷ median wall); dotted: serial = ×1")
    ax_e.axvline(100, color="black", lw=1.2, zorder=1)
    ax_e.set_xlim(0, max([110] + [e.efficiency * 130 for w in order for e in w.entries
                                  if e.efficiency is not None]))
    ax_e.set_xlabel("efficiency (speedup ÷ slots, %); line: ideal 100%")
    for ax in (ax_s, ax_e):
        ax.grid(axis="x", color="#eeeeee", zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles = [Line2D([], [], marker=markers[k % len(markers)], ls="-",
                      color=MODE_COLOURS.get(key[0], REPORT_COLOURS[k % len(REPORT_COLOURS)]),
                      label=names[key]) for k, key in enumerate(keys)]
    handles.append(Line2D([], [], marker="|", ms=9, mew=2, ls="none", color="black",
                          label="ideal: speedup = slots"))
    lax.legend(handles=handles, loc="center", ncol=len(handles), fontsize=8, frameon=False)
    ax_e.tick_params(axis="y", labelleft=False)
    fig.suptitle(args.title or f"tribench speedup — {len(order)} workloads, best first",
                 fontsize=13)
    fig.supxlabel("dots: median speedup per mode entry; lines: the slowest to the fastest "
                  "run" + (f" ({report.runs} measured runs)" if report.runs else ""),
                  fontsize=8, color="#555555")
    return fig


def plot_scaling(plt, args, report, workloads):
    """A --jobs sweep: speedup against jobs per workload, each executor's
    parallel entries as a measured curve, the ideal, and Amdahl's law with the
    serial fraction f the report fitted (workloads[].amdahl). Up to 3
    workloads side by side, each with its legend; more as small multiples
    with one legend and f written in each panel."""
    import math

    import numpy as np
    from matplotlib.lines import Line2D

    n = len(workloads)
    many = n > 3
    ncols = n if not many else min(5, math.ceil(math.sqrt(n * 1.6)))
    nrows = math.ceil(n / ncols)
    fig = new_figure(plt, args)
    # matplotlib 3.6 lays out no figure legend: with many panels it gets a row
    gs = fig.add_gridspec(nrows + many, ncols,
                          height_ratios=[1] * nrows + ([0.12] if many else []))
    grid = [[None] * ncols for _ in range(nrows)]
    for r in range(nrows):
        for c in range(ncols):
            grid[r][c] = fig.add_subplot(gs[r, c], sharey=grid[0][0])
    axes = [ax for row in grid for ax in row]
    for ax in axes[n:]:
        ax.axis("off")
    top = 1.0
    for ax, w in zip(axes, workloads):
        entries = w.entries
        executors = list(dict.fromkeys(e.executor for e in entries if e.mode == "parallel"))
        pmax = max([e.jobs for e in entries] + [2])
        ax.plot([1, pmax], [1, pmax], color="black", ls=":", lw=1.4, zorder=1,
                label="ideal: speedup = jobs")
        fits = []
        for i, executor in enumerate(executors):
            colour = MODE_COLOURS["parallel"] if i == 0 else REPORT_COLOURS[(i + 2) % 5]
            name = "parallel" + (f"/{executor}" if len(executors) > 1 else "")
            points = []
            for e in entries:
                if e.mode == "parallel" and e.executor == executor and e.speedup is not None:
                    lo, hi = speedup_range(w, e)
                    sp = e.speedup
                    points.append((e.jobs, sp, max(sp - (lo if lo is not None else sp), 0),
                                   max((hi if hi is not None else sp) - sp, 0)))
            if points:
                xs, ys, lo, hi = zip(*points)
                ax.errorbar(xs, ys, yerr=[lo, hi], fmt="o-", color=colour, ecolor="black",
                            elinewidth=1, capsize=3, zorder=3, label=f"{name}: measured")
                for x, y, _, up in points:
                    ax.annotate(f"×{y:.2f}", (x, y + up), textcoords="offset points",
                                xytext=(0, 4), ha="center", fontsize=7 if many else 8,
                                zorder=4)
                top = max(top, max(y + up for _, y, _, up in points))
            else:
                ax.text(0.5, 0.5, f"{name}: no speedup (no run without failures)",
                        transform=ax.transAxes, ha="center", fontsize=8, color="#777777")
            fit = next((a for a in w.fits if a.executor == executor), None)
            if fit and fit.serial_fraction is not None:
                f, se = fit.serial_fraction, fit.se
                p = np.linspace(1, pmax, 200)
                den = f + (1 - f) / p   # f < 0 (superlinear) reaches 0: no curve beyond
                with np.errstate(divide="ignore"):
                    curve = np.where(den > 0, 1 / den, np.nan)
                fit_text = f"f = {f:.3f} ± " + (f"{se:.3f}" if se is not None else "n/a")
                ax.plot(p, curve, color=colour, ls="--", lw=1.3, zorder=2,
                        label=f"{name}: Amdahl fit, {fit_text}")
                fits.append(f"{name}: {fit_text}" if len(executors) > 1 else fit_text)
        # serial and concurrent: one point each at their jobs, for reference
        for e in entries:
            if e.mode != "parallel" and e.speedup is not None:
                ax.plot([e.jobs], [e.speedup], marker="s" if e.mode == "serial" else "D",
                        ls="none", color=MODE_COLOURS.get(e.mode, "#777777"), zorder=3,
                        label=entry_label(e, [report]))
        sizes = sorted({e.jobs for e in entries})
        if len(sizes) <= 12:
            ax.set_xticks(sizes)
        ax.set_xlabel("jobs (parallel slots)", fontsize=8 if many else 10)
        ax.grid(color="#eeeeee", zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        s = serial_of(w, entries[0]) if entries else None
        serial_med = s.wall["median"] if s else None
        ax.set_title(f"workload '{w.name}'"
                     + (f" — serial median {fmt_s(serial_med)}" if serial_med else ""),
                     fontsize=9 if many else 10)
        if many:
            if fits:
                ax.text(0.98, 0.03, "Amdahl " + "\n".join(fits), transform=ax.transAxes,
                        ha="right", va="bottom", fontsize=7, color="#333333")
        else:
            ax.legend(loc="upper left", fontsize=8, frameon=False)
        top = max(top, pmax)
    for row in grid:
        row[0].set_ylabel("speedup over serial" if many else
                          "speedup over serial\n(median serial wall ÷ median wall)")
    axes[0].set_ylim(0, top * 1.12)
    if many:
        handles = [Line2D([], [], color="black", ls=":", label="ideal: speedup = jobs"),
                   Line2D([], [], color=MODE_COLOURS["parallel"], marker="o",
                          label="parallel: measured"),
                   Line2D([], [], color=MODE_COLOURS["parallel"], ls="--",
                          label="Amdahl fit (f ± its standard error in each panel)"),
                   Line2D([], [], color=MODE_COLOURS["serial"], marker="s", ls="none",
                          label="serial")]
        lax = fig.add_subplot(gs[nrows, :])
        lax.axis("off")
        lax.legend(handles=handles, loc="center", ncol=4, fontsize=8, frameon=False)
    fig.suptitle(args.title or "tribench speedup — scaling over the --jobs sweep, with Amdahl's "
                 "law fitted", fontsize=13)
    fig.supxlabel("points: median speedup per jobs"
                  + (f" ({report.runs} measured runs)" if report.runs else "")
                  + "; whiskers: the slowest and fastest run; dashed: Amdahl's law "
                  "S(p) = 1 / (f + (1 − f) / p), f by least squares (± its standard error)",
                  fontsize=8, color="#555555")
    return fig
