"""tribench_plot.cli: the command line: its arguments (parse_args), which
figure each --kind draws (DRAW, draw) and main(), which maps every outcome to
the exit status and one line on stderr (see scripts/tribench-plot).
"""

import argparse
import os
import sys
import traceback

from .common import OutputError, pyplot, save
from .compare import plot_compare
from .model import PROG, SCHEMA_VERSION, InputError, load_report
from .speedup import plot_speedup
from .timeline import plot_timeline
from .utilization import plot_utilization

EXIT_OK, EXIT_INPUT, EXIT_RUNTIME = 0, 2, 3

KINDS = ("timeline", "utilization", "speedup", "compare")
# Default figure size in pixels (at --dpi 100), per kind.
DEFAULT_SIZE = {
    "timeline": (1200, 900),
    "utilization": (1200, 800),
    "speedup": (1200, 700),
    "compare": (1200, 600),
}
FORMATS = ("png", "svg")


class Parser(argparse.ArgumentParser):
    """argparse with the tribench error contract: one line, exit 2."""

    def error(self, message):
        raise InputError(f"{message} (see --help)")


def parse_args(argv):
    sizes = "; ".join(f"{k} {w}x{h}" for k, (w, h) in DEFAULT_SIZE.items())
    p = Parser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Draw tribench JSON reports (schema version 1) as a PNG or SVG figure.",
        epilog=f"""kinds:
  timeline     one panel per mode entry, one row per CPU: a bar per task from its
               start_s to its end_s, coloured by task kind and split into the
               task's running / ready / blocked shares (the shares, not their
               order); with --sample-tasks (tribench run), into each tick's
               running, ready and blocked shares in turn (per --sample-ms tick,
               50 ms by default: a picture per tick, not per ~3 ms time slice).
               The kernel counts a wait for a CPU when the wait ends: a tick's
               running + ready beyond its length is put back into the ticks
               before it, latest first, where the wait was; ticks narrower
               than a pixel are summed per pixel.
               A process tree (states_source cgroup or rusage: ready and blocked
               unknown) is hatched grey, never drawn as running; its sampled
               leader thread, if any, is a strip along its bar. A failed task
               has a red outline. A CPU row names work that was not the tasks'
               (/proc/stat busy - the tasks' time, 10% of the run or more):
               "other work N%", and a row without tasks is "idle" only when
               the CPU was. Tasks that overlap on a CPU (concurrent mode) get
               lanes of their own within its row. A mode entry without a
               measured run (--halt, an interrupt) is a panel saying so.
  utilization  one row of panels per mode entry: per-CPU busy share over time as a
               heatmap (samples.busy, the machine's view from /proc/stat) and,
               beside it, samples.task_busy (the tasks' schedstat running time).
  speedup      per workload: speedup over serial and efficiency (speedup /
               slots) per mode entry, with the ideal (slots; 100%) marked: bars
               for up to 4 workloads, a dot plot sorted best first for more. A
               report of a --jobs sweep (two parallel entries or more) gets the
               scaling curve instead: speedup against jobs per workload, whiskers
               from the slowest to the fastest run, the ideal (speedup = jobs),
               and Amdahl's law S(p) = 1 / (f + (1 - f) / p) with the serial
               fraction f the report fitted (workloads[].amdahl), f ± its
               standard error in the legend (small multiples for more than 3
               workloads, f written in each panel).
  compare      two or more reports side by side: median wall time per workload
               and mode entry (paired on mode, jobs and executor, as `tribench
               compare` pairs them), whiskers from the fastest to the slowest run,
               and each report's change against the first.

mode entries are named as tribench names them: mode[/jN][/executor], /jN when
a report holds that mode with other --jobs sizes (parallel/j1, parallel/j2).

timeline and utilization draw one workload (--workload, default the first)
and one measured run per mode (--run, default the run with the median wall
time); speedup and compare draw every workload unless --workload is given.

default sizes in pixels: {sizes}.

examples:
  tribench --runs 3 -o r.json
  {PROG} r.json -o timeline.png --kind timeline --workload mixed
  {PROG} r.json -o util.svg --kind utilization --metric busy
  {PROG} r.json -o speedup.png --kind speedup
  tribench --jobs 1,2,4,8 -m serial,parallel --runs 5 -o sweep.json
  {PROG} sweep.json -o scaling.png --kind speedup
  {PROG} old.json new.json -o compare.png --kind compare --label old --label new

exit status: 0 success; 2 bad input (arguments, a missing or unreadable file,
not a tribench report, schema_version other than {SCHEMA_VERSION}, a value of the wrong
type or one tribench's reader refuses, NaN or Infinity, unknown workload or run); 3 the figure could not be written, or an
internal error (a bug in {PROG}: its traceback, then a line "internal error").
Errors are one line on stderr, and no output file is left behind.""",
    )
    p.add_argument("reports", nargs="+", metavar="REPORT.json",
                   help="tribench report(s); compare takes two or more, the other kinds one")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="figure to write; the format follows the extension (.png or .svg)")
    p.add_argument("-k", "--kind", required=True, choices=KINDS, metavar="KIND",
                   help="which figure to draw: " + ", ".join(KINDS) + " (see below)")
    p.add_argument("-w", "--workload", metavar="NAME",
                   help="draw only this workload (timeline, utilization: default the first)")
    p.add_argument("-r", "--run", type=int, metavar="N",
                   help="measured run to draw, counting from 1 (timeline, utilization; "
                        "default: the run with the median wall time, in each mode)")
    p.add_argument("--metric", choices=("both", "busy", "task_busy"), default="both",
                   help="utilization: the machine's view (busy), the tasks' view "
                        "(task_busy), or both side by side (default)")
    p.add_argument("--label", action="append", default=[], metavar="NAME",
                   help="compare: name of each report, in order (default: file names)")
    p.add_argument("--threshold", type=float, default=5.0, metavar="PCT",
                   help="compare: changes beyond this many %% are coloured "
                        "(red slower, green faster; default 5)")
    p.add_argument("--title", metavar="TEXT", help="replace the figure's title")
    p.add_argument("--size", metavar="WxH",
                   help="figure size in pixels (default per kind, listed below)")
    p.add_argument("--dpi", type=int, default=100, help="resolution (default 100)")
    args = p.parse_args(argv)

    ext = os.path.splitext(args.output)[1].lower().lstrip(".")
    if ext not in FORMATS:
        raise InputError(f"cannot tell the format of '{args.output}': use a .png or .svg name")
    args.format = ext
    if args.dpi < 10 or args.dpi > 1200:
        raise InputError(f"--dpi {args.dpi} is out of range (10..1200)")
    if args.size is None:
        args.size = DEFAULT_SIZE[args.kind]
    else:
        try:
            w, h = (int(x) for x in args.size.lower().split("x"))
        except ValueError:
            raise InputError(f"--size '{args.size}' is not WIDTHxHEIGHT in pixels") from None
        if not (100 <= w <= 20000 and 100 <= h <= 20000):
            raise InputError(f"--size '{args.size}' is out of range (100..20000 pixels a side)")
        args.size = (w, h)
    if args.run is not None and args.run < 1:
        raise InputError(f"--run {args.run}: runs count from 1")
    if args.threshold < 0:
        raise InputError("--threshold must not be negative")
    n = len(args.reports)
    if args.kind == "compare":
        if n < 2:
            raise InputError("--kind compare needs two or more reports")
        if args.label and len(args.label) != n:
            raise InputError(f"{len(args.label)} --label for {n} reports")
    elif n != 1:
        raise InputError(f"--kind {args.kind} draws one report, got {n}")
    elif args.label:
        raise InputError("--label is for --kind compare")
    return args


DRAW = {"timeline": plot_timeline, "utilization": plot_utilization,
        "speedup": plot_speedup, "compare": plot_compare}


def draw(plt, args, reports):
    """The figure of args.kind for the loaded reports (unsaved)."""
    return DRAW[args.kind](plt, args, reports)


def main(argv):
    """Run the command line; returns the exit status (see scripts/tribench-plot)."""
    try:
        args = parse_args(argv)
        reports = [load_report(p) for p in args.reports]
        # Import matplotlib only once the input is known good: errors stay fast,
        # and nothing it may print (a font cache being built) gets in their way.
        plt = pyplot()
        fig = draw(plt, args, reports)
        save(fig, args)
        plt.close(fig)
    except InputError as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return EXIT_INPUT
    except OutputError as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return EXIT_RUNTIME
    except KeyboardInterrupt:
        return 128 + 2
    except Exception as e:   # a bug here, not in the report: say so, with the traceback
        traceback.print_exc()
        what = str(e).splitlines()[0] if str(e) else ""
        print(f"{PROG}: internal error (a bug in {PROG}, not in the report; the traceback "
              f"is above): {type(e).__name__}" + (f": {what}" if what else ""),
              file=sys.stderr)
        return EXIT_RUNTIME
    return EXIT_OK
