"""tribench_plot.compare: the compare figure: two or more reports side by side,
median wall time per workload and mode entry (paired on mode, jobs and
executor), whiskers from the fastest to the slowest run, and each report's
change against the first.
"""

import os

from .common import REPORT_COLOURS, entry_label, fmt_s, new_figure, pick_workloads
from .model import InputError


def plot_compare(plt, args, reports):
    paths = [r.path for r in reports]
    labels = args.label or [os.path.basename(p) for p in paths]
    if not args.label and len(set(labels)) < len(labels):
        labels = list(paths)
    # Workloads to draw: those of the first report that some other report has too.
    names = [w.name for w in pick_workloads(reports[0], args.workload, False)]
    if args.workload is not None:
        for r in reports[1:]:
            pick_workloads(r, args.workload, False)
    # entries pair on their key (mode, jobs, executor), as `tribench compare` pairs them
    index = [{w.name: {e.key: e for e in w.entries} for w in r.workloads} for r in reports]
    names = [n for n in names
             if any(set(index[0][n]) & set(ix.get(n, {})) for ix in index[1:])]
    if not names:
        raise InputError(f"no workload and mode in common between '{paths[0]}' and the "
                         "other reports")

    fig = new_figure(plt, args)
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    k = len(reports)
    width = 0.8 / k
    for ax, name in zip(axes, names):
        first = next(w for w in reports[0].workloads if w.name == name)
        keys = [e.key for e in first.entries]
        top = 0.0
        labels_at = []
        for x, key in enumerate(keys):
            base = None
            for j, ix in enumerate(index):
                e = ix.get(name, {}).get(key)
                if e is None:
                    continue
                med = e.wall["median"]
                if med is None:
                    continue
                xj = x - 0.4 + width * (j + 0.5)
                ax.bar(xj, med, width * 0.92, color=REPORT_COLOURS[j % len(REPORT_COLOURS)],
                       label=labels[j] if x == 0 else None, zorder=2)
                lo = e.wall["min"] if e.wall["min"] is not None else med
                hi = e.wall["max"] if e.wall["max"] is not None else med
                ax.errorbar(xj, med, yerr=[[max(med - lo, 0)], [max(hi - med, 0)]],
                            fmt="none", ecolor="black", elinewidth=1, capsize=3, zorder=3)
                top = max(top, hi)
                labels_at.append((xj, med, hi, fmt_s(med)))
                if j == 0:
                    base = med
                elif base:
                    change = (med / base - 1) * 100
                    colour = "#c0392b" if change > args.threshold else \
                        "#1e8449" if change < -args.threshold else "#555555"
                    ax.text(xj, hi, f"{change:+.1f}%", ha="center", va="bottom",
                            fontsize=8, color=colour, zorder=4,
                            fontweight="bold" if colour != "#555555" else "normal")
        ax.set_xticks(range(len(keys)), [entry_label(index[0][name][key], reports)
                                         for key in keys],
                      **({"fontsize": 7} if len(keys) > 6 else {}))
        ax.set_xlim(-0.6, len(keys) - 0.4)
        ax.set_ylim(0, top * 1.12 if top > 0 else 1)
        # Each median, written up its bar (or above a bar too short to hold it).
        for xj, med, hi, text in labels_at:
            inside = med > 0.12 * ax.get_ylim()[1]
            ax.text(xj, ax.get_ylim()[1] * 0.012 if inside else hi, text, rotation=90,
                    ha="center",
                    va="bottom", fontsize=8, zorder=4,
                    color="white" if inside else "black")
        ax.set_title(f"workload '{name}'", fontsize=10)
        ax.grid(axis="y", color="#eeeeee", zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[0].set_ylabel("median wall time (s)")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="upper right", fontsize=9,
               frameon=False, ncol=min(k, 4))
    fig.suptitle(args.title or "tribench compare — median wall time per workload and mode "
                 "(lower is better)", fontsize=13, x=0.02, ha="left")
    fig.supxlabel(f"whiskers: fastest to slowest run; %: change of the median against "
                  f"'{labels[0]}' (red: over {args.threshold:g}% slower, green: over "
                  f"{args.threshold:g}% faster; not a significance test: see `tribench compare`)",
                  fontsize=8, color="#555555")
    return fig
